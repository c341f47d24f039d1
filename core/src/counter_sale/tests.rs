//! Counter-sale awards on both databases: the earning rules, once per receipt number and per
//! member code, refusals that change nothing, and the owner's same-day reversal.

use super::*;
use crate::members::code;
use crate::points::account::balance;
use crate::testing::{seed_member, seed_tenant, test_db, test_secrets, TestDb};
use crate::{Secrets, Timestamp};
use plaza_types::error::Field;
use plaza_types::{AppError, Fen, MemberId, StaffId, TenantId};

/// 2026-03-10 10:00 Shanghai.
const T0: Timestamp = Timestamp(1_773_108_000_000);

async fn seed_staff(db: &TestDb, username: &str, role: &str, tenant: TenantId) -> StaffId {
    let mut tx = db.begin_write().await.unwrap();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO staff (username, password_hash, display_name, role, tenant_id, created_at, updated_at) \
         VALUES ($1, 'x', $1, $2, $3, 0, 0) RETURNING id",
    )
    .bind(username)
    .bind(role)
    .bind(tenant.0)
    .fetch_one(&mut **tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    StaffId(id)
}

struct Till {
    db: TestDb,
    secrets: Secrets,
    shop: TenantId,
    other_shop: TenantId,
    cashier: StaffId,
    owner: StaffId,
    other_owner: StaffId,
    member: MemberId,
}

async fn till() -> Till {
    let db = test_db().await;
    let shop = seed_tenant(&db, "shopa").await;
    let other_shop = seed_tenant(&db, "shopb").await;
    let cashier = seed_staff(&db, "shopa.cashier", "tenant_cashier", shop).await;
    let owner = seed_staff(&db, "shopa.owner", "tenant_owner", shop).await;
    let other_owner = seed_staff(&db, "shopb.owner", "tenant_owner", other_shop).await;
    let member = seed_member(&db, "13500008001").await;
    Till { db, secrets: test_secrets(), shop, other_shop, cashier, owner, other_owner, member }
}

impl Till {
    /// The member shows a fresh code at `at`; the cashier scans it.
    async fn scan(&self, at: Timestamp) -> String {
        let code = code::sign(&self.secrets, self.member, at);
        check(&self.db, &self.secrets, self.shop, self.cashier, &code, at).await.unwrap()
    }

    async fn sell(&self, token: &str, amount: &str, receipt_no: &str, at: Timestamp) -> crate::Result<Awarded> {
        award(&self.db, self.shop, self.cashier, &CounterSale { check: token, amount, receipt_no }, at).await
    }

    async fn pending(&self) -> i64 {
        balance(self.db.pool(), self.member).await.unwrap().pending
    }
}

