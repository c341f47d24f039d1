//! The mall's records for HTTP tests: a product on sale at a demo shop, and a shopper's order of
//! one unit paid in the sandbox.

use super::{Reply, TestApp};

/// A JSON answer, or the test fails showing what came instead.
pub fn json(reply: &Reply) -> serde_json::Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|e| panic!("{e}: {} {}", reply.status, reply.body))
}

/// A form's answer that went through (a JSON answer or a redirect).
pub fn ok(reply: &Reply) -> bool {
    reply.status.is_success() || reply.status.is_redirection()
}

/// An enabled SKU with stock at the shop `code`, its product put on sale: (sku, product, tenant).
/// The seed publishes products once their pictures are drawn (the seeding command); here the
/// product is published directly.
pub async fn sku_on_sale(app: &TestApp, code: &str) -> (i64, i64, i64) {
    let (sku, product, tenant): (i64, i64, i64) = sqlx::query_as(
        "SELECT k.id, k.product_id, k.tenant_id FROM shop_skus k JOIN tenants t ON t.id = k.tenant_id \
         WHERE t.code = $1 AND k.enabled = 1 AND k.stock > 2 ORDER BY k.id LIMIT 1",
    )
    .bind(code)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let mut tx = app.db.begin_write().await.unwrap();
    sqlx::query("UPDATE shop_products SET status = 'published' WHERE id = $1")
        .bind(product)
        .execute(&mut **tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (sku, product, tenant)
}

/// The shopper of `session` buys one unit of `sku` for pickup and pays in the sandbox; the
/// order's number (one shop: the payment's first order).
pub async fn paid_order(app: &TestApp, session: &str, sku: i64, tenant: i64, request_key: &str) -> String {
    assert!(ok(&app.call("/api/mall/cart/add", &format!("sku={sku}&quantity=1"), Some(session)).await));
    let form = format!("request_key={request_key}&fulfil%5B{tenant}%5D=pickup");
    let reply = app.call("/api/mall/order/place", &form, Some(session)).await;
    let payment = json(&reply).as_str().unwrap_or_else(|| panic!("placing: {}", reply.body)).to_string();
    assert!(ok(&app.call("/api/sandbox/confirm", &format!("payment_no={payment}"), Some(session)).await));
    let reply = app.call("/api/pay/result", &format!("payment_no={payment}"), Some(session)).await;
    assert!(reply.body.contains("paid"), "the payment completes: {}", reply.body);
    format!("{payment}-1")
}
