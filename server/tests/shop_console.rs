//! The online mall's consoles on real records: the owner of one storefront (暖暖生活馆) on the
//! actual products, SKUs, photos and reviews of another (家物集) through every catalogue server
//! function — refused or not found, and nothing of the other shop changed or shown — while the
//! shop's own owner does the same things; a shopper and a shop on the operators' functions.

use crate::support::TestApp;
use http::StatusCode;
use plaza_core::shop::{purchases, reviews};
use plaza_core::Timestamp;
use plaza_types::dto::{OrderLineId, ProductId, SkuId};
use plaza_types::{PhoneNumber, TenantId};

async fn tenant(app: &TestApp, code: &str) -> TenantId {
    plaza_core::tenants::list(&app.db).await.unwrap().into_iter().find(|t| t.code == code).unwrap().id
}

/// A product of `shop` with its first SKU and that SKU's stock.
async fn product_of(app: &TestApp, shop: TenantId) -> (ProductId, SkuId, i64) {
    let (product, sku, stock): (i64, i64, i64) = sqlx::query_as(
        "SELECT p.id, k.id, k.stock FROM shop_products p JOIN shop_skus k ON k.product_id = p.id \
         WHERE p.tenant_id = $1 AND k.stock > 0 ORDER BY p.id, k.id LIMIT 1",
    )
    .bind(shop.0)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    (ProductId(product), SkuId(sku), stock)
}

async fn title_and_stock(app: &TestApp, product: ProductId, sku: SkuId) -> (String, String, i64) {
    let (title, status): (String, String) = sqlx::query_as("SELECT title, status FROM shop_products WHERE id = $1")
        .bind(product.0)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let (stock,): (i64,) =
        sqlx::query_as("SELECT stock FROM shop_skus WHERE id = $1").bind(sku.0).fetch_one(app.db.pool()).await.unwrap();
    (title, status, stock)
}

