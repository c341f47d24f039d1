//! The points rules an operator can change, with PRODUCT.md's defaults.

use crate::settings::Setting;
use serde::{Deserialize, Serialize};

/// What happens when a refund takes back points that were already spent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NegativeBalance {
    /// The balance goes negative and future earnings pay the debt first (the default).
    #[default]
    Allow,
    /// The shortfall is written off (recorded in the ledger) and the balance stays at zero.
    Clamp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PointsPolicy {
    /// Base earning rate in thousandths of a point per whole yuan (1000 = 1 point per ¥1).
    pub points_per_yuan_milli: i64,
    /// Days a purchase's points stay pending (the refund window).
    pub refund_window_days: i64,
    /// Most points one member may earn from purchases in one mall-local day (`None`: no cap).
    pub daily_earn_cap: Option<i64>,
    pub negative_balance: NegativeBalance,
    /// Points worth ¥1 when spent as a tender (100 points = ¥1).
    pub points_per_yuan_spent: i64,
    /// Most of a payment points may cover, in percent.
    pub max_payment_share_pct: i64,
}

impl Default for PointsPolicy {
    fn default() -> Self {
        PointsPolicy {
            points_per_yuan_milli: 1000,
            refund_window_days: 7,
            daily_earn_cap: Some(50_000),
            negative_balance: NegativeBalance::Allow,
            points_per_yuan_spent: 100,
            max_payment_share_pct: 50,
        }
    }
}

impl Setting for PointsPolicy {
    const KEY: &'static str = "points.policy";
}
