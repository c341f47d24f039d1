//! Who is calling: sessions for members (SMS sign-in) and staff (password sign-in).

pub mod client_address;
pub mod lockout;
pub mod passwords;
pub mod sessions;
pub mod sms_sign_in;
pub mod staff;

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

/// Where a sign-in came from, for rate limits and the session list.
#[derive(Clone, Debug, Default)]
pub struct ClientInfo {
    pub ip: String,
    pub user_agent: String,
}
