use super::*;
use crate::audit::Actor;
use crate::testing::{seed_tenant, test_db};
use plaza_types::dto::{CampaignState, LevelForm, Localized, RuleScope};
use plaza_types::error::Field;
use plaza_types::{AppError, Fen, StaffId};

const NOW: Timestamp = Timestamp(1_773_108_000_000); // 2026-03-10 10:00 Shanghai
const OP: Actor = Actor::Staff(StaffId(1));

fn is_invalid(result: Result<impl std::fmt::Debug>, field: Field) -> bool {
    matches!(result, Err(crate::Error::User(AppError::Invalid { field: f })) if f == field)
}

async fn actions(db: &Db) -> Vec<String> {
    crate::audit::recent(db, None, 100).await.unwrap().into_iter().rev().map(|l| l.action).collect()
}

#[tokio::test]
async fn the_points_policy_changes_and_is_audited() {
    let db = test_db().await;
    let change = PolicyChange {
        rate: RateMilli(1_500),
        refund_window_days: 3,
        daily_earn_cap: None,
        negative_balance: NegativeBalance::Clamp,
    };
    save_points_policy(&db, &change, &OP, NOW).await.unwrap();
    let policy: PointsPolicy = stored::get(db.pool()).await.unwrap();
    assert_eq!(
        (policy.points_per_yuan_milli, policy.refund_window_days, policy.daily_earn_cap, policy.negative_balance),
        (1_500, 3, None, NegativeBalance::Clamp)
    );
    assert_eq!(policy.points_per_yuan_spent, 100, "the tender rules are left as they were");
    let rules = page(&db, NOW).await.unwrap();
    assert_eq!((rules.policy.rate.to_string(), rules.policy.negative_balance.as_str()), ("1.5".into(), "clamp"));

    for bad in [
        PolicyChange { refund_window_days: 91, ..change.clone() },
        PolicyChange { daily_earn_cap: Some(0), ..change.clone() },
        PolicyChange { rate: RateMilli(100_001), ..change.clone() },
    ] {
        assert!(is_invalid(save_points_policy(&db, &bad, &OP, NOW).await, Field::Amount), "{bad:?}");
    }
    let line = &crate::audit::recent(&db, None, 1).await.unwrap()[0];
    assert_eq!((line.action.as_str(), line.actor.as_str()), ("rules.points_policy", "staff:1"));
}

#[tokio::test]
async fn overrides_are_set_replaced_and_removed() {
    let db = test_db().await;
    let tenant = seed_tenant(&db, "shoe").await;
    let (category,): (i64,) = sqlx::query_as("SELECT category_id FROM tenants WHERE id = $1")
        .bind(tenant.0)
        .fetch_one(db.pool())
        .await
        .unwrap();

    let by_category = set_override(&db, RuleScope::Category(category), RateMilli(2_000), &OP, NOW).await.unwrap();
    let by_tenant = set_override(&db, RuleScope::Tenant(tenant.0), RateMilli(500), &OP, NOW).await.unwrap();
    // The same tenant again replaces its rate rather than adding a second row.
    set_override(&db, RuleScope::Tenant(tenant.0), RateMilli(3_000), &OP, NOW).await.unwrap();
    let rules = page(&db, NOW).await.unwrap();
    let listed: Vec<(RuleScope, String, String)> =
        rules.overrides.iter().map(|o| (o.scope, o.target.zh.clone(), o.rate.to_string())).collect();
    assert_eq!(
        listed,
        vec![
            (RuleScope::Category(category), "测试".to_string(), "2".to_string()),
            (RuleScope::Tenant(tenant.0), "测试shoe".to_string(), "3".to_string()),
        ]
    );
    assert_eq!(rules.overrides[1].id, by_tenant);

    assert!(is_invalid(set_override(&db, RuleScope::Tenant(999), RateMilli(1_000), &OP, NOW).await, Field::Tenant));
    assert!(is_invalid(set_override(&db, RuleScope::Mall, RateMilli(1_000), &OP, NOW).await, Field::Tenant));
    remove_override(&db, by_category, &OP, NOW).await.unwrap();
    assert!(matches!(remove_override(&db, by_category, &OP, NOW).await, Err(crate::Error::User(AppError::NotFound))));
    assert_eq!(page(&db, NOW).await.unwrap().overrides.len(), 1);
    assert_eq!(
        actions(&db).await,
        vec!["rules.override.set", "rules.override.set", "rules.override.set", "rules.override.remove"]
    );
}

