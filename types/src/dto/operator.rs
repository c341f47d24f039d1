//! What the operator console's pages receive: members and their ledgers, the earning rules,
//! coupon templates, rewards, reconciliation and the audit log. Phone numbers are masked in every
//! list; the full number never leaves the server here.

use super::{CouponTemplateView, ExpiringLot, Localized, PointsLine, RewardView, SvDay, WalletCoupon};
use super::{RateMilli, RuleScope};
use crate::{Fen, MemberId};
use serde::{Deserialize, Serialize};

/// One entry of a pick list: a tenant category, a tenant, a coupon template.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub code: String,
    pub name: Localized,
}

/// A member in the search results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub member_id: MemberId,
    pub masked_phone: String,
    pub phone_last4: String,
    /// As the member entered it; empty until they do.
    pub name: String,
    pub level: Localized,
    /// Mall-local date.
    pub joined: String,
    pub active: bool,
}

/// One line of a member's stored-value ledger, for operators (with the reference and reason).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SvMovementLine {
    pub id: i64,
    /// `topup`, `bonus`, `spend`, `refund`, `adjust`.
    pub kind: String,
    pub amount: Fen,
    pub balance_after: Fen,
    pub reference: String,
    pub reason: String,
    pub at: String,
}

/// Who made an audited change, resolved for reading.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuditActor {
    System,
    Member {
        member_id: MemberId,
    },
    Staff {
        username: String,
        display_name: String,
    },
    /// A label this version does not know (kept as stored).
    Other {
        label: String,
    },
}

/// One audit entry as operators read it; the time is in the mall's zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    /// Its place in the chain; `None` for the moment between commit and sealing.
    pub seq: Option<i64>,
    pub at: String,
    pub actor: AuditActor,
    /// e.g. `points.adjust`, `coupon.issue`, `sv.credit`.
    pub action: String,
    pub member: Option<MemberId>,
    pub subject: String,
    pub amount: i64,
    /// What `amount` counts for this action.
    pub unit: AuditUnit,
    pub reason: String,
}

/// The unit of an audit entry's amount, decided by its action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditUnit {
    /// Money in fen (payments, stored value, prices, qualifying spend).
    Fen,
    Points,
    /// An earning rate in thousandths of a point per yuan.
    RateMilli,
    /// A multiplier in percent (campaigns).
    Percent,
    /// The action carries no amount.
    None,
}

/// A member's profile with every ledger an operator needs to answer a question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberProfile {
    pub member_id: MemberId,
    pub name: String,
    pub phone_last4: String,
    pub masked_phone: String,
    pub level: Localized,
    pub birthday: Option<String>,
    pub joined: String,
    pub active: bool,
    pub points_available: i64,
    pub points_pending: i64,
    pub points_debt: i64,
    pub stored_value: Fen,
    /// Available lots, soonest expiry first.
    pub lots: Vec<ExpiringLot>,
    /// The newest 50 lines of the points ledger.
    pub points_lines: Vec<PointsLine>,
    pub coupons: Vec<WalletCoupon>,
    /// The newest 20 stored-value movements.
    pub sv_lines: Vec<SvMovementLine>,
    /// The newest 20 audit entries about this member.
    pub audit: Vec<AuditLine>,
    /// Active coupon templates staff may hand out.
    pub handout_templates: Vec<Choice>,
}

/// The base earning rules (`PointsPolicy`) as the form shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsPolicyView {
    pub rate: RateMilli,
    pub refund_window_days: i64,
    /// `None`: no daily cap.
    pub daily_earn_cap: Option<i64>,
    /// `allow` (the balance may go negative) or `clamp` (the shortfall is written off).
    pub negative_balance: String,
}

/// An earning rate for one category or one tenant instead of the base rate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateOverrideView {
    pub id: i64,
    pub scope: RuleScope,
    pub target: Localized,
    pub rate: RateMilli,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CampaignState {
    Upcoming,
    Running,
    Ended,
}

/// A points campaign: a multiplier for a period (mall-local dates, both inclusive).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignView {
    pub id: i64,
    pub name: Localized,
    pub multiplier_pct: i64,
    pub starts_on: String,
    pub ends_on: String,
    pub scope: RuleScope,
    /// The category's or tenant's name; `None` for the whole mall.
    pub target: Option<Localized>,
    pub state: CampaignState,
}

/// A member level as the level table shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelView {
    pub code: String,
    pub name: Localized,
    /// Qualifying spend over the last 12 months needed to reach it.
    pub min_spend: Fen,
    pub multiplier_pct: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinPolicyView {
    pub enabled: bool,
    pub base_points: i64,
    /// `day:points` pairs, e.g. `3:10, 7:30`.
    pub streak_bonus: String,
    pub cycle_days: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitePolicyView {
    pub inviter_points: i64,
    pub max_rewards_per_day: i64,
    /// The smallest first purchase that earns the reward (after the refund window).
    pub min_purchase: crate::Fen,
}

/// Everything the points-and-levels page shows, with the lists its forms pick from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsRules {
    pub policy: PointsPolicyView,
    pub overrides: Vec<RateOverrideView>,
    pub campaigns: Vec<CampaignView>,
    pub levels: Vec<LevelView>,
    pub checkin: CheckinPolicyView,
    pub invite: InvitePolicyView,
    /// The birthday gift's template code; `None`: no birthday gift.
    pub birthday_template: Option<String>,
    pub templates: Vec<Choice>,
    pub categories: Vec<Choice>,
    pub tenants: Vec<Choice>,
}

/// The coupons page: every template, and what a new one's scope may name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CouponsAdmin {
    pub templates: Vec<CouponTemplateView>,
    pub categories: Vec<Choice>,
    pub tenants: Vec<Choice>,
}

/// What a batch issue did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchOutcome {
    pub issued: i64,
    /// Masked phone (or the line as typed, if it was not a number) and why it was skipped:
    /// `invalid`, `unknown`, `limit`, `sold_out`.
    pub skipped: Vec<(String, String)>,
}

/// The points-mall page: every reward (paused too), and the templates a coupon reward may issue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RewardsAdmin {
    pub rewards: Vec<RewardView>,
    pub templates: Vec<Choice>,
}

/// The stored-value reconciliation for a range of mall-local days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SvReconciliation {
    pub from: String,
    pub to: String,
    pub days: Vec<SvDay>,
    /// The sum of every member's balance now.
    pub total: Fen,
    /// The last closing equals `total` (only meaningful when the range ends today).
    pub agrees: bool,
    /// The range ends today, so the last closing should equal `total`.
    pub ends_today: bool,
}

/// A stored-value credit above the approval threshold, waiting for a second administrator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SvCreditRequest {
    pub id: i64,
    pub member_id: MemberId,
    pub masked_phone: String,
    pub amount: Fen,
    pub reason: String,
    /// The administrator who asked (who may not approve it).
    pub requested_by: String,
    pub requested_at: String,
    /// Asked by the viewer: shown, but not theirs to approve.
    pub own: bool,
}

/// The manual-credit rules and what waits under them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SvCredits {
    pub pending: Vec<SvCreditRequest>,
    /// A single credit above this waits for a second administrator.
    pub approval_above: Fen,
    /// Credits made by one administrator alone, per mall day, all together.
    pub daily_cap: Fen,
    pub credited_today: Fen,
}

/// The audit log page: the newest entries and the result of walking the whole chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLog {
    pub lines: Vec<AuditLine>,
    /// Entries that verified.
    pub entries: i64,
    /// The first entry whose link does not hold, and why (in the verifier's words).
    pub broken_at: Option<(i64, String)>,
}
