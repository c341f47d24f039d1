use super::Localized;
use serde::{Deserialize, Serialize};

/// One line of a member's points history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PointsLine {
    pub id: i64,
    /// `earn`, `mature`, `spend`, `expire`, `reverse`, `adjust`, `debt`.
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
