//! Staff roles. Operator roles act on the whole mall; tenant roles are bound to one tenant.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    OperatorAdmin,
    OperatorStaff,
    TenantOwner,
    TenantCashier,
    TenantKitchen,
    TenantFulfilment,
}

impl StaffRole {
    pub const ALL: [StaffRole; 6] = [
        StaffRole::OperatorAdmin,
        StaffRole::OperatorStaff,
        StaffRole::TenantOwner,
        StaffRole::TenantCashier,
        StaffRole::TenantKitchen,
        StaffRole::TenantFulfilment,
    ];

    /// The value stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::OperatorAdmin => "operator_admin",
            StaffRole::OperatorStaff => "operator_staff",
            StaffRole::TenantOwner => "tenant_owner",
            StaffRole::TenantCashier => "tenant_cashier",
            StaffRole::TenantKitchen => "tenant_kitchen",
            StaffRole::TenantFulfilment => "tenant_fulfilment",
        }
    }

    pub fn parse(value: &str) -> Option<StaffRole> {
        StaffRole::ALL.into_iter().find(|role| role.as_str() == value)
    }

    pub fn is_operator(self) -> bool {
        matches!(self, StaffRole::OperatorAdmin | StaffRole::OperatorStaff)
    }

    /// Tenant roles must name exactly one tenant; operator roles must name none.
    pub fn needs_tenant(self) -> bool {
        !self.is_operator()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_storage() {
        for role in StaffRole::ALL {
            assert_eq!(StaffRole::parse(role.as_str()), Some(role));
        }
        assert_eq!(StaffRole::parse("root"), None);
    }
}
