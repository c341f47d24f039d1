use super::*;
use crate::payments::{Gateway, PaymentState};
use crate::scheduled::{self, JobContext};
use crate::{jobs, sms::OutboxSms};
use plaza_types::dto::ShopProblem;
use plaza_types::AppError;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

const BUYERS: usize = 200;
const UNITS: i64 = 5;

/// `count` shoppers with ¥100 of stored value and one mug each in their cart.
async fn buyers(m: &Mall, count: usize) -> Vec<MemberId> {
    let mut buyers = Vec::new();
    for i in 0..count {
        let member = seed_member(&m.db, &format!("1350000{:04}", i)).await;
        let mut tx = m.db.begin_write().await.unwrap();
        stored_value::credit(&mut tx, member, Fen(10_000), "topup", &format!("race{i}"), "", &Actor::System, m.now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        cart::add(&m.db, member, m.mug, 1, m.now).await.unwrap();
        buyers.push(member);
    }
    buyers
}

/// The mug's stock and the units held by its orders still waiting for payment or paid, read in
/// one statement (one snapshot on both databases).
async fn stock_and_held(m: &Mall) -> (i64, i64, i64) {
    sqlx::query_as(
        "SELECT (SELECT stock FROM shop_skus WHERE id = $1), \
         (SELECT CAST(COALESCE(SUM(l.quantity), 0) AS BIGINT) FROM shop_order_lines l JOIN mall_orders o ON o.id = l.order_id \
          WHERE l.sku_id = $1 AND o.state = 'pending'), \
         (SELECT CAST(COALESCE(SUM(l.quantity), 0) AS BIGINT) FROM shop_order_lines l JOIN mall_orders o ON o.id = l.order_id \
          WHERE l.sku_id = $1 AND o.state = 'paid')",
    )
    .bind(m.mug.0)
    .fetch_one(m.db.pool())
    .await
    .unwrap()
}

/// Two hundred shoppers with the last five mugs in their carts press pay at once: exactly five
/// checkouts are paid, the stock ends at zero, and the others are told the stock ran short
/// with nothing taken from them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_buyers_race_for_the_last_five_units_and_five_pay() {
    let m = mall(&UNITS.to_string()).await;
    let buyers = buyers(&m, BUYERS).await;
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
                assert_eq!(created.state, PaymentState::Paid);
                paid += 1;
            }
            Err(e) => assert_eq!(e.user(), Some(&AppError::Shop { problem: ShopProblem::StockShort })),
        }
    }
    assert_eq!(paid, UNITS);
    assert_eq!(stock_and_held(&m).await, (0, 0, UNITS));
    let (orders, units): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(DISTINCT o.id), CAST(COALESCE(SUM(l.quantity), 0) AS BIGINT) FROM mall_orders o \
         JOIN shop_order_lines l ON l.order_id = o.id WHERE o.state = 'paid'",
    )
    .fetch_one(m.db.pool())
    .await
    .unwrap();
    assert_eq!((orders, units), (UNITS, UNITS));
    // The losers paid nothing and keep their line.
    let (spent,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM sv_accounts WHERE balance_fen < 10000 AND balance_fen > 0")
            .fetch_one(m.db.pool())
            .await
            .unwrap();
    assert_eq!(spent, UNITS);
    let (kept,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mall_cart_lines WHERE sku_id = $1")
        .bind(m.mug.0)
        .fetch_one(m.db.pool())
        .await
        .unwrap();
    assert_eq!(kept, BUYERS as i64 - UNITS);
}

/// How a buyer pays: from stored value at once, at the provider right after placing, or not at
/// all (the order is placed, its unit reserved, and the shopper walks away from the pay page).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Buyer {
    StoredValue,
    Provider,
    WalksAway,
}