#[tokio::test]
async fn campaigns_run_from_the_first_midnight_to_the_last() {
    let db = test_db().await;
    let d = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
    let new = NewCampaign {
        name: Localized::new("会员日", "Member day"),
        multiplier_pct: 200,
        starts_on: d("2026-03-14"),
        ends_on: d("2026-03-15"),
        scope: RuleScope::Mall,
    };
    let id = add_campaign(&db, &new, &OP, NOW).await.unwrap();
    let (starts, ends): (i64, i64) = sqlx::query_as("SELECT starts_at, ends_at FROM points_campaigns WHERE id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await
        .unwrap();
    // 2026-03-14 00:00 Shanghai = 03-13 16:00 UTC; the end is 03-16 00:00 Shanghai.
    assert_eq!((starts, ends), (1_773_417_600_000, 1_773_590_400_000));
    let view = &page(&db, NOW).await.unwrap().campaigns[0];
    assert_eq!((view.starts_on.as_str(), view.ends_on.as_str()), ("2026-03-14", "2026-03-15"));
    assert_eq!(view.state, CampaignState::Upcoming);
    let later = page(&db, Timestamp(starts)).await.unwrap();
    assert_eq!(later.campaigns[0].state, CampaignState::Running);
    assert_eq!(page(&db, Timestamp(ends)).await.unwrap().campaigns[0].state, CampaignState::Ended);

    for (bad, field) in [
        (NewCampaign { multiplier_pct: 100, ..new.clone() }, Field::Amount),
        (NewCampaign { ends_on: d("2026-03-13"), ..new.clone() }, Field::Date),
        (NewCampaign { starts_on: d("2026-03-01"), ends_on: d("2026-03-09"), ..new.clone() }, Field::Date),
        (NewCampaign { name: Localized::new(" ", ""), ..new.clone() }, Field::Name),
        (NewCampaign { scope: RuleScope::Category(999), ..new.clone() }, Field::Tenant),
    ] {
        assert!(is_invalid(add_campaign(&db, &bad, &OP, NOW).await, field), "{bad:?}");
    }
    remove_campaign(&db, id, &OP, NOW).await.unwrap();
    assert!(page(&db, NOW).await.unwrap().campaigns.is_empty());
    assert_eq!(actions(&db).await, vec!["rules.campaign.add", "rules.campaign.remove"]);
}

fn level_rows(rules: &PointsRules) -> Vec<LevelForm> {
    rules
        .levels
        .iter()
        .map(|l| LevelForm {
            code: l.code.clone(),
            name_zh: l.name.zh.clone(),
            name_en: l.name.en.clone(),
            min_spend: format!("{}", l.min_spend.0 / 100),
            multiplier_pct: l.multiplier_pct.to_string(),
        })
        .collect()
}

#[tokio::test]
async fn the_level_table_is_saved_whole_and_checked() {
    let db = test_db().await;
    let rules = page(&db, NOW).await.unwrap();
    assert!(rules.levels.len() >= 2, "levels are seeded by the migration");
    let mut rows = level_rows(&rules);
    rows[1].min_spend = "1234.50".into();
    rows[1].name_en = "Silver+".into();
    rows[1].multiplier_pct = "125".into();
    save_levels(&db, &rows, &OP, NOW).await.unwrap();
    let saved = page(&db, NOW).await.unwrap().levels;
    assert_eq!(
        (saved[1].min_spend, saved[1].name.en.as_str(), saved[1].multiplier_pct),
        (Fen(123_450), "Silver+", 125)
    );

    let mut missing = level_rows(&rules);
    missing.pop();
    assert!(is_invalid(save_levels(&db, &missing, &OP, NOW).await, Field::Level));
    let mut falling = level_rows(&rules);
    falling[1].min_spend = "0".into();
    assert!(is_invalid(save_levels(&db, &falling, &OP, NOW).await, Field::Level));
    let mut typo = level_rows(&rules);
    typo[1].min_spend = "lots".into();
    assert!(is_invalid(save_levels(&db, &typo, &OP, NOW).await, Field::Level));
    assert_eq!(page(&db, NOW).await.unwrap().levels, saved, "a refused table changes nothing");
}

#[tokio::test]
async fn check_in_invites_and_the_birthday_gift() {
    let db = test_db().await;
    assert_eq!(parse_streak_bonus("3:10, 7：30，").unwrap(), vec![(3, 10), (7, 30)]);
    assert_eq!(parse_streak_bonus(" ").unwrap(), vec![]);
    assert!(parse_streak_bonus("3-10").is_err());

    let checkin = CheckinPolicy { enabled: true, base_points: 8, streak_bonus: vec![(5, 20)], cycle_days: 5 };
    save_checkin(&db, &checkin, &OP, NOW).await.unwrap();
    let bad = CheckinPolicy { streak_bonus: vec![(9, 20)], ..checkin.clone() };
    assert!(is_invalid(save_checkin(&db, &bad, &OP, NOW).await, Field::Amount));
    save_invite(&db, &InvitePolicy { inviter_points: 300, max_rewards_per_day: 5, min_purchase_fen: 2_000 }, &OP, NOW)
        .await
        .unwrap();
    let bad = InvitePolicy { inviter_points: -1, max_rewards_per_day: 5, min_purchase_fen: 2_000 };
    assert!(is_invalid(save_invite(&db, &bad, &OP, NOW).await, Field::Amount));
    assert!(is_invalid(save_birthday_gift(&db, Some("nope"), &OP, NOW).await, Field::Coupon));
    save_birthday_gift(&db, None, &OP, NOW).await.unwrap();

    let rules = page(&db, NOW).await.unwrap();
    assert_eq!(rules.checkin.streak_bonus, "5:20");
    assert_eq!((rules.checkin.base_points, rules.checkin.cycle_days), (8, 5));
    assert_eq!((rules.invite.inviter_points, rules.invite.max_rewards_per_day), (300, 5));
    assert_eq!(rules.birthday_template, None);
    assert_eq!(actions(&db).await, vec!["rules.checkin", "rules.invite", "rules.birthday_gift"]);
}
