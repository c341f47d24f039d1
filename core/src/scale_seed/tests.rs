//! A small scale seed (2,000 members) on top of the demo mall, on SQLite and PostgreSQL: the
//! ledger holds against itself, the audit chain is untouched, the operator's search finds seeded
//! members by number, last four digits and name, the member card reads, the new year's expiry
//! finds the lots, and a second run is refused.

use super::*;
use crate::points::check;
use crate::testing::test_db;
use plaza_types::MemberId;

/// 2026-12-03 10:00 Shanghai: next year's expiry is four weeks away.
const NOW: Timestamp = Timestamp(1_796_263_200_000);
const SMALL: Counts = Counts { members: 2_000, ledger: 20_000, coupons: 400, payments: 4_000 };

/// What seed-scale needs of the demo mall, made here so the test does not follow the demo's
/// changes: a mall, shops with counter plates, a coupon template, a few shoppers.
async fn small_mall(db: &Db) {
    use crate::coupons::{create_template, NewTemplate, Validity};
    use plaza_types::dto::{CouponKind, Localized};
    crate::mall::set(db, &Localized::new("星汇广场", "Star Plaza"), crate::mall::DEFAULT_TIMEZONE, NOW).await.unwrap();
    for code in ["noodles", "coffee", "books"] {
        let tenant = crate::testing::seed_tenant(db, code).await;
        crate::plates::issue(db, tenant, "收银台 1", &crate::audit::Actor::System, NOW).await.unwrap();
    }
    crate::testing::seed_member(db, "13800138000").await;
    crate::testing::seed_member(db, "13900139000").await;
    let mut tx = db.begin_write().await.unwrap();
    let template = NewTemplate {
        code: "welcome-20".into(),
        name: Localized::new("新人券", "Welcome"),
        kind: CouponKind::Cash,
        value: plaza_types::Fen(2_000),
        percent_off: 0,
        threshold: plaza_types::Fen(0),
        parking_minutes: 0,
        scope_kind: "mall".into(),
        scope_ids: vec![],
        validity: Validity::DaysAfterIssue(30),
        per_member_limit: 1,
        total_stock: None,
        claimable: true,
        description: Localized::default(),
    };
    create_template(&mut tx, &template, &crate::audit::Actor::System, NOW).await.unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_small_mall_seeds_consistently_and_works() {
    let db = test_db().await;
    small_mall(&db).await;
    let (audit_before,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log").fetch_one(db.pool()).await.unwrap();
    let (demo_members,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM members").fetch_one(db.pool()).await.unwrap();

    let mut reports = 0;
    let outcome = seed(&db, db.url(), SMALL, 7, NOW, &mut |_| reports += 1).await.unwrap();
    let Outcome::Seeded(summary) = outcome else { panic!("{outcome:?}") };
    assert!(reports >= 1);
    assert_eq!(summary.members, demo_members + 2_000);
    assert!(summary.payments >= 4_000);
    assert!(summary.ledger > 15_000, "{summary:?}");
    let (coupons,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM coupons WHERE code LIKE 'S%'").fetch_one(db.pool()).await.unwrap();
    assert_eq!(coupons, 400);

    // Balances are the lots and the last ledger line; every line moves the balance by its points.
    let ledger = check::ledger(&db).await.unwrap();
    assert!(ledger.holds(), "{ledger:?}");
    assert!(ledger.accounts >= 2_000);
    // Payments are as real ones: each paid one has its plate, sale, award and provider order.
    let (unmatched,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM payments p WHERE p.purpose = 'plate' AND p.state = 'paid' AND ( \
           NOT EXISTS (SELECT 1 FROM plate_payments x WHERE x.payment_id = p.id) \
           OR NOT EXISTS (SELECT 1 FROM tenant_sales s WHERE s.payment_id = p.id AND s.amount_fen = p.amount_fen) \
           OR NOT EXISTS (SELECT 1 FROM points_awards a WHERE a.external_ref = p.payment_no) \
           OR NOT EXISTS (SELECT 1 FROM sandbox_orders o WHERE o.payment_no = p.payment_no AND o.state = 'paid' \
                          AND o.amount_fen = p.external_fen))",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(unmatched, 0);
    let (bad_tenders,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM payments p WHERE p.points_used > 0 AND NOT EXISTS \
         (SELECT 1 FROM points_movements m WHERE m.kind = 'spend' AND m.ref = p.payment_no AND m.points = -p.points_used)",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(bad_tenders, 0);
    let (templates_off,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM coupon_templates t WHERE t.issued_count <> \
         (SELECT COUNT(*) FROM coupons c WHERE c.template_id = t.id)",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(templates_off, 0);

    // The audit chain is as the demo left it.
    let (audit_after,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log").fetch_one(db.pool()).await.unwrap();
    assert_eq!(audit_after, audit_before);
    assert!(crate::audit::verify(&db).await.unwrap().first_broken.is_none());

    // The operator finds seeded members by number, by its last four digits, by name and by given name alone.
    let phone = people::phone(7, 17);
    let (id, name): (i64, String) = sqlx::query_as("SELECT id, name FROM members WHERE phone = $1")
        .bind(&phone)
        .fetch_one(db.pool())
        .await
        .unwrap();
    let found = crate::operator::members::search(&db, &phone).await.unwrap();
    assert_eq!(found.iter().map(|r| r.member_id).collect::<Vec<_>>(), vec![MemberId(id)]);
    let found = crate::operator::members::search(&db, &phone[7..]).await.unwrap();
    assert!(found.iter().any(|r| r.member_id == MemberId(id)));
    let found = crate::operator::members::search(&db, &name).await.unwrap();
    assert!(found.iter().any(|r| r.member_id == MemberId(id)), "{name}");
    assert!(found.iter().all(|r| r.name.starts_with(&name)));
    let surname: String = name.chars().take(1).collect();
    let found = crate::operator::members::search(&db, &surname).await.unwrap();
    assert!(!found.is_empty() && found.iter().all(|r| r.name.starts_with(&surname)));
    let given = people::given_name(&name);
    let found = crate::operator::members::search(&db, given).await.unwrap();
    assert!(!found.is_empty() && found.len() <= 50, "{given}");
    assert!(found.iter().all(|r| r.name.starts_with(given) || people::given_name(&r.name).starts_with(given)));
    let card = crate::members::card(&db, MemberId(id), NOW).await.unwrap();
    assert_eq!(card.name, name);

    // The new year expires last year's lots, in batches, and the ledger still holds.
    let new_year = Timestamp(NOW.millis() + 29 * 86_400_000);
    let (due, due_points): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(remaining), 0) AS BIGINT) FROM points_lots \
         WHERE state IN ('pending', 'available') AND expires_at <= $1",
    )
    .bind(new_year.millis())
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert!(due > 1_000, "plenty of lots expire at the new year: {due}");
    let (held_before,): (i64,) = sqlx::query_as("SELECT CAST(SUM(available + pending) AS BIGINT) FROM points_accounts")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(crate::points::maintenance::expire_due(&db, new_year).await.unwrap(), due as u64);
    assert_eq!(crate::points::maintenance::expire_due(&db, new_year).await.unwrap(), 0, "nothing twice");
    let (held_after,): (i64,) = sqlx::query_as("SELECT CAST(SUM(available + pending) AS BIGINT) FROM points_accounts")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(held_before - held_after, due_points);
    let ledger = check::ledger(&db).await.unwrap();
    assert!(ledger.holds(), "{ledger:?}");
    assert!(crate::audit::verify(&db).await.unwrap().first_broken.is_none());

    // Once is enough.
    let again = seed(&db, db.url(), SMALL, 7, NOW, &mut |_| {}).await.unwrap();
    assert!(matches!(&again, Outcome::Refused(why) if why.contains("not seeded twice")), "{again:?}");
}

#[tokio::test]
async fn refuses_a_database_without_the_demo_mall() {
    let db = test_db().await;
    let outcome = seed(&db, db.url(), SMALL, 7, NOW, &mut |_| {}).await.unwrap();
    assert!(matches!(&outcome, Outcome::Refused(why) if why.contains("seed-demo")), "{outcome:?}");
}
