use super::*;
use crate::mall_orders::views::{self, Viewer};
use crate::mall_orders::{console, shopper};
use crate::points;
use plaza_types::error::Field;
use plaza_types::AppError;

async fn line_ids(m: &Mall, order_no: &str) -> Vec<i64> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT l.id FROM shop_order_lines l JOIN mall_orders o ON o.id = l.order_id WHERE o.order_no = $1 ORDER BY l.id",
    )
    .bind(order_no)
    .fetch_all(m.db.pool())
    .await
    .unwrap();
    rows.into_iter().map(|(id,)| id).collect()
}

async fn awarded(m: &Mall, order_no: &str) -> i64 {
    let (p,): (i64,) = sqlx::query_as("SELECT points FROM points_awards WHERE source = 'mall' AND external_ref = $1")
        .bind(order_no)
        .fetch_one(m.db.pool())
        .await
        .unwrap();
    p
}

#[tokio::test]
async fn a_paid_order_cancelled_before_the_shop_accepts_is_refunded_and_restocked() {
    let m = mall("10").await;
    cart::add(&m.db, m.buyer, m.mug, 2, m.now).await.unwrap();
    cart::add(&m.db, m.buyer, m.cable, 1, m.now).await.unwrap();
    let created = checkout::place(&m.db, &sandbox(), m.buyer, &m.place("c1", true), m.now).await.unwrap();
    let (a_no, b_no) = (format!("{}-1", created.payment_no), format!("{}-2", created.payment_no));
    assert_eq!(m.stock(m.mug).await, 8);
    shopper::cancel(&m.db, &sandbox(), m.buyer, &a_no, "不想要了", m.now).await.unwrap();
    assert_eq!(m.state(&a_no).await, "cancelled");
    assert_eq!(m.state(&b_no).await, "paid", "the other shop's order stands");
    assert_eq!(m.stock(m.mug).await, 10);
    assert_eq!(stored_value::balance(m.db.pool(), m.buyer).await.unwrap(), Fen(50_000 - 2_500));
    let view = views::order(&m.db, Viewer::Shopper(m.buyer), &a_no, m.now).await.unwrap();
    assert_eq!((view.refunded, view.cancellable), (Fen(7_800), false));
    // Twice: refused, nothing more given back.
    assert_eq!(user_error(shopper::cancel(&m.db, &sandbox(), m.buyer, &a_no, "", m.now).await), AppError::NotUsable);
    assert_eq!(stored_value::balance(m.db.pool(), m.buyer).await.unwrap(), Fen(50_000 - 2_500));
    // The engine refuses a refund nobody announced.
    let request = crate::payments::RefundRequest {
        payment_no: &created.payment_no,
        refund_no: "RX",
        amount: Fen(100),
        reason: "手动",
    };
    let refused = crate::payments::refund(&m.db, &sandbox(), request, &Actor::System, m.now).await;
    assert_eq!(user_error(refused), AppError::NotUsable);
}

#[tokio::test]
async fn refunded_lines_go_back_to_stock_and_reverse_the_points_exactly() {
    let m = mall("10").await;
    let no = m.bought_mugs(m.buyer, 4, "r1").await;
    console::accept(&m.db, m.a, m.staff_a, &no, m.now).await.unwrap();
    let code = views::order(&m.db, Viewer::Shopper(m.buyer), &no, m.now).await.unwrap().pickup_code.unwrap();
    console::hand_over(&m.db, m.a, m.staff_a, &code, m.now).await.unwrap();
    let earned = awarded(&m, &no).await;
    assert!(earned > 0);
    let pending_before = points::account::balance(m.db.pool(), m.buyer).await.unwrap().pending;
    assert_eq!(pending_before, earned);
    let line = line_ids(&m, &no).await[0];
    // More than was bought, a line of no order of this shop, a reason missing: refused, nothing moved.
    assert_eq!(
        user_error(
            console::refund_lines(&m.db, &sandbox(), m.a, m.staff_a, &no, &[(line, 5)], true, "退货", m.now).await
        ),
        AppError::invalid(Field::Quantity)
    );
    assert_eq!(
        user_error(console::refund_lines(&m.db, &sandbox(), m.a, m.staff_a, &no, &[(line, 1)], true, "", m.now).await),
        AppError::invalid(Field::Reason)
    );
    assert_eq!(
        user_error(
            console::refund_lines(&m.db, &sandbox(), m.a, m.staff_a, &no, &[(line + 999, 1)], true, "退货", m.now)
                .await
        ),
        AppError::NotFound
    );
    assert_eq!(m.stock(m.mug).await, 6);
    // Half back with the goods: two units return to stock, half the points go.
    let amount =
        console::refund_lines(&m.db, &sandbox(), m.a, m.staff_a, &no, &[(line, 2)], true, "退货", m.now).await.unwrap();
    assert_eq!(amount, Fen(7_800));
    assert_eq!(m.stock(m.mug).await, 8);
    let half = points::account::balance(m.db.pool(), m.buyer).await.unwrap().pending;
    assert_eq!(half, earned - earned / 2);
    // The rest without the goods (damaged): no stock back, every point reversed.
    console::refund_lines(&m.db, &sandbox(), m.a, m.staff_a, &no, &[(line, 2)], false, "破损", m.now).await.unwrap();
    assert_eq!(m.stock(m.mug).await, 8);
    assert_eq!(points::account::balance(m.db.pool(), m.buyer).await.unwrap().pending, 0);
    assert_eq!(stored_value::balance(m.db.pool(), m.buyer).await.unwrap(), Fen(50_000));
    // Nothing left to refund.
    assert_eq!(
        user_error(
            console::refund_lines(&m.db, &sandbox(), m.a, m.staff_a, &no, &[(line, 1)], true, "退货", m.now).await
        ),
        AppError::invalid(Field::Quantity)
    );
    let view = views::order(&m.db, Viewer::Shop(m.a), &no, m.now).await.unwrap();
    assert_eq!((view.refunded, view.lines[0].refunded_quantity), (Fen(15_600), 4));
}

#[tokio::test]
async fn a_refund_the_provider_pays_back_goes_through_the_engine() {
    let m = mall("10").await;
    cart::add(&m.db, m.buyer, m.cable, 2, m.now).await.unwrap();
    let created = checkout::place(&m.db, &sandbox(), m.buyer, &m.place("ext", false), m.now).await.unwrap();
    pay_outside(&m.db, &created, m.now).await;
    let no = format!("{}-1", created.payment_no);
    assert_eq!(m.state(&no).await, "paid");
    assert_eq!(m.stock(m.cable).await, 48);
    shopper::cancel(&m.db, &sandbox(), m.buyer, &no, "", m.now).await.unwrap();
    assert_eq!(m.state(&no).await, "cancelled");
    assert_eq!(m.stock(m.cable).await, 50);
    let (state, refunded): (String, i64) =
        sqlx::query_as("SELECT state, refunded_fen FROM payments WHERE payment_no = $1")
            .bind(created.payment_no.as_str())
            .fetch_one(m.db.pool())
            .await
            .unwrap();
    assert_eq!((state.as_str(), refunded), ("refunded", 5_000));
}
