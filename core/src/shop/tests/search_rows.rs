//! The search rows (migration 0021) follow every change to what they copy, whichever path makes
//! it: a search's filters and sorts read only them, so a stale row would list an unpublished,
//! taken-down or sold-out product, or sort by an old price. Each step checks the search results
//! and that every row equals what the products say.

use super::*;
use crate::shop::{browse, curation, stock};
use crate::Backend;
use plaza_types::dto::{BrowseFilter, SkuId, Sort};

/// Search rows that differ from their product, shop, category and SKUs (none, always).
async fn stale_rows(m: &Mall) -> i64 {
    let table = match m.db.backend() {
        Backend::Sqlite => "shop_search_rows",
        Backend::Postgres => "shop_search",
    };
    let (stale,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM {table} r JOIN shop_products p ON p.id = r.product_id \
         JOIN tenants t ON t.id = p.tenant_id JOIN shop_categories c ON c.id = p.category_id \
         WHERE r.listed <> CASE WHEN p.status = 'published' AND p.blocked_at IS NULL AND t.status = 'active' \
               AND t.kind = 'store' THEN 1 ELSE 0 END \
         OR r.tenant_id <> p.tenant_id OR r.category_id <> p.category_id \
         OR r.parent_category_id IS DISTINCT FROM c.parent_id OR r.min_price_fen IS DISTINCT FROM p.min_price_fen \
         OR r.sales_count <> p.sales_count OR r.rating_x100 <> p.rating_x100 OR r.rating_count <> p.rating_count \
         OR r.published_at IS DISTINCT FROM p.published_at \
         OR r.in_stock <> CASE WHEN EXISTS (SELECT 1 FROM shop_skus k WHERE k.product_id = p.id AND k.enabled = 1 \
               AND k.removed_at IS NULL AND k.stock > 0) THEN 1 ELSE 0 END"
    ))
    .fetch_one(m.db.pool())
    .await
    .unwrap();
    let (products,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM shop_products").fetch_one(m.db.pool()).await.unwrap();
    let (rows,): (i64,) =
        sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(m.db.pool()).await.unwrap();
    assert_eq!(rows, products, "every product has its row");
    stale
}

async fn titles(m: &Mall, filter: BrowseFilter) -> Vec<String> {
    let page = browse::browse(&m.db, &filter).await.unwrap();
    page.items.into_iter().map(|c| c.title).collect()
}

fn cups(sort: Sort) -> BrowseFilter {
    BrowseFilter { query: "保温杯".into(), sort, ..BrowseFilter::default() }
}

async fn sku_of(m: &Mall, product: ProductId) -> SkuId {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM shop_skus WHERE product_id = $1")
        .bind(product.0)
        .fetch_one(m.db.pool())
        .await
        .unwrap();
    SkuId(id)
}

