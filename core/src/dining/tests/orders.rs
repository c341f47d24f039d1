//! Orders from checkout to the kitchen and back: paying, pickup numbers, the kitchen's taps, the
//! shopper's view, abandoned payments, cancellations and refunds, tickets, the day report.

use super::*;
use crate::dining::cancel::{cancel, Canceller};
use crate::dining::{kitchen as screen, pickup, reports, settings, views};
use crate::payments::PaymentState;
use crate::points;
use crate::MallTz;
use plaza_types::dto::{DiningState, Fulfilment, PickupColumn};
use plaza_types::error::Field;
use plaza_types::{AppError, StaffId};

async fn balances(db: &Db, m: MemberId) -> (i64, i64, Fen) {
    let b = points::account::balance(db.pool(), m).await.unwrap();
    (b.available, b.pending, stored_value::balance(db.pool(), m).await.unwrap())
}

#[tokio::test]
async fn a_paid_order_gets_a_number_reaches_the_kitchen_and_is_followed_to_done() {
    let k = kitchen().await;
    cart::add(&k.db, k.member, &AddDish { remark: "不要香菜".into(), ..k.add(k.noodles, &[k.large, k.egg], 2) }, T0)
        .await
        .unwrap();
    cart::add(&k.db, k.member, &k.add(k.tea, &[], 1), T0).await.unwrap();
    cart::set_remark(&k.db, k.member, k.code, "打包", T0).await.unwrap();
    // ¥80 with ¥30 paid outside: stored value off for this one, the provider for all of it.
    let order = PlaceOrder {
        choice: Choice::default(),
        expected_total: Some(Fen(8_000)),
        expected_to_pay: Some(Fen(8_000)),
        ..k.order("k1")
    };
    let created = checkout::place(&k.db, &sandbox(), k.member, &order, T0).await.unwrap();
    assert_eq!((created.state, created.split.external), (PaymentState::Paying, Fen(8_000)));
    assert!(
        cart::view(&k.db, k.member, k.code, None, T0).await.unwrap().lines.is_empty(),
        "the cart went with the order"
    );
    let no = created.payment_no.to_string();
    assert_eq!(k.state(&no).await, "pending");
    assert!(
        screen::board(&k.db, k.tenant, T0).await.unwrap().open.is_empty(),
        "the kitchen never sees an unpaid order"
    );
    assert!(kitchen_events(&k.db, k.tenant).await.is_empty());
    // The same form sent again is the same order.
    let again = checkout::place(&k.db, &sandbox(), k.member, &order, T0).await.unwrap();
    assert_eq!(again.payment_no, created.payment_no);

    assert!(matches!(pay_outside(&k.db, &created).await, Completion::Completed { points: 80, .. }));
    let board = screen::board(&k.db, k.tenant, T0).await.unwrap();
    let ticket = &board.open[0];
    assert_eq!((ticket.state, ticket.pickup_no, ticket.table.as_str()), (DiningState::Paid, Some(1), "1"));
    assert_eq!((ticket.remark.as_str(), ticket.items.len(), ticket.total), ("打包", 2, Fen(8_000)));
    assert_eq!(
        (
            ticket.items[0].name.zh.as_str(),
            ticket.items[0].options.zh.as_str(),
            ticket.items[0].remark.as_str(),
            ticket.items[0].quantity
        ),
        ("牛肉面", "大份 · 加蛋", "不要香菜", 2)
    );
    assert_eq!(kitchen_events(&k.db, k.tenant).await.len(), 1, "one ticket to the kitchen");
    let wall = pickup::board(&k.db, k.code, T0).await.unwrap();
    assert_eq!((wall.preparing.as_slice(), wall.ready.as_slice()), (&[1][..], &[][..]));

    // The kitchen's screen received it: accepted. Then one tap per step.
    let id = ticket.order_id;
    screen::acknowledge(&k.db, k.tenant, &[id], T0).await.unwrap();
    assert_eq!(k.state(&no).await, "accepted");
    let t = screen::advance(&k.db, k.tenant, id, DiningState::Paid, "staff:1", T0).await.unwrap();
    assert_eq!(t.state, DiningState::Preparing, "a screen that missed the accept still moves it");
    let err = screen::advance(&k.db, k.tenant, id, DiningState::Accepted, "staff:2", T0).await.unwrap_err();
    assert_eq!(err.user(), Some(&AppError::NotUsable), "a second tap from an old screen moves nothing");
    let ready = screen::advance(&k.db, k.tenant, id, DiningState::Preparing, "staff:1", T0).await.unwrap();
    assert_eq!(ready.state, DiningState::Ready);
    let wall = pickup::board(&k.db, k.code, T0).await.unwrap();
    assert_eq!((wall.preparing.len(), wall.ready.as_slice()), (0, &[1][..]));
    assert_eq!(pickup::change(&ready).map(|c| c.column), Some(PickupColumn::Ready));
    let view = views::of_member(&k.db, k.member, &no, &MallTz::shanghai()).await.unwrap();
    assert_eq!(
        (view.ticket.state, view.ticket.number_text().as_deref(), view.points_earned),
        (DiningState::Ready, Some("001"), 80)
    );
    let steps: Vec<_> = view.steps.iter().map(|s| s.state).collect();
    use DiningState::*;
    assert_eq!(steps, [Pending, Paid, Accepted, Preparing, Ready]);
    screen::advance(&k.db, k.tenant, id, DiningState::Ready, "staff:1", T0).await.unwrap();
    let board = screen::board(&k.db, k.tenant, T0).await.unwrap();
    assert_eq!((board.open.len(), board.done.len()), (0, 1));
    // Recalled: back to ready, and on the screen again.
    screen::recall(&k.db, k.tenant, id, "staff:1", T0).await.unwrap();
    assert_eq!(screen::board(&k.db, k.tenant, T0).await.unwrap().open[0].state, DiningState::Ready);
    let versions: Vec<_> = kitchen_events(&k.db, k.tenant).await.iter().map(|t| t.version).collect();
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "every change is a newer version: {versions:?}");
    // Another shopper cannot see it.
    let stranger = seed_member(&k.db, "13300000888").await;
    assert!(views::of_member(&k.db, stranger, &no, &MallTz::shanghai()).await.is_err());
    assert_eq!(views::of_member_list(&k.db, k.member, 10).await.unwrap()[0].order_no, no);
}

