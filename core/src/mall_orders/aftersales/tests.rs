//! After-sales against both databases, with the payment sandbox: request → approve → refund
//! with restock; reject → dispute → the operator refunds or upholds; a double approval and a
//! second arbitration do nothing; over-refunds and another's records are refused; photo bounds.

use super::*;
use crate::auth::staff::{self, NewStaff};
use crate::mall_orders::tests::{mall, sandbox, user_error, Mall};
use crate::mall_orders::{console, views as order_views};
use crate::stored_value;
use plaza_types::dto::AfterSalesState as S;
use plaza_types::{Fen, StaffId, StaffRole};

fn tempdir() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("plaza-aftersales-{}-{}", std::process::id(), rand::random::<u64>()))
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image).write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

async fn operator(m: &Mall) -> StaffId {
    let mut tx = m.db.begin_write().await.unwrap();
    let new = NewStaff {
        username: "ops.arbiter",
        display_name: "ops",
        password: "plaza2026",
        role: StaffRole::OperatorStaff,
        tenant_id: None,
    };
    let id = staff::create(&mut tx, new, m.now).await.unwrap();
    tx.commit().await.unwrap();
    id
}

async fn line_of(m: &Mall, order_no: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as(
        "SELECT l.id FROM shop_order_lines l JOIN mall_orders o ON o.id = l.order_id WHERE o.order_no = $1 ORDER BY l.id",
    )
    .bind(order_no)
    .fetch_one(m.db.pool())
    .await
    .unwrap();
    id
}

fn ask(order_no: &str, line: i64, quantity: i64, returning: bool) -> NewRequest {
    NewRequest {
        order_no: order_no.into(),
        lines: vec![(line, quantity)],
        reason: "damaged".into(),
        reason_text: "杯口有裂纹".into(),
        returning,
        photos: Vec::new(),
    }
}

async fn state_of(m: &Mall, request: i64) -> S {
    let (s,): (String,) = sqlx::query_as("SELECT state FROM mall_aftersales WHERE id = $1")
        .bind(request)
        .fetch_one(m.db.pool())
        .await
        .unwrap();
    S::parse(&s).unwrap()
}

async fn balance(m: &Mall) -> Fen {
    stored_value::balance(m.db.pool(), m.buyer).await.unwrap()
}

async fn audited(m: &Mall, action: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(m.db.pool())
        .await
        .unwrap();
    n
}

struct Setup {
    m: Mall,
    storage: Storage,
    dir: std::path::PathBuf,
    no: String,
    line: i64,
}

/// The buyer paid 4 mugs (¥39 each) from stored value.
async fn setup() -> Setup {
    let m = mall("10").await;
    let no = m.bought_mugs(m.buyer, 4, "as1").await;
    let line = line_of(&m, &no).await;
    let dir = tempdir();
    let storage = Storage::local(dir.clone()).unwrap();
    Setup { m, storage, dir, no, line }
}