/// Two hundred shoppers race for the last five mugs, two thirds of them paying through the
/// provider: a placed order holds its unit while its payment is open, so the race is lost by
/// everyone else until the payment timeout job (run from the job table) gives back the units of
/// those who walked away, and the next round races for them. At every moment the stock plus
/// the units held by open and paid orders is five and the stock is never negative; in the end
/// exactly five orders are paid, the stock is zero, nothing is left waiting, and the first
/// round's timeout job, claimed by a worker that died, still runs after its lease runs out.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn provider_payers_who_never_pay_give_their_units_back_through_the_timeout_job() {
    let m = mall(&UNITS.to_string()).await;
    let members = buyers(&m, BUYERS).await;
    let kinds = [Buyer::StoredValue, Buyer::Provider, Buyer::WalksAway];
    let mut waiting: Vec<(usize, MemberId, Buyer)> =
        members.iter().enumerate().map(|(i, member)| (i, *member, kinds[i % 3])).collect();
    let gateway =
        Gateway::sandbox(&m.db, &crate::testing::test_secrets(), sandbox().notify_url, Delivery::Normal).await.unwrap();
    let ctx = JobContext::new(&gateway, Arc::new(OutboxSms));
    let (mut walked_away, mut paid, mut round) = (Vec::new(), 0, 0);
    while paid < UNITS {
        round += 1;
        assert!(round <= 40 && !waiting.is_empty(), "round {round}: {paid} paid, {} still waiting", waiting.len());
        let now = m.now.plus_secs(round * 30 * 60);
        // Whoever watches the shelf meanwhile sees the five units all accounted for.
        let done = Arc::new(AtomicBool::new(false));
        let watcher = {
            let (db, mug, done) = (m.db.db(), m.mug, done.clone());
            tokio::spawn(async move {
                let mut looks = 0;
                while !done.load(Ordering::SeqCst) || looks == 0 {
                    let (stock, held): (i64, i64) = sqlx::query_as(
                        "SELECT (SELECT stock FROM shop_skus WHERE id = $1), (SELECT CAST(COALESCE(SUM(l.quantity), 0) AS BIGINT) \
                         FROM shop_order_lines l JOIN mall_orders o ON o.id = l.order_id WHERE l.sku_id = $1 \
                         AND o.state IN ('pending', 'paid'))",
                    )
                    .bind(mug.0)
                    .fetch_one(db.pool())
                    .await
                    .unwrap();
                    assert!(stock >= 0 && stock + held == UNITS, "stock {stock}, held {held}");
                    looks += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                }
                looks
            })
        };
        let tasks: Vec<_> = waiting
            .iter()
            .map(|&(i, member, kind)| {
                let db = m.db.db();
                let place = m.place(&format!("race-{i}-{round}"), kind == Buyer::StoredValue);
                tokio::spawn(async move {
                    let created = match checkout::place(&db, &sandbox(), member, &place, now).await {
                        Ok(created) => created,
                        Err(e) => {
                            assert_eq!(e.user(), Some(&AppError::Shop { problem: ShopProblem::StockShort }));
                            return None;
                        }
                    };
                    match kind {
                        Buyer::StoredValue => assert_eq!(created.state, PaymentState::Paid),
                        Buyer::Provider => {
                            assert_eq!(created.state, PaymentState::Paying);
                            pay_outside(&db, &created, now).await;
                        }
                        Buyer::WalksAway => assert_eq!(created.state, PaymentState::Paying),
                    }
                    Some(created.payment_no.to_string())
                })
            })
            .collect();
        let mut placed = Vec::new();
        for (task, (i, _, kind)) in tasks.into_iter().zip(waiting.clone()) {
            if let Some(payment_no) = task.await.unwrap() {
                placed.push((i, kind, payment_no));
            }
        }
        done.store(true, Ordering::SeqCst);
        assert!(watcher.await.unwrap() > 0);
        let (stock, pending, paid_now) = stock_and_held(&m).await;
        assert_eq!((stock, pending + paid_now), (0, UNITS), "round {round}: the shelf is empty, every unit held");
        let away: Vec<String> =
            placed.iter().filter(|(_, kind, _)| *kind == Buyer::WalksAway).map(|(_, _, no)| no.clone()).collect();
        assert_eq!(pending, away.len() as i64, "round {round}: only the walked-away orders wait");

        // Sixteen minutes on, the timeout job. In the first round the worker that claims it dies
        // before running it (a kill -9): the units stay held until the job's lease runs out and
        // a restarted worker runs it again.
        let later = now.plus_secs(16 * 60);
        scheduled::schedule_due(&m.db, later).await.unwrap();
        let mut run_at = later;
        if round == 1 {
            while jobs::claim(&m.db, "killed", later, 300).await.unwrap().is_some() {}
            assert_eq!(stock_and_held(&m).await, (0, pending, paid_now), "the dead worker released nothing");
            run_at = later.plus_secs(301);
        }
        scheduled::run_due(&m.db, &ctx, "restarted", run_at).await.unwrap();
        let (stock, pending, paid_after) = stock_and_held(&m).await;
        assert_eq!((stock, pending, paid_after), (UNITS - paid_now, 0, paid_now), "round {round}: units back");
        for no in &away {
            assert_eq!(crate::payments::find(m.db.pool(), no).await.unwrap().unwrap().state, PaymentState::Closed);
        }
        paid = paid_now;
        walked_away.extend(away);
        // Who placed an order is done (paid, or gone); the rest race again for what came back.
        waiting.retain(|(i, _, _)| !placed.iter().any(|(p, _, _)| p == i));
    }
    assert_eq!(paid, UNITS);
    assert_eq!(stock_and_held(&m).await, (0, 0, UNITS));
    let (open, negative): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM payments WHERE state IN ('created', 'paying')), \
         (SELECT COUNT(*) FROM shop_skus WHERE stock < 0)",
    )
    .fetch_one(m.db.pool())
    .await
    .unwrap();
    assert_eq!((open, negative), (0, 0));
    let (expired,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mall_orders WHERE state = 'expired'")
        .fetch_one(m.db.pool())
        .await
        .unwrap();
    assert_eq!(expired, walked_away.len() as i64);
    // Stored value went only to the paid orders.
    let (sv_total, sv_paid): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT CAST(SUM(balance_fen) AS BIGINT) FROM sv_accounts WHERE member_id NOT IN ($1, $2)), \
         (SELECT CAST(COALESCE(SUM(sv_fen), 0) AS BIGINT) FROM payments WHERE state = 'paid')",
    )
    .bind(m.buyer.0)
    .bind(m.other.0)
    .fetch_one(m.db.pool())
    .await
    .unwrap();
    assert_eq!(sv_total, BUYERS as i64 * 10_000 - sv_paid);
    eprintln!("{round} rounds, {} orders walked away from and released by the timeout job", walked_away.len());
}
