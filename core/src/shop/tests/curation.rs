//! The operators' curation: take-downs the shop sees and cannot undo, featured products, banners
//! that only link inside the mall, suggested searches — each in the audit log.

use super::*;
use crate::shop::{browse, curation, product_page};
use plaza_types::dto::ProductStatus;

async fn audited(m: &Mall, action: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(m.db.pool())
        .await
        .unwrap();
    n
}

#[tokio::test]
async fn a_take_down_is_seen_by_the_shop_and_only_the_mall_lifts_it() {
    let m = mall().await;
    let id = listed(&m, m.a, "仿冒名牌包", "收纳", &[], "99", "3").await;
    curation::set_featured(&m.db, id, true, m.operator, m.now).await.unwrap();
    assert_eq!(problem(curation::take_down(&m.db, id, " ", m.operator, m.now).await), ShopProblem::Reason);
    curation::take_down(&m.db, id, "涉嫌仿冒品牌", m.operator, m.now).await.unwrap();
    assert_eq!(audited(&m, "shop.take_down").await, 1);
    let seen = products::console_get(&m.db, m.a, id).await.unwrap();
    assert_eq!(seen.blocked_reason.as_deref(), Some("涉嫌仿冒品牌"));
    assert_eq!(problem(products::publish(&m.db, m.a, id, m.now).await), ShopProblem::Blocked);
    not_found(product_page::page(&m.db, id, None, m.now).await);
    assert!(browse::home(&m.db).await.unwrap().featured.is_empty(), "no longer featured");
    assert_eq!(problem(curation::set_featured(&m.db, id, true, m.operator, m.now).await), ShopProblem::NotSellable);
    curation::restore(&m.db, id, "已核实为正品", m.operator, m.now).await.unwrap();
    let restored = products::console_get(&m.db, m.a, id).await.unwrap();
    assert_eq!(
        (restored.blocked_reason, restored.status),
        (None, ProductStatus::Unpublished),
        "the shop publishes it again itself"
    );
    products::publish(&m.db, m.a, id, m.now).await.unwrap();
    assert_eq!(audited(&m, "shop.restore").await, 1);
}

#[tokio::test]
async fn featured_products_and_suggested_searches_on_the_home_page() {
    let m = mall().await;
    let first = listed(&m, m.a, "龟背竹", "绿植", &[], "88", "3").await;
    let second = listed(&m, m.b, "蓝牙耳机", "耳机音箱", &[], "199", "3").await;
    let draft = product(&m, m.a, "草稿", "绿植", &[], "1", "1").await;
    curation::set_featured(&m.db, second, true, m.operator, m.now).await.unwrap();
    curation::set_featured(&m.db, first, true, m.operator, m.now).await.unwrap();
    assert_eq!(problem(curation::set_featured(&m.db, draft, true, m.operator, m.now).await), ShopProblem::NotSellable);
    let home = browse::home(&m.db).await.unwrap();
    assert_eq!(home.featured.iter().map(|c| c.id).collect::<Vec<_>>(), [second, first]);
    assert_eq!(home.newest.len(), 2);
    assert_eq!(home.categories.len(), TREE.len());
    assert_eq!(home.storefronts.iter().map(|s| s.code.as_str()).collect::<Vec<_>>(), ["jiawu", "geek"]);
    curation::set_featured(&m.db, second, false, m.operator, m.now).await.unwrap();
    assert_eq!(browse::home(&m.db).await.unwrap().featured.len(), 1);
    assert_eq!(
        problem(curation::set_hot_words(&m.db, "一个特别特别特别长的热门词语", m.operator, m.now).await),
        ShopProblem::Tags
    );
    curation::set_hot_words(&m.db, "绿植，耳机", m.operator, m.now).await.unwrap();
    assert_eq!(browse::home(&m.db).await.unwrap().hot_words, ["绿植", "耳机"]);
    assert_eq!(audited(&m, "shop.feature").await, 2);
}

#[tokio::test]
async fn banners_link_only_inside_the_mall() {
    let m = mall().await;
    let dir = super::catalog::tempdir();
    let storage = crate::storage::Storage::local(dir.clone()).unwrap();
    let photo = super::catalog::png(1600, 900);
    for link in [
        "https://evil.example",
        "//evil.example/mall",
        "/mall/../admin",
        "javascript:alert(1)",
        "/ops",
        "/mall/ x",
        "/mall\\x",
    ] {
        let refused = curation::add_banner(&m.db, &storage, "双十二", link, photo.clone(), m.operator, m.now).await;
        assert_eq!(problem(refused), ShopProblem::Banner, "{link}");
    }
    let id =
        curation::add_banner(&m.db, &storage, "双十二 家居节", "/mall/c/3", photo, m.operator, m.now).await.unwrap();
    let banners = curation::banners(&m.db, false).await.unwrap();
    assert_eq!(banners.len(), 1);
    let stored = storage.get(banners[0].image.trim_start_matches("/media/")).await.unwrap();
    let image = image::load_from_memory(&stored).unwrap();
    assert_eq!((image.width(), image.height()), (1200, 480));
    let edit = curation::BannerEdit {
        title: "双十二".into(),
        link: "/mall/search?q=%E6%9D%AF".into(),
        position: 0,
        active: false,
    };
    curation::update_banner(&m.db, id, &edit, m.operator, m.now).await.unwrap();
    assert!(curation::banners(&m.db, false).await.unwrap().is_empty(), "inactive banners are not shown");
    assert_eq!(curation::banners(&m.db, true).await.unwrap()[0].link, "/mall/search?q=%E6%9D%AF");
    curation::remove_banner(&m.db, &storage, id, m.operator, m.now).await.unwrap();
    assert!(storage.get(banners[0].image.trim_start_matches("/media/")).await.unwrap_err().is_not_found());
    let _ = std::fs::remove_dir_all(dir);
}
