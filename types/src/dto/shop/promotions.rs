//! The shop's promotions as its console shows them, and what the shopper's pages show of them.

use crate::pricing::Tier;
use crate::Fen;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromotionKind {
    /// 限时折扣
    Limited,
    /// 满减
    SpendOff,
    /// 组合套餐
    Bundle,
}

impl PromotionKind {
    pub const ALL: [PromotionKind; 3] = [PromotionKind::Limited, PromotionKind::SpendOff, PromotionKind::Bundle];

    pub fn as_str(self) -> &'static str {
        match self {
            PromotionKind::Limited => "limited",
            PromotionKind::SpendOff => "spend_off",
            PromotionKind::Bundle => "bundle",
        }
    }

    pub fn parse(value: &str) -> Option<PromotionKind> {
        PromotionKind::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromotionStatus {
    Upcoming,
    Running,
    Ended,
}

/// A SKU a promotion names, with its price in the promotion (a limited-time price) or its
/// quantity in a set (a bundle).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromotionSku {
    pub sku_id: i64,
    pub label: String,
    pub list_price: Fen,
    pub price: Option<Fen>,
    pub quantity: i64,
}

/// One promotion in the shop's console.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromotionView {
    pub id: i64,
    pub kind: PromotionKind,
    pub name: String,
    pub status: PromotionStatus,
    /// Mall time, `2026-12-03 10:00`.
    pub starts_at: String,
    pub ends_at: String,
    pub skus: Vec<PromotionSku>,
    pub tiers: Vec<Tier>,
    pub bundle_price: Option<Fen>,
    /// Deeper than the mall's cap is now (made under a looser cap, or a list price raised
    /// since): the engine applies it at the cap.
    #[serde(default)]
    pub beyond_cap: bool,
}

/// A SKU the shop may put on promotion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromotionSkuChoice {
    pub sku_id: i64,
    pub label: String,
    pub list_price: Fen,
}

/// The console's page: the shop's promotions (running and upcoming first), its SKUs, and the
/// mall's cap.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromotionConsole {
    pub promotions: Vec<PromotionView>,
    pub skus: Vec<PromotionSkuChoice>,
    /// The deepest discount the mall allows, in percent off the list price.
    pub max_off_pct: i64,
    /// Mall time now and a week on, to prefill the forms (`2026-12-03T10:00`).
    pub default_start: String,
    pub default_end: String,
}

/// What a product page shows of the shop's promotions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductPromotions {
    /// Limited-time prices of the product's SKUs: (sku, price, ends at in mall time, ends at ms).
    pub limited: Vec<LimitedOffer>,
    /// The shop's 满减 tiers running now.
    pub tiers: Vec<Tier>,
    /// Bundles that hold one of the product's SKUs.
    pub bundles: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitedOffer {
    pub sku_id: i64,
    pub price: Fen,
    pub ends_at: String,
    pub ends_at_ms: i64,
}
