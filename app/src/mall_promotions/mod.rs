//! Mall promotions (issue 13): the shop owner's console (`/tenant/promotions`: 限时折扣, 满减,
//! 组合套餐, plain forms), the operator's cap, and what the shopper's pages show of the price
//! engine's explanation (a line's price story, a shop's 满减 tiers, the stacking rules).

mod cap_page;
mod console_page;
mod explain;
mod product_offers;

pub use cap_page::{get_promotion_cap, set_promotion_cap, PromotionCapPage, SetPromotionCap};
pub use console_page::{create_promotion, end_promotion, get_promotions, PromotionsPage};
pub use explain::{LineExplain, ShopTiers, StackingRules};
pub use product_offers::ProductOffers;

use crate::i18n::{fill, Tr};
use plaza_types::pricing::{PromotionProblem, Tier};

/// The words for a refused promotion.
pub fn problem_text(t: &Tr, problem: PromotionProblem) -> String {
    match problem {
        PromotionProblem::Price => t.pr_err_price.into(),
        PromotionProblem::BeyondCap { max_off_pct } => fill(t.pr_err_cap, &[("pct", &max_off_pct.to_string())]),
        PromotionProblem::Tiers => t.pr_err_tiers.into(),
        PromotionProblem::BundleItems => t.pr_err_bundle.into(),
        PromotionProblem::Period => t.pr_err_period.into(),
        PromotionProblem::UnknownSku => t.pr_err_sku.into(),
        PromotionProblem::Name => t.pr_err_name.into(),
        PromotionProblem::TooManyBundles => t.pr_err_too_many_bundles.into(),
        PromotionProblem::Ended => t.pr_err_ended.into(),
    }
}

/// `满¥100减¥15`.
pub fn tier_text(t: &Tr, tier: &Tier) -> String {
    fill(t.pr_tier, &[("threshold", &tier.threshold.to_string()), ("off", &tier.off.to_string())])
}
