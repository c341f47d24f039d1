use super::Localized;
use serde::{Deserialize, Serialize};

/// A reward in the points mall.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RewardView {
    pub id: i64,
    /// `coupon`, `gift` or `parking`.
    pub kind: String,
    pub name: Localized,
    pub description: Localized,
    pub points_price: i64,
    /// `None`: unlimited.
    pub stock_left: Option<i64>,
    pub per_member_limit: Option<i64>,
    pub redeemed_by_me: i64,
    pub active: bool,
}

/// A redemption, as the member's "my rewards" list shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RedemptionView {
    pub id: i64,
    pub reward: Localized,
    pub kind: String,
    pub points: i64,
    /// For gifts: the code to show at the service desk.
    pub voucher_code: Option<String>,
    pub coupon_id: Option<i64>,
    pub collected: bool,
    pub at: String,
}

/// Today's check-in state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinStatus {
    pub checked_in_today: bool,
    /// Consecutive days up to today (or yesterday, if not yet today).
    pub streak: i64,
    /// What checking in now (or tomorrow) earns.
    pub next_points: i64,
}

/// A member flagged by the anomaly report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnomalyRow {
    pub member_id: i64,
    pub masked_phone: String,
    pub name: String,
    /// `earned` or `redeemed` (points in the window).
    pub measure: String,
    pub points: i64,
    /// How many times the norm (median of active members).
    pub times_norm: f64,
}
