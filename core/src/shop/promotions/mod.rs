//! A storefront's promotions (issue 13): 限时折扣 (a price per SKU), 满减 (tiers per shop) and 组合套餐
//! (bundles), each from a start to an end. The shop's console creates and ends them
//! ([`manage`]), within the mall's cap ([`cap`]); carts, checkout and product pages read the ones
//! running now ([`running`]) and price with the one engine, `plaza_types::pricing`.

pub mod cap;
pub mod manage;
pub mod running;

use plaza_types::pricing::PromotionProblem;
use plaza_types::AppError;

pub(crate) fn refused(problem: PromotionProblem) -> crate::Error {
    AppError::Promotion { problem }.into()
}
