//! The promotions a shop runs, as the price engine reads them (only those running now; the
//! server picks them by their start and end) and as the shop's console writes them, with the
//! checks every new one passes.

use crate::Fen;
use serde::{Deserialize, Serialize};

/// The most bundles one shop may run at once: the engine tries every combination of a shop's
/// bundles to find the cheapest for the shopper, so their number stays small.
pub const MAX_BUNDLES_PER_SHOP: usize = 6;
/// The most tiers of one 满减 and the most SKUs of one bundle.
pub const MAX_TIERS: usize = 5;
pub const MAX_BUNDLE_ITEMS: usize = 5;

/// 限时折扣: one SKU at a lower price until `ends_at` (epoch milliseconds).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitedPrice {
    pub id: i64,
    pub shop: i64,
    pub sku: i64,
    pub price: Fen,
    pub ends_at: i64,
}

/// One tier of a 满减: spend at least `threshold` in the shop, get `off` off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    pub threshold: Fen,
    pub off: Fen,
}

/// 满减: a shop's tiers (thresholds increasing).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpendOff {
    pub id: i64,
    pub shop: i64,
    pub tiers: Vec<Tier>,
    pub ends_at: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleItem {
    pub sku: i64,
    pub quantity: i64,
}

/// 组合套餐: a fixed set of SKUs (with quantities) at one price.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bundle {
    pub id: i64,
    pub shop: i64,
    pub name: String,
    pub items: Vec<BundleItem>,
    pub price: Fen,
    pub ends_at: i64,
}

/// The promotions running now for the shops of a cart.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promotions {
    pub limited: Vec<LimitedPrice>,
    pub spend_off: Vec<SpendOff>,
    pub bundles: Vec<Bundle>,
}

impl Promotions {
    /// The limited-time price of a SKU (the lowest, should two overlap).
    pub fn limited_for(&self, sku: i64) -> Option<&LimitedPrice> {
        self.limited.iter().filter(|l| l.sku == sku).min_by_key(|l| (l.price, l.id))
    }

    /// A shop's 满减 tiers, all of its running 满减 together, by threshold.
    pub fn tiers_of(&self, shop: i64) -> Vec<Tier> {
        let mut tiers: Vec<Tier> =
            self.spend_off.iter().filter(|s| s.shop == shop).flat_map(|s| s.tiers.iter().copied()).collect();
        tiers.sort_by_key(|t| (t.threshold, std::cmp::Reverse(t.off)));
        tiers
    }

    pub fn bundles_of(&self, shop: i64) -> Vec<&Bundle> {
        let mut bundles: Vec<&Bundle> = self.bundles.iter().filter(|b| b.shop == shop).collect();
        bundles.sort_by_key(|b| b.id);
        bundles
    }
}

/// Why a promotion the shop typed is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PromotionProblem {
    /// The promotional price must be above zero and below the SKU's list price.
    Price,
    /// Deeper than the mall allows: at most `max_off_pct` % off the list price.
    BeyondCap { max_off_pct: i64 },
    /// 1 to 5 tiers, thresholds increasing, each tier's reduction below its threshold and larger
    /// than the tier before.
    Tiers,
    /// A bundle holds 2–5 distinct SKUs (quantities 1–99) and costs less than they do at list
    /// price.
    BundleItems,
    /// The end must be after the start and after now, within a year.
    Period,
    /// Not a SKU of this shop (or removed).
    UnknownSku,
    /// 1–20 characters.
    Name,
    /// The shop already runs the most bundles at once.
    TooManyBundles,
    /// Ended already.
    Ended,
}

/// Checks 满减 tiers: 1–[`MAX_TIERS`], thresholds strictly increasing, reductions strictly
/// increasing, each reduction above zero and below its threshold.
pub fn check_tiers(tiers: &[Tier]) -> Result<(), PromotionProblem> {
    if tiers.is_empty() || tiers.len() > MAX_TIERS {
        return Err(PromotionProblem::Tiers);
    }
    let each = tiers.iter().all(|t| t.off.0 > 0 && t.off < t.threshold);
    let rising = tiers.windows(2).all(|w| w[0].threshold < w[1].threshold && w[0].off < w[1].off);
    if each && rising {
        Ok(())
    } else {
        Err(PromotionProblem::Tiers)
    }
}

/// How deep a promotion goes, in whole percent off `list` (rounded up, so a cap is never
/// slipped under by rounding).
pub fn off_pct(list: Fen, price: Fen) -> i64 {
    if list.0 <= 0 {
        return 100;
    }
    let off = (list.0 - price.0).max(0) as i128 * 100;
    ((off + list.0 as i128 - 1) / list.0 as i128) as i64
}

/// The lowest price the mall's cap allows for goods listed at `list`: at most `max_off_pct` %
/// off, read as [`off_pct`] reads it (so `off_pct(list, cap_floor(list, max)) <= max`).
pub fn cap_floor(list: Fen, max_off_pct: i64) -> Fen {
    Fen(list.0 - cap_off(list, max_off_pct).0)
}

/// The most the mall's cap lets a 满减 tier of `threshold` take off.
pub fn cap_off(threshold: Fen, max_off_pct: i64) -> Fen {
    let max = max_off_pct.clamp(0, 100) as i128;
    Fen((threshold.0.max(0) as i128 * max / 100) as i64)
}

/// A limited-time price: above zero, below the list price, within the mall's cap (percent).
pub fn check_limited(list: Fen, price: Fen, max_off_pct: i64) -> Result<(), PromotionProblem> {
    if price.0 <= 0 || price >= list {
        return Err(PromotionProblem::Price);
    }
    if off_pct(list, price) > max_off_pct {
        return Err(PromotionProblem::BeyondCap { max_off_pct });
    }
    Ok(())
}
