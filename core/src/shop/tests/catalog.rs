//! The SKU model: a SKU per combination with its own price and stock, disabled SKUs not
//! sellable, stock that never goes below zero, and a shop that only ever reaches its own.

use super::*;
use crate::shop::photos::{self, Move, ProductPhotoKind};
use crate::shop::products::{InfoInput, SkuEdit};
use crate::shop::{stock, storefront};
use plaza_types::dto::{ProductStatus, SkuId, StockReason};

async fn skus(m: &Mall, tenant: TenantId, id: ProductId) -> Vec<plaza_types::dto::ConsoleSku> {
    products::console_get(&m.db, tenant, id).await.unwrap().skus
}

fn edit(sku: &plaza_types::dto::ConsoleSku, price: &str, member: &str, enabled: bool) -> SkuEdit {
    SkuEdit {
        id: sku.id,
        price: price.into(),
        member_price: member.into(),
        barcode: String::new(),
        photo_id: None,
        enabled,
    }
}

#[tokio::test]
async fn each_combination_is_a_sku_with_its_own_price_and_stock() {
    let m = mall().await;
    let id =
        product(&m, m.a, "纯棉T恤", "床品", &[("颜色", &["白", "黑"]), ("尺码", &["S", "M", "L"])], "59", "10").await;
    let list = skus(&m, m.a, id).await;
    assert_eq!(list.len(), 6);
    assert_eq!(
        list.iter().map(|s| s.label()).collect::<Vec<_>>(),
        ["白 / S", "白 / M", "白 / L", "黑 / S", "黑 / M", "黑 / L"]
    );
    assert!(list.iter().all(|s| s.price_fen == 5900 && s.stock == 10 && s.enabled));

    // Own prices, a member price, one disabled.
    let edits: Vec<SkuEdit> = list
        .iter()
        .enumerate()
        .map(|(i, s)| match i {
            0 => edit(s, "49.90", "45", true),
            5 => edit(s, "69", "", false),
            _ => edit(s, "59", "", true),
        })
        .collect();
    products::update_skus(&m.db, m.a, id, &edits, m.now).await.unwrap();
    let after = skus(&m, m.a, id).await;
    assert_eq!((after[0].price_fen, after[0].member_price_fen), (4990, Some(4500)));
    assert!(!after[5].enabled);
    let (min, max, member): (i64, i64, Option<i64>) =
        sqlx::query_as("SELECT min_price_fen, max_price_fen, min_member_price_fen FROM shop_products WHERE id = $1")
            .bind(id.0)
            .fetch_one(m.db.pool())
            .await
            .unwrap();
    assert_eq!((min, max, member), (4990, 5900, Some(4500)), "the disabled SKU's ¥69 is not a price shoppers see");

    // Not on sale until published; then the enabled SKUs sell and the disabled one does not.
    let mut conn = m.db.pool().acquire().await.unwrap();
    assert_eq!(problem(stock::sellable(&mut conn, after[0].id).await), ShopProblem::NotSellable);
    photo_row(&m, id).await;
    products::publish(&m.db, m.a, id, m.now).await.unwrap();
    let white_s = stock::sellable(&mut conn, after[0].id).await.unwrap();
    assert_eq!((white_s.spec.as_str(), white_s.price_fen, white_s.member_price_fen), ("白 / S", 4990, Some(4500)));
    assert_eq!(problem(stock::sellable(&mut conn, after[5].id).await), ShopProblem::NotSellable);
    drop(conn);
    let mut tx = m.db.begin_write().await.unwrap();
    assert_eq!(problem(stock::take(&mut tx, after[5].id, 1).await), ShopProblem::NotSellable);
    assert_eq!(stock::take(&mut tx, after[0].id, 3).await.unwrap(), 7);
    assert_eq!(problem(stock::take(&mut tx, after[0].id, 8).await), ShopProblem::StockShort);
    tx.commit().await.unwrap();
    let stocks: Vec<i64> = skus(&m, m.a, id).await.iter().map(|s| s.stock).collect();
    assert_eq!(stocks, [7, 10, 10, 10, 10, 10], "stock is per SKU");
}

