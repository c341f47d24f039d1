//! Paid membership (付费会员): tiers bought and renewed through the payment engine, gift packs
//! issued once per purchase, member prices, and one sub-card per main card whose holder gets the
//! member prices while every point and coupon they earn lands on the main card.

pub mod admin;
pub mod policy;
pub mod sharing;
pub mod status;
pub mod subcards;
pub mod tiers;
pub mod upkeep;

pub use policy::MembershipPolicy;
pub(crate) use status::BADGE_SQL;
pub use status::{badge, beneficiary, has_member_prices, status};

#[cfg(test)]
mod tests;
