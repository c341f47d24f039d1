//! Words for the codes the operator pages show: audit actions and actors, coupon kinds and
//! template states, rule scopes, batch skip reasons.

use crate::i18n::{fill, Tr};
use plaza_types::dto::{AuditActor, Choice, CouponKind, RuleScope};
use plaza_types::Lang;

/// An audit action in words; an action this version does not know is shown as stored.
pub fn action_label(t: &Tr, action: &str) -> String {
    let label = match action {
        "points.award" => t.ops_action_points_award,
        "points.credit" => t.ops_action_points_credit,
        "points.spend" => t.ops_action_points_spend,
        "points.adjust" => t.ops_action_points_adjust,
        "points.reverse" => t.ops_action_points_reverse,
        "points.expire" => t.ops_action_points_expire,
        "coupon.issue" => t.ops_action_coupon_issue,
        "coupon.handout" => t.ops_action_coupon_handout,
        "coupon.reserve" => t.ops_action_coupon_reserve,
        "coupon.redeem" => t.ops_action_coupon_redeem,
        "coupon.release" => t.ops_action_coupon_release,
        "coupon.template.create" => t.ops_action_template_create,
        "coupon.template.status" => t.ops_action_template_status,
        "sv.credit" => t.ops_action_sv_credit,
        "sv.debit" => t.ops_action_sv_debit,
        "reward.create" => t.ops_action_reward_create,
        "reward.status" => t.ops_action_reward_status,
        "reward.redeem" => t.ops_action_reward_redeem,
        "level.upgrade" => t.ops_action_level_upgrade,
        "level.downgrade" => t.ops_action_level_downgrade,
        "levels.save" => t.ops_action_levels_save,
        "invite.link" => t.ops_action_invite_link,
        "rules.points_policy" => t.ops_action_rules_points_policy,
        "rules.override.set" => t.ops_action_rules_override_set,
        "rules.override.remove" => t.ops_action_rules_override_remove,
        "rules.campaign.add" => t.ops_action_rules_campaign_add,
        "rules.campaign.remove" => t.ops_action_rules_campaign_remove,
        "rules.checkin" => t.ops_action_rules_checkin,
        "rules.invite" => t.ops_action_rules_invite,
        "rules.birthday_gift" => t.ops_action_rules_birthday_gift,
        other => return other.to_string(),
    };
    label.to_string()
}

/// Who made a change: a staff account by name, a member by number, or the system.
pub fn actor_label(t: &Tr, actor: &AuditActor) -> String {
    match actor {
        AuditActor::System => t.ops_actor_system.to_string(),
        AuditActor::Member { member_id } => fill(t.ops_actor_member, &[("id", &member_id.to_string())]),
        AuditActor::Staff { username, display_name } => format!("{display_name} ({username})"),
        AuditActor::Other { label } => label.clone(),
    }
}

pub fn coupon_kind_label(t: &Tr, kind: CouponKind) -> &'static str {
    match kind {
        CouponKind::AmountOff => t.ops_coupon_kind_amount_off,
        CouponKind::PercentOff => t.ops_coupon_kind_percent_off,
        CouponKind::ThresholdOff => t.ops_coupon_kind_threshold_off,
        CouponKind::Experience => t.ops_coupon_kind_experience,
        CouponKind::Parking => t.ops_coupon_kind_parking,
        CouponKind::Cash => t.ops_coupon_kind_cash,
        CouponKind::Birthday => t.ops_coupon_kind_birthday,
    }
}

/// A template's state: `active`, `paused` or `ended`.
pub fn template_status_label(t: &Tr, status: &str) -> &'static str {
    match status {
        "active" => t.ops_status_active,
        "paused" => t.ops_status_paused,
        _ => t.ops_status_ended,
    }
}

/// Why a batch skipped a number.
pub fn skip_reason_label(t: &Tr, reason: &str) -> &'static str {
    match reason {
        "invalid" => t.ops_batch_skip_invalid,
        "unknown" => t.ops_batch_skip_unknown,
        "limit" => t.ops_batch_skip_limit,
        "sold_out" => t.ops_batch_skip_sold_out,
        _ => t.ops_batch_skip_other,
    }
}

/// "Whole mall", "Category: 餐饮", "Tenant: 川味小馆".
pub fn scope_label(t: &Tr, scope: RuleScope, target: Option<&plaza_types::dto::Localized>, lang: Lang) -> String {
    let name = target.map(|n| n.get(lang).to_string()).unwrap_or_default();
    match scope {
        RuleScope::Mall => t.ops_scope_mall.to_string(),
        RuleScope::Category(_) => fill(t.ops_scope_category, &[("name", &name)]),
        RuleScope::Tenant(_) => fill(t.ops_scope_tenant, &[("name", &name)]),
    }
}

/// The options of a scope select: the whole mall (when `with_mall`), each category, each tenant.
pub fn scope_options(
    t: &Tr,
    categories: &[Choice],
    tenants: &[Choice],
    with_mall: bool,
    lang: Lang,
) -> Vec<(String, String)> {
    let mall = with_mall.then(|| (RuleScope::Mall.value(), t.ops_scope_mall.to_string()));
    let categories = categories
        .iter()
        .map(|c| (RuleScope::Category(c.id).value(), fill(t.ops_scope_category, &[("name", c.name.get(lang))])));
    let tenants = tenants
        .iter()
        .map(|c| (RuleScope::Tenant(c.id).value(), fill(t.ops_scope_tenant, &[("name", c.name.get(lang))])));
    mall.into_iter().chain(categories).chain(tenants).collect()
}

/// An audit entry's amount in its unit: yuan for stored value and coupon values, a rate for
/// earning overrides, points or a count otherwise.
pub fn amount_text(action: &str, amount: i64) -> String {
    if action.starts_with("sv.") || action == "coupon.issue" {
        plaza_types::Fen(amount).to_string()
    } else if action.starts_with("rules.override.") {
        plaza_types::dto::RateMilli(amount).to_string()
    } else {
        amount.to_string()
    }
}
