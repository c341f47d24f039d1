//! The ledger's promises, checked against both databases: idempotent awards, refunds and their
//! policy, maturing and expiry, FIFO-by-expiry spending, and — over random sequences of all of
//! these — "the cached balance equals the lots, and no lot goes below zero".

use super::*;
use crate::audit::Actor;
use crate::testing::{seed_member, seed_tenant, test_db, TestDb};
use crate::MallTz;
use crate::{settings, Db, Timestamp};
use plaza_types::{AppError, Fen, MemberId, TenantId};
use rand::{Rng, SeedableRng};

/// 2026-03-10 10:00 Shanghai.
const T0: Timestamp = Timestamp(1_773_108_000_000);
const DAY: i64 = 86_400;

async fn award(
    db: &Db,
    member: MemberId,
    tenant: Option<TenantId>,
    fen: i64,
    reference: &str,
    now: Timestamp,
) -> AwardOutcome {
    let mut tx = db.begin_write().await.unwrap();
    let a = Award { member, tenant, amount: Fen(fen), source: "plate_pay", external_ref: reference.to_string() };
    let outcome = award_for_purchase(&mut tx, &a, now).await.unwrap();
    tx.commit().await.unwrap();
    outcome
}

async fn refund(db: &Db, reference: &str, refund_ref: &str, fen: i64, now: Timestamp) -> i64 {
    let mut tx = db.begin_write().await.unwrap();
    let reversed = reverse_for_refund(&mut tx, "plate_pay", reference, refund_ref, Fen(fen), now).await.unwrap();
    tx.commit().await.unwrap();
    reversed
}

async fn try_spend(db: &Db, member: MemberId, points: i64, reference: &str, now: Timestamp) -> crate::Result<Spent> {
    let mut tx = db.begin_write().await?;
    let spent = spend(&mut tx, member, points, None, "test", reference, &Actor::Member(member), now).await?;
    tx.commit().await?;
    Ok(spent)
}

async fn grant(db: &Db, member: MemberId, points: i64, now: Timestamp) {
    let mut tx = db.begin_write().await.unwrap();
    let grant = Credit { member, points, source: "checkin", reference: "", reason: "" };
    credit(&mut tx, &grant, &Actor::System, now).await.unwrap();
    tx.commit().await.unwrap();
}

async fn balance_of(db: &Db, member: MemberId) -> Balance {
    account::balance(db.pool(), member).await.unwrap()
}