impl Drop for Setup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[tokio::test]
async fn a_request_approved_by_the_shop_is_refunded_through_the_engine_and_restocked() {
    let s = setup().await;
    let m = &s.m;
    assert_eq!(m.stock(m.mug).await, 6);
    let before = balance(m).await;
    let mut new = ask(&s.no, s.line, 2, true);
    new.photos = vec![prepare_photo(png(640, 480)).await.unwrap()];
    let id = request(&m.db, &s.storage, m.buyer, new, m.now).await.unwrap();
    // One open request per order.
    let again = request(&m.db, &s.storage, m.buyer, ask(&s.no, s.line, 1, false), m.now).await;
    assert_eq!(user_error(again), AppError::AfterSales { problem: AfterSalesProblem::AlreadyOpen });
    let seen = views::for_order(&m.db, m.buyer, &s.no, m.now).await.unwrap();
    assert!(!seen.can_request);
    assert_eq!((seen.requests[0].amount, seen.requests[0].photos.len()), (Fen(7_800), 1));
    let shop_list = views::for_shop(&m.db, m.a, true).await.unwrap();
    assert_eq!(shop_list.len(), 1);
    assert!(!shop_list[0].buyer.is_empty());

    // Another shop neither sees nor decides it.
    assert!(views::for_shop(&m.db, m.b, false).await.unwrap().is_empty());
    assert_eq!(user_error(approve(&m.db, &sandbox(), m.b, m.staff_b, id, m.now).await), AppError::NotFound);
    assert_eq!(user_error(reject(&m.db, m.b, id, "不行", m.now).await), AppError::NotFound);
    assert_eq!(user_error(views::for_shop_order(&m.db, m.b, &s.no).await), AppError::NotFound);

    let refunded = approve(&m.db, &sandbox(), m.a, m.staff_a, id, m.now).await.unwrap();
    assert_eq!(refunded, Fen(7_800));
    assert_eq!(state_of(m, id).await, S::Refunded);
    assert_eq!(balance(m).await, Fen(before.0 + 7_800));
    assert_eq!(m.stock(m.mug).await, 8, "the goods came back");
    let order = order_views::order(&m.db, order_views::Viewer::Shopper(m.buyer), &s.no, m.now).await.unwrap();
    assert_eq!((order.refunded, order.lines[0].refunded_quantity), (Fen(7_800), 2));

    // A second tap: nothing more.
    let twice = approve(&m.db, &sandbox(), m.a, m.staff_a, id, m.now).await;
    assert_eq!(user_error(twice), AppError::AfterSales { problem: AfterSalesProblem::AlreadyDecided });
    assert_eq!(balance(m).await, Fen(before.0 + 7_800));
    let (refunds,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM mall_refunds WHERE kind = 'lines'").fetch_one(m.db.pool()).await.unwrap();
    assert_eq!(refunds, 1);
    // The order's history and the outbox moved with each step.
    let (events,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM events WHERE kind = 'mall_order'").fetch_one(m.db.pool()).await.unwrap();
    assert!(events >= 3, "{events}");
    let view = &views::for_order(&m.db, m.buyer, &s.no, m.now).await.unwrap().requests[0];
    assert_eq!(view.steps.iter().map(|s| s.state).collect::<Vec<_>>(), vec![S::Requested, S::Refunding, S::Refunded]);
}

#[tokio::test]
async fn a_rejection_disputed_is_refunded_by_the_operator_once() {
    let s = setup().await;
    let m = &s.m;
    let ops = operator(m).await;
    let before = balance(m).await;
    let id = request(&m.db, &s.storage, m.buyer, ask(&s.no, s.line, 1, false), m.now).await.unwrap();
    // A rejection needs words.
    assert_eq!(
        user_error(reject(&m.db, m.a, id, " ", m.now).await),
        AppError::AfterSales { problem: AfterSalesProblem::Note }
    );
    reject(&m.db, m.a, id, "杯子完好，不影响使用", m.now).await.unwrap();
    assert_eq!(state_of(m, id).await, S::Rejected);
    // The operator cannot rule on what is not disputed; another shopper cannot dispute it.
    assert_eq!(
        user_error(arbitrate(&m.db, &sandbox(), ops, id, Ruling::Refund, "退款给顾客", m.now).await),
        AppError::AfterSales { problem: AfterSalesProblem::AlreadyDecided }
    );
    assert_eq!(user_error(dispute(&m.db, m.other, id, "我不同意", m.now).await), AppError::NotFound);
    dispute(&m.db, m.buyer, id, "照片里能看到裂纹", m.now).await.unwrap();
    assert_eq!(
        user_error(dispute(&m.db, m.buyer, id, "再说一次", m.now).await),
        AppError::AfterSales { problem: AfterSalesProblem::NotDisputable }
    );
    assert_eq!(views::disputes(&m.db, true).await.unwrap().len(), 1);
    arbitrate(&m.db, &sandbox(), ops, id, Ruling::Refund, "照片可见裂纹，支持退款", m.now).await.unwrap();
    assert_eq!(state_of(m, id).await, S::Refunded);
    assert_eq!(balance(m).await, Fen(before.0 + 3_900));
    assert_eq!(m.stock(m.mug).await, 6, "no goods came back");
    // A second ruling (either way) does nothing.
    for ruling in [Ruling::Refund, Ruling::Uphold] {
        assert_eq!(
            user_error(arbitrate(&m.db, &sandbox(), ops, id, ruling, "再来一次", m.now).await),
            AppError::AfterSales { problem: AfterSalesProblem::AlreadyDecided }
        );
    }
    assert_eq!(balance(m).await, Fen(before.0 + 3_900));
    assert_eq!(audited(m, "mall.aftersales.refund").await, 1);
    assert_eq!(audited(m, "mall.aftersales.uphold").await, 0);
    let seen = &views::for_order(&m.db, m.buyer, &s.no, m.now).await.unwrap().requests[0];
    assert_eq!(
        (seen.shop_note.as_str(), seen.operator_note.as_str()),
        ("杯子完好，不影响使用", "照片可见裂纹，支持退款")
    );
    assert!(views::disputes(&m.db, true).await.unwrap().is_empty());
    assert_eq!(views::disputes(&m.db, false).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_rejection_disputed_and_upheld_refunds_nothing() {
    let s = setup().await;
    let m = &s.m;
    let ops = operator(m).await;
    let before = balance(m).await;
    let id = request(&m.db, &s.storage, m.buyer, ask(&s.no, s.line, 4, true), m.now).await.unwrap();
    reject(&m.db, m.a, id, "已超过退货条件", m.now).await.unwrap();
    // Rejected twice: the second is told it is decided.
    assert_eq!(
        user_error(reject(&m.db, m.a, id, "再拒绝", m.now).await),
        AppError::AfterSales { problem: AfterSalesProblem::AlreadyDecided }
    );
    dispute(&m.db, m.buyer, id, "商品有质量问题", m.now).await.unwrap();
    // While disputed, the shop cannot approve it behind the operator's back.
    assert_eq!(
        user_error(approve(&m.db, &sandbox(), m.a, m.staff_a, id, m.now).await),
        AppError::AfterSales { problem: AfterSalesProblem::AlreadyDecided }
    );
    arbitrate(&m.db, &sandbox(), ops, id, Ruling::Uphold, "商家理由成立", m.now).await.unwrap();
    assert_eq!(state_of(m, id).await, S::Upheld);
    assert_eq!(
        user_error(arbitrate(&m.db, &sandbox(), ops, id, Ruling::Refund, "改判", m.now).await),
        AppError::AfterSales { problem: AfterSalesProblem::AlreadyDecided }
    );
    assert_eq!(balance(m).await, before);
    assert_eq!(m.stock(m.mug).await, 6);
    assert_eq!(audited(m, "mall.aftersales.uphold").await, 1);
    // Decided: the shopper may ask again (one open at a time).
    assert!(views::for_order(&m.db, m.buyer, &s.no, m.now).await.unwrap().can_request);
}

#[tokio::test]
async fn more_than_is_left_to_refund_is_refused_and_nothing_changes() {
    let s = setup().await;
    let m = &s.m;
    let before = balance(m).await;
    let refused_with = |p| AppError::AfterSales { problem: p };
    // More units than bought, a line of no order of the shopper's, no lines, a bad reason.
    for (new, problem) in [
        (ask(&s.no, s.line, 5, false), AfterSalesProblem::Lines),
        (ask(&s.no, s.line + 999, 1, false), AfterSalesProblem::Lines),
        (NewRequest { lines: vec![], ..ask(&s.no, s.line, 1, false) }, AfterSalesProblem::Lines),
        (
            NewRequest { lines: vec![(s.line, 1), (s.line, 1)], ..ask(&s.no, s.line, 1, false) },
            AfterSalesProblem::Lines,
        ),
        (NewRequest { reason: "bored".into(), ..ask(&s.no, s.line, 1, false) }, AfterSalesProblem::Reason),
        (
            NewRequest { reason: "other".into(), reason_text: String::new(), ..ask(&s.no, s.line, 1, false) },
            AfterSalesProblem::Reason,
        ),
    ] {
        let result = request(&m.db, &s.storage, m.buyer, new, m.now).await;
        assert_eq!(user_error(result), refused_with(problem));
    }
    // Another shopper's order is not found.
    assert_eq!(
        user_error(request(&m.db, &s.storage, m.other, ask(&s.no, s.line, 1, false), m.now).await),
        AppError::NotFound
    );
    assert_eq!(user_error(views::for_order(&m.db, m.other, &s.no, m.now).await), AppError::NotFound);
    // The shop refunds 3 of the 4 from its console while a request for 2 waits: approving it
    // now would refund more than is left, and is refused; the request stays open.
    let id = request(&m.db, &s.storage, m.buyer, ask(&s.no, s.line, 2, true), m.now).await.unwrap();
    console::refund_lines(&m.db, &sandbox(), m.a, m.staff_a, &s.no, &[(s.line, 3)], false, "缺货退款", m.now)
        .await
        .unwrap();
    let after_console = balance(m).await;
    assert_eq!(after_console, Fen(before.0 + 11_700));
    assert_eq!(
        user_error(approve(&m.db, &sandbox(), m.a, m.staff_a, id, m.now).await),
        refused_with(AfterSalesProblem::Lines)
    );
    assert_eq!(state_of(m, id).await, S::Requested);
    assert_eq!(balance(m).await, after_console);
    assert_eq!(m.stock(m.mug).await, 6);
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mall_refunds WHERE state = 'pending'")
        .fetch_one(m.db.pool())
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn a_refund_above_what_was_paid_is_refused() {
    let s = setup().await;
    let m = &s.m;
    let before = balance(m).await;
    let id = request(&m.db, &s.storage, m.buyer, ask(&s.no, s.line, 4, false), m.now).await.unwrap();
    // The order's total says less was paid than the lines' prices (a bad row, or a discount on
    // the order): the refund is bounded by what was paid.
    let mut tx = m.db.begin_write().await.unwrap();
    sqlx::query("UPDATE mall_orders SET refunded_fen = total_fen - 100 WHERE order_no = $1")
        .bind(&s.no)
        .execute(&mut **tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        user_error(approve(&m.db, &sandbox(), m.a, m.staff_a, id, m.now).await),
        AppError::invalid(plaza_types::error::Field::Amount)
    );
    assert_eq!(state_of(m, id).await, S::Requested);
    assert_eq!(balance(m).await, before);
}

#[tokio::test]
async fn photos_are_bounded_checked_and_re_encoded() {
    let s = setup().await;
    let m = &s.m;
    // Not an image, an image too large in pixels, a file over the size cap.
    assert!(matches!(
        user_error(prepare_photo(b"not a photo at all".to_vec()).await),
        AppError::PhotoUnsupported { .. } | AppError::PhotoUnreadable
    ));
    assert_eq!(user_error(prepare_photo(png(9_000, 10)).await), AppError::PhotoUnreadable);
    let huge = vec![0u8; crate::receipts::photo::MAX_UPLOAD_BYTES + 1];
    assert!(matches!(user_error(prepare_photo(huge).await), AppError::PhotoTooLarge { .. }));
    // Seven photos: refused before anything is stored.
    let photo = prepare_photo(png(800, 600)).await.unwrap();
    assert!(photo.jpeg.starts_with(&[0xFF, 0xD8]));
    assert!(!photo.jpeg.windows(4).any(|w| w == b"Exif"));
    let mut new = ask(&s.no, s.line, 1, false);
    new.photos = vec![photo.clone(); 7];
    assert_eq!(
        user_error(request(&m.db, &s.storage, m.buyer, new, m.now).await),
        AppError::AfterSales { problem: AfterSalesProblem::TooManyPhotos }
    );
    let stored = std::fs::read_dir(&s.dir).map(|d| d.count()).unwrap_or(0);
    assert_eq!(stored, 0, "nothing stored");
    // Six: stored, and whose they are is known to the photo route.
    let mut new = ask(&s.no, s.line, 1, false);
    new.photos = vec![photo; 6];
    let id = request(&m.db, &s.storage, m.buyer, new, m.now).await.unwrap();
    let (first,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM mall_aftersales_photos WHERE request_id = $1")
        .bind(id)
        .fetch_one(m.db.pool())
        .await
        .unwrap();
    let (member, tenant, key, _) = views::photo(&m.db, first).await.unwrap();
    assert_eq!((member, tenant), (m.buyer, m.a));
    assert!(key.starts_with("aftersales/"));
    assert!(s.storage.get(&key).await.is_ok());
    // Never served as a public photo.
    assert!(crate::shop::photos::read_public(&m.db, &s.storage, &key).await.unwrap().is_none());
    // A refused request (one is open already) leaves no photo behind.
    let files = |dir: &std::path::Path| walk(dir);
    let before = files(&s.dir);
    let mut new = ask(&s.no, s.line, 1, false);
    new.photos = vec![prepare_photo(png(300, 300)).await.unwrap()];
    assert!(request(&m.db, &s.storage, m.buyer, new, m.now).await.is_err());
    assert_eq!(files(&s.dir), before);
}

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 }).sum())
        .unwrap_or(0)
}
