//! Members: search by phone, the profile with its ledgers, and the manual changes staff make.

mod adjust;
mod profile_ledgers;
mod profile_page;
mod search_page;

pub use adjust::{
    adjust_member_points, adjust_member_stored_value, hand_out_coupon, AdjustMemberPoints, AdjustMemberStoredValue,
    HandOutCoupon,
};
pub use profile_ledgers::AuditTable;
pub use profile_page::{get_member_profile, GetMemberProfile, OpsMemberPage};
pub use search_page::{search_members, OpsMembersPage, SearchMembers};
