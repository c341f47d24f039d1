use super::*;
use crate::audit::Actor;
use crate::coupons::{self, NewTemplate, Validity};
use crate::membership_purchase::buy;
use crate::payments::sandbox::{self, Delivery, Sandbox};
use crate::payments::{self, complete, Completion, Confirmation, NewPayment, PaymentProvider, ProviderStatus};
use crate::testing::{seed_member, seed_tenant, test_db};
use crate::MallTz;
use crate::{points, Db, Timestamp};
use plaza_types::dto::{CouponKind, Localized};
use plaza_types::{AppError, Fen, MemberId};

const T0: Timestamp = Timestamp(1_773_108_000_000);
const DAY: i64 = 86_400;

fn provider() -> Sandbox {
    Sandbox { notify_url: "http://127.0.0.1:9/notify/wechat".into(), delivery: Delivery::Normal }
}

/// Pays a created payment the way a notification would: the sandbox takes the money, then the
/// completion command runs with what the sandbox confirms.
async fn pay(db: &Db, payment_no: &str, now: Timestamp) -> Completion {
    sandbox::confirm(db, &provider(), payment_no, now).await.unwrap();
    let ProviderStatus::Paid { transaction_id, amount, paid_at } = provider().query(db, payment_no).await.unwrap()
    else {
        panic!()
    };
    complete(db, payment_no, &Confirmation { provider: Some("sandbox".into()), transaction_id, amount, paid_at }, now)
        .await
        .unwrap()
}

async fn tier_with_packs(db: &Db) -> i64 {
    let mut tx = db.begin_write().await.unwrap();
    let op = Actor::System;
    let t = |code: &str| NewTemplate {
        code: code.into(),
        name: Localized::new(code, code),
        kind: CouponKind::AmountOff,
        value: Fen(1_000),
        percent_off: 0,
        threshold: Fen(0),
        parking_minutes: 0,
        scope_kind: "mall".into(),
        scope_ids: vec![],
        validity: Validity::DaysAfterIssue(30),
        per_member_limit: 1,
        total_stock: None,
        claimable: false,
        description: Localized::default(),
    };
    let wash = coupons::create_template(&mut tx, &t("car-wash"), &op, T0).await.unwrap();
    let shop = coupons::create_template(&mut tx, &t("shop-10"), &op, T0).await.unwrap();
    let first = crate::coupons::packs::create_in(
        &mut tx,
        "first",
        &Localized::new("首购礼包", "Welcome pack"),
        &[(wash, 1), (shop, 3)],
        &op,
        T0,
    )
    .await
    .unwrap();
    let renew = crate::coupons::packs::create_in(
        &mut tx,
        "renew",
        &Localized::new("续费礼包", "Renewal pack"),
        &[(shop, 2)],
        &op,
        T0,
    )
    .await
    .unwrap();
    let tier = tiers::create(
        &mut tx,
        &tiers::NewTier {
            code: "personal".into(),
            name: Localized::new("个人会员卡", "Personal"),
            price: Fen(9_900),
            term_days: 365,
            benefits: Localized::default(),
            member_prices: true,
            first_pack: Some(first),
            renewal_pack: Some(renew),
        },
        &op,
        T0,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    tier
}

async fn coupons_of(db: &Db, m: MemberId) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM coupons WHERE member_id = $1")
        .bind(m.0)
        .fetch_one(db.pool())
        .await
        .unwrap();
    n
}

#[tokio::test]
async fn buying_grants_a_year_and_the_first_pack_once_and_renewing_extends_it() {
    let db = test_db().await;
    let m = seed_member(&db, "13200000101").await;
    let tier = tier_with_packs(&db).await;
    let created = buy(&db, &provider(), m, tier, false, "b1", T0).await.unwrap();
    assert!(matches!(pay(&db, &created.payment_no, T0).await, Completion::Completed { .. }));
    // A repeated notification grants nothing more.
    let ProviderStatus::Paid { transaction_id, amount, paid_at } =
        provider().query(&db, &created.payment_no).await.unwrap()
    else {
        panic!()
    };
    let again = Confirmation { provider: Some("sandbox".into()), transaction_id, amount, paid_at };
    assert_eq!(complete(&db, &created.payment_no, &again, T0).await.unwrap(), Completion::AlreadyComplete);
    assert_eq!(coupons_of(&db, m).await, 4, "the first-purchase pack, once");
    let view = status(&db, m, T0, &MallTz::shanghai()).await.unwrap();
    assert!(view.active && view.member_prices);
    assert_eq!(view.ends_on.as_deref(), Some("2027-03-10"));

    // Renewing 100 days later extends from the current end, and brings the renewal pack.
    let renewal = buy(&db, &provider(), m, tier, false, "b2", T0.plus_secs(100 * DAY)).await.unwrap();
    pay(&db, &renewal.payment_no, T0.plus_secs(100 * DAY)).await;
    assert_eq!(status(&db, m, T0, &MallTz::shanghai()).await.unwrap().ends_on.as_deref(), Some("2028-03-09"));
    assert_eq!(coupons_of(&db, m).await, 6);
    // After the end it lapses: no member prices, history kept.
    let later = T0.plus_secs(800 * DAY);
    let lapsed = status(&db, m, later, &MallTz::shanghai()).await.unwrap();
    assert!(!lapsed.active && !lapsed.member_prices);
    assert!(lapsed.tier.is_some());
}

