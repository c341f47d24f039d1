use crate::settings::Setting;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MembershipPolicy {
    /// Days after unbinding a sub-card before the main card may bind a new one.
    pub subcard_cooldown_days: i64,
    /// Days before the end of a membership when the reminder goes out.
    pub reminder_days: i64,
    /// How long a sub-card invitation stays open.
    pub invite_valid_days: i64,
}

impl Default for MembershipPolicy {
    fn default() -> Self {
        MembershipPolicy { subcard_cooldown_days: 30, reminder_days: 7, invite_valid_days: 7 }
    }
}

impl Setting for MembershipPolicy {
    const KEY: &'static str = "membership.policy";
}
