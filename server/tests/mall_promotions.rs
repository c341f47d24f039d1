//! Promotions across shops on the demo mall's real records (issue 13): the owner of one
//! storefront (暖暖生活馆, `cozy`) cannot list, end or create promotions for another (家物集,
//! `homegoods`), nor put the other's SKU on promotion from its own console, nor end its
//! promotion by id; the other's owner can. Nothing of the other shop changes.

use crate::support::TestApp;
use http::StatusCode;
use plaza_types::TenantId;

async fn tenant(app: &TestApp, code: &str) -> TenantId {
    plaza_core::tenants::list(&app.db).await.unwrap().into_iter().find(|t| t.code == code).unwrap().id
}

async fn sku_of(app: &TestApp, shop: TenantId) -> (i64, i64) {
    sqlx::query_as(
        "SELECT id, price_fen FROM shop_skus WHERE tenant_id = $1 AND removed_at IS NULL ORDER BY id LIMIT 1",
    )
    .bind(shop.0)
    .fetch_one(app.db.pool())
    .await
    .unwrap()
}

async fn promotions_of(app: &TestApp, shop: TenantId) -> Vec<(i64, i64)> {
    sqlx::query_as("SELECT id, ends_at FROM mall_promotions WHERE tenant_id = $1 ORDER BY id")
        .bind(shop.0)
        .fetch_all(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_shop_never_reaches_another_shops_promotions() {
    let app = TestApp::start().await;
    let (home, cozy) = (tenant(&app, "homegoods").await, tenant(&app, "cozy").await);
    let (h, c) = (home.0, cozy.0);
    let (sku, list) = sku_of(&app, home).await;
    let price = format!("{}.{:02}", (list - 1) / 100, (list - 1) % 100);
    let owner = app.staff_session("homegoods.owner").await;
    let intruder = app.staff_session("cozy.owner").await;
    // Ten days on, in the mall's time (a datetime-local box's value, `:` escaped).
    let ends = plaza_core::MallTz::shanghai()
        .zoned(plaza_core::Timestamp::now().plus_secs(10 * 86_400))
        .strftime("%Y-%m-%dT%H%%3A%M")
        .to_string();

    // 家物集's owner puts its SKU on a limited-time price.
    let form = format!("tenant={h}&kind=limited&sku={sku}&price={price}&ends={ends}");
    let reply = app.call("/api/tenant/promotions/create", &form, Some(&owner)).await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{} {}", reply.status, reply.body);
    let before = promotions_of(&app, home).await;
    let id = before.last().expect("created").0;

    // Naming the other shop as the tenant: refused outright.
    for (path, form) in [
        ("/api/tenant/promotions", format!("tenant={h}")),
        ("/api/tenant/promotions/end", format!("tenant={h}&id={id}")),
        ("/api/tenant/promotions/create", format!("tenant={h}&kind=limited&sku={sku}&price=0.01&ends={ends}")),
    ] {
        let reply = app.call(path, &form, Some(&intruder)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}: {}", reply.body);
    }
    // Its own tenant with the other shop's records: not found / not its SKU.
    let reply = app.call("/api/tenant/promotions/end", &format!("tenant={c}&id={id}"), Some(&intruder)).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    let form = format!("tenant={c}&kind=limited&sku={sku}&price={price}&ends={ends}");
    let reply = app.call("/api/tenant/promotions/create", &form, Some(&intruder)).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert!(reply.body.contains("unknown_sku"), "{}", reply.body);
    let reply = app.call("/api/tenant/promotions", &format!("tenant={c}"), Some(&intruder)).await;
    assert!(reply.status.is_success(), "{}", reply.body);
    assert!(!reply.body.contains(&format!("\"id\":{id},")), "cozy's console lists 家物集's promotion: {}", reply.body);
    assert!(promotions_of(&app, cozy).await.is_empty());
    assert_eq!(promotions_of(&app, home).await, before, "nothing of 家物集 changed");

    // Its own owner ends it.
    let reply = app.call("/api/tenant/promotions/end", &format!("tenant={h}&id={id}"), Some(&owner)).await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{} {}", reply.status, reply.body);
    assert_ne!(promotions_of(&app, home).await, before);
}

/// The console's plain form takes as many 满减 tiers and bundle SKUs as the engine allows (five).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_form_takes_five_tiers_and_five_bundle_skus() {
    let app = TestApp::start().await;
    let home = tenant(&app, "homegoods").await;
    let owner = app.staff_session("homegoods.owner").await;
    let ends = plaza_core::MallTz::shanghai()
        .zoned(plaza_core::Timestamp::now().plus_secs(10 * 86_400))
        .strftime("%Y-%m-%dT%H%%3A%M")
        .to_string();
    let h = home.0;
    let tiers = "t1=100&o1=5&t2=200&o2=12&t3=300&o3=20&t4=400&o4=30&t5=500&o5=40";
    let form = format!("tenant={h}&kind=spend_off&{tiers}&ends={ends}");
    let reply = app.call("/api/tenant/promotions/create", &form, Some(&owner)).await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{} {}", reply.status, reply.body);
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM mall_promotion_tiers t JOIN mall_promotions p ON p.id = t.promotion_id \
         WHERE p.tenant_id = $1 AND p.kind = 'spend_off' AND t.threshold_fen >= 40000",
    )
    .bind(h)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(n, 2, "the fourth and fifth tiers were kept");

    let skus: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT id, price_fen FROM shop_skus WHERE tenant_id = $1 AND removed_at IS NULL ORDER BY id LIMIT 5",
    )
    .bind(h)
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(skus.len(), 5, "the demo's 家物集 has five SKUs");
    let value: i64 = skus.iter().map(|s| s.1).sum();
    let price = value * 9 / 10;
    let rows: String = skus.iter().enumerate().map(|(i, (id, _))| format!("&s{n}={id}&q{n}=1", n = i + 1)).collect();
    let form = format!(
        "tenant={h}&kind=bundle&name=%E4%BA%94%E4%BB%B6%E5%A5%97{rows}&price={}.{:02}&ends={ends}",
        price / 100,
        price % 100
    );
    let reply = app.call("/api/tenant/promotions/create", &form, Some(&owner)).await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{} {}", reply.status, reply.body);
    let (items,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM mall_promotion_items i JOIN mall_promotions p ON p.id = i.promotion_id \
         WHERE p.tenant_id = $1 AND p.name = '五件套'",
    )
    .bind(h)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(items, 5);
}