#[tokio::test]
async fn new_specs_keep_existing_skus_and_remove_dropped_combinations() {
    let m = mall().await;
    let id = product(&m, m.a, "保温杯", "杯壶", &[("颜色", &["白", "黑"])], "99", "5").await;
    let before = skus(&m, m.a, id).await;
    let black = before[1].id;
    products::update_skus(
        &m.db,
        m.a,
        id,
        &[edit(&before[0], "99", "", true), edit(&before[1], "109", "", true)],
        m.now,
    )
    .await
    .unwrap();

    products::set_specs(&m.db, m.a, id, &dims(&[("颜色", &["黑", "蓝"])]), "89", "2", m.staff_a, m.now).await.unwrap();
    let now = skus(&m, m.a, id).await;
    assert_eq!(now.iter().map(|s| s.label()).collect::<Vec<_>>(), ["黑", "蓝"]);
    assert_eq!((now[0].id, now[0].price_fen, now[0].stock), (black, 10900, 5), "黑 kept its id, price and stock");
    assert_eq!((now[1].price_fen, now[1].stock), (8900, 2), "蓝 is new");
    // 白 comes back with its id.
    products::set_specs(&m.db, m.a, id, &dims(&[("颜色", &["白", "黑", "蓝"])]), "", "", m.staff_a, m.now)
        .await
        .unwrap();
    assert_eq!(skus(&m, m.a, id).await[0].id, before[0].id);
    // A new combination needs a price.
    assert_eq!(
        problem(
            products::set_specs(
                &m.db,
                m.a,
                id,
                &dims(&[("颜色", &["白", "黑", "蓝", "红"])]),
                "",
                "0",
                m.staff_a,
                m.now
            )
            .await
        ),
        ShopProblem::Price
    );
    // Two dimensions: every old single-value SKU goes, four new ones come.
    products::set_specs(
        &m.db,
        m.a,
        id,
        &dims(&[("颜色", &["白", "黑"]), ("容量", &["350ml", "500ml"])]),
        "99",
        "0",
        m.staff_a,
        m.now,
    )
    .await
    .unwrap();
    assert_eq!(skus(&m, m.a, id).await.len(), 4);
}

#[tokio::test]
async fn bad_input_is_refused_and_changes_nothing() {
    let m = mall().await;
    let id = product(&m, m.a, "挂耳咖啡", "咖啡", &[("口味", &["意式", "美式"])], "39", "10").await;
    let snapshot = || async {
        let (p,): (String,) = sqlx::query_as("SELECT title || price_fen || stock || member_price_fen || enabled FROM shop_products p JOIN (SELECT product_id, SUM(price_fen) AS price_fen, SUM(stock) AS stock, SUM(COALESCE(member_price_fen, 0)) AS member_price_fen, SUM(enabled) AS enabled FROM shop_skus GROUP BY product_id) k ON k.product_id = p.id WHERE p.id = $1")
            .bind(id.0)
            .fetch_one(m.db.pool())
            .await
            .unwrap();
        p
    };
    let before = snapshot().await;
    let list = skus(&m, m.a, id).await;
    for (price, member, expected) in [
        ("-1", "", ShopProblem::Price),
        ("0", "", ShopProblem::Price),
        ("1000000", "", ShopProblem::Price),
        ("12.345", "", ShopProblem::Price),
        ("39", "40", ShopProblem::MemberPrice),
        ("39", "-1", ShopProblem::MemberPrice),
    ] {
        // The first row is good, the second bad: the good one is not saved either.
        let rows = [edit(&list[0], "1", "", false), edit(&list[1], price, member, true)];
        assert_eq!(problem(products::update_skus(&m.db, m.a, id, &rows, m.now).await), expected, "{price} {member}");
    }
    let twice = [edit(&list[0], "1", "", true), edit(&list[0], "2", "", true)];
    assert_eq!(problem(products::update_skus(&m.db, m.a, id, &twice, m.now).await), ShopProblem::DuplicateCombination);
    let stranger = [SkuEdit { id: SkuId(999_999), ..edit(&list[0], "1", "", true) }];
    assert_eq!(problem(products::update_skus(&m.db, m.a, id, &stranger, m.now).await), ShopProblem::UnknownSku);
    assert_eq!(
        problem(stock::adjust(&m.db, m.a, list[0].id, "-11", StockReason::Damage, "", m.staff_a, m.now).await),
        ShopProblem::StockShort
    );
    assert_eq!(
        problem(stock::adjust(&m.db, m.a, list[0].id, "+10000000", StockReason::Restock, "", m.staff_a, m.now).await),
        ShopProblem::Stock
    );
    assert_eq!(
        problem(stock::adjust(&m.db, m.a, list[0].id, "1.5", StockReason::Restock, "", m.staff_a, m.now).await),
        ShopProblem::Stock
    );
    assert_eq!(
        problem(stock::adjust(&m.db, m.a, list[0].id, "3", StockReason::Initial, "", m.staff_a, m.now).await),
        ShopProblem::Reason
    );
    let info = |title: &str, category| InfoInput {
        title: title.into(),
        subtitle: String::new(),
        code: "C1".into(),
        category,
        tags: vec![],
        params: vec![],
    };
    assert_eq!(
        problem(products::update_info(&m.db, m.a, id, &info(&"长".repeat(61), m.leaf("咖啡")), m.now).await),
        ShopProblem::Title
    );
    let top = categories::tree(&m.db, false).await.unwrap()[0].category.id;
    assert_eq!(
        problem(products::update_info(&m.db, m.a, id, &info("挂耳咖啡", top), m.now).await),
        ShopProblem::CategoryLevel,
        "a first-level category"
    );
    assert_eq!(
        problem(products::update_info(&m.db, m.a, id, &info("挂耳咖啡", CategoryId(424242)), m.now).await),
        ShopProblem::CategoryLevel
    );
    assert_eq!(snapshot().await, before, "nothing changed");
    assert_eq!(stock::history(&m.db, m.a, id, 50).await.unwrap().len(), 2, "only the initial stock");

    // A plate-pay shop has no storefront.
    let new = NewProduct {
        title: "衬衫".into(),
        code: String::new(),
        category: m.leaf("床品"),
        specs: vec![],
        price: "10".into(),
        stock: "1".into(),
    };
    assert_eq!(problem(products::create(&m.db, m.plate, &new, m.staff_a, m.now).await), ShopProblem::NotAStorefront);
    assert_eq!(problem(storefront::profile(&m.db, m.plate).await), ShopProblem::NotAStorefront);
    let too_many = NewProduct {
        specs: dims(&[
            ("a", &["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"]),
            ("b", &["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"]),
        ]),
        ..new.clone()
    };
    assert_eq!(problem(products::create(&m.db, m.a, &too_many, m.staff_a, m.now).await), ShopProblem::TooManySkus);
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM shop_products").fetch_one(m.db.pool()).await.unwrap();
    assert_eq!(count, 1);
}

