use super::Localized;
use crate::{MemberId, StaffId, StaffRole, TenantId};
use serde::{Deserialize, Serialize};

/// Who is looking at the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Viewer {
    Anonymous,
    Member(MemberViewer),
    Staff(StaffViewer),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberViewer {
    pub member_id: MemberId,
    pub name: String,
    pub phone_last4: String,
    pub masked_phone: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffViewer {
    pub staff_id: StaffId,
    pub username: String,
    pub display_name: String,
    pub role: StaffRole,
    pub tenant: Option<TenantRef>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TenantRef {
    pub id: TenantId,
    pub name: Localized,
    pub unit_no: String,
    /// What the tenant sells by: the console shows only its kind's sections.
    pub kind: super::TenantKind,
}

/// The answer to "send me a code".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SmsSent {
    pub masked_phone: String,
    pub resend_after_secs: i64,
}
