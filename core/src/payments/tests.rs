//! The payment engine against both databases, with the built-in sandbox as the provider: the
//! split tender, the one idempotent completion (repeated, concurrent, late, out of order),
//! closing, refunds in the opposite order (payments at once on one balance: `concurrency_tests`).

use super::sandbox::{self, Delivery, Sandbox};
use super::*;
use crate::audit::Actor;
use crate::coupons::{self, NewTemplate, Validity};
use crate::points::{self, Credit};
use crate::testing::{plate_details, seed_member, seed_tenant, test_db, TestDb};
use crate::MallTz;
use crate::{stored_value, Db};
use plaza_types::dto::{CouponKind, Localized};
use plaza_types::{AppError, Fen, MemberId, TenantId};

pub(super) const T0: Timestamp = Timestamp(1_773_108_000_000);

pub(super) fn sandbox() -> Sandbox {
    Sandbox { notify_url: "http://127.0.0.1:9/notify/wechat".into(), delivery: Delivery::Normal }
}

pub(super) struct Shop {
    pub db: TestDb,
    pub member: MemberId,
    pub tenant: TenantId,
    pub coupon: i64,
    /// What a plate payment at the tenant is for.
    pub plate: std::sync::Arc<dyn Details>,
}

/// A member with 2,000 points, ¥50 of stored value and a "¥20 off ¥100" coupon, and a tenant.
pub(super) async fn shop() -> Shop {
    let db = test_db().await;
    let member = seed_member(&db, "13300000001").await;
    let tenant = seed_tenant(&db, "shop").await;
    let mut tx = db.begin_write().await.unwrap();
    points::credit(
        &mut tx,
        &Credit { member, points: 2_000, source: "checkin", reference: "", reason: "" },
        &Actor::System,
        T0,
    )
    .await
    .unwrap();
    stored_value::credit(&mut tx, member, Fen(5_000), "topup", "seed", "", &Actor::System, T0).await.unwrap();
    let template = coupons::create_template(
        &mut tx,
        &NewTemplate {
            code: "t20".into(),
            name: Localized::new("满100减20", ""),
            kind: CouponKind::ThresholdOff,
            value: Fen(2_000),
            percent_off: 0,
            threshold: Fen(10_000),
            parking_minutes: 0,
            scope_kind: "mall".into(),
            scope_ids: vec![],
            validity: Validity::DaysAfterIssue(30),
            per_member_limit: 5,
            total_stock: None,
            claimable: true,
            description: Localized::default(),
        },
        &Actor::System,
        T0,
    )
    .await
    .unwrap();
    let coupon = coupons::issue(&mut tx, template, member, "claim", &Actor::System, T0).await.unwrap();
    tx.commit().await.unwrap();
    let plate = plate_details(&db, tenant).await;
    Shop { db, member, tenant, coupon, plate }
}

pub(super) fn plate(s: &Shop, amount: i64, coupon: bool, key: &str) -> NewPayment {
    NewPayment {
        member: s.member,
        details: s.plate.clone(),
        subject: "plate".into(),
        amount: Fen(amount),
        coupon: coupon.then_some(s.coupon),
        use_points: true,
        use_stored_value: true,
        request_key: key.into(),
    }
}

/// What a verified notification carries: the provider's own word on the order.
pub(super) async fn confirmation(db: &Db, payment_no: &str) -> Confirmation {
    match sandbox().query(db, payment_no).await.unwrap() {
        ProviderStatus::Paid { transaction_id, amount, paid_at } => {
            Confirmation { provider: Some("sandbox".into()), transaction_id, amount, paid_at }
        }
        other => panic!("not paid: {other:?}"),
    }
}

pub(super) async fn balances(db: &Db, m: MemberId) -> (i64, i64, Fen) {
    let b = points::account::balance(db.pool(), m).await.unwrap();
    (b.available, b.pending, stored_value::balance(db.pool(), m).await.unwrap())
}

