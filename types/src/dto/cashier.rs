use super::LevelBadge;
use crate::MemberId;
use serde::{Deserialize, Serialize};

/// What a cashier learns from a member code: enough to serve, nothing more.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberIdentity {
    pub member_id: MemberId,
    pub name: String,
    pub phone_last4: String,
    pub masked_phone: String,
    pub level: LevelBadge,
}