#[tokio::test]
async fn a_shop_never_reaches_another_shops_product() {
    let m = mall().await;
    let id = product(&m, m.a, "不锈钢保温杯", "杯壶", &[("颜色", &["白"])], "99", "5").await;
    let sku = skus(&m, m.a, id).await[0].clone();
    let b = m.b;
    not_found(products::console_get(&m.db, b, id).await);
    let info = InfoInput {
        title: "被改了".into(),
        subtitle: String::new(),
        code: "X".into(),
        category: m.leaf("杯壶"),
        tags: vec![],
        params: vec![],
    };
    not_found(products::update_info(&m.db, b, id, &info, m.now).await);
    not_found(products::update_skus(&m.db, b, id, &[edit(&sku, "1", "", true)], m.now).await);
    not_found(products::set_specs(&m.db, b, id, &[], "1", "1", m.staff_b, m.now).await);
    not_found(products::set_description(&m.db, b, id, "<p>x</p>", m.now).await);
    not_found(products::publish(&m.db, b, id, m.now).await);
    not_found(products::unpublish(&m.db, b, id, m.now).await);
    not_found(stock::adjust(&m.db, b, sku.id, "100", StockReason::Restock, "", m.staff_b, m.now).await);
    assert!(stock::history(&m.db, b, id, 10).await.unwrap().is_empty(), "A's history is not B's");
    let dir = tempdir();
    let storage = crate::storage::Storage::local(dir.clone()).unwrap();
    not_found(photos::add_to_product(&m.db, &storage, b, id, ProductPhotoKind::Gallery, png(50, 50), m.now).await);
    // B's own product with A's SKU in its table: refused.
    let own = product(&m, b, "手机壳", "手机配件", &[], "29", "1").await;
    assert_eq!(
        problem(products::update_skus(&m.db, b, own, &[edit(&sku, "1", "", true)], m.now).await),
        ShopProblem::UnknownSku
    );
    let after = skus(&m, m.a, id).await[0].clone();
    assert_eq!(after, sku, "A's SKU untouched");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_buyers_race_for_five_units_and_five_win() {
    let m = mall().await;
    let id = listed(&m, m.a, "限量马克杯", "杯壶", &[], "39", "5").await;
    let sku = skus(&m, m.a, id).await[0].id;
    let db = m.db.db();
    let tasks: Vec<tokio::task::JoinHandle<crate::Result<i64>>> = (0..20)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move {
                let result: crate::Result<i64> = async {
                    let mut tx = db.begin_write().await?;
                    let left = stock::take(&mut tx, sku, 1).await?;
                    tx.commit().await?;
                    Ok(left)
                }
                .await;
                result
            })
        })
        .collect();
    let mut won = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => won += 1,
            Err(e) => assert_eq!(e.user(), Some(&AppError::Shop { problem: ShopProblem::StockShort })),
        }
    }
    assert_eq!(won, 5);
    assert_eq!(skus(&m, m.a, id).await[0].stock, 0);
    let mut tx = m.db.begin_write().await.unwrap();
    assert_eq!(stock::put_back(&mut tx, sku, 2).await.unwrap(), 2);
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn adjustments_keep_a_history_with_reasons() {
    let m = mall().await;
    let id = product(&m, m.a, "三体", "小说", &[("版本", &["平装", "精装"])], "93", "3").await;
    let sku = skus(&m, m.a, id).await[1].id;
    assert_eq!(
        stock::adjust(&m.db, m.a, sku, "+20", StockReason::Restock, "到货", m.staff_a, m.now).await.unwrap(),
        23
    );
    assert_eq!(stock::adjust(&m.db, m.a, sku, "-2", StockReason::Damage, "", m.staff_a, m.now).await.unwrap(), 21);
    assert_eq!(
        problem(stock::adjust(&m.db, m.a, sku, "1", StockReason::Other, " ", m.staff_a, m.now).await),
        ShopProblem::Reason
    );
    assert_eq!(
        problem(stock::adjust(&m.db, m.a, sku, "0", StockReason::Count, "", m.staff_a, m.now).await),
        ShopProblem::Stock
    );
    let history = stock::history(&m.db, m.a, id, 10).await.unwrap();
    let lines: Vec<_> = history.iter().map(|h| (h.sku_label.as_str(), h.delta, h.stock_after, h.reason)).collect();
    assert_eq!(
        lines,
        [
            ("精装", -2, 21, StockReason::Damage),
            ("精装", 20, 23, StockReason::Restock),
            ("精装", 3, 3, StockReason::Initial),
            ("平装", 3, 3, StockReason::Initial)
        ]
    );
    assert_eq!(history[1].note, "到货");
    assert_eq!(history[0].by, "jiawu.owner");
}