#[tokio::test]
async fn a_plate_payment_with_coupon_points_stored_value_and_the_provider() {
    let s = shop().await;
    let created = create(&s.db, &sandbox(), &plate(&s, 12_000, true, "k1"), T0).await.unwrap();
    // ¥120: coupon ¥20, points ¥20 (2,000 points, within 50 %), stored value ¥50, provider ¥30.
    assert_eq!(
        created.split,
        Split {
            coupon: Fen(2_000),
            points_used: 2_000,
            points_value: Fen(2_000),
            stored_value: Fen(5_000),
            external: Fen(3_000)
        }
    );
    assert_eq!(created.pay_url.as_deref(), Some(format!("/pay/go/{}", created.payment_no).as_str()));
    assert_eq!(balances(&s.db, s.member).await, (0, 0, Fen(0)), "the internal tenders are taken at once");
    // The same form submitted again returns the same payment.
    assert_eq!(
        create(&s.db, &sandbox(), &plate(&s, 12_000, true, "k1"), T0).await.unwrap().payment_no,
        created.payment_no
    );

    assert!(sandbox::confirm(&s.db, &sandbox(), &created.payment_no, T0).await.unwrap());
    let c = confirmation(&s.db, &created.payment_no).await;
    let done = complete(&s.db, &created.payment_no, &c, T0).await.unwrap();
    let Completion::Completed { payment, points } = done else { panic!("{done:?}") };
    assert_eq!(payment.state, PaymentState::Paid);
    assert_eq!(points, 80, "earned on the money paid: ¥50 stored value + ¥30");
    assert_eq!(balances(&s.db, s.member).await, (0, 80, Fen(0)));
    let (coupon_state,): (String,) =
        sqlx::query_as("SELECT state FROM coupons WHERE id = $1").bind(s.coupon).fetch_one(s.db.pool()).await.unwrap();
    assert_eq!(coupon_state, "redeemed");
    let today = sales::today(&s.db, Some(s.tenant), T0, &MallTz::shanghai()).await.unwrap();
    assert_eq!((today.sales, today.amount), (1, Fen(12_000)));
}

