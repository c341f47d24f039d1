//! The mall's one price engine: what each line of a cart costs and why, shared by the server's
//! cart, its checkout and the pages (compiled for the browser too), like the tender split in
//! [`crate::tender`], which takes over where this ends (coupon, points, stored value, provider).
//!
//! The stacking rules, in order (decision 0017; the cart shows them):
//! 1. **Unit price.** A paid member's member price and a limited-time price are never
//!    combined: the lower of the two applies; never above the list price.
//! 2. **Bundles.** A complete set of a bundle's SKUs costs the bundle price instead of its
//!    units' prices, when that is cheaper. Of a shop's bundles, the combination cheapest for the
//!    shopper is taken (as many sets as the cart holds, bundles in a fixed order).
//! 3. **满减.** The tier is reached on the shop's goods at their everyday price (member price for
//!    paid members, else list price): a limited-time price or a bundle never loses the shopper a
//!    tier. The best tier reached comes off what the goods cost after rules 1 and 2 (bundle lines
//!    included), shared over the lines in proportion with the remainder rule of [`allocate`], so
//!    each line knows exactly what was paid for it; the shop's total stays at least 1 fen.
//!
//! Together these make adding a promotion never raise a shop's or an order's total (the tests
//! below check it on random carts).

mod promotions;
#[cfg(test)]
mod tests;

pub use promotions::*;

use crate::Fen;
use serde::{Deserialize, Serialize};

/// One line of a cart as the engine needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceLine {
    pub shop: i64,
    pub sku: i64,
    pub list: Fen,
    pub member: Option<Fen>,
    pub quantity: i64,
}

/// Which price a line's units cost before bundles and 满减.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitRule {
    #[default]
    List,
    Member,
    LimitedTime,
}

/// A line, explained: every step from its list price to what is paid for it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplainedLine {
    pub shop: i64,
    pub sku: i64,
    pub quantity: i64,
    pub list_price: Fen,
    /// The member price, when this shopper has member prices and the SKU has one.
    pub member_price: Option<Fen>,
    /// The limited-time price running now, and when it ends (epoch ms).
    pub limited_price: Option<Fen>,
    pub limited_ends_at: Option<i64>,
    pub rule: UnitRule,
    /// What one unit costs by [`UnitRule`].
    pub unit_price: Fen,
    /// Units of this line sold inside bundles, and what the bundles took off them.
    pub bundle_units: i64,
    pub bundle_off: Fen,
    /// This line's share of the shop's 满减.
    pub spend_off: Fen,
    /// What is paid for the whole line (before coupon and points, which the tender split takes).
    pub paid: Fen,
}

impl ExplainedLine {
    pub fn list_total(&self) -> Fen {
        Fen(self.list_price.0 * self.quantity)
    }

    /// The line at its unit price, before bundles and 满减.
    pub fn unit_total(&self) -> Fen {
        Fen(self.unit_price.0 * self.quantity)
    }
}

/// A bundle the engine applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedBundle {
    pub id: i64,
    pub name: String,
    pub sets: i64,
    pub price: Fen,
    /// What the sets saved against the units' prices.
    pub saved: Fen,
}

/// One shop's part, explained.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplainedShop {
    pub shop: i64,
    pub lines: Vec<ExplainedLine>,
    pub list_total: Fen,
    /// The goods at their everyday price: what 满减 tiers are reached on.
    pub everyday_total: Fen,
    /// The goods after unit prices and bundles.
    pub goods_total: Fen,
    pub bundles: Vec<AppliedBundle>,
    /// The 满减 tier reached, and what it took off (at most the goods less 1 fen).
    pub tier: Option<Tier>,
    pub spend_off: Fen,
    /// The next tier, to tell the shopper what is left to reach it.
    pub next_tier: Option<Tier>,
    pub total: Fen,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explained {
    pub shops: Vec<ExplainedShop>,
    pub list_total: Fen,
    pub total: Fen,
}

impl Explained {
    pub fn line(&self, sku: i64) -> Option<&ExplainedLine> {
        self.shops.iter().flat_map(|s| &s.lines).find(|l| l.sku == sku)
    }
}

