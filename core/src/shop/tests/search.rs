//! Chinese search, the same on both databases: the cases of the issue, 36 real titles each
//! found by what a shopper would type, words that must not cross, filters, sorting and the
//! suggestions when nothing is found.

use super::titles::{NOT_FOUND, TITLES};
use super::*;
use crate::shop::{browse, curation, storefront};
use plaza_types::dto::{BrowseFilter, Sort};

async fn catalogue() -> (Mall, Vec<(ProductId, &'static str)>) {
    let m = mall().await;
    let mut ids = Vec::new();
    for (i, (title, category, geek, _)) in TITLES.iter().enumerate() {
        let tenant = if *geek { m.b } else { m.a };
        let price = format!("{}", 10 + i * 7);
        let id = listed(&m, tenant, title, category, &[], &price, if i % 5 == 0 { "0" } else { "9" }).await;
        ids.push((id, *title));
    }
    (m, ids)
}

async fn search(m: &Mall, query: &str) -> Vec<String> {
    let filter = BrowseFilter { query: query.into(), ..BrowseFilter::default() };
    browse::browse(&m.db, &filter).await.unwrap().items.into_iter().map(|c| c.title).collect()
}

#[tokio::test]
async fn real_titles_are_found_by_what_shoppers_type() {
    let (m, _) = catalogue().await;
    let mut misses = Vec::new();
    for (title, _, _, queries) in TITLES {
        for query in queries {
            if !search(&m, query).await.iter().any(|t| t == title) {
                misses.push(format!("{query} → {title}"));
            }
        }
    }
    assert!(misses.is_empty(), "not found:\n{}", misses.join("\n"));
    for (query, title) in NOT_FOUND {
        assert!(!search(&m, query).await.iter().any(|t| t == title), "{query} found {title}");
    }
}

#[tokio::test]
async fn the_cases_of_the_issue() {
    let (m, _) = catalogue().await;
    // 保温杯 finds 不锈钢保温杯, and the closest match first.
    let cups = search(&m, "保温杯").await;
    assert_eq!(cups.len(), 2, "{cups:?}");
    assert!(cups.iter().all(|t| t.contains("保温杯")));
    // 咖啡 finds 挂耳咖啡 (and the other coffees), nothing else.
    let coffee = search(&m, "咖啡").await;
    assert_eq!(coffee.len(), 3, "{coffee:?}");
    assert!(coffee.iter().any(|t| t.contains("挂耳咖啡")));
    // A shop's name finds its products (and only its own).
    storefront::update(
        &m.db,
        m.b,
        &storefront::ProfileInput {
            name: "极客数码旗舰店".into(),
            intro: String::new(),
            opening_hours: String::new(),
            pickup_unit: String::new(),
            delivers: true,
        },
        &crate::audit::Actor::System,
        m.now,
    )
    .await
    .unwrap();
    let geek = search(&m, "极客数码").await;
    assert_eq!(geek.len(), TITLES.iter().filter(|t| t.2).count(), "{geek:?}");
    assert_eq!(search(&m, "旗舰店").await.len(), geek.len(), "the storefront's own name too");
    let home = search(&m, "家物集").await;
    assert_eq!(home.len(), 20, "a full first page of the home shop's products");
    // Mixed Chinese, English and model numbers.
    assert_eq!(search(&m, "iPhone 15 手机壳").await, ["Apple iPhone 15 Pro 磁吸透明手机壳 MagSafe 防摔"]);
    assert_eq!(search(&m, "WH-1000XM5 索尼").await, ["索尼 WH-1000XM5 头戴式无线降噪耳机"]);
    // Punctuation alone, and a query that finds nothing: suggestions.
    let filter = |q: &str| BrowseFilter { query: q.into(), ..BrowseFilter::default() };
    curation::set_hot_words(&m.db, "保温杯 挂耳咖啡, 乐高", m.operator, m.now).await.unwrap();
    let none = browse::browse(&m.db, &filter("保温杯 乐高")).await.unwrap();
    assert!(none.items.is_empty());
    let s = none.suggestions.expect("suggestions");
    assert_eq!(s.terms, ["保温杯", "乐高"]);
    assert_eq!(s.partial.len(), 3, "{:?}", s.partial.iter().map(|c| &c.title).collect::<Vec<_>>());
    assert_eq!(s.hot_words, ["保温杯", "挂耳咖啡", "乐高"]);
    let rocket = browse::browse(&m.db, &filter("火箭发动机")).await.unwrap().suggestions.expect("suggestions");
    assert!(rocket.terms.is_empty() && rocket.partial.is_empty() && !rocket.hot_words.is_empty());
    let cat = browse::browse(&m.db, &filter("耳机套")).await.unwrap();
    if cat.items.is_empty() {
        let names: Vec<_> = cat.suggestions.unwrap().categories.into_iter().map(|c| c.name.zh).collect();
        assert!(names.contains(&"耳机音箱".to_string()), "{names:?}");
    }
    let punct = browse::browse(&m.db, &filter("！！？")).await.unwrap();
    assert!(punct.items.is_empty() && punct.suggestions.is_some());
}

#[tokio::test]
async fn only_listed_products_are_found() {
    let (m, ids) = catalogue().await;
    let (cup, title) = ids[0];
    assert_eq!(search(&m, "304不锈钢").await, [title]);
    products::unpublish(&m.db, m.a, cup, m.now).await.unwrap();
    assert!(search(&m, "304不锈钢").await.is_empty());
    products::publish(&m.db, m.a, cup, m.now).await.unwrap();
    curation::take_down(&m.db, cup, "假冒品牌", m.operator, m.now).await.unwrap();
    assert!(search(&m, "304不锈钢").await.is_empty());
    let draft = product(&m, m.a, "草稿里的保温杯", "杯壶", &[], "9", "9").await;
    assert!(!search(&m, "保温杯").await.iter().any(|t| t.contains("草稿")));
    let _ = draft;
    // Renaming a product finds it by its new title only.
    let (pot, _) = ids[2];
    let info = products::InfoInput {
        title: "北欧风陶瓷茶壶".into(),
        subtitle: String::new(),
        code: "POT".into(),
        category: m.leaf("杯壶"),
        tags: vec!["茶具".into()],
        params: vec![],
    };
    products::update_info(&m.db, m.a, pot, &info, m.now).await.unwrap();
    assert_eq!(search(&m, "茶壶").await, ["北欧风陶瓷茶壶"]);
    assert_eq!(search(&m, "茶具").await, ["北欧风陶瓷茶壶"], "tags are searched");
    assert!(search(&m, "膳魔师").await.is_empty());
}

#[tokio::test]
async fn filters_and_sorting() {
    let (m, _) = catalogue().await;
    let tree = categories::tree(&m.db, false).await.unwrap();
    let digital = tree.iter().find(|n| n.category.name.zh == "数码").unwrap().category.id;
    let run = |f: BrowseFilter| {
        let db = m.db.db();
        async move { browse::browse(&db, &f).await.unwrap() }
    };
    let all_digital = run(BrowseFilter { category: Some(digital), ..BrowseFilter::default() }).await;
    assert_eq!(
        all_digital.items.len(),
        TITLES.iter().filter(|t| t.2).count(),
        "a first-level category holds its children's products"
    );
    let phones = run(BrowseFilter { category: Some(m.leaf("手机配件")), ..BrowseFilter::default() }).await;
    assert_eq!(phones.items.len(), 3);
    let cheap = run(BrowseFilter {
        min_price_fen: Some(2000),
        max_price_fen: Some(5000),
        sort: Sort::PriceAsc,
        ..BrowseFilter::default()
    })
    .await;
    let prices: Vec<i64> = cheap.items.iter().map(|c| c.min_price_fen).collect();
    assert_eq!(prices, [2400, 3100, 3800, 4500]);
    let dear = run(BrowseFilter { sort: Sort::PriceDesc, ..BrowseFilter::default() }).await;
    assert!(dear.items.windows(2).all(|w| w[0].min_price_fen >= w[1].min_price_fen));
    assert!(dear.has_more, "36 products, 20 a page");
    let page2 = run(BrowseFilter { sort: Sort::PriceDesc, page: 2, ..BrowseFilter::default() }).await;
    assert_eq!(page2.items.len(), 16);
    assert!(!page2.has_more);
    let in_stock = run(BrowseFilter { shop: Some(m.b), in_stock: true, ..BrowseFilter::default() }).await;
    assert!(in_stock.items.iter().all(|c| c.in_stock && c.shop_code == "geek"));
    let geek_all = run(BrowseFilter { shop: Some(m.b), ..BrowseFilter::default() }).await;
    assert!(in_stock.items.len() < geek_all.items.len(), "some of the shop's products are sold out");
    // Sales and rating order (written by orders and reviews).
    let mut tx = m.db.begin_write().await.unwrap();
    sqlx::query("UPDATE shop_products SET sales_count = id * 3 % 17, rating_x100 = id * 7 % 500")
        .execute(&mut **tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let best = run(BrowseFilter { sort: Sort::Sales, ..BrowseFilter::default() }).await;
    assert!(best.items.windows(2).all(|w| w[0].sales >= w[1].sales));
    let rated = run(BrowseFilter { sort: Sort::Rating, query: "绿植".into(), ..BrowseFilter::default() }).await;
    assert!(rated.items.windows(2).all(|w| w[0].rating_x100 >= w[1].rating_x100));
    assert_eq!(rated.items.len(), 2);
}