#[tokio::test]
async fn completion_runs_once_however_often_and_in_whatever_order_it_is_called() {
    let s = shop().await;
    let created = create(&s.db, &sandbox(), &plate(&s, 10_000, false, "k"), T0).await.unwrap();
    sandbox::confirm(&s.db, &sandbox(), &created.payment_no, T0).await.unwrap();
    let c = confirmation(&s.db, &created.payment_no).await;
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let (db, no, c) = (s.db.db(), created.payment_no.clone(), c.clone());
            tokio::spawn(async move { complete(&db, &no, &c, T0).await })
        })
        .collect();
    let mut completed = 0;
    for call in calls {
        match call.await.unwrap().unwrap() {
            Completion::Completed { .. } => completed += 1,
            Completion::AlreadyComplete => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(completed, 1);
    let (awards,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM points_awards").fetch_one(s.db.pool()).await.unwrap();
    assert_eq!(awards, 1, "points awarded once");
    let (sales,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM tenant_sales").fetch_one(s.db.pool()).await.unwrap();
    assert_eq!(sales, 1);
}

#[tokio::test]
async fn a_confirmation_with_another_amount_or_provider_changes_nothing() {
    let s = shop().await;
    let created = create(&s.db, &sandbox(), &plate(&s, 10_000, false, "k"), T0).await.unwrap();
    sandbox::confirm(&s.db, &sandbox(), &created.payment_no, T0).await.unwrap();
    let mut c = confirmation(&s.db, &created.payment_no).await;
    c.amount = Fen(c.amount.0 - 1);
    assert!(matches!(complete(&s.db, &created.payment_no, &c, T0).await.unwrap(), Completion::Rejected(_)));
    let mut c = confirmation(&s.db, &created.payment_no).await;
    c.provider = Some("wechat".into());
    assert!(matches!(complete(&s.db, &created.payment_no, &c, T0).await.unwrap(), Completion::Rejected(_)));
    assert!(matches!(complete(&s.db, "P-unknown", &c, T0).await.unwrap(), Completion::Rejected(_)));
    assert_eq!(find(s.db.pool(), &created.payment_no).await.unwrap().unwrap().state, PaymentState::Paying);
}

#[tokio::test]
async fn closing_gives_every_tender_back_once() {
    let s = shop().await;
    let before = balances(&s.db, s.member).await;
    let created = create(&s.db, &sandbox(), &plate(&s, 12_000, true, "k"), T0).await.unwrap();
    assert!(close(&s.db, &created.payment_no, "cancelled", T0).await.unwrap());
    assert!(!close(&s.db, &created.payment_no, "cancelled", T0).await.unwrap(), "closing twice changes nothing");
    assert_eq!(balances(&s.db, s.member).await, before);
    let (coupon_state,): (String,) =
        sqlx::query_as("SELECT state FROM coupons WHERE id = $1").bind(s.coupon).fetch_one(s.db.pool()).await.unwrap();
    assert_eq!(coupon_state, "available");
}

#[tokio::test]
async fn the_timeout_job_completes_what_was_paid_and_closes_the_rest() {
    let s = shop().await;
    let unpaid = create(&s.db, &sandbox(), &plate(&s, 8_000, false, "a"), T0).await.unwrap();
    let paid = create(
        &s.db,
        &sandbox(),
        &NewPayment { use_points: false, use_stored_value: false, ..plate(&s, 6_000, false, "b") },
        T0,
    )
    .await
    .unwrap();
    sandbox::confirm(&s.db, &sandbox(), &paid.payment_no, T0).await.unwrap();
    // The notification never arrived; the timeout job asks the provider.
    let later = T0.plus_secs(create::PAYMENT_TIMEOUT_SECS + 1);
    assert_eq!(expire_due(&s.db, &sandbox(), later).await.unwrap(), (1, 1));
    assert_eq!(find(s.db.pool(), &paid.payment_no).await.unwrap().unwrap().state, PaymentState::Paid);
    assert_eq!(find(s.db.pool(), &unpaid.payment_no).await.unwrap().unwrap().state, PaymentState::Closed);
    // The sandbox closed its order too: it can no longer be paid.
    assert!(!sandbox::confirm(&s.db, &sandbox(), &unpaid.payment_no, later).await.unwrap());
}

#[tokio::test]
async fn money_arriving_for_a_closed_payment_is_refunded_not_completed() {
    let s = shop().await;
    let created = create(
        &s.db,
        &sandbox(),
        &NewPayment { use_points: false, use_stored_value: false, ..plate(&s, 5_000, false, "k") },
        T0,
    )
    .await
    .unwrap();
    sandbox::confirm(&s.db, &sandbox(), &created.payment_no, T0).await.unwrap();
    close(&s.db, &created.payment_no, "timeout", T0).await.unwrap();
    let c = confirmation(&s.db, &created.payment_no).await;
    assert_eq!(complete(&s.db, &created.payment_no, &c, T0).await.unwrap(), Completion::PaidAfterClose);
    assert_eq!(complete(&s.db, &created.payment_no, &c, T0).await.unwrap(), Completion::PaidAfterClose);
    assert_eq!(
        crate::jobs::count(&s.db, "payments.refund_late", "queued").await.unwrap(),
        1,
        "one refund queued however often"
    );
    assert_eq!(
        find(s.db.pool(), &created.payment_no).await.unwrap().unwrap().state,
        PaymentState::Closed,
        "never moved backwards"
    );
}

#[tokio::test]
async fn refunds_reverse_the_tenders_in_the_opposite_order() {
    let s = shop().await;
    let created = create(&s.db, &sandbox(), &plate(&s, 12_000, true, "k"), T0).await.unwrap();
    sandbox::confirm(&s.db, &sandbox(), &created.payment_no, T0).await.unwrap();
    let c = confirmation(&s.db, &created.payment_no).await;
    complete(&s.db, &created.payment_no, &c, T0).await.unwrap();
    let op = Actor::Staff(plaza_types::StaffId(1));
    // ¥40: the provider's ¥30 first, then ¥10 of stored value.
    let r1 = refund(
        &s.db,
        &sandbox(),
        RefundRequest { payment_no: &created.payment_no, refund_no: "R1", amount: Fen(4_000), reason: "部分退货" },
        &op,
        T0,
    )
    .await
    .unwrap();
    assert_eq!(
        (r1.external, r1.stored_value, r1.points_returned, r1.coupon_returned),
        (Fen(3_000), Fen(1_000), 0, false)
    );
    assert_eq!(r1.points_reversed, 40, "80 earned on ¥80 of money; ¥40 of it refunded");
    // Repeating the request changes nothing.
    assert_eq!(
        refund(
            &s.db,
            &sandbox(),
            RefundRequest {
                payment_no: &created.payment_no, refund_no: "R1", amount: Fen(4_000), reason: "部分退货"
            },
            &op,
            T0
        )
        .await
        .unwrap(),
        r1
    );
    // The rest: ¥40 stored value, ¥20 of points (2,000 points), and the coupon comes back.
    let r2 = refund(
        &s.db,
        &sandbox(),
        RefundRequest { payment_no: &created.payment_no, refund_no: "R2", amount: Fen(8_000), reason: "整单退货" },
        &op,
        T0,
    )
    .await
    .unwrap();
    assert_eq!(
        (r2.external, r2.stored_value, r2.points_returned, r2.coupon_returned),
        (Fen(0), Fen(4_000), 2_000, true)
    );
    assert_eq!(balances(&s.db, s.member).await, (2_000, 0, Fen(5_000)), "everything back, the earned points reversed");
    let p = find(s.db.pool(), &created.payment_no).await.unwrap().unwrap();
    assert_eq!((p.state.as_str(), p.refunded_fen), ("refunded", 12_000));
    let err = refund(
        &s.db,
        &sandbox(),
        RefundRequest { payment_no: &created.payment_no, refund_no: "R3", amount: Fen(1), reason: "再退" },
        &op,
        T0,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, crate::Error::User(AppError::Invalid { .. })));
    // A notification arriving after the refund changes nothing.
    assert_eq!(complete(&s.db, &created.payment_no, &c, T0).await.unwrap(), Completion::AlreadyComplete);
    assert_eq!(find(s.db.pool(), &created.payment_no).await.unwrap().unwrap().state, PaymentState::Refunded);
}

#[tokio::test]
async fn a_payment_covered_by_internal_tenders_completes_at_once() {
    let s = shop().await;
    let created = create(&s.db, &sandbox(), &plate(&s, 3_000, false, "k"), T0).await.unwrap();
    assert_eq!(
        (created.split.points_value, created.split.stored_value, created.split.external),
        (Fen(1_500), Fen(1_500), Fen(0))
    );
    assert_eq!(created.pay_url, None);
    assert_eq!(find(s.db.pool(), &created.payment_no).await.unwrap().unwrap().state, PaymentState::Paid);
}

/// A request key belongs to one purpose: the same form sent again finds its payment, a payment of
/// another purpose under the same key is never answered as if it were this one (refused, nothing
/// taken).
#[tokio::test]
async fn a_request_key_finds_only_its_own_purposes_payment() {
    let s = shop().await;
    let created = create(&s.db, &sandbox(), &plate(&s, 3_000, false, "form-1"), T0).await.unwrap();
    let again = create::by_request_key(&s.db, s.member, Purpose::Plate, "form-1", T0).await.unwrap();
    assert_eq!(again.map(|c| c.payment_no), Some(created.payment_no.clone()));
    assert_eq!(create::by_request_key(&s.db, s.member, Purpose::Plate, "form-2", T0).await.unwrap(), None);
    let other = create::by_request_key(&s.db, s.member, Purpose::Topup, "form-1", T0).await.unwrap_err();
    assert!(matches!(other.user(), Some(AppError::Invalid { .. })), "{other:?}");

    let before = balances(&s.db, s.member).await;
    let topup = NewPayment {
        details: std::sync::Arc::new(crate::topup::TopupDetails { bonus: Fen(0) }),
        subject: "topup".into(),
        use_points: false,
        use_stored_value: false,
        ..plate(&s, 10_000, false, "form-1")
    };
    let refused = create(&s.db, &sandbox(), &topup, T0).await.unwrap_err();
    assert!(matches!(refused.user(), Some(AppError::Invalid { .. })), "{refused:?}");
    assert_eq!(balances(&s.db, s.member).await, before, "nothing taken");
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM payments").fetch_one(s.db.pool()).await.unwrap();
    assert_eq!(count, 1, "no second payment");
}

/// A payment covered by internal tenders whose request stopped between its transaction and its
/// completion (the server killed): the tenders are taken and the payment is still `created`. The
/// same form sent again completes it once (its sale and points), and a third send changes nothing.
#[tokio::test]
async fn a_cut_off_internal_payment_is_completed_by_its_form_sent_again() {
    let s = shop().await;
    let new = plate(&s, 3_000, false, "cut-off");
    let opened = create::open(&s.db, &new, "sandbox", T0).await.unwrap();
    assert_eq!((opened.state, opened.split.external), (PaymentState::Created, Fen::ZERO));
    let taken = balances(&s.db, s.member).await;
    let again = create(&s.db, &sandbox(), &new, T0).await.unwrap();
    assert_eq!((again.payment_no.clone(), again.state), (opened.payment_no.clone(), PaymentState::Paid));
    let p = find(s.db.pool(), &opened.payment_no).await.unwrap().unwrap();
    assert_eq!(p.state, PaymentState::Paid);
    let third = create(&s.db, &sandbox(), &new, T0).await.unwrap();
    assert_eq!(third.state, PaymentState::Paid);
    let count = |table: &'static str| {
        let db = s.db.clone();
        async move {
            let (n,): (i64,) =
                sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(db.pool()).await.unwrap();
            n
        }
    };
    assert_eq!(
        (count("payments").await, count("tenant_sales").await, count("points_awards").await),
        (1, 1, 1),
        "one payment, one sale, one award"
    );
    assert_eq!(balances(&s.db, s.member).await.2, taken.2, "no tender taken twice");
    assert_eq!(crate::audit::verify(&s.db).await.unwrap().first_broken, None);
}
