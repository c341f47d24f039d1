use super::Localized;
use serde::{Deserialize, Serialize};

/// One line of a member's points history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PointsLine {
    pub id: i64,
    /// `earn`, `mature`, `spend`, `expire`, `reverse`, `restore`, `adjust`, `debt`.
    pub kind: String,
    pub points: i64,
    pub source: String,
    pub reference: String,
    pub reason: String,
    pub tenant: Option<Localized>,
    pub at: String,
}

/// Points that expire soon, and on which day (the last day they can be used).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExpiringLot {
    pub points: i64,
    pub expires_on: String,
}

/// Pending points and the day they become usable (the refund window has passed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MaturingPoints {
    pub points: i64,
    pub usable_on: String,
}

/// The member's points page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PointsOverview {
    pub available: i64,
    pub pending: i64,
    /// Available points expiring within 30 days.
    pub expiring: Vec<ExpiringLot>,
    /// Every available point by the last day it can be used, soonest first.
    pub expiries: Vec<ExpiringLot>,
    /// Pending points by the day they become usable, soonest first.
    pub maturing: Vec<MaturingPoints>,
    pub lines: Vec<PointsLine>,
    /// Pass as `before` for the next page; `None` at the end.
    pub more_before: Option<i64>,
}

/// One line of the member's stored-value history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SvLine {
    pub kind: String,
    pub amount: crate::Fen,
    pub balance_after: crate::Fen,
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SvOverview {
    pub balance: crate::Fen,
    pub lines: Vec<SvLine>,
}

/// The member's invite page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InviteInfo {
    pub code: String,
    pub link: String,
    pub qr_svg: String,
    pub invited: i64,
    pub rewarded: i64,
    pub points_earned: i64,
    pub reward_points: i64,
    /// The newcomer's first purchase must be at least this much and stand this many days.
    pub min_purchase: crate::Fen,
    pub refund_window_days: i64,
}
