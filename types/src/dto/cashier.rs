use super::LevelBadge;
use crate::MemberId;
use serde::{Deserialize, Serialize};

/// What a cashier learns from a member code: enough to serve, nothing more.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberIdentity {
    pub member_id: MemberId,
    pub name: String,
    pub phone_last4: String,
    pub masked_phone: String,
    pub level: LevelBadge,
}

/// A member checked at a till (`/tenant/cashier?check=<token>`): who they are and what the
/// cashier needs to serve them. The page's address carries the token, never the member code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberCheckView {
    pub token: String,
    pub member: MemberIdentity,
    pub points_available: i64,
    pub points_pending: i64,
    /// The paid membership they enjoy (their own, or a main card's as its sub-card).
    pub paid: Option<super::PaidBadge>,
    /// Bound as a sub-card: the points they earn go to the main card.
    pub subcard: bool,
    /// Seconds left to award points for a sale with this check.
    pub expires_in_secs: i64,
    /// A sale has already been awarded with this check's member code.
    pub used: bool,
}

/// Points awarded for a sale rung up on the shop's own till.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CounterSaleLine {
    pub id: i64,
    pub receipt_no: String,
    pub amount: crate::Fen,
    pub points: i64,
    pub member_masked_phone: String,
    /// Mall time, `YYYY-MM-DD HH:MM`.
    pub at: String,
    pub awarded_by: String,
    pub reversed: bool,
    /// Not reversed, and made today (mall time): the owner may still reverse it.
    pub reversible: bool,
}