/// Prices `lines` (shops in the order of their first line) for a shopper with or without member
/// prices, under the promotions running now.
pub fn price(lines: &[PriceLine], member_prices: bool, promotions: &Promotions) -> Explained {
    let mut shops: Vec<i64> = Vec::new();
    for line in lines {
        if !shops.contains(&line.shop) {
            shops.push(line.shop);
        }
    }
    let shops: Vec<ExplainedShop> = shops
        .into_iter()
        .map(|shop| {
            let own: Vec<&PriceLine> = lines.iter().filter(|l| l.shop == shop).collect();
            price_shop(shop, &own, member_prices, promotions)
        })
        .collect();
    Explained {
        list_total: Fen(shops.iter().map(|s| s.list_total.0).sum()),
        total: Fen(shops.iter().map(|s| s.total.0).sum()),
        shops,
    }
}

/// Rule 1 alone: the price of one unit and which rule gave it, from the list price, the member
/// price (only when this shopper has member prices) and the limited-time price running now.
pub fn unit_price(list: Fen, member: Option<Fen>, limited: Option<Fen>) -> (UnitRule, Fen) {
    let list = list.0.max(0);
    let member = member.map(|m| m.0.clamp(0, list));
    let limited = limited.map(|l| l.0.clamp(0, list));
    match (member, limited) {
        (Some(m), Some(l)) if l < m => (UnitRule::LimitedTime, Fen(l)),
        (Some(m), _) if m < list => (UnitRule::Member, Fen(m)),
        (None, Some(l)) if l < list => (UnitRule::LimitedTime, Fen(l)),
        _ => (UnitRule::List, Fen(list)),
    }
}

fn unit_of(line: &PriceLine, member_prices: bool, promotions: &Promotions) -> ExplainedLine {
    let list = line.list.0.max(0);
    let quantity = line.quantity.max(0);
    let member = line.member.filter(|_| member_prices).map(|m| Fen(m.0.clamp(0, list)));
    let limited = promotions.limited_for(line.sku).filter(|l| l.shop == line.shop);
    let limited_price = limited.map(|l| Fen(l.price.0.clamp(0, list)));
    let (rule, unit) = unit_price(Fen(list), member, limited_price);
    ExplainedLine {
        shop: line.shop,
        sku: line.sku,
        quantity,
        list_price: Fen(list),
        member_price: member,
        limited_price,
        limited_ends_at: limited.map(|l| l.ends_at),
        rule,
        unit_price: unit,
        ..Default::default()
    }
}

/// What a bundle takes off when its sets are formed from `avail` (units per line); changes
/// `avail` and the lines' bundle columns. Items are matched to the first line of their SKU.
fn apply_bundle(bundle: &Bundle, lines: &mut [ExplainedLine], avail: &mut [i64]) -> Option<AppliedBundle> {
    let mut at = Vec::with_capacity(bundle.items.len());
    for item in &bundle.items {
        if item.quantity <= 0 {
            return None;
        }
        at.push((lines.iter().position(|l| l.sku == item.sku)?, item.quantity));
    }
    let sets = at.iter().map(|(i, q)| avail[*i] / q).min()?;
    let weights: Vec<i64> = at.iter().map(|(i, q)| lines[*i].unit_price.0 * q).collect();
    let value: i64 = weights.iter().sum();
    if sets <= 0 || bundle.price.0 >= value || bundle.price.0 < 0 {
        return None;
    }
    let shares = allocate(value - bundle.price.0, &weights);
    for ((i, q), share) in at.iter().zip(shares) {
        avail[*i] -= sets * q;
        lines[*i].bundle_units += sets * q;
        lines[*i].bundle_off = Fen(lines[*i].bundle_off.0 + sets * share);
    }
    Some(AppliedBundle {
        id: bundle.id,
        name: bundle.name.clone(),
        sets,
        price: bundle.price,
        saved: Fen(sets * (value - bundle.price.0)),
    })
}