/// The cache agrees with the lots; nothing is negative that may not be.
async fn assert_consistent(db: &TestDb, member: MemberId) {
    let b = balance_of(db, member).await;
    let (available_lots, pending_lots, negative): (i64, i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN state = 'available' THEN remaining ELSE 0 END), 0) AS BIGINT), \
                CAST(COALESCE(SUM(CASE WHEN state = 'pending' THEN remaining ELSE 0 END), 0) AS BIGINT), \
                CAST(COALESCE(SUM(CASE WHEN remaining < 0 THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM points_lots WHERE member_id = $1",
    )
    .bind(member.0)
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(negative, 0, "no lot below zero");
    assert_eq!(b.available, available_lots - b.debt, "available = lots − debt: {b:?}");
    assert_eq!(b.pending, pending_lots, "pending = pending lots: {b:?}");
    assert!(b.debt == 0 || available_lots == 0, "a debt is only kept while no available points exist: {b:?}");
    // The ledger's running balance ends where the cache is.
    let last: Option<(i64, i64)> = sqlx::query_as(
        "SELECT available_after, pending_after FROM points_movements WHERE member_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(member.0)
    .fetch_optional(db.pool())
    .await
    .unwrap();
    if let Some((available_after, pending_after)) = last {
        assert_eq!((available_after, pending_after), (b.available, b.pending), "last ledger line matches the cache");
    }
}

#[tokio::test]
async fn an_award_is_pending_then_available_and_counted_once() {
    let db = test_db().await;
    let member = seed_member(&db, "13500000001").await;
    let first = award(&db, member, None, 12_345, "pay-1", T0).await;
    assert_eq!((first.points, first.duplicate), (123, false));
    let again = award(&db, member, None, 12_345, "pay-1", T0.plus_secs(5)).await;
    assert_eq!((again.points, again.duplicate, again.award_id), (123, true, first.award_id));
    assert_eq!(balance_of(&db, member).await, Balance { available: 0, pending: 123, debt: 0 });

    assert_eq!(maintenance::mature_due(&db, T0.plus_secs(6 * DAY)).await.unwrap(), 0, "refund window still open");
    assert_eq!(maintenance::mature_due(&db, T0.plus_secs(7 * DAY)).await.unwrap(), 1);
    assert_eq!(maintenance::mature_due(&db, T0.plus_secs(7 * DAY)).await.unwrap(), 0, "runs once");
    assert_eq!(balance_of(&db, member).await, Balance { available: 123, pending: 0, debt: 0 });
    assert_consistent(&db, member).await;
}

#[tokio::test]
async fn spending_draws_the_lots_closest_to_expiry_first() {
    let db = test_db().await;
    let member = seed_member(&db, "13500000002").await;
    // Earned in 2026 (expires end of 2027) and in 2027 (expires end of 2028).
    grant(&db, member, 100, T0).await;
    grant(&db, member, 50, T0.plus_secs(300 * DAY)).await;
    grant(&db, member, 70, T0.plus_secs(10 * DAY)).await;
    let spent = try_spend(&db, member, 160, "s1", T0.plus_secs(301 * DAY)).await.unwrap();
    let expiries: Vec<i64> = {
        let mut v = Vec::new();
        for (lot, _) in &spent.lots {
            let (e,): (i64,) = sqlx::query_as("SELECT expires_at FROM points_lots WHERE id = $1")
                .bind(lot)
                .fetch_one(db.pool())
                .await
                .unwrap();
            v.push(e);
        }
        v
    };
    assert!(expiries.windows(2).all(|w| w[0] <= w[1]), "closest expiry first: {expiries:?}");
    assert_eq!(spent.lots.iter().map(|l| l.1).collect::<Vec<_>>(), vec![100, 60], "the 2026 lots, oldest first");
    assert_eq!(spent.balance.available, 60);
    assert_consistent(&db, member).await;

    let err = try_spend(&db, member, 61, "s2", T0.plus_secs(301 * DAY)).await.unwrap_err();
    assert!(matches!(err, crate::Error::User(AppError::InsufficientPoints { available: 60 })), "{err:?}");
    assert_eq!(balance_of(&db, member).await.available, 60, "a refused spend changes nothing");
}

#[tokio::test]
async fn points_expire_at_the_end_of_the_following_year() {
    let db = test_db().await;
    let member = seed_member(&db, "13500000003").await;
    grant(&db, member, 40, T0).await; // earned 2026 → usable through 2027-12-31
    let end_2027 = Timestamp(1_830_268_800_000); // 2028-01-01 00:00 Shanghai
    assert_eq!(maintenance::expire_due(&db, end_2027.minus_secs(1)).await.unwrap(), 0);
    assert_eq!(maintenance::expire_due(&db, end_2027).await.unwrap(), 1);
    assert_eq!(balance_of(&db, member).await.available, 0);
    let lines = history::lines(&db, member, None, 10, &MallTz::shanghai()).await.unwrap();
    assert_eq!(lines[0].kind, "expire");
    assert_eq!(lines[0].points, -40);
    assert_consistent(&db, member).await;
}

#[tokio::test]
async fn a_refund_reverses_what_the_purchase_earned_once_and_in_proportion() {
    let db = test_db().await;
    let member = seed_member(&db, "13500000004").await;
    award(&db, member, None, 10_000, "pay-9", T0).await; // 100 points, pending
    assert_eq!(refund(&db, "pay-9", "r1", 2_500, T0.plus_secs(60)).await, 25);
    assert_eq!(refund(&db, "pay-9", "r1", 2_500, T0.plus_secs(61)).await, 25, "the same refund twice reverses once");
    assert_eq!(balance_of(&db, member).await.pending, 75);
    assert_eq!(refund(&db, "pay-9", "r2", 7_500, T0.plus_secs(62)).await, 75, "the rest of the purchase");
    assert_eq!(balance_of(&db, member).await, Balance { available: 0, pending: 0, debt: 0 });
    let mut tx = db.begin_write().await.unwrap();
    let over = reverse_for_refund(&mut tx, "plate_pay", "pay-9", "r3", Fen(1), T0).await.unwrap_err();
    assert!(matches!(over, crate::Error::User(AppError::Invalid { .. })), "cannot refund more than was paid");
    tx.rollback().await.unwrap();
    assert_eq!(
        refund(&db, "no-such-payment", "r4", 100, T0).await,
        0,
        "a purchase that earned nothing reverses nothing"
    );
    assert_consistent(&db, member).await;
}

#[tokio::test]
async fn refunded_points_already_spent_leave_a_debt_paid_from_the_next_earnings() {
    let db = test_db().await;
    let member = seed_member(&db, "13500000005").await;
    award(&db, member, None, 20_000, "pay-a", T0).await; // 200
    maintenance::mature_due(&db, T0.plus_secs(8 * DAY)).await.unwrap();
    try_spend(&db, member, 180, "s", T0.plus_secs(8 * DAY)).await.unwrap();
    assert_eq!(refund(&db, "pay-a", "ra", 20_000, T0.plus_secs(9 * DAY)).await, 200);
    assert_eq!(balance_of(&db, member).await, Balance { available: -180, pending: 0, debt: 180 });
    assert_consistent(&db, member).await;

    award(&db, member, None, 30_000, "pay-b", T0.plus_secs(10 * DAY)).await; // 300, pending
    assert_eq!(balance_of(&db, member).await, Balance { available: -180, pending: 300, debt: 180 });
    maintenance::mature_due(&db, T0.plus_secs(18 * DAY)).await.unwrap();
    assert_eq!(balance_of(&db, member).await, Balance { available: 120, pending: 0, debt: 0 });
    assert_consistent(&db, member).await;
}

#[tokio::test]
async fn with_the_clamp_policy_a_shortfall_is_written_off() {
    let db = test_db().await;
    let mut tx = db.begin_write().await.unwrap();
    let policy = PointsPolicy { negative_balance: NegativeBalance::Clamp, ..PointsPolicy::default() };
    settings::put(&mut **tx, &policy, T0).await.unwrap();
    tx.commit().await.unwrap();
    let member = seed_member(&db, "13500000006").await;
    award(&db, member, None, 10_000, "pay-c", T0).await;
    maintenance::mature_due(&db, T0.plus_secs(8 * DAY)).await.unwrap();
    try_spend(&db, member, 90, "s", T0.plus_secs(8 * DAY)).await.unwrap();
    refund(&db, "pay-c", "rc", 10_000, T0.plus_secs(9 * DAY)).await;
    assert_eq!(balance_of(&db, member).await, Balance { available: 0, pending: 0, debt: 0 });
    let lines = history::lines(&db, member, None, 1, &MallTz::shanghai()).await.unwrap();
    assert_eq!((lines[0].kind.as_str(), lines[0].points, lines[0].reason.as_str()), ("reverse", -10, "written_off=90"));
    assert_consistent(&db, member).await;
}

#[tokio::test]
async fn earning_rules_overrides_campaigns_levels_and_the_daily_cap() {
    let db = test_db().await;
    let member = seed_member(&db, "13500000007").await;
    let tenant = seed_tenant(&db, "boutique").await;
    let other = seed_tenant(&db, "kiosk").await;
    let mut tx = db.begin_write().await.unwrap();
    sqlx::query("INSERT INTO points_rate_overrides (tenant_id, points_per_yuan_milli) VALUES ($1, 2000)")
        .bind(tenant.0)
        .execute(&mut **tx)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO points_campaigns (name_zh, multiplier_pct, starts_at, ends_at, created_at) VALUES ('会员日', 200, $1, $2, $1)",
    )
    .bind(T0.millis())
    .bind(T0.plus_secs(DAY).millis())
    .execute(&mut **tx)
    .await
    .unwrap();
    let policy = PointsPolicy { daily_earn_cap: Some(1_000), ..PointsPolicy::default() };
    settings::put(&mut **tx, &policy, T0).await.unwrap();
    tx.commit().await.unwrap();

    assert_eq!(award(&db, member, Some(tenant), 10_000, "a", T0).await.points, 400, "2 pts/¥ × double day");
    assert_eq!(award(&db, member, Some(other), 10_000, "b", T0).await.points, 200, "base rate × double day");
    assert_eq!(award(&db, member, Some(other), 10_000, "c", T0.plus_secs(DAY)).await.points, 100, "campaign over");
    let capped = award(&db, member, Some(tenant), 100_000, "d", T0.plus_secs(DAY)).await;
    assert_eq!((capped.points, capped.capped), (900, 1_100), "the day's cap of 1000 holds");
    let next_day = award(&db, member, Some(other), 150_000, "e", T0.plus_secs(2 * DAY)).await;
    assert_eq!((next_day.points, next_day.capped), (1_000, 500), "a new day, a new cap (yesterday's was reached)");
    assert_consistent(&db, member).await;
}

#[tokio::test]
async fn qualifying_spend_upgrades_the_level_at_once() {
    let db = test_db().await;
    let member = seed_member(&db, "13500000008").await;
    award(&db, member, None, 400_000, "big-1", T0).await;
    let level = |db: Db| async move {
        let (code,): (String,) = sqlx::query_as("SELECT level_code FROM members WHERE id = $1")
            .bind(member.0)
            .fetch_one(db.pool())
            .await
            .unwrap();
        code
    };
    assert_eq!(level(db.db()).await, "normal");
    award(&db, member, None, 100_000, "big-2", T0).await; // ¥5,000 in 12 months → 银卡
    assert_eq!(level(db.db()).await, "silver");
    // Silver earns ×1.2 from now on.
    assert_eq!(award(&db, member, None, 10_000, "after", T0).await.points, 120);
    let progress = crate::levels::progress(&db, member, T0).await.unwrap();
    assert_eq!(progress.next.map(|l| l.code), Some("gold".to_string()));
    assert_eq!(progress.needed, Some(Fen(2_000_000 - 510_000)));
    // A refund lowers the spend, but only the yearly review lowers the level.
    refund(&db, "big-2", "rb", 100_000, T0.plus_secs(DAY)).await;
    assert_eq!(level(db.db()).await, "silver");
    assert_eq!(crate::levels::review_all(&db, T0.plus_secs(2 * DAY)).await.unwrap(), 1);
    assert_eq!(level(db.db()).await, "normal");
}

#[tokio::test]
async fn operators_adjust_with_a_reason_and_cannot_overdraw() {
    let db = test_db().await;
    let member = seed_member(&db, "13500000009").await;
    let operator = Actor::Staff(plaza_types::StaffId(1));
    let mut tx = db.begin_write().await.unwrap();
    let err = adjust(&mut tx, member, 50, " ", &operator, T0).await.unwrap_err();
    assert!(matches!(err, crate::Error::User(AppError::Invalid { .. })), "a reason is required");
    adjust(&mut tx, member, 50, "客诉补偿", &operator, T0).await.unwrap();
    let err = adjust(&mut tx, member, -60, "误操作冲正", &operator, T0).await.unwrap_err();
    assert!(matches!(err, crate::Error::User(AppError::InsufficientPoints { available: 50 })));
    adjust(&mut tx, member, -20, "误操作冲正", &operator, T0).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(balance_of(&db, member).await.available, 30);
    let audit = crate::audit::recent(&db, Some(member), 10).await.unwrap();
    assert!(audit.iter().any(|l| l.action == "points.adjust" && l.reason == "误操作冲正" && l.actor == "staff:1"));
    assert_consistent(&db, member).await;
}

/// Random sequences of every operation; after each step the ledger must still add up.
#[tokio::test]
async fn random_sequences_keep_the_ledger_consistent() {
    let db = test_db().await;
    for seed in 0..4u64 {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let member = seed_member(&db, &format!("1360000{:04}", seed)).await;
        let mut now = T0;
        let mut purchases: Vec<(String, i64, i64)> = Vec::new(); // (ref, amount, refunded)
        for step in 0..120 {
            match rng.gen_range(0..100) {
                0..=34 => {
                    let amount = rng.gen_range(1..50_000);
                    let reference = format!("p{seed}-{step}");
                    award(&db, member, None, amount, &reference, now).await;
                    purchases.push((reference, amount, 0));
                }
                35..=49 if !purchases.is_empty() => {
                    let i = rng.gen_range(0..purchases.len());
                    let (reference, amount, refunded) = purchases[i].clone();
                    if refunded < amount {
                        let part = rng.gen_range(1..=amount - refunded);
                        refund(&db, &reference, &format!("r{seed}-{step}"), part, now).await;
                        purchases[i].2 += part;
                    }
                }
                50..=69 => {
                    let want = rng.gen_range(1..400);
                    let before = balance_of(&db, member).await;
                    match try_spend(&db, member, want, &format!("s{seed}-{step}"), now).await {
                        Ok(spent) => assert_eq!(spent.balance.available, before.available - want),
                        Err(crate::Error::User(AppError::InsufficientPoints { .. })) => {
                            assert!(before.available < want);
                            assert_eq!(balance_of(&db, member).await, before, "a refused spend changes nothing");
                        }
                        Err(other) => panic!("unexpected {other:?}"),
                    }
                }
                70..=79 => grant(&db, member, rng.gen_range(1..100), now).await,
                _ => {
                    now = now.plus_secs(rng.gen_range(1..40) * DAY);
                    maintenance::mature_due(&db, now).await.unwrap();
                    maintenance::expire_due(&db, now).await.unwrap();
                }
            }
            assert_consistent(&db, member).await;
        }
    }
}

/// 100 spends of one balance at once: exactly as many succeed as the balance allows.
#[tokio::test]
async fn concurrent_spends_never_overdraw() {
    let db = test_db().await;
    let member = seed_member(&db, "13500000010").await;
    grant(&db, member, 1_000, T0).await;
    let mut tasks = Vec::new();
    for i in 0..100 {
        let db = db.db();
        tasks.push(tokio::spawn(async move { try_spend(&db, member, 15, &format!("c{i}"), T0).await }));
    }
    let (mut ok, mut refused) = (0, 0);
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => ok += 1,
            Err(crate::Error::User(AppError::InsufficientPoints { .. })) => refused += 1,
            Err(other) => panic!("only 'insufficient' may reach the user: {other:?}"),
        }
    }
    assert_eq!((ok, refused), (66, 34));
    assert_eq!(balance_of(&db, member).await.available, 10);
    assert_consistent(&db, member).await;
}
