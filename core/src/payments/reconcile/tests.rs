//! Reconciliation against the stand-ins' bills (real formats: WeChat's backtick CSV checked by
//! SHA1, Alipay's zip of GBK CSV files), on both databases: a clean day has no difference; each
//! kind is found, kept once however often the day is run, and audited once; the payment the
//! provider collected but we missed is completed once.

use super::*;
use crate::payment_providers::bill::BillChanges;
use crate::payments::checkout::{self, Flow};
use crate::payments::provider_tests::{alipay, order, request, state, wechat};
use crate::payments::tests::{shop, Shop, T0};
use crate::payments::{create, refund, views, RefundRequest};
use plaza_types::dto::DifferenceDetail;
use plaza_types::Fen;

/// 2026-03-10 in Beijing time, T0's day.
const DAY: &str = "2026-03-10";

fn day() -> jiff::civil::Date {
    jiff::civil::Date::strptime("%Y-%m-%d", DAY).unwrap()
}

/// The next morning, after the bills are made.
fn next_morning() -> Timestamp {
    T0.plus_secs(86_400)
}

async fn audited(s: &Shop, action: &str, subject: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND subject = $2")
        .bind(action)
        .bind(subject)
        .fetch_one(s.db.pool())
        .await
        .unwrap();
    n
}

async fn kinds(s: &Shop) -> Vec<(String, String, String)> {
    sqlx::query_as("SELECT kind, number, resolution FROM reconcile_differences ORDER BY kind, number")
        .fetch_all(s.db.pool())
        .await
        .unwrap()
}

/// A payment of `fen` through `provider`, placed by its flow; paid at the provider at T0 when
/// `paid`, and completed on our side too when `completed`.
async fn pay(
    s: &Shop,
    provider: &dyn PaymentProvider,
    flow: Flow,
    fen: i64,
    key: &str,
    pay_there: impl Fn(&str),
    completed: bool,
) -> String {
    let no = create(&s.db, provider, &order(s, fen, key), T0).await.unwrap().payment_no.to_string();
    checkout::launch(&s.db, provider, s.member, &no, &request(flow, &no), T0).await.unwrap();
    pay_there(&no);
    if completed {
        views::settle_return(&s.db, provider, &no, T0).await.unwrap();
        assert_eq!(state(s, &no).await, "paid");
    }
    no
}

#[tokio::test]
async fn wechat_a_clean_day_has_no_difference_and_its_totals_match() {
    let s = shop().await;
    let (mock, wechat) = wechat().await;
    mock.clock(T0.secs());
    let paid = |no: &str| mock.pay(no, T0.secs());
    let a = pay(&s, &wechat, Flow::WechatNative, 3_000, "c1", paid, true).await;
    pay(&s, &wechat, Flow::WechatNative, 1_250, "c2", paid, true).await;
    let ask = RefundRequest { payment_no: &a, refund_no: "RC-1", amount: Fen(1_000), reason: "退货" };
    refund(&s.db, &wechat, ask, &Actor::System, T0).await.unwrap();

    let summary = run(&s.db, &wechat, day(), &Actor::System, next_morning()).await.unwrap().unwrap();
    assert_eq!(summary.differences, 0, "{:?}", kinds(&s).await);
    assert_eq!((summary.their_payments, summary.their_paid_fen), (2, 4_250));
    assert_eq!((summary.our_payments, summary.our_paid_fen), (2, 4_250));
    assert_eq!((summary.their_refunds, summary.their_refunded_fen), (1, 1_000));
    assert_eq!((summary.our_refunds, summary.our_refunded_fen), (1, 1_000));
    // 0.6 %: 18 + 7.5 (rounded half up to 8) fen charged, 6 fen given back with the refund.
    assert_eq!(summary.their_fee_fen, 18 + 8 - 6);
    let (state, income, expense): (String, Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT state, fund_income_fen, fund_expense_fen FROM reconcile_runs WHERE provider = 'wechat' AND bill_date = $1",
    )
    .bind(DAY)
    .fetch_one(s.db.pool())
    .await
    .unwrap();
    assert_eq!((state.as_str(), income, expense), ("done", Some(4_250), Some(1_000)));

    // A day with nothing at WeChat: an empty bill, nothing found.
    let quiet = day().yesterday().unwrap();
    let summary = run(&s.db, &wechat, quiet, &Actor::System, next_morning()).await.unwrap().unwrap();
    assert_eq!((summary.their_payments, summary.differences), (0, 0));
}