#[tokio::test]
async fn another_restaurants_kitchen_can_neither_see_nor_move_an_order() {
    let k = kitchen().await;
    let no = k.paid_order(k.member, "a").await;
    let id = k.order_id(&no).await;
    let other = restaurant(&k.db, "other").await;
    assert!(screen::board(&k.db, other, T0).await.unwrap().open.is_empty());
    for err in [
        screen::advance(&k.db, other, id, DiningState::Paid, "x", T0).await.unwrap_err(),
        screen::recall(&k.db, other, id, "x", T0).await.unwrap_err(),
    ] {
        assert_eq!(err.user(), Some(&AppError::NotFound));
    }
    assert_eq!(screen::print(&k.db, other, id, "x", T0).await.unwrap_err().user(), Some(&AppError::NotFound));
    screen::acknowledge(&k.db, other, &[id], T0).await.unwrap();
    assert_eq!(k.state(&no).await, "paid", "another kitchen's acknowledgement moves nothing");
    let who = Canceller::Staff { tenant: other, staff: StaffId(1), owner: true };
    let err = cancel(&k.db, &sandbox(), &no, who, "不是我们的", T0).await.unwrap_err();
    assert_eq!(err.user(), Some(&AppError::NotFound));
    assert!(kitchen_events(&k.db, other).await.is_empty());
}

#[tokio::test]
async fn an_abandoned_payment_releases_its_order_returns_the_cart_and_blocks_nothing() {
    let k = kitchen().await;
    let friend = seed_member(&k.db, "13300000102").await;
    cart::add(&k.db, k.member, &k.add(k.noodles, &[k.small], 1), T0).await.unwrap();
    let abandoned =
        checkout::place(&k.db, &sandbox(), k.member, &PlaceOrder { choice: Choice::default(), ..k.order("x") }, T0)
            .await
            .unwrap();
    // A second phone at the same table orders and pays meanwhile.
    let mut tx = k.db.begin_write().await.unwrap();
    stored_value::credit(&mut tx, friend, Fen(10_000), "topup", "seed-friend", "", &Actor::System, T0).await.unwrap();
    tx.commit().await.unwrap();
    let paid = k.paid_order(friend, "y").await;
    assert_eq!(k.state(&paid).await, "paid");
    // Fifteen minutes later the timeout job closes the first payment.
    let later = T0.plus_secs(16 * 60);
    assert_eq!(crate::payments::expire_due(&k.db, &sandbox(), later).await.unwrap(), (0, 1));
    assert_eq!(k.state(&abandoned.payment_no).await, "released");
    let back = cart::view(&k.db, k.member, k.code, None, later).await.unwrap();
    assert_eq!(
        back.lines.iter().map(|l| (l.dish_id, l.quantity)).collect::<Vec<_>>(),
        [(k.noodles, 1)],
        "dishes back in the cart"
    );
    assert_eq!(screen::board(&k.db, k.tenant, later).await.unwrap().open.len(), 1, "only the paid order");
    assert_eq!(kitchen_events(&k.db, k.tenant).await.len(), 1, "the kitchen never heard of the released order");
    assert!(
        views::of_member_list(&k.db, k.member, 10).await.unwrap().is_empty(),
        "a released order is not in 我的订单"
    );
    // The same shopper orders again from the returned cart.
    let again = k.order("z");
    let created = checkout::place(&k.db, &sandbox(), k.member, &again, later).await.unwrap();
    assert_eq!(created.state, PaymentState::Paid);
}

