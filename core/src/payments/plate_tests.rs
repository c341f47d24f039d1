//! Plates and paying at them: issuing and revoking, the keypad's amount, the coupons offered,
//! and a payment refused (with everything given back) when the breakdown moved.

use super::plate_pay::{self, parse_amount, PlateOrder};
use super::tests::{balances, sandbox, shop, T0};
use super::views;
use super::{Choice, MAX_PAYMENT};
use crate::audit::Actor;
use crate::plates;
use crate::MallTz;
use plaza_types::{AppError, Fen};

#[test]
fn the_keypad_amount_is_yuan_with_two_decimals_within_bounds() {
    assert_eq!(parse_amount("12.34"), Ok(Fen(1_234)));
    assert_eq!(parse_amount("¥ 8"), Ok(Fen(800)));
    assert_eq!(parse_amount("0.01"), Ok(Fen(1)));
    assert_eq!(parse_amount("50000"), Ok(MAX_PAYMENT));
    let range = AppError::AmountOutOfRange { min_fen: 1, max_fen: MAX_PAYMENT.0 };
    assert_eq!(parse_amount("0"), Err(range.clone()));
    assert_eq!(parse_amount("50000.01"), Err(range.clone()));
    assert_eq!(parse_amount("-3"), Err(range));
    assert_eq!(parse_amount("1.234"), Err(AppError::AmountTooPrecise));
    assert!(matches!(parse_amount("abc"), Err(AppError::Invalid { .. })));
    assert!(matches!(parse_amount(""), Err(AppError::Invalid { .. })));
}

#[tokio::test]
async fn a_revoked_plate_takes_no_payment_and_other_tenants_cannot_revoke_it() {
    let s = shop().await;
    let plate = plates::issue(&s.db, s.tenant, "收银台 1", &Actor::System, T0).await.unwrap();
    assert!(plate_pay::active_plate(&s.db, &plate.code).await.is_ok());
    let other = crate::testing::seed_tenant(&s.db, "other").await;
    let err = plates::revoke(&s.db, other, plate.id, &Actor::System, T0).await.unwrap_err();
    assert_eq!(err.user(), Some(&AppError::NotFound));
    plates::revoke(&s.db, s.tenant, plate.id, &Actor::System, T0).await.unwrap();
    let err = plate_pay::active_plate(&s.db, &plate.code).await.unwrap_err();
    assert_eq!(err.user(), Some(&AppError::NotUsable));
    assert_eq!(plate_pay::active_plate(&s.db, "nope").await.unwrap_err().user(), Some(&AppError::NotFound));
    assert!(plates::issue(&s.db, s.tenant, "", &Actor::System, T0).await.is_err(), "a plate needs a name");
}

#[tokio::test]
async fn the_pay_page_offers_only_coupons_that_fit_the_amount() {
    let s = shop().await;
    let plate = plates::issue(&s.db, s.tenant, "前台", &Actor::System, T0).await.unwrap();
    let small = plate_pay::options(&s.db, s.member, &plate.code, Fen(9_999), T0, &MallTz::shanghai()).await.unwrap();
    assert!(small.coupons.is_empty(), "满100减20 does not fit ¥99.99");
    let big = plate_pay::options(&s.db, s.member, &plate.code, Fen(12_000), T0, &MallTz::shanghai()).await.unwrap();
    assert_eq!(big.coupons.iter().map(|c| (c.id, c.discount)).collect::<Vec<_>>(), vec![(s.coupon, Fen(2_000))]);
    assert_eq!(
        (big.points_available, big.stored_value, big.points_per_yuan, big.max_points_pct),
        (2_000, Fen(5_000), 100, 50)
    );
}

#[tokio::test]
async fn a_payment_whose_breakdown_moved_is_refused_and_gives_everything_back() {
    let s = shop().await;
    let plate = plates::issue(&s.db, s.tenant, "前台", &Actor::System, T0).await.unwrap();
    let before = balances(&s.db, s.member).await;
    let choice = Choice { coupon: Some(s.coupon), use_points: true, use_stored_value: true };
    // ¥120: coupon 20, points 20 (2,000 points), stored value 50 → 30 left. The page said 40.
    let order = PlateOrder {
        code: plate.code.clone(),
        amount: Fen(12_000),
        choice,
        expected_to_pay: Some(Fen(4_000)),
        request_key: "k1".into(),
    };
    let err = plate_pay::start(&s.db, &sandbox(), s.member, &order, T0).await.unwrap_err();
    assert_eq!(err.user(), Some(&AppError::QuoteChanged));
    assert_eq!(balances(&s.db, s.member).await, before, "points and stored value given back");
    let usable =
        crate::coupons::usable_for(&s.db, s.member, Some(s.tenant), Fen(12_000), T0, &MallTz::utc()).await.unwrap();
    assert_eq!(usable.len(), 1, "the coupon is usable again");
    // The same request again is refused again, never half-done.
    let again = plate_pay::start(&s.db, &sandbox(), s.member, &order, T0).await.unwrap_err();
    assert_eq!(again.user(), Some(&AppError::QuoteChanged));

    let order = PlateOrder { expected_to_pay: Some(Fen(3_000)), request_key: "k2".into(), ..order };
    let created = plate_pay::start(&s.db, &sandbox(), s.member, &order, T0).await.unwrap();
    assert_eq!(created.split.external, Fen(3_000));
    let view = views::of_member(&s.db, s.member, &created.payment_no, &MallTz::shanghai()).await.unwrap();
    assert_eq!((view.state.as_str(), view.plate.as_deref()), ("paying", Some(plate.code.as_str())));
    let stranger = crate::testing::seed_member(&s.db, "13300000009").await;
    assert!(
        views::of_member(&s.db, stranger, &created.payment_no, &MallTz::utc()).await.is_err(),
        "not another member's"
    );
}

#[tokio::test]
async fn the_browser_return_completes_a_paid_order_and_closes_a_cancelled_one() {
    let s = shop().await;
    let plate = plates::issue(&s.db, s.tenant, "前台", &Actor::System, T0).await.unwrap();
    let order = |key: &str| PlateOrder {
        code: plate.code.clone(),
        amount: Fen(3_000),
        choice: Choice::default(),
        expected_to_pay: None,
        request_key: key.into(),
    };
    let paid = plate_pay::start(&s.db, &sandbox(), s.member, &order("a"), T0).await.unwrap();
    super::sandbox::confirm(&s.db, &sandbox(), &paid.payment_no, T0).await.unwrap();
    views::settle_return(&s.db, &sandbox(), &paid.payment_no, T0).await.unwrap();
    let view = views::of_member(&s.db, s.member, &paid.payment_no, &MallTz::utc()).await.unwrap();
    assert_eq!((view.state.as_str(), view.points_earned), ("paid", 30));

    let cancelled = plate_pay::start(&s.db, &sandbox(), s.member, &order("b"), T0).await.unwrap();
    super::sandbox::cancel(&s.db, &cancelled.payment_no).await.unwrap();
    views::settle_return(&s.db, &sandbox(), &cancelled.payment_no, T0).await.unwrap();
    let view = views::of_member(&s.db, s.member, &cancelled.payment_no, &MallTz::utc()).await.unwrap();
    assert_eq!(view.state, plaza_types::PaymentState::Closed);
    let history = views::history(&s.db, s.member, 10, &MallTz::utc()).await.unwrap();
    assert_eq!(history.iter().map(|p| p.payment_no.as_str()).collect::<Vec<_>>(), vec![paid.payment_no.as_str()]);
}