#[tokio::test]
async fn wechat_each_difference_is_found_kept_once_and_the_missed_payment_completed_once() {
    let s = shop().await;
    let (mock, wechat) = wechat().await;
    mock.clock(T0.secs());
    let paid = |no: &str| mock.pay(no, T0.secs());
    let clean = pay(&s, &wechat, Flow::WechatNative, 1_000, "d1", paid, true).await;
    // Paid at WeChat; the notification never came and the shopper never came back.
    let missed = pay(&s, &wechat, Flow::WechatH5, 2_000, "d2", paid, false).await;
    let dropped = pay(&s, &wechat, Flow::WechatNative, 3_000, "d3", paid, true).await;
    let altered = pay(&s, &wechat, Flow::WechatNative, 4_000, "d4", paid, true).await;
    let ask = RefundRequest { payment_no: &clean, refund_no: "RD-1", amount: Fen(500), reason: "退货" };
    refund(&s.db, &wechat, ask, &Actor::System, T0).await.unwrap();
    let mut changes = BillChanges::default();
    changes.left_out.insert(dropped.clone());
    changes.amounts.insert(altered.clone(), 4_100);
    changes.amounts.insert("RD-1".into(), 600);
    mock.bill_changes(changes);
    assert_eq!(state(&s, &missed).await, "paying");

    let first = run(&s.db, &wechat, day(), &Actor::System, next_morning()).await.unwrap().unwrap();
    assert_eq!((first.differences, first.new_differences, first.completed), (4, 4, 1));
    let expected = vec![
        ("amount_mismatch".to_string(), altered.clone(), "open".to_string()),
        ("missing_here".to_string(), missed.clone(), "completed".to_string()),
        ("missing_there".to_string(), dropped.clone(), "open".to_string()),
        ("refund_mismatch".to_string(), "RD-1".to_string(), "open".to_string()),
    ];
    assert_eq!(kinds(&s).await, expected);
    assert_eq!(state(&s, &missed).await, "paid", "completed through the completion command");

    // Run again (the operator's button, and the scheduled job): nothing new, nothing twice.
    let again = run(&s.db, &wechat, day(), &Actor::System, next_morning().plus_secs(60)).await.unwrap().unwrap();
    assert_eq!((again.differences, again.new_differences, again.completed), (4, 0, 0));
    assert_eq!(kinds(&s).await, expected);
    assert_eq!(audited(&s, "payment.paid", &format!("payment:{missed}")).await, 1);
    assert_eq!(audited(&s, "reconcile.difference", &format!("payment:{dropped}")).await, 1);
    assert_eq!(audited(&s, "reconcile.difference", "refund:RD-1").await, 1);
    let (attempts,): (i64,) = sqlx::query_as("SELECT attempts FROM reconcile_runs WHERE bill_date = $1")
        .bind(DAY)
        .fetch_one(s.db.pool())
        .await
        .unwrap();
    assert_eq!(attempts, 2);

    // The page gets each detail in parts, to be worded in the reader's language.
    let page = crate::payments::reconcile::views::page(&s.db, "wechat", next_morning()).await.unwrap();
    let detail = |no: &str| page.differences.iter().find(|d| d.number == no).map(|d| d.detail.clone()).unwrap();
    assert_eq!(detail(&altered), DifferenceDetail::AmountsDiffer { theirs: Fen(4_100), ours: Fen(4_000) });
    assert_eq!(detail(&dropped), DifferenceDetail::NotInBill);
    assert_eq!(detail("RD-1"), DifferenceDetail::RefundAmountsDiffer { theirs: Fen(600), ours: Fen(500) });
    assert!(matches!(detail(&missed), DifferenceDetail::CollectedNotPaidHere { state, .. } if state == "paying"));
}