#[tokio::test]
async fn a_dish_sold_out_before_paying_is_refused_and_the_cart_kept() {
    let k = kitchen().await;
    cart::add(&k.db, k.member, &k.add(k.noodles, &[k.small], 1), T0).await.unwrap();
    cart::add(&k.db, k.member, &k.add(k.tea, &[], 2), T0).await.unwrap();
    let before = balances(&k.db, k.member).await;
    menu_admin::set_sold_out(&k.db, k.tenant, k.tea, true, &Actor::System, T0).await.unwrap();
    let err = checkout::place(&k.db, &sandbox(), k.member, &k.order("k"), T0).await.unwrap_err();
    assert_eq!(err.user(), Some(&AppError::DishUnavailable));
    assert_eq!(balances(&k.db, k.member).await, before, "nothing taken");
    let view = cart::view(&k.db, k.member, k.code, None, T0).await.unwrap();
    assert_eq!(view.lines.len(), 2, "the whole cart is kept");
    // Removing the sold-out line lets the rest be ordered.
    cart::set_quantity(&k.db, k.member, view.lines[1].id, 0).await.unwrap();
    checkout::place(&k.db, &sandbox(), k.member, &k.order("k2"), T0).await.unwrap();
    // A price the page did not show is refused.
    cart::add(&k.db, k.member, &k.add(k.noodles, &[k.small], 1), T0).await.unwrap();
    let made_up = PlaceOrder { expected_total: Some(Fen(1)), ..k.order("k3") };
    let err = checkout::place(&k.db, &sandbox(), k.member, &made_up, T0).await.unwrap_err();
    assert_eq!(err.user(), Some(&AppError::QuoteChanged));
    let empty = seed_member(&k.db, "13300000555").await;
    let err = checkout::place(&k.db, &sandbox(), empty, &k.order("k4"), T0).await.unwrap_err();
    assert_eq!(err.user(), Some(&AppError::invalid(Field::Dish)), "an empty cart orders nothing");
}

#[tokio::test]
async fn cancelling_before_preparing_refunds_in_full_and_after_only_the_owner_may() {
    let k = kitchen().await;
    let before = balances(&k.db, k.member).await;
    let no = k.paid_order(k.member, "a").await;
    assert_eq!(balances(&k.db, k.member).await.1, 36, "points pending");
    // The shopper cancels before the kitchen starts: all back, points reversed.
    let done = cancel(&k.db, &sandbox(), &no, Canceller::Member(k.member), "", T0).await.unwrap();
    assert_eq!((done.stored_value, done.points_reversed), (Fen(3_600), 36));
    assert_eq!(balances(&k.db, k.member).await, before);
    assert_eq!(k.state(&no).await, "cancelled");
    let view = views::of_member(&k.db, k.member, &no, &MallTz::shanghai()).await.unwrap();
    assert_eq!((view.payment_state, view.cancel_reason.as_deref()), (PaymentState::Refunded, Some("顾客取消")));
    assert!(cancel(&k.db, &sandbox(), &no, Canceller::Member(k.member), "", T0).await.is_err(), "once");

    // Once preparing: not the shopper, not the kitchen; the owner with a reason.
    let no = k.paid_order(k.member, "b").await;
    let id = k.order_id(&no).await;
    screen::advance(&k.db, k.tenant, id, DiningState::Paid, "k", T0).await.unwrap();
    let kitchen_staff = Canceller::Staff { tenant: k.tenant, staff: StaffId(7), owner: false };
    let owner = Canceller::Staff { tenant: k.tenant, staff: StaffId(8), owner: true };
    for who in [Canceller::Member(k.member), kitchen_staff] {
        let err = cancel(&k.db, &sandbox(), &no, who, "想取消", T0).await.unwrap_err();
        assert_eq!(err.user(), Some(&AppError::NotUsable));
    }
    let err = cancel(&k.db, &sandbox(), &no, owner, "", T0).await.unwrap_err();
    assert_eq!(err.user(), Some(&AppError::invalid(Field::Reason)));
    assert_eq!(k.state(&no).await, "preparing");
    cancel(&k.db, &sandbox(), &no, owner, "食材用完", T0).await.unwrap();
    assert_eq!(k.state(&no).await, "cancelled");
    assert_eq!(balances(&k.db, k.member).await, before);
    assert!(screen::board(&k.db, k.tenant, T0).await.unwrap().open.is_empty());
    // A refund from the counter's refund form is not how an order is refunded.
    let no = k.paid_order(k.member, "c").await;
    let request =
        crate::payments::RefundRequest { payment_no: &no, refund_no: "R1", amount: Fen(100), reason: "部分退款" };
    let err = crate::payments::refund(&k.db, &sandbox(), request, &Actor::System, T0).await.unwrap_err();
    assert_eq!(err.user(), Some(&AppError::NotUsable));
    assert_eq!(k.state(&no).await, "paid");
    let report = reports::day_report(&k.db, k.tenant, "2026-03-10").await.unwrap();
    assert_eq!((report.orders, report.sales, report.cancelled, report.refunds), (1, Fen(3_600), 2, Fen(7_200)));
    assert_eq!((report.average, report.top[0].name.zh.as_str(), report.top[0].quantity), (Fen(3_600), "牛肉面", 1));
    let rows = reports::orders(&k.db, k.tenant, "2026-03-10").await.unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1].cancel_reason.as_deref(), Some("食材用完"));
    assert_eq!(rows[0].member, "133****0101");
    assert!(reports::orders(&k.db, k.tenant, "not-a-date").await.is_err());
}

