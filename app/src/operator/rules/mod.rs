//! Points and levels: the base policy, rate overrides, campaigns, the level table, check-in,
//! invites and the birthday gift. Everyone in the operator team reads them; only the mall
//! administrator changes them.

mod earning_forms;
mod level_form;
mod page;
mod settings_forms;

pub use earning_forms::{
    add_points_campaign, remove_points_campaign, remove_rate_override, set_rate_override, AddPointsCampaign,
    RemovePointsCampaign, RemoveRateOverride, SetRateOverride,
};
pub use level_form::{set_levels, SetLevels};
pub use page::{get_points_rules, GetPointsRules, OpsRulesPage};
pub use settings_forms::{
    set_birthday_gift, set_checkin_policy, set_invite_policy, set_points_policy, SetBirthdayGift, SetCheckinPolicy,
    SetInvitePolicy, SetPointsPolicy,
};