#[tokio::test]
async fn wechat_a_bill_whose_sha1_does_not_match_is_refused_and_the_failure_recorded() {
    let s = shop().await;
    let (mock, wechat) = wechat().await;
    pay(&s, &wechat, Flow::WechatNative, 1_000, "h1", |no| mock.pay(no, T0.secs()), false).await;
    mock.bill_changes(BillChanges { corrupt: true, ..BillChanges::default() });
    let err = run(&s.db, &wechat, day(), &Actor::System, next_morning()).await.unwrap_err();
    assert!(err.to_string().contains("SHA1"), "{err}");
    let (state, error): (String, String) =
        sqlx::query_as("SELECT state, error FROM reconcile_runs WHERE bill_date = $1")
            .bind(DAY)
            .fetch_one(s.db.pool())
            .await
            .unwrap();
    assert_eq!(state, "failed");
    assert!(error.contains("SHA1"), "{error}");
    assert!(kinds(&s).await.is_empty(), "nothing believed from a file that is not WeChat's");

    // The scheduled job before 10:00 waits; after, it runs yesterday, and again until it succeeds.
    let early = Timestamp(T0.millis() + 86_400_000 - 3 * 3_600_000); // 07:00 the next day
    assert!(daily(&s.db, &wechat, early).await.unwrap().starts_with("waiting"));
    assert!(daily(&s.db, &wechat, next_morning()).await.unwrap().contains("failed"));
    mock.bill_changes(BillChanges::default());
    assert!(daily(&s.db, &wechat, next_morning()).await.unwrap().contains("1 completed"));
    assert!(daily(&s.db, &wechat, next_morning()).await.unwrap().contains("already reconciled"));
}

#[tokio::test]
async fn alipay_each_difference_is_found_kept_once_and_a_clean_day_has_none() {
    let s = shop().await;
    let (mock, alipay) = alipay().await;
    mock.clock(T0.secs());
    let paid = |no: &str| {
        mock.scan(no);
        mock.pay(no, T0.secs());
    };
    let clean = pay(&s, &alipay, Flow::AlipayCode, 1_000, "a1", paid, true).await;
    let ask = RefundRequest { payment_no: &clean, refund_no: "RA-1", amount: Fen(400), reason: "退货" };
    refund(&s.db, &alipay, ask, &Actor::System, T0).await.unwrap();

    let summary = run(&s.db, &alipay, day(), &Actor::System, next_morning()).await.unwrap().unwrap();
    assert_eq!(summary.differences, 0, "{:?}", kinds(&s).await);
    assert_eq!((summary.their_payments, summary.their_paid_fen, summary.their_refunded_fen), (1, 1_000, 400));
    assert_eq!(summary.their_fee_fen, 6 - 2);

    let missed = pay(&s, &alipay, Flow::AlipayCode, 2_000, "a2", paid, false).await;
    let dropped = pay(&s, &alipay, Flow::AlipayCode, 3_000, "a3", paid, true).await;
    let altered = pay(&s, &alipay, Flow::AlipayCode, 4_000, "a4", paid, true).await;
    let mut changes = BillChanges::default();
    changes.left_out.insert(dropped.clone());
    changes.amounts.insert(altered.clone(), 3_900);
    changes.left_out.insert("RA-1".into());
    mock.bill_changes(changes);
    let found = run(&s.db, &alipay, day(), &Actor::System, next_morning()).await.unwrap().unwrap();
    assert_eq!((found.differences, found.new_differences, found.completed), (4, 4, 1));
    let expected = vec![
        ("amount_mismatch".to_string(), altered.clone(), "open".to_string()),
        ("missing_here".to_string(), missed.clone(), "completed".to_string()),
        ("missing_there".to_string(), dropped.clone(), "open".to_string()),
        ("refund_mismatch".to_string(), "RA-1".to_string(), "open".to_string()),
    ];
    assert_eq!(kinds(&s).await, expected);
    assert_eq!(state(&s, &missed).await, "paid");
    let again = run(&s.db, &alipay, day(), &Actor::System, next_morning()).await.unwrap().unwrap();
    assert_eq!((again.new_differences, again.completed), (0, 0));
    assert_eq!(kinds(&s).await, expected);
    assert_eq!(audited(&s, "payment.paid", &format!("payment:{missed}")).await, 1);
}

#[tokio::test]
async fn a_cut_alipay_archive_is_refused() {
    let s = shop().await;
    let (mock, alipay) = alipay().await;
    pay(
        &s,
        &alipay,
        Flow::AlipayCode,
        1_000,
        "z1",
        |no| {
            mock.scan(no);
            mock.pay(no, T0.secs());
        },
        true,
    )
    .await;
    mock.bill_changes(BillChanges { corrupt: true, ..BillChanges::default() });
    assert!(run(&s.db, &alipay, day(), &Actor::System, next_morning()).await.is_err());
    assert!(kinds(&s).await.is_empty());
}

#[test]
fn operators_may_ask_only_for_days_that_have_ended() {
    assert!(parse_date("2026-03-09", T0).is_ok());
    assert!(parse_date("2026-03-10", T0).is_err(), "today has no bill yet");
    assert!(parse_date("2026-3-9x", T0).is_err());
}
