//! Scan-to-order over HTTP on real records: a shopper orders at a demo table and pays; another
//! shopper, another restaurant's kitchen and the public pickup wall each see only what is theirs.

use crate::support::{sse, TestApp};
use http::StatusCode;
use plaza_types::TenantId;
use std::time::Duration;

async fn tenant_id(app: &TestApp, code: &str) -> TenantId {
    plaza_core::tenants::list(&app.db).await.unwrap().into_iter().find(|t| t.code == code).unwrap().id
}

fn ok(reply: &crate::support::Reply) -> bool {
    reply.status.is_success() || reply.status.is_redirection()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_is_seen_and_moved_only_by_its_shopper_and_its_restaurant() {
    let app = TestApp::start().await;
    let sichuan = tenant_id(&app, "sichuan").await;
    let noodle = tenant_id(&app, "noodle").await;
    let (table,): (String,) = sqlx::query_as(
        "SELECT t.code FROM dining_tables t JOIN dining_areas a ON a.id = t.area_id WHERE a.tenant_id = $1 AND t.label = '1'",
    )
    .bind(sichuan.0)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let (dish,): (i64,) = sqlx::query_as("SELECT id FROM dishes WHERE tenant_id = $1 AND name_zh = '宫保鸡丁'")
        .bind(sichuan.0)
        .fetch_one(app.db.pool())
        .await
        .unwrap();

    // Shopper A (a demo shopper with stored value) orders and pays at sichuan's table 1.
    let a = app.member_session("13800138000").await;
    let reply =
        app.call("/api/dining/cart/add", &format!("code={table}&shop=sichuan&dish={dish}&quantity=2"), Some(&a)).await;
    assert!(ok(&reply), "{} {}", reply.status, reply.body);
    // A price the page made up is refused, and so is a dish of another restaurant.
    let place = |extra: &str| format!("code={table}&shop=sichuan&sv=on&request_key=dn-{extra}&expected_total=1");
    let reply = app.call("/api/dining/order/place", &place("a"), Some(&a)).await;
    assert!(
        reply.body.contains("quote_changed")
            || reply.headers.get("location").is_some_and(|l| l.to_str().unwrap().contains("quote_changed")),
        "{}",
        reply.body
    );
    let (foreign,): (i64,) = sqlx::query_as("SELECT id FROM dishes WHERE tenant_id = $1")
        .bind(noodle.0)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let reply = app.call("/api/dining/cart/add", &format!("code={table}&shop=sichuan&dish={foreign}"), Some(&a)).await;
    assert!(reply.body.contains("dish"), "another restaurant's dish: {} {}", reply.status, reply.body);
    let reply = app
        .call("/api/dining/order/place", &format!("code={table}&shop=sichuan&sv=on&request_key=dn-b"), Some(&a))
        .await;
    assert!(ok(&reply), "{} {}", reply.status, reply.body);
    let (order, order_no, state): (i64, String, String) =
        sqlx::query_as("SELECT id, payment_no, state FROM dining_orders WHERE tenant_id = $1")
            .bind(sichuan.0)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(state, "paid", "¥84 from ¥210 of stored value");
    let reply = app.call("/api/dining/order", &format!("order_no={order_no}"), Some(&a)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    // Shopper B: not found, in every way.
    let b = app.member_session("13900139000").await;
    for (path, form) in [
        ("/api/dining/order", format!("order_no={order_no}")),
        ("/api/dining/order/cancel", format!("order_no={order_no}")),
    ] {
        let reply = app.call(path, &form, Some(&b)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}: {}", reply.body);
        assert!(!reply.body.contains("宫保鸡丁"));
    }
    let (status, _) =
        sse::during(&app, &format!("/events/orders/{order_no}"), Some(&b), Duration::from_millis(50)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, text) = sse::until(&app, &format!("/events/orders/{order_no}?after=0.0"), Some(&a), |t| {
        t.contains("event: order") && t.contains(&order_no)
    })
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("event: order") && text.contains(&order_no), "{text}");

    // Another restaurant's kitchen: no board, no tap, no print, no cancel; its stream carries nothing of it.
    let noodle_kitchen = app.staff_session("noodle.kitchen").await;
    for (path, form) in [
        ("/api/tenant/kitchen", format!("tenant={}", sichuan.0)),
        ("/api/tenant/kitchen/move", format!("tenant={}&order={order}&from=paid", sichuan.0)),
    ] {
        let reply = app.call(path, &form, Some(&noodle_kitchen)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}: {}", reply.body);
    }
    for (path, form) in [
        ("/api/tenant/kitchen/move", format!("tenant={}&order={order}&from=paid", noodle.0)),
        ("/api/tenant/kitchen/recall", format!("tenant={}&order={order}", noodle.0)),
        ("/api/tenant/kitchen/print", format!("tenant={}&order={order}", noodle.0)),
        ("/api/tenant/kitchen/ticket", format!("tenant={}&order={order}&copy=1", noodle.0)),
        ("/api/tenant/dining/cancel", format!("tenant={}&order_no={order_no}&reason=not+ours", noodle.0)),
    ] {
        let reply = app.call(path, &form, Some(&noodle_kitchen)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}: {}", reply.body);
    }
    let reply = app.call("/api/tenant/kitchen", &format!("tenant={}", noodle.0), Some(&noodle_kitchen)).await;
    assert!(reply.status == StatusCode::OK && !reply.body.contains(&order_no), "{}", reply.body);
    let (status, text) =
        sse::during(&app, "/events/kitchen?after=0.0", Some(&noodle_kitchen), Duration::from_millis(500)).await;
    assert!(status == StatusCode::OK && !text.contains(&order_no), "{text}");
    let (status, _) =
        sse::during(&app, &format!("/events/kitchen?tenant={}", sichuan.0), Some(&noodle_kitchen), Duration::ZERO)
            .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (state,): (String,) = sqlx::query_as("SELECT state FROM dining_orders WHERE id = $1")
        .bind(order)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(state, "paid", "untouched");

    // Its own kitchen sees it live (and accepts it), moves it, prints it.
    let kitchen = app.staff_session("sichuan.kitchen").await;
    let (_, text) = sse::until(&app, "/events/kitchen?after=0.0", Some(&kitchen), |t| {
        t.contains("event: ticket") && t.contains(&order_no)
    })
    .await;
    assert!(text.contains("event: ticket") && text.contains(&order_no), "{text}");
    let reply = app
        .call("/api/tenant/kitchen/move", &format!("tenant={}&order={order}&from=accepted", sichuan.0), Some(&kitchen))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body.contains("\"preparing\""), "{}", reply.body);
    let reply =
        app.call("/api/tenant/kitchen/print", &format!("tenant={}&order={order}", sichuan.0), Some(&kitchen)).await;
    assert!(ok(&reply), "{} {}", reply.status, reply.body);
    // Once preparing, the shopper can no longer cancel; the kitchen neither.
    let reply = app.call("/api/dining/order/cancel", &format!("order_no={order_no}"), Some(&a)).await;
    assert!(reply.body.contains("not_usable"), "{} {}", reply.status, reply.body);
    let reply = app
        .call(
            "/api/tenant/dining/cancel",
            &format!("tenant={}&order_no={order_no}&reason=x", sichuan.0),
            Some(&kitchen),
        )
        .await;
    assert!(reply.body.contains("not_usable"), "{} {}", reply.status, reply.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pickup_wall_is_public_and_carries_numbers_only() {
    let app = TestApp::start().await;
    let (table,): (String,) = sqlx::query_as(
        "SELECT t.code FROM dining_tables t JOIN dining_areas a ON a.id = t.area_id WHERE a.code = 'food-court' AND t.label = '3'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let reply = app.call("/api/dining/table", &format!("code={table}"), None).await;
    assert_eq!(reply.status, StatusCode::OK);
    for shop in ["noodle", "roast", "dessert"] {
        assert!(reply.body.contains(shop), "{shop} serves the food court: {}", reply.body);
    }
    let noodle = tenant_id(&app, "noodle").await;
    let (dish,): (i64,) = sqlx::query_as("SELECT id FROM dishes WHERE tenant_id = $1 AND name_zh = '卤蛋'")
        .bind(noodle.0)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let shopper = app.member_session("13800138000").await;
    let reply =
        app.call("/api/dining/cart/add", &format!("code={table}&shop=noodle&dish={dish}"), Some(&shopper)).await;
    assert!(ok(&reply), "{} {}", reply.status, reply.body);
    let reply = app
        .call("/api/dining/order/place", &format!("code={table}&shop=noodle&sv=on&request_key=wall"), Some(&shopper))
        .await;
    assert!(ok(&reply), "{} {}", reply.status, reply.body);
    let (status, text) = sse::until(&app, "/events/pickup/noodle?after=0.0", None, |t| {
        t.contains("event: number") && t.contains("\"number\":1")
    })
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("event: number") && text.contains("\"number\":1"), "{text}");
    // The data lines only: an event's id is a PostgreSQL transaction id, which may contain "138".
    let data: String = text.lines().filter(|l| l.starts_with("data:")).collect();
    assert!(!data.contains("卤蛋") && !data.contains("P20") && !data.contains("138"), "numbers only: {text}");
    let reply = app.call("/api/dining/pickup", "shop=noodle", None).await;
    assert!(reply.status == StatusCode::OK && reply.body.contains("\"preparing\":[1]"), "{}", reply.body);
    // A table-delivery restaurant has no wall.
    let (status, _) = sse::during(&app, "/events/pickup/sichuan", None, Duration::ZERO).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// The `ticket` events of a kitchen stream's text: (event id, order number, state).
fn tickets(text: &str) -> Vec<(String, String, String)> {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .filter(|block| block.lines().any(|l| l == "event: ticket"))
        .map(|block| {
            let field = |name: &str| {
                block.lines().find_map(|l| l.strip_prefix(name)).map(|v| v.trim().to_string()).unwrap_or_default()
            };
            let ticket: serde_json::Value = serde_json::from_str(&field("data:")).expect("a ticket");
            (
                field("id:"),
                ticket["order_no"].as_str().unwrap().to_string(),
                ticket["state"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A bowl of rice at sichuan's table `label`, paid from the shopper's stored value; its number.
async fn rice(app: &TestApp, shopper: &str, label: &str, key: &str) -> String {
    let sichuan = tenant_id(app, "sichuan").await;
    let (table, dish): (String, i64) = sqlx::query_as(
        "SELECT t.code, d.id FROM dining_tables t JOIN dining_areas a ON a.id = t.area_id JOIN dishes d ON d.tenant_id = a.tenant_id \
         WHERE a.tenant_id = $1 AND t.label = $2 AND d.name_zh = '米饭'",
    )
    .bind(sichuan.0)
    .bind(label)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let reply =
        app.call("/api/dining/cart/add", &format!("code={table}&shop=sichuan&dish={dish}"), Some(shopper)).await;
    assert!(ok(&reply), "{} {}", reply.status, reply.body);
    let form = format!("code={table}&shop=sichuan&sv=on&request_key={key}");
    let reply = app.call("/api/dining/order/place", &form, Some(shopper)).await;
    assert!(ok(&reply), "{} {}", reply.status, reply.body);
    let (no,): (String,) = sqlx::query_as("SELECT payment_no FROM dining_orders WHERE request_key LIKE $1")
        .bind(format!("%:{key}"))
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    no
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kitchen_screen_reconnecting_gets_what_it_missed_once_and_nothing_it_had() {
    let app = TestApp::start().await;
    let kitchen = app.staff_session("sichuan.kitchen").await;
    let head = plaza_core::events::head(&app.db).await.unwrap().to_string();
    let (a, b) = (app.member_session("13800138000").await, app.member_session("13900139000").await);

    // The screen sees the first order (two phones at table 2: A's here, B's while it is away).
    let first = rice(&app, &a, "2", "first").await;
    // Only whole events (a read may stop in the middle of one).
    let paid = |text: &str, no: &str| {
        let text = text.replace("\r\n", "\n");
        let whole = &text[..text.rfind("\n\n").map_or(0, |end| end + 2)];
        tickets(whole).iter().any(|(_, n, s)| n == no && s == "paid")
    };
    let (status, text) =
        sse::until(&app, &format!("/events/kitchen?after={head}"), Some(&kitchen), |t| paid(t, &first)).await;
    assert_eq!(status, StatusCode::OK);
    let seen = tickets(&text);
    let (last_id, _, _) = seen.iter().find(|(_, no, state)| *no == first && state == "paid").expect("the first order");
    let last_id = last_id.clone();

    // The connection drops; two orders are paid meanwhile.
    let second = rice(&app, &b, "2", "second").await;
    let third = rice(&app, &a, "3", "third").await;

    // The browser reconnects with the last id it saw.
    let (status, text) = sse::read(
        &app,
        "/events/kitchen",
        Some(&kitchen),
        Some(&last_id),
        |t| paid(t, &second) && paid(t, &third),
        sse::PATIENCE,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let again = tickets(&text);
    let paid_in_again = |no: &str| again.iter().filter(|(_, n, s)| n == no && s == "paid").count();
    assert_eq!(paid_in_again(&first), 0, "nothing it had: {again:?}");
    assert_eq!(paid_in_again(&second), 1, "what it missed, once: {again:?}");
    assert_eq!(paid_in_again(&third), 1, "what it missed, once: {again:?}");
    let ids: Vec<&String> = again.iter().map(|(id, _, _)| id).collect();
    let unique: std::collections::HashSet<&&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "no event twice: {ids:?}");
    // The screen had them, so their shoppers see them accepted.
    for no in [&first, &second, &third] {
        let (state,): (String,) = sqlx::query_as("SELECT state FROM dining_orders WHERE payment_no = $1")
            .bind(no)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(state, "accepted", "{no}");
    }
}
