//! CSV import and export: a file is applied whole or not at all, with every bad cell reported
//! by line and column; what is exported imports back unchanged.

use super::*;
use crate::shop::csv::{export, import, imports};
use plaza_types::dto::{CsvRowError, ProductStatus};

const HEADER: &str = "商品编码,标题,副标题,类目,标签,规格1,规格1值,规格2,规格2值,价格,会员价,库存,条码,启用,状态\n";

fn file(rows: &[&str]) -> Vec<u8> {
    let mut text = HEADER.to_string();
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text.into_bytes()
}

fn errors(list: &[CsvRowError]) -> Vec<(i64, &str, ShopProblem)> {
    list.iter().map(|e| (e.line, e.column.as_str(), e.problem)).collect()
}

async fn counts(m: &Mall) -> (i64, i64, i64) {
    sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM shop_products), (SELECT COUNT(*) FROM shop_skus), (SELECT COUNT(*) FROM shop_stock_adjustments)",
    )
    .fetch_one(m.db.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn a_good_file_creates_products_with_their_skus() {
    let m = mall().await;
    let csv = file(&[
        "TEE-1,纯棉T恤,夏季新款,家居生活/床品,\"新品,包邮\",颜色,白,尺码,M,59,49,10,6901234567892,是,",
        "TEE-1,纯棉T恤,夏季新款,家居生活/床品,\"新品,包邮\",颜色,白,尺码,L,59,,8,,是,",
        "TEE-1,纯棉T恤,夏季新款,家居生活/床品,\"新品,包邮\",颜色,黑,尺码,M,69,,0,,否,",
        "CUP-9,不锈钢保温杯,,杯壶,,,,,,99.00,,5,,,",
    ]);
    let report = import(&m.db, m.a, m.staff_a, "products.csv", &csv, m.now).await.unwrap();
    assert!(report.applied, "{:?}", report.errors);
    assert_eq!((report.created, report.updated, report.rows), (2, 0, 4));
    let (list, _) = products::console_list(&m.db, m.a, &Default::default()).await.unwrap();
    let tee = list.iter().find(|p| p.code == "TEE-1").unwrap();
    let tee = products::console_get(&m.db, m.a, tee.id).await.unwrap();
    assert_eq!((tee.subtitle.as_str(), tee.tags.clone()), ("夏季新款", vec!["新品".to_string(), "包邮".to_string()]));
    let skus: Vec<_> =
        tee.skus.iter().map(|s| (s.label(), s.price_fen, s.member_price_fen, s.stock, s.enabled)).collect();
    assert_eq!(
        skus,
        [
            ("白 / M".to_string(), 5900, Some(4900), 10, true),
            ("白 / L".to_string(), 5900, None, 8, true),
            ("黑 / M".to_string(), 6900, None, 0, false),
            ("黑 / L".to_string(), 5900, None, 0, false),
        ],
        "a combination the file does not list is created disabled"
    );
    assert_eq!(tee.skus[0].barcode, "6901234567892");
    let history = crate::shop::stock::history(&m.db, m.a, tee.id, 10).await.unwrap();
    assert!(history.iter().all(|h| h.reason == plaza_types::dto::StockReason::Import));
    assert_eq!(imports(&m.db, m.a, None).await.unwrap()[0].id, report.id);
}

#[tokio::test]
async fn every_bad_cell_is_reported_and_nothing_is_imported() {
    let m = mall().await;
    let before = counts(&m).await;
    let csv = file(&[
        "OK-1,好商品,,杯壶,,,,,,10,,1,,,",
        "BAD 1,标题,,杯壶,,,,,,10,,1,,,",
        "X-2,,,杯壶,,,,,,10,,1,,,",
        "X-3,价格错,,杯壶,,,,,,-5,,1,,,",
        "X-4,会员价高,,杯壶,,,,,,10,11,1,,,",
        "X-5,库存负,,杯壶,,,,,,10,,-1,,,",
        "X-6,类目错,,家居生活,,,,,,10,,1,,,",
        "X-7,类目无,,不存在的类目,,,,,,10,,1,,,",
        "X-8,重复规格,,杯壶,,颜色,红,,,10,,1,,,",
        "X-8,重复规格,,杯壶,,颜色,红,,,10,,1,,,",
        "X-9,标题一,,杯壶,,,,,,10,,1,,,",
        "X-9,标题二,,杯壶,,,,,,10,,1,,,",
        "X-10,条码错,,杯壶,,,,,,10,,1,12-34,,",
        "X-11,启用错,,杯壶,,,,,,10,,1,,也许,",
        "X-12,规格缺值,,杯壶,,颜色,,,,10,,1,,,",
    ]);
    let report = import(&m.db, m.a, m.staff_a, "bad.csv", &csv, m.now).await.unwrap();
    assert!(!report.applied);
    assert_eq!(
        errors(&report.errors),
        [
            (3, "商品编码", ShopProblem::ProductCode),
            (4, "标题", ShopProblem::Title),
            (5, "价格", ShopProblem::Price),
            (6, "会员价", ShopProblem::MemberPrice),
            (7, "库存", ShopProblem::Stock),
            (8, "类目", ShopProblem::CategoryLevel),
            (9, "类目", ShopProblem::CategoryLevel),
            (14, "条码", ShopProblem::Barcode),
            (15, "启用", ShopProblem::CsvFile),
            (16, "规格1值", ShopProblem::Specs),
            (11, "规格1值", ShopProblem::DuplicateCombination),
            (13, "标题", ShopProblem::CsvInconsistent),
            (13, "规格1值", ShopProblem::DuplicateCombination),
        ]
    );
    assert_eq!(counts(&m).await, before, "the good first row was not imported either");
    assert_eq!(imports(&m.db, m.a, Some(report.id)).await.unwrap()[0].errors.len(), 13, "the report is kept");
}

#[tokio::test]
async fn a_refusal_met_while_applying_rolls_everything_back() {
    let m = mall().await;
    let before = counts(&m).await;
    // Both rows are well-formed, but the second product cannot be published: it has no photo.
    let csv = file(&["A-1,第一件,,杯壶,,,,,,10,,1,,,草稿", "A-2,第二件,,杯壶,,,,,,10,,1,,,上架"]);
    let report = import(&m.db, m.a, m.staff_a, "publish.csv", &csv, m.now).await.unwrap();
    assert!(!report.applied);
    assert_eq!(errors(&report.errors), [(3, "状态", ShopProblem::NeedsPhoto)]);
    assert_eq!(counts(&m).await, before, "A-1 was not kept");
}

#[tokio::test]
async fn files_that_are_not_csv_tables() {
    let m = mall().await;
    let refused = |bytes: Vec<u8>| {
        let db = m.db.db();
        let (a, s, now) = (m.a, m.staff_a, m.now);
        async move { import(&db, a, s, "x.csv", &bytes, now).await.unwrap() }
    };
    let r = refused(b"title,price\nx,1\n".to_vec()).await;
    assert_eq!(
        errors(&r.errors),
        [
            (1, "商品编码", ShopProblem::CsvHeader),
            (1, "类目", ShopProblem::CsvHeader),
            (1, "库存", ShopProblem::CsvHeader)
        ]
    );
    assert_eq!(errors(&refused(vec![0xFF, 0xFE, 0x00, 0x81, 0x30]).await.errors), [(0, "", ShopProblem::CsvFile)]);
    assert_eq!(
        errors(&refused(vec![b'a'; crate::shop::csv::MAX_BYTES + 1]).await.errors),
        [(0, "", ShopProblem::CsvFile)]
    );
    assert_eq!(errors(&refused(HEADER.as_bytes().to_vec()).await.errors), [(0, "", ShopProblem::CsvFile)], "no rows");
    // GB18030, as Excel saves it in China.
    let (gbk, _, _) = encoding_rs::GB18030.encode("商品编码,标题,类目,价格,库存\nG-1,国标编码的杯子,杯壶,12.5,3\n");
    let r = refused(gbk.into_owned()).await;
    assert!(r.applied, "{:?}", r.errors);
    // The plate-pay shop has no products to import.
    assert_eq!(
        problem(import(&m.db, m.plate, m.staff_a, "x.csv", &file(&[]), m.now).await),
        ShopProblem::NotAStorefront
    );
}

#[tokio::test]
async fn an_export_imports_back_unchanged_and_updates_by_code() {
    let m = mall().await;
    let id = listed(&m, m.a, "纯棉T恤", "床品", &[("颜色", &["白", "黑"]), ("尺码", &["S", "M"])], "59", "4").await;
    let exported = export(&m.db, m.a).await.unwrap();
    assert!(exported.starts_with("\u{feff}商品编码,标题".as_bytes()));
    let text = String::from_utf8(exported.clone()).unwrap();
    assert_eq!(text.lines().count(), 5, "{text}");
    assert!(text.contains("家居生活/床品") && text.contains("上架") && text.contains("59.00"));
    let before = products::console_get(&m.db, m.a, id).await.unwrap();
    let report = import(&m.db, m.a, m.staff_a, "export.csv", &exported, m.now).await.unwrap();
    assert!(report.applied, "{:?}", report.errors);
    assert_eq!((report.created, report.updated), (0, 1));
    let after = products::console_get(&m.db, m.a, id).await.unwrap();
    assert_eq!(after.skus, before.skus);
    assert_eq!(after.status, ProductStatus::Published);
    // Edited in the spreadsheet: a new price and stock for one SKU, a new title.
    let edited = text.replacen("纯棉T恤", "纯棉短袖T恤", 4).replacen(",59.00,,4,", ",45.00,,9,", 1);
    let report = import(&m.db, m.a, m.staff_a, "edited.csv", edited.as_bytes(), m.now).await.unwrap();
    assert!(report.applied, "{:?}", report.errors);
    let after = products::console_get(&m.db, m.a, id).await.unwrap();
    assert_eq!(after.title, "纯棉短袖T恤");
    assert_eq!((after.skus[0].price_fen, after.skus[0].stock), (4500, 9));
    assert_eq!(after.skus[1].stock, 4);
    // Another shop's file with the same code makes its own product.
    let report = import(&m.db, m.b, m.staff_b, "b.csv", edited.as_bytes(), m.now).await.unwrap();
    assert!(!report.applied, "B cannot publish a product without a photo");
    assert_eq!(products::console_get(&m.db, m.a, id).await.unwrap().title, "纯棉短袖T恤", "A's product untouched");
}
