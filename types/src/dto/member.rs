use super::Localized;
use crate::{Fen, MemberId};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LevelBadge {
    pub code: String,
    pub name: Localized,
}

/// The member card page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberCard {
    pub member_id: MemberId,
    /// As the member entered it; empty until they do (pages then show "会员" + `phone_last4`).
    pub name: String,
    pub phone_last4: String,
    pub masked_phone: String,
    pub birthday: Option<String>,
    pub level: LevelBadge,
    pub points_available: i64,
    pub points_pending: i64,
    /// Available points that expire within 30 days.
    pub points_expiring_soon: i64,
    pub stored_value: Fen,
    pub usable_coupons: i64,
    pub progress: LevelProgress,
    pub member_since: String,
    /// The paid membership the member enjoys now (their own, or the main card's for a sub-card).
    pub paid: Option<PaidBadge>,
}

/// The paid-membership badge on the card.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PaidBadge {
    pub tier: Localized,
    /// Enjoyed as the sub-card of someone else's membership.
    pub subcard: bool,
}

/// A freshly signed member code with its renderings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberCodeView {
    pub digits: String,
    pub qr_svg: String,
    pub barcode_svg: String,
    pub expires_at_secs: i64,
    /// Seconds the code stays valid from the moment it was issued.
    pub ttl_secs: i64,
}

/// The member's way to the next level.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LevelProgress {
    pub spend_12m: Fen,
    /// `None` at the top level.
    pub next: Option<LevelBadge>,
    pub needed: Option<Fen>,
}

/// One level of the ladder as the levels page lists it: what it takes and what it gives.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LevelRung {
    pub badge: LevelBadge,
    /// Qualifying spend over a rolling 12 months that reaches this level.
    pub min_spend: Fen,
    /// Points earned at this level, in percent of the base rate (150 = 1.5×).
    pub multiplier_pct: i64,
}

/// The levels page: the ladder, when levels are reviewed, and where the member stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LevelsView {
    pub levels: Vec<LevelRung>,
    /// The yearly review (downgrades) falls on this month and day, mall time.
    pub review_month: i8,
    pub review_day: i8,
    /// For a signed-in member: their level's code and their way up.
    pub mine: Option<MyLevel>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyLevel {
    pub code: String,
    pub progress: LevelProgress,
}

/// A paid-membership tier as shoppers and operators see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TierView {
    pub id: i64,
    pub code: String,
    pub name: super::Localized,
    pub price: Fen,
    pub term_days: i64,
    pub benefits: super::Localized,
    pub member_prices: bool,
    pub first_pack: Option<super::Localized>,
    pub renewal_pack: Option<super::Localized>,
    pub active: bool,
}

/// The member's paid membership and sub-card.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MembershipView {
    pub tier_id: Option<i64>,
    pub tier: Option<super::Localized>,
    pub active: bool,
    /// The last day of the current (or last) period.
    pub ends_on: Option<String>,
    /// Masked phone of this card's sub-card holder.
    pub subcard_holder: Option<String>,
    /// Masked phone of the main card, when this member holds a sub-card.
    pub main_card_holder: Option<String>,
    pub member_prices: bool,
    /// While the cool-down after an unbinding runs: the first day a new sub-card can be bound.
    pub can_bind_from: Option<String>,
}