#[tokio::test]
async fn publishing_needs_a_photo_and_an_enabled_sku() {
    let m = mall().await;
    let id = product(&m, m.a, "龟背竹", "绿植", &[("尺寸", &["小", "大"])], "88", "1").await;
    assert_eq!(problem(products::publish(&m.db, m.a, id, m.now).await), ShopProblem::NeedsPhoto);
    photo_row(&m, id).await;
    let list = skus(&m, m.a, id).await;
    products::update_skus(&m.db, m.a, id, &[edit(&list[0], "88", "", false), edit(&list[1], "88", "", false)], m.now)
        .await
        .unwrap();
    assert_eq!(problem(products::publish(&m.db, m.a, id, m.now).await), ShopProblem::NeedsSku);
    products::update_skus(&m.db, m.a, id, &[edit(&list[0], "88", "", true), edit(&list[1], "88", "", false)], m.now)
        .await
        .unwrap();
    products::publish(&m.db, m.a, id, m.now).await.unwrap();
    assert_eq!(products::console_get(&m.db, m.a, id).await.unwrap().status, ProductStatus::Published);
    // Losing its last enabled SKU takes it off sale.
    products::update_skus(&m.db, m.a, id, &[edit(&list[0], "88", "", false), edit(&list[1], "88", "", false)], m.now)
        .await
        .unwrap();
    assert_eq!(products::console_get(&m.db, m.a, id).await.unwrap().status, ProductStatus::Unpublished);
}

pub(super) fn png(w: u32, h: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image).write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

pub(super) fn tempdir() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("plaza-shop-{}-{}", std::process::id(), rand::random::<u64>()))
}

