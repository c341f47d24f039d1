//! Many at once: a hundred orders paid together (pickup numbers unique and without gaps), a dish
//! sold out while twenty carts hold it, and a completion notified over and over.

use super::*;
use crate::dining::kitchen as screen;
use crate::payments::PaymentState;
use futures::future::join_all;
use plaza_types::AppError;

async fn shoppers(k: &Kitchen, n: usize) -> Vec<MemberId> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        out.push(seed_member(&k.db, &format!("1350000{:04}", i)).await);
    }
    out
}

#[tokio::test]
async fn a_hundred_orders_paid_at_once_get_unique_gapless_numbers() {
    let k = kitchen().await;
    let members = shoppers(&k, 100).await;
    for m in &members {
        cart::add(&k.db, *m, &k.add(k.tea, &[], 1), T0).await.unwrap();
    }
    // Placed at once, each paying through the provider.
    let placed = join_all(members.iter().enumerate().map(|(i, m)| {
        let db = k.db.db();
        let order = PlaceOrder { choice: Choice::default(), ..k.order(&format!("k{i}")) };
        let member = *m;
        tokio::spawn(async move { checkout::place(&db, &sandbox(), member, &order, T0).await.unwrap() })
    }))
    .await;
    let placed: Vec<Created> = placed.into_iter().map(|r| r.unwrap()).collect();
    for p in &placed {
        assert!(sandbox::confirm(&k.db, &sandbox(), &p.payment_no, T0).await.unwrap());
    }
    // Completed at once, as notifications arriving together.
    let done = join_all(placed.iter().map(|p| {
        let db = k.db.db();
        let no = p.payment_no.to_string();
        tokio::spawn(async move {
            let confirmation = confirmation(&db, &no).await;
            complete(&db, &no, &confirmation, T0).await.unwrap()
        })
    }))
    .await;
    assert!(done.into_iter().all(|r| matches!(r.unwrap(), Completion::Completed { .. })));
    let mut numbers: Vec<(i64,)> =
        sqlx::query_as("SELECT pickup_no FROM dining_orders WHERE tenant_id = $1 ORDER BY pickup_no")
            .bind(k.tenant.0)
            .fetch_all(k.db.pool())
            .await
            .unwrap();
    numbers.dedup();
    assert_eq!(numbers.into_iter().map(|(n,)| n).collect::<Vec<_>>(), (1..=100).collect::<Vec<_>>());
    assert_eq!(screen::board(&k.db, k.tenant, T0).await.unwrap().open.len(), 100);
    // The next mall day starts again at 1.
    let tomorrow = T0.plus_secs(86_400);
    cart::add(&k.db, members[0], &k.add(k.tea, &[], 1), tomorrow).await.unwrap();
    let next = checkout::place(
        &k.db,
        &sandbox(),
        members[0],
        &PlaceOrder { choice: Choice::default(), ..k.order("next") },
        tomorrow,
    )
    .await
    .unwrap();
    sandbox::confirm(&k.db, &sandbox(), &next.payment_no, tomorrow).await.unwrap();
    complete(&k.db, &next.payment_no, &confirmation(&k.db, &next.payment_no).await, tomorrow).await.unwrap();
    let (n,): (Option<i64>,) = sqlx::query_as("SELECT pickup_no FROM dining_orders WHERE payment_no = $1")
        .bind(next.payment_no.as_str())
        .fetch_one(k.db.pool())
        .await
        .unwrap();
    assert_eq!(n, Some(1));
}

