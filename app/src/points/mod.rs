//! The member's points: history, daily check-in, the points mall and invites.

mod checkin;
mod history_page;
mod invite_landing;
mod invite_page;
mod rewards_page;

pub use checkin::{check_in, get_checkin, CheckIn, CheckinCard, GetCheckin};
pub use history_page::{get_points_overview, GetPointsOverview, PointsPage};
pub use invite_landing::InviteLandingPage;
pub use invite_page::{get_invite, GetInvite, InvitePage};
pub use rewards_page::{
    get_my_redemptions, get_rewards, redeem_reward, GetMyRedemptions, GetRewards, MyRewardsPage, RedeemReward,
    RewardsPage,
};

use crate::i18n::Tr;

/// A ledger line's kind in words.
pub fn kind_label(t: &Tr, kind: &str) -> &'static str {
    match kind {
        "earn" => t.points_kind_earn,
        "mature" => t.points_kind_mature,
        "spend" => t.points_kind_spend,
        "expire" => t.points_kind_expire,
        "reverse" => t.points_kind_reverse,
        "adjust" => t.points_kind_adjust,
        _ => t.points_kind_debt,
    }
}

/// Where points came from or went, in words.
pub fn source_label(t: &Tr, source: &str) -> &'static str {
    match source {
        "plate_pay" => t.points_source_plate_pay,
        "dining" => t.points_source_dining,
        "mall" => t.points_source_mall,
        "receipt" => t.points_source_receipt,
        "checkin" => t.points_source_checkin,
        "invite" => t.points_source_invite,
        "points_mall" => t.points_source_points_mall,
        "campaign" => t.points_source_campaign,
        "adjust" => t.points_source_adjust,
        "refund" => t.points_source_refund,
        "expiry" => t.points_source_expiry,
        _ => t.points_source_other,
    }
}
