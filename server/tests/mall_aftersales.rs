//! After-sales over HTTP on real records: shopper A asks for a refund of a paid order with a
//! photo (the multipart form); shopper B, another shop's staff and anonymous callers reach
//! neither the request, its decision, its dispute nor its photo; the shop rejects, A disputes,
//! the operator refunds once.

use crate::support::mall::{json, ok, paid_order, sku_on_sale};
use crate::support::TestApp;
use axum::body::Body;
use http::{header, Request, StatusCode};
use plaza_core::auth::sessions;

const PHOTO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../ocr/fixtures/receipts/noodle-sans.jpg");

fn refused(reply: &crate::support::Reply) -> bool {
    matches!(reply.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND)
}

/// `POST /mall/aftersales` as the JSON caller: the order, one line's units, a photo.
async fn ask(app: &TestApp, session: &str, order: &str, line: i64, photo: &[u8]) -> crate::support::Reply {
    let boundary = "plazaaftersales1234";
    let mut body = Vec::new();
    for (name, value) in [
        ("order_no", order.to_string()),
        (&format!("q[{line}]") as &str, "1".to_string()),
        ("reason", "damaged".to_string()),
        ("reason_text", "杯口有裂纹".to_string()),
    ] {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(photo);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let request = Request::post("/mall/aftersales")
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, format!("{}={session}", sessions::COOKIE))
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

async fn get_photo(app: &TestApp, path: &str, session: Option<&str>) -> StatusCode {
    let mut request = Request::get(path);
    if let Some(token) = session {
        request = request.header(header::COOKIE, format!("{}={token}", sessions::COOKIE));
    }
    app.send(request.body(Body::empty()).unwrap()).await.status
}

async fn request_state(app: &TestApp, id: i64) -> String {
    let (state,): (String,) = sqlx::query_as("SELECT state FROM mall_aftersales WHERE id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    state
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_reaches_another_s_after_sales() {
    let app = TestApp::start().await;
    let a = app.member_session("13600000081").await;
    let b = app.member_session("13600000082").await;
    // A buys one unit and pays in the sandbox.
    let (sku, _product, tenant) = sku_on_sale(&app, "homegoods").await;
    let order = paid_order(&app, &a, sku, tenant, "xrec-as-a-1").await;
    let (line,): (i64,) = sqlx::query_as(
        "SELECT l.id FROM shop_order_lines l JOIN mall_orders o ON o.id = l.order_id WHERE o.order_no = $1",
    )
    .bind(&order)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let photo = std::fs::read(PHOTO).unwrap();

    // B cannot ask on A's order; A can, once.
    let reply = ask(&app, &b, &order, line, &photo).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    let reply = ask(&app, &a, &order, line, &photo).await;
    let id = json(&reply)["id"].as_i64().unwrap_or_else(|| panic!("A asks: {}", reply.body));
    let again = ask(&app, &a, &order, line, &photo).await;
    assert!(again.body.contains("already_open"), "{}", again.body);
    let (photo_id,): (i64,) = sqlx::query_as("SELECT id FROM mall_aftersales_photos WHERE request_id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();

    // The photo: its shopper, its shop's staff and operators; nobody else.
    let path = format!("/mall/aftersales/photo/{photo_id}/photo");
    let own = app.staff_session("homegoods.fulfilment").await;
    let geek = app.staff_session("geek.fulfilment").await;
    let ops = app.staff_session("ops").await;
    assert_eq!(get_photo(&app, &path, None).await, StatusCode::UNAUTHORIZED);
    for (who, session, status) in [
        ("A", &a, StatusCode::OK),
        ("the shop", &own, StatusCode::OK),
        ("an operator", &ops, StatusCode::OK),
        ("B", &b, StatusCode::NOT_FOUND),
        ("another shop", &geek, StatusCode::NOT_FOUND),
    ] {
        assert_eq!(get_photo(&app, &path, Some(session)).await, status, "{who}");
    }
    // Not served as a public photo either.
    let (key,): (String,) = sqlx::query_as("SELECT photo_key FROM mall_aftersales_photos WHERE id = $1")
        .bind(photo_id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(get_photo(&app, &format!("/media/{key}"), Some(&a)).await, StatusCode::NOT_FOUND);

    // B reads and disputes nothing of A's.
    let reply = app.call("/api/mall/aftersales", &format!("order_no={order}"), Some(&b)).await;
    assert!(refused(&reply), "{} {}", reply.status, reply.body);
    let reply = app.call("/api/mall/aftersales", &format!("order_no={order}"), Some(&a)).await;
    assert_eq!(json(&reply)["requests"][0]["id"].as_i64(), Some(id));

    // Another shop's staff: by their own shop the request is not found, by homegoods' id forbidden.
    let (geek_id,): (i64,) =
        sqlx::query_as("SELECT id FROM tenants WHERE code = 'geek'").fetch_one(app.db.pool()).await.unwrap();
    for t in [geek_id, tenant] {
        for (path, form) in [
            ("/api/tenant/mall/aftersales/order", format!("tenant={t}&order_no={order}")),
            ("/api/tenant/mall/aftersales/approve", format!("tenant={t}&request={id}&order_no={order}")),
            ("/api/tenant/mall/aftersales/reject", format!("tenant={t}&request={id}&order_no={order}&reason=nope")),
        ] {
            let reply = app.call(path, &form, Some(&geek)).await;
            assert!(refused(&reply), "geek at {path} for {t}: {} {}", reply.status, reply.body);
        }
    }
    let reply = app.call("/api/tenant/mall/aftersales", &format!("tenant={geek_id}&all=true"), Some(&geek)).await;
    assert_eq!(json(&reply), serde_json::json!([]));
    assert_eq!(request_state(&app, id).await, "requested");

    // homegoods rejects; B cannot dispute it, A can; the operator refunds once.
    let form = format!("tenant={tenant}&request={id}&order_no={order}&reason=%E5%AE%8C%E5%A5%BD");
    assert!(ok(&app.call("/api/tenant/mall/aftersales/reject", &form, Some(&own)).await));
    assert_eq!(request_state(&app, id).await, "rejected");
    let form = format!("request={id}&order_no={order}&note=%E6%9C%89%E8%A3%82%E7%BA%B9");
    assert!(refused(&app.call("/api/mall/aftersales/dispute", &form, Some(&b)).await));
    assert_eq!(request_state(&app, id).await, "rejected");
    assert!(ok(&app.call("/api/mall/aftersales/dispute", &form, Some(&a)).await));
    assert_eq!(request_state(&app, id).await, "disputed");
    let reply = app.call("/api/ops/aftersales", "all=false", Some(&ops)).await;
    assert_eq!(json(&reply)[0]["id"].as_i64(), Some(id));
    let decide = format!("request={id}&ruling=refund&note=%E6%94%AF%E6%8C%81%E9%80%80%E6%AC%BE");
    let reply = app.call("/api/ops/aftersales/decide", &decide, Some(&ops)).await;
    assert!(ok(&reply), "{} {}", reply.status, reply.body);
    assert_eq!(request_state(&app, id).await, "refunded");
    let reply = app.call("/api/ops/aftersales/decide", &decide, Some(&ops)).await;
    assert!(reply.body.contains("already_decided"), "{}", reply.body);
    let (refunded,): (i64,) = sqlx::query_as("SELECT refunded_fen FROM mall_orders WHERE order_no = $1")
        .bind(&order)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let (paid,): (i64,) = sqlx::query_as("SELECT unit_price_fen FROM shop_order_lines WHERE id = $1")
        .bind(line)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(refunded, paid, "refunded once");
}
