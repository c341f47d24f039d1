//! Who is calling, once a session has been looked up: a member, or a staff member with a role
//! (and, for tenant roles, their shop). Features check these; `plaza_core::auth` finds them.

use plaza_types::{MemberId, StaffId, StaffRole, TenantId};

/// The authenticated caller of a request.
#[derive(Clone, Debug, PartialEq)]
pub enum Principal {
    Member(MemberId),
    Staff(StaffPrincipal),
}

#[derive(Clone, Debug, PartialEq)]
pub struct StaffPrincipal {
    pub staff_id: StaffId,
    pub role: StaffRole,
    /// Set for tenant roles, `None` for operators.
    pub tenant_id: Option<TenantId>,
}

impl StaffPrincipal {
    /// Operators may act on every tenant; tenant staff only on their own.
    pub fn may_act_for(&self, tenant: TenantId) -> bool {
        self.role.is_operator() || self.tenant_id == Some(tenant)
    }
}
