//! Words for the codes the operator pages show: audit actions and actors, coupon kinds and
//! template states, rule scopes, batch skip reasons.

use crate::i18n::{fill, Tr};
use plaza_types::dto::{AuditActor, AuditUnit, Choice, CouponKind, RuleScope};
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
        "counter_sale.award" => t.ops_action_counter_sale_award,
        "counter_sale.reverse" => t.ops_action_counter_sale_reverse,
        "membership.lapse" => t.ops_action_membership_lapse,
        "membership.pack.create" => t.ops_action_membership_pack_create,
        "membership.pack.update" => t.ops_action_membership_pack_update,
        "membership.period" => t.ops_action_membership_period,
        "membership.tier.create" => t.ops_action_membership_tier_create,
        "membership.tier.reactivate" => t.ops_action_membership_tier_reactivate,
        "membership.tier.retire" => t.ops_action_membership_tier_retire,
        "membership.tier.update" => t.ops_action_membership_tier_update,
        "payment.close" => t.ops_action_payment_close,
        "payment.create" => t.ops_action_payment_create,
        "payment.paid" => t.ops_action_payment_paid,
        "payment.paid_after_close" => t.ops_action_payment_paid_after_close,
        "payment.refund" => t.ops_action_payment_refund,
        "payment.reject" => t.ops_action_payment_reject,
        "plate.issue" => t.ops_action_plate_issue,
        "plate.revoke" => t.ops_action_plate_revoke,
        "points.restore" => t.ops_action_points_restore,
        "receipt.approve" => t.ops_action_receipt_approve,
        "receipt.auto_approve" => t.ops_action_receipt_auto_approve,
        "receipt.auto_reject" => t.ops_action_receipt_auto_reject,
        "receipt.reject" => t.ops_action_receipt_reject,
        "receipt.to_review" => t.ops_action_receipt_to_review,
        "receipts.rules" => t.ops_action_receipts_rules,
        "reconcile.difference" => t.ops_action_reconcile_difference,
        "reconcile.run" => t.ops_action_reconcile_run,
        "refund.handled" => t.ops_action_refund_handled,
        "settings.topup" => t.ops_action_settings_topup,
        "subcard.bind" => t.ops_action_subcard_bind,
        "subcard.unbind" => t.ops_action_subcard_unbind,
        "subcard.leave" => t.ops_action_subcard_leave,
        "sv.credit_approved" => t.ops_action_sv_credit_approved,
        "sv.credit_rejected" => t.ops_action_sv_credit_rejected,
        "sv.credit_requested" => t.ops_action_sv_credit_requested,
        "shop.banner.add" => t.ops_action_shop_banner_add,
        "shop.banner.remove" => t.ops_action_shop_banner_remove,
        "shop.banner.update" => t.ops_action_shop_banner_update,
        "shop.category.create" => t.ops_action_shop_category_create,
        "shop.category.delete" => t.ops_action_shop_category_delete,
        "shop.category.update" => t.ops_action_shop_category_update,
        "shop.feature" => t.ops_action_shop_feature,
        "shop.unfeature" => t.ops_action_shop_unfeature,
        "shop.hot_words" => t.ops_action_shop_hot_words,
        "shop.take_down" => t.ops_action_shop_take_down,
        "shop.restore" => t.ops_action_shop_restore,
        "shop.review.hide" => t.ops_action_shop_review_hide,
        "mall.aftersales.refund" => t.ops_action_mall_aftersales_refund,
        "mall.aftersales.uphold" => t.ops_action_mall_aftersales_uphold,
        "shop.storefront.update" => t.ops_action_shop_storefront_update,
        "tenant.commission" => t.rp_action_commission,
        "shop.promotion.create" => t.pr_action_create,
        "shop.promotion.end" => t.pr_action_end,
        "shop.promotion_cap" => t.pr_action_cap,
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

/// An audit entry's amount in its unit: yuan, points, an earning rate or a percentage; nothing
/// for actions that carry no amount.
pub fn amount_text(t: &Tr, unit: AuditUnit, amount: i64) -> String {
    match unit {
        // A coupon without a money value (a car wash, a gift) issues at ¥0: nothing to show.
        AuditUnit::Fen if amount == 0 => String::new(),
        AuditUnit::Fen => plaza_types::Fen(amount).to_string(),
        AuditUnit::Points => fill(t.ops_amount_points, &[("n", &amount.to_string())]),
        AuditUnit::RateMilli => fill(t.ops_rate_value, &[("rate", &plaza_types::dto::RateMilli(amount).to_string())]),
        AuditUnit::Percent => fill(t.ops_amount_percent, &[("n", &amount.to_string())]),
        AuditUnit::None => String::new(),
    }
}

/// An audit entry's reason: what an operator typed stays as typed; the codes the system
/// writes (a receipt's reasons, points that expired meanwhile) become words.
pub fn reason_text(t: &Tr, action: &str, reason: &str) -> String {
    let number = |prefix: &str| reason.strip_prefix(prefix).and_then(|n| n.parse::<i64>().ok());
    if let Some(n) = number("expired_meanwhile=") {
        return fill(t.ops_reason_expired_meanwhile, &[("n", &n.to_string())]);
    }
    if let Some(n) = number("written_off=") {
        return fill(t.ops_reason_written_off, &[("n", &n.to_string())]);
    }
    if action.starts_with("receipt.") && !reason.is_empty() {
        let codes: Vec<&str> = reason.split(',').map(str::trim).collect();
        let words: Option<Vec<&str>> = codes.iter().map(|c| crate::receipts::reason_words(t, c)).collect();
        if let Some(words) = words {
            return words.join(t.list_separator);
        }
    }
    reason.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::tr;

    #[test]
    fn system_reasons_read_as_words_and_typed_ones_as_typed() {
        let zh = tr(Lang::Zh);
        assert_eq!(
            reason_text(zh, "receipt.to_review", "tenant_unmatched,amount_unverified"),
            "未能识别商户、金额需人工确认"
        );
        assert_eq!(reason_text(zh, "receipt.auto_reject", "duplicate_photo"), "该小票已提交过");
        assert_eq!(reason_text(zh, "points.restore", "expired_meanwhile=12"), "其中 12 积分已过期，未退回");
        assert_eq!(reason_text(zh, "receipt.reject", "照片模糊"), "照片模糊");
        assert_eq!(reason_text(zh, "points.adjust", "投诉补偿"), "投诉补偿");
        assert_eq!(amount_text(zh, AuditUnit::Fen, 8800), "¥88.00");
        assert_eq!(amount_text(zh, AuditUnit::Points, -300), "-300 积分");
        assert_eq!(amount_text(zh, AuditUnit::None, 0), "");
    }

    /// Every action the business code records has words in both languages.
    #[cfg(feature = "ssr")]
    #[test]
    fn every_audit_action_has_words() {
        for lang in [Lang::Zh, Lang::En] {
            let t = tr(lang);
            for (action, _) in plaza_core::operator::audit_log::ACTIONS {
                assert_ne!(action_label(t, action), *action, "{action} has no words in {lang:?}");
            }
        }
    }
}
