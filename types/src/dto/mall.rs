use super::Localized;
use serde::{Deserialize, Serialize};

/// The mall as every page needs it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MallInfo {
    pub name: Localized,
    pub timezone: String,
    /// True in the development mode: the sign-in page may show the code from the SMS outbox.
    pub dev_mode: bool,
}

/// The operator's first screen: how big the mall is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OperatorOverview {
    pub tenants_plate: i64,
    pub tenants_restaurant: i64,
    pub tenants_store: i64,
    pub members: i64,
    pub members_joined_today: i64,
    pub staff: i64,
}

/// One day of the stored-value reconciliation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SvDay {
    pub day: String,
    pub opening: crate::Fen,
    pub inflow: crate::Fen,
    pub outflow: crate::Fen,
    pub closing: crate::Fen,
}