#[tokio::test]
async fn a_refund_the_provider_refuses_puts_the_order_back() {
    let k = kitchen().await;
    cart::add(&k.db, k.member, &k.add(k.tea, &[], 1), T0).await.unwrap();
    let created =
        checkout::place(&k.db, &sandbox(), k.member, &PlaceOrder { choice: Choice::default(), ..k.order("p") }, T0)
            .await
            .unwrap();
    pay_outside(&k.db, &created).await;
    // The sandbox has no order by this number any more: its refund fails.
    let mut tx = k.db.begin_write().await.unwrap();
    sqlx::query("DELETE FROM sandbox_orders WHERE payment_no = $1")
        .bind(created.payment_no.as_str())
        .execute(&mut **tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let err = cancel(&k.db, &sandbox(), &created.payment_no, Canceller::Member(k.member), "", T0).await;
    assert!(err.is_err());
    assert_eq!(k.state(&created.payment_no).await, "paid", "back where it was, to be cancelled again");
}

#[tokio::test]
async fn reprinted_tickets_are_numbered_copies() {
    let k = kitchen().await;
    let no = k.paid_order(k.member, "a").await;
    let id = k.order_id(&no).await;
    assert_eq!(screen::print(&k.db, k.tenant, id, "staff:1", T0).await.unwrap(), 1);
    assert_eq!(screen::print(&k.db, k.tenant, id, "staff:1", T0).await.unwrap(), 2);
    let (ticket, copy, _) = screen::printed(&k.db, k.tenant, id, 2).await.unwrap();
    assert_eq!((ticket.order_id, copy), (id, 2));
    assert!(screen::printed(&k.db, k.tenant, id, 3).await.is_err());
    let other = restaurant(&k.db, "other").await;
    assert!(screen::printed(&k.db, other, id, 1).await.is_err());
}

#[tokio::test]
async fn table_delivery_orders_have_no_number_and_no_pickup_screen() {
    let k = kitchen().await;
    settings::set_fulfilment(&k.db, k.tenant, Fulfilment::TableDelivery, &Actor::System, T0).await.unwrap();
    let no = k.paid_order(k.member, "a").await;
    let view = views::of_member(&k.db, k.member, &no, &MallTz::shanghai()).await.unwrap();
    assert_eq!(
        (view.ticket.fulfilment, view.ticket.pickup_no, view.ticket.table.as_str()),
        (Fulfilment::TableDelivery, None, "1")
    );
    assert_eq!(pickup::board(&k.db, k.code, T0).await.unwrap_err().user(), Some(&AppError::NotFound));
    let shop = crate::testing::seed_tenant(&k.db, "boutique").await;
    assert!(settings::set_fulfilment(&k.db, shop, Fulfilment::CallNumber, &Actor::System, T0).await.is_err());
}