#[tokio::test]
async fn photos_are_stored_reordered_and_removed() {
    let m = mall().await;
    let dir = tempdir();
    let storage = crate::storage::Storage::local(dir.clone()).unwrap();
    let id = product(&m, m.a, "多肉组合盆栽", "绿植", &[], "45", "3").await;
    let first = photos::add_to_product(&m.db, &storage, m.a, id, ProductPhotoKind::Gallery, png(1600, 900), m.now)
        .await
        .unwrap();
    let second = photos::add_to_product(&m.db, &storage, m.a, id, ProductPhotoKind::Gallery, png(300, 300), m.now)
        .await
        .unwrap();
    assert_eq!((first.width, first.height), (1200, 675), "shrunk to 1,200 px");
    let key = first.url.trim_start_matches("/media/");
    assert_eq!(storage.get(key).await.unwrap()[..3], [0xFF, 0xD8, 0xFF], "stored as JPEG");
    let thumb =
        image::load_from_memory(&storage.get(first.thumb.trim_start_matches("/media/")).await.unwrap()).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (400, 400), "a square thumbnail for lists");
    let cover = || async {
        let (c,): (Option<String>,) = sqlx::query_as("SELECT cover_key FROM shop_products WHERE id = $1")
            .bind(id.0)
            .fetch_one(m.db.pool())
            .await
            .unwrap();
        c.unwrap()
    };
    assert!(first.thumb.ends_with(&cover().await));
    photos::move_photo(&m.db, m.a, id, second.id, Move::First, m.now).await.unwrap();
    assert!(second.thumb.ends_with(&cover().await), "the first photo is the cover");
    photos::remove_photo(&m.db, &storage, m.a, id, second.id, m.now).await.unwrap();
    assert!(storage.get(second.url.trim_start_matches("/media/")).await.unwrap_err().is_not_found());
    assert!(first.thumb.ends_with(&cover().await));
    // A published product keeps its last photo.
    products::publish(&m.db, m.a, id, m.now).await.unwrap();
    assert_eq!(problem(photos::remove_photo(&m.db, &storage, m.a, id, first.id, m.now).await), ShopProblem::NeedsPhoto);
    // Not a photo; too many.
    let refused =
        photos::add_to_product(&m.db, &storage, m.a, id, ProductPhotoKind::Gallery, b"<script>".to_vec(), m.now).await;
    assert_eq!(refused.unwrap_err().user(), Some(&AppError::PhotoUnsupported { heic: false }));
    for _ in 0..8 {
        photo_row(&m, id).await;
    }
    assert_eq!(
        problem(photos::add_to_product(&m.db, &storage, m.a, id, ProductPhotoKind::Gallery, png(10, 10), m.now).await),
        ShopProblem::TooManyPhotos
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn descriptions_are_sanitised_when_saved() {
    let m = mall().await;
    let id = product(&m, m.a, "乳胶枕", "床品", &[], "199", "3").await;
    products::set_description(
        &m.db,
        m.a,
        id,
        r#"<p>天然乳胶<img src=x onerror=alert(1)><script>steal()</script></p>"#,
        m.now,
    )
    .await
    .unwrap();
    let saved = products::console_get(&m.db, m.a, id).await.unwrap().description_html;
    assert_eq!(saved, "<p>天然乳胶</p>");
}

#[tokio::test]
async fn categories_are_two_levels_and_kept_while_used() {
    let m = mall().await;
    let tree = categories::tree(&m.db, true).await.unwrap();
    let (top, leaf) = (tree[0].category.id, tree[0].children[0].id);
    let input = |parent, name: &str, icon: &str| CategoryInput {
        parent,
        name_zh: name.into(),
        name_en: String::new(),
        icon: icon.into(),
        sort: 0,
    };
    let actor = crate::audit::Actor::Staff(m.operator);
    assert_eq!(
        problem(categories::create(&m.db, &input(Some(leaf), "三级", "box"), &actor, m.now).await),
        ShopProblem::Category,
        "no third level"
    );
    assert_eq!(problem(categories::create(&m.db, &input(None, "", "box"), &actor, m.now).await), ShopProblem::Category);
    assert_eq!(
        problem(categories::create(&m.db, &input(None, "新", "rocket"), &actor, m.now).await),
        ShopProblem::Category,
        "an icon not in the set"
    );
    product(&m, m.a, "杯子", "杯壶", &[], "9", "1").await;
    assert_eq!(problem(categories::delete(&m.db, leaf, &actor, m.now).await), ShopProblem::CategoryInUse);
    assert_eq!(problem(categories::delete(&m.db, top, &actor, m.now).await), ShopProblem::CategoryInUse);
    assert_eq!(
        problem(categories::update(&m.db, leaf, &input(None, "杯壶", "cup"), true, &actor, m.now).await),
        ShopProblem::CategoryInUse,
        "a leaf with products stays a leaf"
    );
    let empty = tree[0].children[4].id;
    categories::delete(&m.db, empty, &actor, m.now).await.unwrap();
    // A hidden parent hides its children from shops and shoppers.
    categories::update(&m.db, top, &input(None, "家居生活", "home"), false, &actor, m.now).await.unwrap();
    assert!(categories::tree(&m.db, false).await.unwrap().iter().all(|n| n.category.id != top));
    let new = NewProduct {
        title: "杯".into(),
        code: String::new(),
        category: leaf,
        specs: vec![],
        price: "1".into(),
        stock: "0".into(),
    };
    assert_eq!(problem(products::create(&m.db, m.a, &new, m.staff_a, m.now).await), ShopProblem::CategoryLevel);
}
