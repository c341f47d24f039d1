use super::*;
use plaza_types::dto::ShopProblem;
use plaza_types::AppError;

/// Thirty shoppers with the last five mugs in their carts press pay at once: exactly five
/// checkouts are paid, the stock ends at zero, and the others are told the stock ran short
/// with nothing taken from them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_buyers_race_for_the_last_five_units_and_five_pay() {
    let m = mall("5").await;
    let mut buyers = Vec::new();
    for i in 0..30 {
        let member = seed_member(&m.db, &format!("1350000{:04}", i)).await;
        let mut tx = m.db.begin_write().await.unwrap();
        stored_value::credit(&mut tx, member, Fen(10_000), "topup", &format!("race{i}"), "", &Actor::System, m.now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        cart::add(&m.db, member, m.mug, 1, m.now).await.unwrap();
        buyers.push(member);
    }
    let tasks: Vec<_> = buyers
        .iter()
        .map(|member| {
            let db = m.db.db();
            let member = *member;
            let place = m.place("race", true);
            let now = m.now;
            tokio::spawn(async move { checkout::place(&db, &sandbox(), member, &place, now).await })
        })
        .collect();
    let mut paid = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(created) => {
                assert_eq!(created.state, crate::payments::PaymentState::Paid);
                paid += 1;
            }
            Err(e) => assert_eq!(e.user(), Some(&AppError::Shop { problem: ShopProblem::StockShort })),
        }
    }
    assert_eq!(paid, 5);
    assert_eq!(m.stock(m.mug).await, 0);
    let (orders, units): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(DISTINCT o.id), CAST(COALESCE(SUM(l.quantity), 0) AS BIGINT) FROM mall_orders o \
         JOIN shop_order_lines l ON l.order_id = o.id WHERE o.state = 'paid'",
    )
    .fetch_one(m.db.pool())
    .await
    .unwrap();
    assert_eq!((orders, units), (5, 5));
    // The losers paid nothing and keep their line.
    let (spent,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM sv_accounts WHERE balance_fen < 10000 AND balance_fen > 0")
            .fetch_one(m.db.pool())
            .await
            .unwrap();
    assert_eq!(spent, 5);
    let (kept,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mall_cart_lines WHERE sku_id = $1")
        .bind(m.mug.0)
        .fetch_one(m.db.pool())
        .await
        .unwrap();
    assert_eq!(kept, 25);
}
