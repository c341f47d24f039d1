//! Mall orders over HTTP on real records: shopper B on shopper A's order, and another shop's
//! staff on shop A's order and pickup code. Each attempt is refused and A's order is unchanged.

use crate::support::mall::{json, sku_on_sale};
use crate::support::TestApp;
use http::StatusCode;

fn refused(reply: &crate::support::Reply) -> bool {
    matches!(reply.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND) || reply.body.contains("not_usable")
}

async fn state(app: &TestApp, order_no: &str) -> String {
    let (state,): (String,) = sqlx::query_as("SELECT state FROM mall_orders WHERE order_no = $1")
        .bind(order_no)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    state
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_reaches_another_s_mall_order() {
    let app = TestApp::start().await;
    let a = app.member_session("13600000071").await;
    let b = app.member_session("13600000072").await;
    let (sku, _product, tenant) = sku_on_sale(&app, "homegoods").await;
    let stock = || async {
        let (s,): (i64,) = sqlx::query_as("SELECT stock FROM shop_skus WHERE id = $1")
            .bind(sku)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        s
    };
    let before = stock().await;

    // A buys one unit and pays in the sandbox.
    let reply = app.call("/api/mall/cart/add", &format!("sku={sku}&quantity=1"), Some(&a)).await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{} {}", reply.status, reply.body);
    let reply = app.call("/api/mall/order/place", "request_key=xrec-mall-a-1&fulfil%5B0%5D=pickup", Some(&a)).await;
    // A choice for a shop the cart does not hold is refused and nothing is placed.
    assert!(!reply.status.is_success(), "{}", reply.body);
    assert_eq!(stock().await, before);
    let form = format!("request_key=xrec-mall-a-1&fulfil%5B{tenant}%5D=pickup");
    let reply = app.call("/api/mall/order/place", &form, Some(&a)).await;
    let payment = json(&reply).as_str().unwrap_or_else(|| panic!("A places: {}", reply.body)).to_string();
    let reply = app.call("/api/sandbox/confirm", &format!("payment_no={payment}"), Some(&a)).await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{}", reply.body);
    let reply = app.call("/api/pay/result", &format!("payment_no={payment}"), Some(&a)).await;
    assert!(reply.body.contains("paid"), "A's payment completes: {}", reply.body);
    let order = format!("{payment}-1");
    assert_eq!(state(&app, &order).await, "paid");
    assert_eq!(stock().await, before - 1);

    // Shopper B: A's order, its cancellation, its receipt; B's own list stays empty.
    for (path, form) in [
        ("/api/mall/order", format!("order_no={order}")),
        ("/api/mall/order/cancel", format!("order_no={order}&reason=mine")),
        ("/api/mall/order/confirm", format!("order_no={order}")),
    ] {
        let reply = app.call(path, &form, Some(&b)).await;
        assert!(refused(&reply), "B on A's order at {path}: {} {}", reply.status, reply.body);
    }
    let reply = app.call("/api/mall/orders", "", Some(&b)).await;
    assert_eq!(json(&reply), serde_json::json!([]));
    assert_eq!(state(&app, &order).await, "paid");

    // Another shop's staff on homegoods' order: by their own shop it is not found, by homegoods' id
    // they are forbidden.
    let geek = app.staff_session("geek.fulfilment").await;
    let (geek_id,): (i64,) =
        sqlx::query_as("SELECT id FROM tenants WHERE code = 'geek'").fetch_one(app.db.pool()).await.unwrap();
    for t in [geek_id, tenant] {
        for (path, form) in [
            ("/api/tenant/mall/order", format!("tenant={t}&order_no={order}")),
            ("/api/tenant/mall/order/accept", format!("tenant={t}&order_no={order}")),
            ("/api/tenant/mall/order/delivered", format!("tenant={t}&order_no={order}")),
        ] {
            let reply = app.call(path, &form, Some(&geek)).await;
            assert!(refused(&reply), "geek at {path} for {t}: {} {}", reply.status, reply.body);
        }
    }
    let reply = app.call("/api/tenant/mall/orders", &format!("tenant={geek_id}&q={order}"), Some(&geek)).await;
    assert_eq!(json(&reply), serde_json::json!([]));
    assert_eq!(state(&app, &order).await, "paid");

    // homegoods accepts; A sees the code; geek cannot hand it over, homegoods can, once.
    let own = app.staff_session("homegoods.fulfilment").await;
    let reply =
        app.call("/api/tenant/mall/order/accept", &format!("tenant={tenant}&order_no={order}"), Some(&own)).await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{} {}", reply.status, reply.body);
    let reply = app.call("/api/mall/order", &format!("order_no={order}"), Some(&a)).await;
    let code = json(&reply)[0]["pickup_code"].as_str().unwrap_or_else(|| panic!("code: {}", reply.body)).to_string();
    let reply =
        app.call("/api/tenant/mall/order/hand-over", &format!("tenant={geek_id}&code={code}"), Some(&geek)).await;
    assert!(refused(&reply), "geek hands over A's code: {} {}", reply.status, reply.body);
    assert_eq!(state(&app, &order).await, "ready");
    let reply = app.call("/api/tenant/mall/order/hand-over", &format!("tenant={tenant}&code={code}"), Some(&own)).await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{} {}", reply.status, reply.body);
    assert_eq!(state(&app, &order).await, "completed");
    let reply = app.call("/api/tenant/mall/order/hand-over", &format!("tenant={tenant}&code={code}"), Some(&own)).await;
    assert!(refused(&reply), "a used code: {} {}", reply.status, reply.body);
}
