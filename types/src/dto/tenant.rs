use super::Localized;
use crate::TenantId;
use serde::{Deserialize, Serialize};

/// The three ways a tenant sells through Plaza.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TenantKind {
    /// No item-level stock: QR plate payment at the counter.
    Plate,
    /// Restaurant or food-court stall: scan-to-order.
    Restaurant,
    /// Item-level stock: a storefront in the mall's online shop.
    Store,
}

impl TenantKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TenantKind::Plate => "plate",
            TenantKind::Restaurant => "restaurant",
            TenantKind::Store => "store",
        }
    }

    pub fn parse(value: &str) -> Option<TenantKind> {
        [TenantKind::Plate, TenantKind::Restaurant, TenantKind::Store].into_iter().find(|kind| kind.as_str() == value)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TenantSummary {
    pub id: TenantId,
    pub code: String,
    pub name: Localized,
    pub unit_no: String,
    pub floor: String,
    pub category: Localized,
    pub kind: TenantKind,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffSummary {
    pub username: String,
    pub display_name: String,
    pub role: crate::StaffRole,
    pub active: bool,
}