#[tokio::test]
async fn a_sub_card_gets_member_prices_and_its_points_land_on_the_main_card() {
    let db = test_db().await;
    let main = seed_member(&db, "13200000102").await;
    let friend = seed_member(&db, "13200000103").await;
    let stranger = seed_member(&db, "13200000104").await;
    let tenant = seed_tenant(&db, "cafe").await;
    let tier = tier_with_packs(&db).await;
    // No membership, no invitation.
    assert!(subcards::invite(&db, main, T0).await.is_err());
    let created = buy(&db, &provider(), main, tier, false, "b", T0).await.unwrap();
    pay(&db, &created.payment_no, T0).await;

    let code = subcards::invite(&db, main, T0).await.unwrap();
    let own = subcards::accept(&db, main, &code, T0).await.unwrap_err();
    assert!(matches!(own, crate::Error::User(AppError::NotUsable)), "not one's own card");
    assert_eq!(subcards::accept(&db, friend, &code, T0).await.unwrap(), main);
    let used = subcards::accept(&db, stranger, &code, T0).await.unwrap_err();
    assert!(matches!(used, crate::Error::User(AppError::NotUsable)), "an invitation is used once");
    assert!(
        matches!(subcards::invite(&db, main, T0).await.unwrap_err(), crate::Error::User(AppError::AlreadyExists)),
        "one sub-card per main card"
    );

    let mut conn = db.pool().acquire().await.unwrap();
    assert!(has_member_prices(&mut conn, friend, T0).await.unwrap());
    drop(conn);
    // Both cards wear the badge; the friend's says whose it is.
    let main_badge = super::badge(&db, main, T0).await.unwrap().expect("the main card's badge");
    let friend_badge = super::badge(&db, friend, T0).await.unwrap().expect("the sub-card's badge");
    assert!(!main_badge.subcard && friend_badge.subcard);
    assert_eq!(main_badge.tier, friend_badge.tier);
    assert_eq!(super::badge(&db, stranger, T0).await.unwrap(), None);
    // The member card shows the same badges.
    let card = |m| crate::members::card(&db, m, T0);
    assert_eq!(card(main).await.unwrap().paid, Some(main_badge.clone()));
    assert_eq!(card(friend).await.unwrap().paid, Some(friend_badge.clone()));
    assert_eq!(card(stranger).await.unwrap().paid, None);
    // The friend pays at the café: the points go to the main card.
    let new = NewPayment {
        member: friend,
        details: crate::testing::plate_details(&db, tenant).await,
        subject: "café".into(),
        amount: Fen(5_000),
        coupon: None,
        use_points: false,
        use_stored_value: false,
        request_key: "f1".into(),
    };
    let paid = payments::create(&db, &provider(), &new, T0).await.unwrap();
    pay(&db, &paid.payment_no, T0).await;
    assert_eq!(points::account::balance(db.pool(), main).await.unwrap().pending, 50);
    assert_eq!(points::account::balance(db.pool(), friend).await.unwrap().pending, 0);

    // Unbinding: the friend is on their own again; a new binding waits for the cool-down.
    subcards::unbind(&db, main, T0.plus_secs(DAY)).await.unwrap();
    let mut conn = db.pool().acquire().await.unwrap();
    assert!(!has_member_prices(&mut conn, friend, T0.plus_secs(DAY)).await.unwrap());
    drop(conn);
    assert_eq!(super::badge(&db, friend, T0.plus_secs(DAY)).await.unwrap(), None);
    assert!(subcards::invite(&db, main, T0.plus_secs(2 * DAY)).await.is_err(), "cool-down");
    assert!(subcards::invite(&db, main, T0.plus_secs(32 * DAY)).await.is_ok());
    let view = status(&db, main, T0.plus_secs(2 * DAY), &MallTz::shanghai()).await.unwrap();
    assert_eq!(view.can_bind_from.as_deref(), Some("2026-04-10"));
}

#[tokio::test]
async fn a_sub_card_holder_must_leave_the_main_card_before_buying_their_own() {
    let db = test_db().await;
    let main = seed_member(&db, "13200000111").await;
    let friend = seed_member(&db, "13200000112").await;
    let tier = tier_with_packs(&db).await;
    let created = buy(&db, &provider(), main, tier, false, "m", T0).await.unwrap();
    pay(&db, &created.payment_no, T0).await;
    let code = subcards::invite(&db, main, T0).await.unwrap();
    subcards::accept(&db, friend, &code, T0).await.unwrap();

    // Bound: refused, saying what leaving costs; nothing is created.
    let refused = buy(&db, &provider(), friend, tier, false, "f", T0.plus_secs(60)).await.unwrap_err();
    assert!(matches!(refused, crate::Error::User(AppError::SubcardBound { cooldown_days: 30 })), "{refused:?}");
    let (payments,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM payments WHERE member_id = $1")
        .bind(friend.0)
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(payments, 0);

    // Only the holder leaves their own binding; leaving twice finds nothing.
    assert!(subcards::leave(&db, main, T0.plus_secs(120)).await.is_err());
    assert_eq!(subcards::leave(&db, friend, T0.plus_secs(120)).await.unwrap(), main);
    assert!(matches!(
        subcards::leave(&db, friend, T0.plus_secs(121)).await,
        Err(crate::Error::User(AppError::NotFound))
    ));
    assert_eq!(subcards::main_of(&db, friend).await.unwrap(), None);
    // Now the friend buys their own; the main card waits the cool-down to bind someone else.
    let own = buy(&db, &provider(), friend, tier, false, "f2", T0.plus_secs(180)).await.unwrap();
    pay(&db, &own.payment_no, T0.plus_secs(180)).await;
    assert!(status(&db, friend, T0.plus_secs(200), &MallTz::shanghai()).await.unwrap().active);
    assert!(subcards::invite(&db, main, T0.plus_secs(DAY)).await.is_err(), "cool-down");
    assert!(subcards::invite(&db, main, T0.plus_secs(31 * DAY)).await.is_ok());
}