#[tokio::test]
async fn a_dish_sold_out_while_twenty_carts_hold_it_is_refused_in_each() {
    let k = kitchen().await;
    let members = shoppers(&k, 20).await;
    for m in &members {
        let mut tx = k.db.begin_write().await.unwrap();
        stored_value::credit(&mut tx, *m, Fen(10_000), "topup", &format!("seed-{}", m.0), "", &Actor::System, T0)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        cart::add(&k.db, *m, &k.add(k.tea, &[], 1), T0).await.unwrap();
        cart::add(&k.db, *m, &k.add(k.noodles, &[k.small], 1), T0).await.unwrap();
    }
    // The kitchen sells the tea out while all twenty check out.
    let db = k.db.db();
    let (tenant, tea) = (k.tenant, k.tea);
    let sell_out = tokio::spawn(async move {
        menu_admin::set_sold_out(&db, tenant, tea, true, &Actor::System, T0).await.unwrap();
    });
    let results = join_all(members.iter().enumerate().map(|(i, m)| {
        let db = k.db.db();
        let order = k.order(&format!("c{i}"));
        let member = *m;
        tokio::spawn(async move { checkout::place(&db, &sandbox(), member, &order, T0).await })
    }))
    .await;
    sell_out.await.unwrap();
    let mut refused = 0;
    for (r, m) in results.into_iter().zip(&members) {
        match r.unwrap() {
            Ok(created) => assert_eq!(created.state, PaymentState::Paid, "ordered before the switch"),
            Err(e) => {
                assert_eq!(e.user(), Some(&AppError::DishUnavailable));
                refused += 1;
                let view = cart::view(&k.db, *m, k.code, None, T0).await.unwrap();
                assert_eq!(view.lines.len(), 2, "the cart is kept whole");
                assert_eq!(stored_value::balance(k.db.pool(), *m).await.unwrap(), Fen(10_000), "nothing taken");
            }
        }
    }
    // Whoever ordered before the switch has the tea; nobody after it.
    let (ordered,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM dining_order_items i JOIN dining_orders o ON o.id = i.order_id WHERE i.dish_id = $1 AND o.state = 'paid'",
    )
    .bind(k.tea)
    .fetch_one(k.db.pool())
    .await
    .unwrap();
    assert_eq!(ordered + refused, 20);
    // After the switch, every remaining cart is refused.
    for m in &members {
        if !cart::view(&k.db, *m, k.code, None, T0).await.unwrap().lines.is_empty() {
            let err = checkout::place(&k.db, &sandbox(), *m, &k.order("after"), T0).await.unwrap_err();
            assert_eq!(err.user(), Some(&AppError::DishUnavailable));
        }
    }
}

#[tokio::test]
async fn duplicate_notifications_make_one_order_one_ticket_and_points_once() {
    let k = kitchen().await;
    cart::add(&k.db, k.member, &k.add(k.noodles, &[k.large], 1), T0).await.unwrap();
    let created =
        checkout::place(&k.db, &sandbox(), k.member, &PlaceOrder { choice: Choice::default(), ..k.order("n") }, T0)
            .await
            .unwrap();
    sandbox::confirm(&k.db, &sandbox(), &created.payment_no, T0).await.unwrap();
    let confirmation = confirmation(&k.db, &created.payment_no).await;
    let results = join_all((0..10).map(|_| {
        let db = k.db.db();
        let no = created.payment_no.to_string();
        let c = confirmation.clone();
        tokio::spawn(async move { complete(&db, &no, &c, T0).await.unwrap() })
    }))
    .await;
    let completed = results.into_iter().filter(|r| matches!(r.as_ref().unwrap(), Completion::Completed { .. })).count();
    assert_eq!(completed, 1);
    // And late, after the kitchen started.
    let id = k.order_id(&created.payment_no).await;
    screen::advance(&k.db, k.tenant, id, plaza_types::dto::DiningState::Paid, "k", T0).await.unwrap();
    assert_eq!(complete(&k.db, &created.payment_no, &confirmation, T0).await.unwrap(), Completion::AlreadyComplete);
    assert_eq!(k.state(&created.payment_no).await, "preparing", "never moved backwards");
    let (orders,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM dining_orders WHERE tenant_id = $1")
        .bind(k.tenant.0)
        .fetch_one(k.db.pool())
        .await
        .unwrap();
    let paid_tickets =
        kitchen_events(&k.db, k.tenant).await.iter().filter(|t| t.state == plaza_types::dto::DiningState::Paid).count();
    let (earned,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM points_movements WHERE ref = $1 AND kind = 'earn'",
    )
    .bind(created.payment_no.as_str())
    .fetch_one(k.db.pool())
    .await
    .unwrap();
    let (sales,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM tenant_sales WHERE tenant_id = $1")
        .bind(k.tenant.0)
        .fetch_one(k.db.pool())
        .await
        .unwrap();
    assert_eq!((orders, paid_tickets, earned, sales), (1, 1, 34, 1));
}