/// A completed purchase of `sku` by a new shopper, reviewed with 2 stars.
async fn reviewed(app: &TestApp, sku: SkuId) -> plaza_types::dto::ReviewId {
    let now = Timestamp::now();
    let mut tx = app.db.begin_write().await.unwrap();
    let (member, _) =
        plaza_core::members::find_or_create_by_phone(&mut tx, &PhoneNumber::parse("13611112222").unwrap(), now)
            .await
            .unwrap();
    let line: OrderLineId = purchases::record_line(&mut tx, member, sku, 1, 100, Some(now), now).await.unwrap();
    tx.commit().await.unwrap();
    let new = reviews::NewReview { line, rating: 2, body: "杯盖有点紧".into(), photos: Vec::new() };
    reviews::write(&app.db, app.ctx.receipts.store.as_ref(), member, new, now).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_shop_never_reaches_another_shops_catalogue() {
    let app = TestApp::start().await;
    let (home, cozy) = (tenant(&app, "homegoods").await, tenant(&app, "cozy").await);
    let (product, sku, stock) = product_of(&app, home).await;
    let review = reviewed(&app, sku).await;
    let before = title_and_stock(&app, product, sku).await;
    let intruder = app.staff_session("cozy.owner").await;
    let (p, s, r, c, h) = (product.0, sku.0, review.0, cozy.0, home.0);

    // Naming the other shop as the tenant: refused outright.
    for (path, form) in [
        ("/api/tenant/shop/product", format!("tenant={h}&id={p}")),
        ("/api/tenant/shop/products", format!("tenant={h}&status=&q=&page=1")),
        ("/api/tenant/shop/stock/history", format!("tenant={h}&product={p}")),
        ("/api/tenant/shop/reviews", format!("tenant={h}&unanswered=false&page=1")),
        ("/api/tenant/shop/product/publish", format!("tenant={h}&id={p}&on=false")),
    ] {
        let reply = app.call(path, &form, Some(&intruder)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}: {}", reply.body);
    }
    // Its own tenant with the other shop's records: not found, whatever the function.
    for (path, form) in [
        ("/api/tenant/shop/product", format!("tenant={c}&id={p}")),
        (
            "/api/tenant/shop/product/info",
            format!("tenant={c}&id={p}&title=Mine&subtitle=&code=MINE1&category=1&tags=&params="),
        ),
        ("/api/tenant/shop/product/specs", format!("tenant={c}&id={p}&price=1&stock=0")),
        (
            "/api/tenant/shop/product/skus",
            format!(
                "tenant={c}&id={p}&skus%5B0%5D%5Bid%5D={s}&skus%5B0%5D%5Bprice%5D=0.01&skus%5B0%5D%5Benabled%5D=on"
            ),
        ),
        ("/api/tenant/shop/product/description", format!("tenant={c}&id={p}&html=mine")),
        ("/api/tenant/shop/product/publish", format!("tenant={c}&id={p}&on=false")),
        ("/api/tenant/shop/product/photo", format!("tenant={c}&id={p}&photo=1&to=remove")),
        ("/api/tenant/shop/stock/adjust", format!("tenant={c}&product={p}&sku={s}&delta=-1&reason=damage&note=")),
        ("/api/tenant/shop/reviews/reply", format!("tenant={c}&review={r}&words=mine")),
    ] {
        let reply = app.call(path, &form, Some(&intruder)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}: {}", reply.body);
    }
    let reply = app.call("/api/tenant/shop/stock/history", &format!("tenant={c}&product={p}"), Some(&intruder)).await;
    assert_eq!((reply.status, reply.body.as_str()), (StatusCode::OK, "[]"), "no history of another shop");
    let reply =
        app.call("/api/tenant/shop/reviews", &format!("tenant={c}&unanswered=false&page=1"), Some(&intruder)).await;
    assert!(reply.status.is_success() && !reply.body.contains("杯盖有点紧"), "{}", reply.body);
    assert_eq!(title_and_stock(&app, product, sku).await, before, "nothing of 家物集's product changed");
    let (reply_now,): (Option<String>,) =
        sqlx::query_as("SELECT reply FROM shop_reviews WHERE id = $1").bind(r).fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(reply_now, None);

    // The shop's own owner does the same things.
    let owner = app.staff_session("homegoods.owner").await;
    let reply = app.call("/api/tenant/shop/product", &format!("tenant={h}&id={p}"), Some(&owner)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let form = format!("tenant={h}&product={p}&sku={s}&delta=-1&reason=damage&note=");
    let reply = app.call("/api/tenant/shop/stock/adjust", &form, Some(&owner)).await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{} {}", reply.status, reply.body);
    assert_eq!(title_and_stock(&app, product, sku).await.2, stock - 1);
    let reply =
        app.call("/api/tenant/shop/reviews/reply", &format!("tenant={h}&review={r}&words=已换新"), Some(&owner)).await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{} {}", reply.status, reply.body);

    // Operators' curation is not a shop's, nor a shopper's.
    let shopper = app.member_session("13611113333").await;
    for session in [&intruder, &owner, &shopper] {
        for (path, form) in [
            ("/api/ops/shop/take-down", format!("product={p}&down=true&reason=x")),
            ("/api/ops/shop/review/hide", format!("review={r}&reason=x")),
            ("/api/ops/shop/feature", format!("product={p}&on=true")),
        ] {
            let reply = app.call(path, &form, Some(session)).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}: {}", reply.body);
        }
    }
    let (blocked, hidden): (Option<String>, Option<String>) = sqlx::query_as(
        "SELECT p.blocked_reason, r.hidden_reason FROM shop_products p JOIN shop_reviews r ON r.product_id = p.id \
         WHERE r.id = $1",
    )
    .bind(r)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!((blocked, hidden), (None, None));

    // An operator takes it down; the shop sees why, and cannot publish it.
    let ops = app.staff_session("ops").await;
    let reply =
        app.call("/api/ops/shop/take-down", &format!("product={p}&down=true&reason=图片侵权"), Some(&ops)).await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{} {}", reply.status, reply.body);
    let reply = app.call("/api/tenant/shop/products", &format!("tenant={h}&status=&q=&page=1"), Some(&owner)).await;
    assert!(reply.body.contains("图片侵权"), "{}", reply.body);
    let reply = app.call("/api/tenant/shop/product/publish", &format!("tenant={h}&id={p}&on=true"), Some(&owner)).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert!(reply.body.contains("blocked"), "{}", reply.body);
}
