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
        "restore" => t.points_kind_restore,
        "adjust" => t.points_kind_adjust,
        "debt" => t.points_kind_debt,
        _ => t.points_source_other,
    }
}

/// What a ledger line says happened: the kind and where from, or one phrase where the pair
/// would read wrong ("使用 · 其他" for points paid at a till, "抵扣欠分" for points given back).
pub fn line_title(t: &Tr, kind: &str, source: &str) -> String {
    match (kind, source) {
        ("spend", "payment") => t.points_line_paid.to_string(),
        ("restore", "payment") => t.points_line_returned.to_string(),
        ("restore", _) | ("debt", _) | ("reverse", "refund") | ("expire", _) => kind_label(t, kind).to_string(),
        _ => format!("{} · {}", kind_label(t, kind), source_label(t, source)),
    }
}

/// The note under a ledger line, when its reason says something the shopper should know.
pub fn line_note(t: &Tr, kind: &str, reason: &str) -> Option<String> {
    match kind {
        "adjust" if !reason.is_empty() => Some(reason.to_string()),
        "restore" => reason
            .strip_prefix("expired_meanwhile=")
            .and_then(|n| n.parse::<i64>().ok())
            .map(|n| crate::i18n::fill(t.points_restore_expired, &[("n", &n.to_string())])),
        "reverse" => reason
            .strip_prefix("written_off=")
            .and_then(|n| n.parse::<i64>().ok())
            .map(|n| crate::i18n::fill(t.points_reverse_written_off, &[("n", &n.to_string())])),
        _ => None,
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
        "payment" => t.points_source_payment,
        "counter_sale" => t.points_source_counter_sale,
        "debt_recovery" => t.points_kind_debt,
        _ => t.points_source_other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::tr;
    use plaza_types::Lang;

    #[test]
    fn points_paid_and_given_back_read_as_such() {
        let zh = tr(Lang::Zh);
        assert_eq!(line_title(zh, "spend", "payment"), "积分抵扣付款");
        assert_eq!(line_title(zh, "restore", "payment"), "退回积分（付款已退款或取消）");
        assert_eq!(line_title(zh, "spend", "points_mall"), "使用 · 积分商城兑换");
        assert_eq!(line_title(zh, "debt", "debt_recovery"), "抵扣欠分");
        assert_eq!(line_title(zh, "reverse", "refund"), "退款扣回");
        let en = tr(Lang::En);
        assert_eq!(line_title(en, "restore", "payment"), "Returned (payment refunded or cancelled)");
        assert_eq!(line_note(zh, "restore", "expired_meanwhile=12").as_deref(), Some("其中 12 积分已过期，未能退回"));
        assert_eq!(line_note(zh, "restore", ""), None);
        assert_eq!(line_note(zh, "adjust", "客服调整").as_deref(), Some("客服调整"));
    }
}