fn price_shop(shop: i64, own: &[&PriceLine], member_prices: bool, promotions: &Promotions) -> ExplainedShop {
    let base: Vec<ExplainedLine> = own.iter().map(|l| unit_of(l, member_prices, promotions)).collect();
    // Rule 2: the cheapest combination of the shop's bundles (at most MAX_BUNDLES_PER_SHOP are
    // tried; the shop cannot run more at once).
    let bundles: Vec<&Bundle> = promotions.bundles_of(shop).into_iter().take(MAX_BUNDLES_PER_SHOP).collect();
    let mut best: Option<(i64, Vec<ExplainedLine>, Vec<AppliedBundle>)> = None;
    for mask in 0u32..(1 << bundles.len()) {
        let mut lines = base.clone();
        let mut avail: Vec<i64> = lines.iter().map(|l| l.quantity).collect();
        let applied: Vec<AppliedBundle> = bundles
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .filter_map(|(_, b)| apply_bundle(b, &mut lines, &mut avail))
            .collect();
        let goods: i64 = lines.iter().map(|l| l.unit_total().0 - l.bundle_off.0).sum();
        if best.as_ref().is_none_or(|(g, _, _)| goods < *g) {
            best = Some((goods, lines, applied));
        }
    }
    let (goods, mut lines, bundles) = best.unwrap_or_default();

    // Rule 3: 满减 reached on the everyday price, taken off the goods.
    let everyday: i64 = lines.iter().map(|l| l.member_price.unwrap_or(l.list_price).0 * l.quantity).sum();
    let tiers = promotions.tiers_of(shop);
    let tier = tiers.iter().filter(|t| t.threshold.0 <= everyday).max_by_key(|t| t.off).copied();
    let next_tier = tiers.iter().find(|t| t.threshold.0 > everyday && tier.is_none_or(|r| t.off > r.off)).copied();
    let spend_off = tier.map(|t| t.off.0.clamp(0, (goods - 1).max(0))).unwrap_or(0);
    let weights: Vec<i64> = lines.iter().map(|l| l.unit_total().0 - l.bundle_off.0).collect();
    for (line, share) in lines.iter_mut().zip(allocate(spend_off, &weights)) {
        line.spend_off = Fen(share);
        line.paid = Fen(line.unit_total().0 - line.bundle_off.0 - share);
    }
    ExplainedShop {
        shop,
        list_total: Fen(lines.iter().map(|l| l.list_total().0).sum()),
        everyday_total: Fen(everyday),
        goods_total: Fen(goods),
        bundles,
        tier,
        spend_off: Fen(spend_off),
        next_tier,
        total: Fen(goods - spend_off),
        lines,
    }
}

/// Splits `amount` over `weights` in proportion, the remainder going to the largest fractional
/// shares first (then the earliest), so the parts add up to `amount` exactly and none exceeds its
/// weight when `amount` is below the weights' sum.
pub fn allocate(amount: i64, weights: &[i64]) -> Vec<i64> {
    let total: i64 = weights.iter().sum();
    if total <= 0 || amount <= 0 {
        return vec![0; weights.len()];
    }
    let mut parts: Vec<i64> = weights.iter().map(|w| (amount as i128 * *w as i128 / total as i128) as i64).collect();
    let mut left = amount - parts.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|i| {
        let rem = amount as i128 * weights[*i] as i128 % total as i128;
        (std::cmp::Reverse(rem), *i)
    });
    for i in order {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    parts
}

/// What refunding `quantity` more units of a line refunds, when `done` of its `bought` units
/// were refunded already and `paid` was paid for the whole line: the paid amount is spread over
/// the units so that refunding them all, in any steps, refunds exactly `paid`.
pub fn refund_for_units(paid: Fen, bought: i64, done: i64, quantity: i64) -> Fen {
    if bought <= 0 || quantity <= 0 || done < 0 || done + quantity > bought {
        return Fen::ZERO;
    }
    let upto = |units: i64| (paid.0 as i128 * units as i128 / bought as i128) as i64;
    Fen(upto(done + quantity) - upto(done))
}