async fn write(m: &Mall, sql: &str, id: i64) {
    let mut tx = m.db.begin_write().await.unwrap();
    sqlx::query(sql).bind(id).execute(&mut **tx).await.unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn search_rows_follow_publishing_take_downs_and_shops() {
    let m = mall().await;
    let red = listed(&m, m.a, "红色保温杯", "杯壶", &[], "30", "5").await;
    let blue = listed(&m, m.a, "蓝色保温杯", "杯壶", &[], "50", "5").await;
    let geek = listed(&m, m.b, "极客保温杯", "杯壶", &[], "70", "5").await;
    let _draft = product(&m, m.a, "草稿保温杯", "杯壶", &[], "10", "5").await;
    assert_eq!(titles(&m, cups(Sort::PriceAsc)).await, ["红色保温杯", "蓝色保温杯", "极客保温杯"]);
    assert_eq!(stale_rows(&m).await, 0);

    products::unpublish(&m.db, m.a, blue, m.now).await.unwrap();
    assert_eq!(titles(&m, cups(Sort::PriceAsc)).await, ["红色保温杯", "极客保温杯"]);
    products::publish(&m.db, m.a, blue, m.now).await.unwrap();
    curation::take_down(&m.db, red, "假冒品牌", m.operator, m.now).await.unwrap();
    assert_eq!(titles(&m, cups(Sort::PriceAsc)).await, ["蓝色保温杯", "极客保温杯"]);
    assert_eq!(stale_rows(&m).await, 0);
    // Restored, it waits for its shop to publish it again.
    curation::restore(&m.db, red, "已核实", m.operator, m.now).await.unwrap();
    assert_eq!(titles(&m, cups(Sort::PriceAsc)).await.len(), 2);
    products::publish(&m.db, m.a, red, m.now).await.unwrap();
    assert_eq!(titles(&m, cups(Sort::PriceAsc)).await.len(), 3);

    // A shop suspended takes all its products out of search; reopened, they come back.
    write(&m, "UPDATE tenants SET status = 'suspended' WHERE id = $1", m.b.0).await;
    assert_eq!(titles(&m, cups(Sort::PriceAsc)).await, ["红色保温杯", "蓝色保温杯"]);
    assert_eq!(stale_rows(&m).await, 0);
    write(&m, "UPDATE tenants SET status = 'active' WHERE id = $1", m.b.0).await;
    assert_eq!(titles(&m, cups(Sort::PriceAsc)).await.len(), 3);

    // A product moved to another category, and a category moved under another parent: the
    // filters by category follow both.
    let info = products::InfoInput {
        title: "极客保温杯".into(),
        subtitle: String::new(),
        code: "GEEK-CUP".into(),
        category: m.leaf("手机配件"),
        tags: vec![],
        params: vec![],
    };
    products::update_info(&m.db, m.b, geek, &info, m.now).await.unwrap();
    let in_leaf = |leaf| BrowseFilter { category: Some(leaf), ..cups(Sort::PriceAsc) };
    assert_eq!(titles(&m, in_leaf(m.leaf("手机配件"))).await, ["极客保温杯"]);
    assert_eq!(titles(&m, in_leaf(m.leaf("杯壶"))).await.len(), 2);
    let tree = categories::tree(&m.db, false).await.unwrap();
    let top = |name: &str| tree.iter().find(|n| n.category.name.zh == name).unwrap().category.id;
    let moved = CategoryInput {
        parent: Some(top("家居生活")),
        name_zh: "手机配件".into(),
        name_en: String::new(),
        icon: "phone".into(),
        sort: 9,
    };
    let actor = crate::audit::Actor::System;
    categories::update(&m.db, m.leaf("手机配件"), &moved, true, &actor, m.now).await.unwrap();
    assert_eq!(titles(&m, in_leaf(top("家居生活"))).await.len(), 3);
    assert!(titles(&m, in_leaf(top("数码"))).await.is_empty());
    assert_eq!(stale_rows(&m).await, 0);
}

#[tokio::test]
async fn search_rows_follow_prices_stock_sales_and_ratings() {
    let m = mall().await;
    let red = listed(&m, m.a, "红色保温杯", "杯壶", &[], "30", "2").await;
    let blue = listed(&m, m.a, "蓝色保温杯", "杯壶", &[], "50", "5").await;
    let green = listed(&m, m.a, "绿色保温杯", "杯壶", &[], "70", "5").await;
    assert_eq!(titles(&m, cups(Sort::PriceAsc)).await, ["红色保温杯", "蓝色保温杯", "绿色保温杯"]);

    // The shop lowers a price: the product re-sorts and the price filter finds it.
    let green_sku = sku_of(&m, green).await;
    let edit = products::SkuEdit {
        id: green_sku,
        price: "10".into(),
        member_price: String::new(),
        barcode: String::new(),
        photo_id: None,
        enabled: true,
    };
    products::update_skus(&m.db, m.a, green, &[edit], m.now).await.unwrap();
    assert_eq!(titles(&m, cups(Sort::PriceAsc)).await, ["绿色保温杯", "红色保温杯", "蓝色保温杯"]);
    let under_20 = BrowseFilter { max_price_fen: Some(2000), ..cups(Sort::PriceAsc) };
    assert_eq!(titles(&m, under_20).await, ["绿色保温杯"]);
    assert_eq!(stale_rows(&m).await, 0);

    // Orders take the last units: out of the in-stock filter (still listed, shown sold out),
    // and back when units are given back.
    let in_stock = || BrowseFilter { in_stock: true, ..cups(Sort::PriceAsc) };
    let red_sku = sku_of(&m, red).await;
    let mut tx = m.db.begin_write().await.unwrap();
    assert_eq!(stock::take(&mut tx, red_sku, 2).await.unwrap(), 0);
    tx.commit().await.unwrap();
    assert_eq!(titles(&m, in_stock()).await, ["绿色保温杯", "蓝色保温杯"]);
    assert_eq!(titles(&m, cups(Sort::PriceAsc)).await.len(), 3);
    assert_eq!(stale_rows(&m).await, 0);
    let mut tx = m.db.begin_write().await.unwrap();
    stock::put_back(&mut tx, red_sku, 1).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(titles(&m, in_stock()).await.len(), 3);
    // A shop's own adjustment to zero as well.
    let blue_sku = sku_of(&m, blue).await;
    stock::adjust(&m.db, m.a, blue_sku, "-5", plaza_types::dto::StockReason::Damage, "", m.staff_a, m.now)
        .await
        .unwrap();
    assert_eq!(titles(&m, in_stock()).await, ["绿色保温杯", "红色保温杯"]);
    assert_eq!(stale_rows(&m).await, 0);

    // Sales (written when orders are paid) and ratings (written by reviews) re-sort; a tie in
    // relevance goes to the better seller.
    write(&m, "UPDATE shop_products SET sales_count = 40 WHERE id = $1", blue.0).await;
    write(&m, "UPDATE shop_products SET sales_count = 7 WHERE id = $1", red.0).await;
    assert_eq!(titles(&m, cups(Sort::Sales)).await, ["蓝色保温杯", "红色保温杯", "绿色保温杯"]);
    assert_eq!(titles(&m, cups(Sort::Relevance)).await, ["蓝色保温杯", "红色保温杯", "绿色保温杯"]);
    write(&m, "UPDATE shop_products SET rating_count = 1, rating_sum = 5, rating_x100 = 500 WHERE id = $1", green.0)
        .await;
    assert_eq!(titles(&m, cups(Sort::Rating)).await[0], "绿色保温杯");
    assert_eq!(stale_rows(&m).await, 0);
}