fn user_error(result: crate::Result<impl std::fmt::Debug>) -> AppError {
    match result {
        Err(crate::Error::User(e)) => e,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_till_sale_earns_by_the_rules_once_per_receipt_number() {
    let t = till().await;
    let token = t.scan(T0).await;
    let view = view_check(&t.db, t.shop, &token, T0).await.unwrap();
    assert_eq!((view.member.member_id, view.points_available, view.used), (t.member, 0, false));
    assert_eq!(view.expires_in_secs, CHECK_TTL_SECS);

    let done = t.sell(&token, "128.50", " ys-0042 ", T0.plus_secs(90)).await.unwrap();
    // 1 point per ¥1, rounded down; pending through the refund window.
    assert_eq!((done.points, done.receipt_no.as_str(), done.amount), (128, "YS-0042", Fen(12_850)));
    assert_eq!(t.pending().await, 128);
    assert!(view_check(&t.db, t.shop, &token, T0.plus_secs(91)).await.unwrap().used);
    let (action, amount, subject): (String, i64, String) =
        sqlx::query_as("SELECT action, amount, subject FROM audit_log WHERE action LIKE 'counter_sale.%'")
            .fetch_one(t.db.pool())
            .await
            .unwrap();
    assert_eq!((action.as_str(), amount, subject.as_str()), ("counter_sale.award", 12_850, "receipt:YS-0042"));

    // The same code cannot award again, even for another receipt.
    assert_eq!(user_error(t.sell(&token, "10", "YS-0043", T0.plus_secs(100)).await), AppError::MemberCodeExpired);
    // A fresh code, the same receipt number: refused, nothing changes.
    let again = t.scan(T0.plus_secs(120)).await;
    assert_eq!(user_error(t.sell(&again, "128.50", "YS-0042", T0.plus_secs(130)).await), AppError::AlreadyExists);
    assert_eq!(t.pending().await, 128);
    assert!(!view_check(&t.db, t.shop, &again, T0.plus_secs(131)).await.unwrap().used, "a refusal uses nothing");
    // Another number with the fresh code is a sale of its own.
    assert_eq!(t.sell(&again, "20", "YS-0044", T0.plus_secs(140)).await.unwrap().points, 20);
    assert_eq!(t.pending().await, 148);
}

#[tokio::test]
async fn refusals_say_why_and_change_nothing() {
    let t = till().await;
    let token = t.scan(T0).await;
    for (amount, no, expected) in [
        ("0", "R1", AppError::AmountOutOfRange { min_fen: 1, max_fen: 5_000_000 }),
        ("12.345", "R1", AppError::AmountTooPrecise),
        ("abc", "R1", AppError::invalid(Field::Amount)),
        ("12", "", AppError::invalid(Field::ReceiptNo)),
        ("12", "单号一", AppError::invalid(Field::ReceiptNo)),
    ] {
        assert_eq!(user_error(t.sell(&token, amount, no, T0).await), expected, "{amount} {no}");
    }
    // Another shop's cashier cannot use this shop's check, and an old check has expired.
    let sale = CounterSale { check: &token, amount: "12", receipt_no: "R1" };
    let theirs = award(&t.db, t.other_shop, t.other_owner, &sale, T0).await;
    assert_eq!(user_error(theirs), AppError::MemberCodeExpired);
    assert_eq!(user_error(view_check(&t.db, t.other_shop, &token, T0).await), AppError::MemberCodeExpired);
    assert_eq!(user_error(t.sell(&token, "12", "R1", T0.plus_secs(CHECK_TTL_SECS)).await), AppError::MemberCodeExpired);
    // A code that is not genuine makes no check at all.
    let forged = format!("{}1", &code::sign(&t.secrets, t.member, T0)[..31]);
    assert!(check(&t.db, &t.secrets, t.shop, t.cashier, &forged, T0).await.is_err());
    assert_eq!(t.pending().await, 0);
    let (sales,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM counter_sales").fetch_one(t.db.pool()).await.unwrap();
    assert_eq!(sales, 0);
}

#[tokio::test]
async fn the_owner_reverses_on_the_same_day_and_may_award_the_number_again() {
    let t = till().await;
    let token = t.scan(T0).await;
    let sale = t.sell(&token, "300", "YS-1", T0).await.unwrap();
    assert_eq!(t.pending().await, 300);

    // Another shop's owner: not found. No reason: refused.
    assert_eq!(
        user_error(reverse(&t.db, t.other_shop, t.other_owner, sale.sale_id, "输错金额", T0).await),
        AppError::NotFound
    );
    assert_eq!(
        user_error(reverse(&t.db, t.shop, t.owner, sale.sale_id, " ", T0).await),
        AppError::invalid(Field::Reason)
    );
    assert_eq!(reverse(&t.db, t.shop, t.owner, sale.sale_id, "输错金额", T0.plus_secs(60)).await.unwrap(), 300);
    assert_eq!(t.pending().await, 0);
    assert_eq!(
        user_error(reverse(&t.db, t.shop, t.owner, sale.sale_id, "输错金额", T0.plus_secs(61)).await),
        AppError::NotUsable,
        "once"
    );
    let lines = today(&t.db, t.shop, T0.plus_secs(62)).await.unwrap();
    assert_eq!((lines.len(), lines[0].reversed, lines[0].reversible), (1, true, false));

    // The corrected sale earns under the same number.
    let fresh = t.scan(T0.plus_secs(120)).await;
    assert_eq!(t.sell(&fresh, "30", "YS-1", T0.plus_secs(130)).await.unwrap().points, 30);
    assert_eq!(t.pending().await, 30);

    // The next day (mall time) it stands.
    let next_day = T0.plus_secs(14 * 3_600 + 60); // 2026-03-11 00:01 Shanghai
    let sale2: (i64,) =
        sqlx::query_as("SELECT id FROM counter_sales WHERE reversed_at IS NULL").fetch_one(t.db.pool()).await.unwrap();
    assert_eq!(user_error(reverse(&t.db, t.shop, t.owner, sale2.0, "太晚了", next_day).await), AppError::NotUsable);
    assert!(today(&t.db, t.shop, next_day).await.unwrap().is_empty());
    assert_eq!(t.pending().await, 30);
}
