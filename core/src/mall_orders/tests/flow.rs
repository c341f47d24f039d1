use super::*;
use crate::mall_orders::views::{self, ListFilter, Viewer};
use crate::mall_orders::{addresses, console, shopper};
use crate::payments::{self, PaymentState};
use plaza_types::dto::{CartLineProblem, MallOrderState, ShopProblem};
use plaza_types::error::Field;
use plaza_types::AppError;

async fn sales(m: &Mall, payment_no: &str) -> Vec<(i64, String, i64)> {
    sqlx::query_as(
        "SELECT s.tenant_id, s.kind, s.amount_fen FROM tenant_sales s JOIN payments p ON p.id = s.payment_id \
         WHERE p.payment_no = $1 ORDER BY s.id",
    )
    .bind(payment_no)
    .fetch_all(m.db.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn a_cart_of_two_shops_becomes_two_orders_under_one_payment_and_is_picked_up() {
    let m = mall("10").await;
    cart::add(&m.db, m.buyer, m.mug, 2, m.now).await.unwrap();
    cart::add(&m.db, m.buyer, m.cable, 1, m.now).await.unwrap();
    let shown = cart::view(&m.db, m.buyer, m.now).await.unwrap();
    assert_eq!((shown.shops.len(), shown.total, shown.has_problems), (2, Fen(10_300), false));
    let mut place = m.place("k1", true);
    place.expected_total = Some(shown.total);
    let created = checkout::place(&m.db, &sandbox(), m.buyer, &place, m.now).await.unwrap();
    assert_eq!(created.state, PaymentState::Paid);
    assert_eq!(created.split.stored_value, Fen(10_300));
    let orders = m.orders_of(&created.payment_no).await;
    let a_no = format!("{}-1", created.payment_no);
    assert_eq!(
        orders,
        [
            (a_no.clone(), m.a.0, "paid".into(), 7_800),
            (format!("{}-2", created.payment_no), m.b.0, "paid".into(), 2_500)
        ]
    );
    assert_eq!((m.stock(m.mug).await, m.stock(m.cable).await), (8, 49));
    assert_eq!(sales(&m, &created.payment_no).await, [(m.a.0, "sale".into(), 7_800), (m.b.0, "sale".into(), 2_500)]);
    assert!(cart::view(&m.db, m.buyer, m.now).await.unwrap().shops.is_empty(), "the cart is emptied");
    // The same form sent again pays nothing more.
    let again = checkout::place(&m.db, &sandbox(), m.buyer, &place, m.now).await.unwrap();
    assert_eq!(again.payment_no, created.payment_no);
    assert_eq!(stored_value::balance(m.db.pool(), m.buyer).await.unwrap(), Fen(50_000 - 10_300));

    // The shop accepts: the shopper's page shows the code, the shop's never does.
    let view = views::order(&m.db, Viewer::Shopper(m.buyer), &a_no, m.now).await.unwrap();
    assert_eq!((view.state, view.pickup_code.as_deref(), view.cancellable), (MallOrderState::Paid, None, true));
    assert_eq!(console::accept(&m.db, m.a, m.staff_a, &a_no, m.now).await.unwrap(), MallOrderState::Ready);
    let view = views::order(&m.db, Viewer::Shopper(m.buyer), &a_no, m.now).await.unwrap();
    let code = view.pickup_code.clone().expect("code shown once ready");
    assert_eq!(view.lines[0].unit_price, Fen(3_900));
    assert!(views::order(&m.db, Viewer::Shop(m.a), &a_no, m.now).await.unwrap().pickup_code.is_none());
    // Another shop's counter cannot use it; a wrong code is not found.
    assert_eq!(user_error(console::hand_over(&m.db, m.b, m.staff_b, &code, m.now).await), AppError::NotFound);
    assert_eq!(user_error(console::hand_over(&m.db, m.a, m.staff_a, "12345678x", m.now).await), AppError::NotFound);
    assert_eq!(console::hand_over(&m.db, m.a, m.staff_a, &code, m.now).await.unwrap(), a_no);
    assert_eq!(m.state(&a_no).await, "completed");
    assert_eq!(user_error(console::hand_over(&m.db, m.a, m.staff_a, &code, m.now).await), AppError::NotUsable);
    // Points once, at completion, on the ¥78 paid; the lines become reviewable.
    let (points,): (i64,) =
        sqlx::query_as("SELECT points FROM points_awards WHERE source = 'mall' AND external_ref = $1")
            .bind(&a_no)
            .fetch_one(m.db.pool())
            .await
            .unwrap();
    assert!(points > 0);
    let (done,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM shop_order_lines o JOIN mall_orders m ON m.id = o.order_id WHERE m.order_no = $1 AND o.completed_at IS NOT NULL")
            .bind(&a_no)
            .fetch_one(m.db.pool())
            .await
            .unwrap();
    assert_eq!(done, 1);
    // Lists: the shopper's two orders; the shop's one, found by order number and phone tail.
    assert_eq!(views::list(&m.db, Viewer::Shopper(m.buyer), &ListFilter::default(), 20).await.unwrap().len(), 2);
    let by_phone = ListFilter { state: None, query: "0201".into() };
    let found = views::list(&m.db, Viewer::Shop(m.a), &by_phone, 20).await.unwrap();
    assert_eq!((found.len(), found[0].order_no.as_str(), found[0].buyer.as_str()), (1, a_no.as_str(), "133****0201"));
}

#[tokio::test]
async fn a_delivery_is_sent_delivered_and_confirmed() {
    let m = mall("10").await;
    // An address without a valid phone is refused and nothing is written.
    assert_eq!(
        user_error(addresses::add(&m.db, m.buyer, "王小明", "12", "上海市 1 号", m.now).await),
        AppError::invalid(Field::Phone)
    );
    assert!(addresses::list(&m.db, m.buyer).await.unwrap().is_empty());
    let address = addresses::add(&m.db, m.buyer, "王小明", "13800138000", "上海市人民大道 1 号", m.now).await.unwrap();
    cart::add(&m.db, m.buyer, m.mug, 1, m.now).await.unwrap();
    cart::add(&m.db, m.buyer, m.cable, 1, m.now).await.unwrap();
    // B does not deliver; delivery without an address is refused; another's address is not found.
    let mut place = m.place("d1", true);
    place.shops = vec![delivery(m.b, Some(address))];
    assert_eq!(user_error(checkout::place(&m.db, &sandbox(), m.buyer, &place, m.now).await), AppError::NotUsable);
    place.shops = vec![delivery(m.a, None)];
    assert_eq!(
        user_error(checkout::place(&m.db, &sandbox(), m.buyer, &place, m.now).await),
        AppError::invalid(Field::Phone)
    );
    place.shops = vec![delivery(m.a, Some(address))];
    cart::add(&m.db, m.other, m.mug, 1, m.now).await.unwrap();
    assert_eq!(user_error(checkout::place(&m.db, &sandbox(), m.other, &place, m.now).await), AppError::NotFound);
    let created = checkout::place(&m.db, &sandbox(), m.buyer, &place, m.now).await.unwrap();
    let no = format!("{}-1", created.payment_no);
    let view = views::order(&m.db, Viewer::Shop(m.a), &no, m.now).await.unwrap();
    assert_eq!((view.ship_name.as_str(), view.ship_phone.as_str()), ("王小明", "13800138000"));
    assert_eq!(user_error(shopper::confirm_receipt(&m.db, m.buyer, &no, m.now).await), AppError::NotUsable);
    assert_eq!(console::accept(&m.db, m.a, m.staff_a, &no, m.now).await.unwrap(), MallOrderState::Accepted);
    // Cancelling after the shop accepted is refused.
    assert_eq!(user_error(shopper::cancel(&m.db, &sandbox(), m.buyer, &no, "", m.now).await), AppError::NotUsable);
    assert_eq!(
        user_error(console::dispatch(&m.db, m.a, m.staff_a, &no, "顺丰", "x", m.now).await),
        AppError::invalid(Field::ReceiptNo)
    );
    console::dispatch(&m.db, m.a, m.staff_a, &no, "顺丰", "SF1234567890", m.now).await.unwrap();
    console::mark_delivered(&m.db, m.a, m.staff_a, &no, m.now).await.unwrap();
    let view = views::order(&m.db, Viewer::Shopper(m.buyer), &no, m.now).await.unwrap();
    assert_eq!(
        (view.state, view.tracking_no.as_str(), view.confirmable),
        (MallOrderState::Delivered, "SF1234567890", true)
    );
    shopper::confirm_receipt(&m.db, m.buyer, &no, m.now).await.unwrap();
    assert_eq!(m.state(&no).await, "completed");
    // The pickup order of B, never confirmed, is untouched; a delivered order completes by itself.
    assert_eq!(m.state(&format!("{}-2", created.payment_no)).await, "paid");
    assert_eq!(shopper::complete_due(&m.db, m.now.plus_secs(8 * 86_400)).await.unwrap(), 0);
}

#[tokio::test]
async fn delivered_orders_complete_by_themselves_after_seven_days() {
    let m = mall("10").await;
    let address = addresses::add(&m.db, m.buyer, "王小明", "13800138000", "上海市人民大道 1 号", m.now).await.unwrap();
    cart::add(&m.db, m.buyer, m.mug, 1, m.now).await.unwrap();
    let mut place = m.place("auto", true);
    place.shops = vec![delivery(m.a, Some(address))];
    let created = checkout::place(&m.db, &sandbox(), m.buyer, &place, m.now).await.unwrap();
    let no = format!("{}-1", created.payment_no);
    console::dispatch(&m.db, m.a, m.staff_a, &no, "顺丰", "SF1234567890", m.now).await.unwrap();
    console::mark_delivered(&m.db, m.a, m.staff_a, &no, m.now).await.unwrap();
    assert_eq!(shopper::complete_due(&m.db, m.now.plus_secs(6 * 86_400)).await.unwrap(), 0);
    assert_eq!(shopper::complete_due(&m.db, m.now.plus_secs(7 * 86_400 + 1)).await.unwrap(), 1);
    assert_eq!(m.state(&no).await, "completed");
}

#[tokio::test]
async fn an_unpaid_checkout_releases_its_stock_when_its_payment_times_out() {
    let m = mall("3").await;
    cart::add(&m.db, m.buyer, m.mug, 3, m.now).await.unwrap();
    cart::add(&m.db, m.buyer, m.cable, 2, m.now).await.unwrap();
    let created = checkout::place(&m.db, &sandbox(), m.buyer, &m.place("t1", false), m.now).await.unwrap();
    assert_eq!(created.state, PaymentState::Paying);
    assert_eq!((m.stock(m.mug).await, m.stock(m.cable).await), (0, 48), "reserved while unpaid");
    let view =
        views::order(&m.db, Viewer::Shopper(m.buyer), &format!("{}-1", created.payment_no), m.now).await.unwrap();
    assert_eq!((view.state, view.seconds_left), (MallOrderState::Pending, Some(15 * 60)));
    assert!(view.pay_url.is_some());
    // Not yet due: nothing moves.
    assert_eq!(payments::expire_due(&m.db, &sandbox(), m.now.plus_secs(60)).await.unwrap(), (0, 0));
    assert_eq!(payments::expire_due(&m.db, &sandbox(), m.now.plus_secs(16 * 60)).await.unwrap(), (0, 1));
    assert_eq!((m.stock(m.mug).await, m.stock(m.cable).await), (3, 50));
    let states: Vec<String> = m.orders_of(&created.payment_no).await.into_iter().map(|o| o.2).collect();
    assert_eq!(states, ["expired", "expired"]);
    let back = cart::view(&m.db, m.buyer, m.now).await.unwrap();
    assert_eq!(back.shops.iter().map(|s| s.lines[0].quantity).collect::<Vec<_>>(), [3, 2], "lines back in the cart");
    // A late confirmation from the provider cannot pay a closed checkout.
    assert!(!crate::payments::sandbox::confirm(&m.db, &sandbox(), &created.payment_no, m.now).await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_duplicate_notifications_complete_the_orders_once() {
    let m = mall("10").await;
    cart::add(&m.db, m.buyer, m.mug, 1, m.now).await.unwrap();
    cart::add(&m.db, m.buyer, m.cable, 1, m.now).await.unwrap();
    let created = checkout::place(&m.db, &sandbox(), m.buyer, &m.place("n1", false), m.now).await.unwrap();
    assert!(crate::payments::sandbox::confirm(&m.db, &sandbox(), &created.payment_no, m.now).await.unwrap());
    let confirmation = confirmation(&m.db, &created.payment_no).await;
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let db = m.db.db();
            let no = created.payment_no.clone();
            let c = confirmation.clone();
            let now = m.now;
            tokio::spawn(async move { complete(&db, &no, &c, now).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(sales(&m, &created.payment_no).await, [(m.a.0, "sale".into(), 3_900), (m.b.0, "sale".into(), 2_500)]);
    let states: Vec<String> = m.orders_of(&created.payment_no).await.into_iter().map(|o| o.2).collect();
    assert_eq!(states, ["paid", "paid"]);
    let (steps,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM mall_order_steps s JOIN mall_orders o ON o.id = s.order_id WHERE o.payment_no = $1 AND s.state = 'paid'",
    )
    .bind(created.payment_no.as_str())
    .fetch_one(m.db.pool())
    .await
    .unwrap();
    assert_eq!(steps, 2);
    assert_eq!((m.stock(m.mug).await, m.stock(m.cable).await), (9, 49));
}

#[tokio::test]
async fn bad_cart_and_checkout_input_is_refused_and_changes_nothing() {
    let m = mall("5").await;
    for q in [0, -1, 100] {
        assert_eq!(user_error(cart::add(&m.db, m.buyer, m.mug, q, m.now).await), AppError::invalid(Field::Quantity));
    }
    assert_eq!(
        user_error(cart::add(&m.db, m.buyer, m.mug, 6, m.now).await),
        AppError::Shop { problem: ShopProblem::StockShort }
    );
    assert!(cart::view(&m.db, m.buyer, m.now).await.unwrap().shops.is_empty());
    assert_eq!(
        user_error(checkout::place(&m.db, &sandbox(), m.buyer, &m.place("e", true), m.now).await),
        AppError::invalid(Field::Quantity)
    );
    cart::add(&m.db, m.buyer, m.mug, 2, m.now).await.unwrap();
    assert_eq!(
        user_error(cart::set_quantity(&m.db, m.buyer, m.mug, 0, m.now).await),
        AppError::invalid(Field::Quantity)
    );
    assert_eq!(user_error(cart::set_quantity(&m.db, m.buyer, m.cable, 1, m.now).await), AppError::NotFound);
    // A total the client made up: refused, nothing taken.
    let mut place = m.place("made-up", true);
    place.expected_total = Some(Fen(1));
    assert_eq!(user_error(checkout::place(&m.db, &sandbox(), m.buyer, &place, m.now).await), AppError::QuoteChanged);
    // The price changed since the line was added: flagged, and checkout refuses until seen.
    write(&m.db, "UPDATE shop_skus SET price_fen = 4500 WHERE id = $1", m.mug.0).await;
    let flagged = cart::view(&m.db, m.buyer, m.now).await.unwrap();
    assert_eq!(flagged.shops[0].lines[0].problem, Some(CartLineProblem::PriceChanged));
    assert_eq!(
        user_error(checkout::place(&m.db, &sandbox(), m.buyer, &m.place("p", true), m.now).await),
        AppError::QuoteChanged
    );
    // The stock ran short meanwhile: flagged.
    cart::set_quantity(&m.db, m.buyer, m.mug, 2, m.now).await.unwrap();
    write(&m.db, "UPDATE shop_skus SET stock = 1 WHERE id = $1", m.mug.0).await;
    let short = cart::view(&m.db, m.buyer, m.now).await.unwrap();
    assert_eq!(short.shops[0].lines[0].problem, Some(CartLineProblem::StockShort));
    assert_eq!(
        user_error(checkout::place(&m.db, &sandbox(), m.buyer, &m.place("s", true), m.now).await),
        AppError::Shop { problem: ShopProblem::StockShort }
    );
    // Unpublished: flagged as not for sale, never dropped.
    write(
        &m.db,
        "UPDATE shop_products SET status = 'unpublished' WHERE id = (SELECT product_id FROM shop_skus WHERE id = $1)",
        m.mug.0,
    )
    .await;
    let gone = cart::view(&m.db, m.buyer, m.now).await.unwrap();
    assert_eq!((gone.shops[0].lines.len(), gone.shops[0].lines[0].problem), (1, Some(CartLineProblem::NotSellable)));
    assert_eq!(stored_value::balance(m.db.pool(), m.buyer).await.unwrap(), Fen(50_000));
    let (orders,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mall_orders").fetch_one(m.db.pool()).await.unwrap();
    assert_eq!(orders, 0);
}
