//! Receipts on stored OCR lines (no model): the decision, duplicates, the window, caps, the
//! review queue and two members racing with one receipt. SQLite, and PostgreSQL with
//! `TEST_DATABASE_URL`.

use super::photo::{self, Prepared};
use super::review::{self, Corrections};
use super::*;
use crate::audit::Actor;
use crate::auth::staff::{self, NewStaff};
use crate::storage::Storage;
use crate::testing::{seed_member, test_db};
use crate::{points, tenants, Db, Timestamp};
use plaza_ocr::Line;
use plaza_types::dto::{Localized, ReceiptStatus, TenantKind};
use plaza_types::{MemberId, StaffId, StaffRole, TenantId};
use std::sync::Arc;

/// A reader that returns stored lines, whatever the photo.
struct Stored(Vec<Line>);

#[async_trait::async_trait]
impl ReceiptReader for Stored {
    async fn read(&self, _photo: Vec<u8>) -> Result<Vec<Line>, String> {
        Ok(self.0.clone())
    }
}

fn lines(text: &[&str]) -> Stored {
    Stored(text.iter().map(|t| Line::plain(*t)).collect())
}

/// 面面俱到 B1-16, S2611050042, 2026-11-05 12:31, ¥41.00 paid.
fn noodle(receipt_no: &str, minute: &str, paid: &str) -> Stored {
    let number = format!("单号：{receipt_no}");
    let date = format!("日期：{minute}");
    let paid = format!("实收： ￥{paid}");
    lines(&["面面俱到", "B1-16", &number, &date, &paid])
}

/// 2026-11-05 20:00 in Shanghai.
const EVENING: Timestamp = Timestamp(1_793_880_000_000);

/// A distinct photo per seed (its SHA-256 differs).
fn photo(seed: u8) -> Prepared {
    let mut image = image::RgbImage::new(40, 30);
    image.put_pixel(seed as u32 % 40, 0, image::Rgb([seed, 255 - seed, 7]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image).write_to(&mut out, image::ImageFormat::Png).unwrap();
    photo::prepare(&out.into_inner()).unwrap()
}

struct Mall {
    db: crate::testing::TestDb,
    store: Storage,
    noodle: TenantId,
}

async fn mall() -> Mall {
    let db = test_db().await;
    let mut tx = db.begin_write().await.unwrap();
    tenants::create_category(&mut tx, "food", &Localized::new("餐饮", "Food"), 0).await.unwrap();
    let mut ids = Vec::new();
    for (code, zh, unit) in [("noodle", "面面俱到", "B1-16"), ("roast", "港式烧腊", "B1-17")] {
        let new = tenants::NewTenant {
            code,
            name: Localized::new(zh, code),
            unit_no: unit,
            floor: "B1",
            category_code: "food",
            kind: TenantKind::Restaurant,
            aliases: &[],
        };
        ids.push(tenants::create(&mut tx, &new, EVENING).await.unwrap());
    }
    tx.commit().await.unwrap();
    let dir = std::env::temp_dir().join(format!("plaza-receipts-{}-{}", std::process::id(), rand::random::<u64>()));
    Mall { db, store: Storage::local(dir).expect("a photo folder"), noodle: ids[0] }
}

impl Mall {
    fn db(&self) -> Db {
        self.db.db()
    }

    async fn upload(&self, member: MemberId, seed: u8, reader: &Stored, now: Timestamp) -> (i64, ReceiptStatus) {
        let id = submit(&self.db, &self.store, member, &photo(seed), now).await.unwrap();
        let status = recognise(&self.db, &self.store, Some(reader), id, now).await.unwrap().unwrap();
        (id, status)
    }

    async fn reason(&self, id: i64) -> String {
        let (reason,): (Option<String>,) = sqlx::query_as("SELECT reason FROM receipts WHERE id = $1")
            .bind(id)
            .fetch_one(self.db.pool())
            .await
            .unwrap();
        reason.unwrap_or_default()
    }

    async fn operator(&self) -> StaffId {
        let mut tx = self.db.begin_write().await.unwrap();
        let new = NewStaff {
            username: "reviewer",
            display_name: "审核员",
            password: "plaza2026-long",
            role: StaffRole::OperatorStaff,
            tenant_id: None,
        };
        let id = staff::create(&mut tx, new, EVENING).await.unwrap();
        tx.commit().await.unwrap();
        id
    }
}

#[tokio::test]
async fn a_clean_receipt_is_approved_at_once_with_pending_points_and_audited() {
    let m = mall().await;
    let member = seed_member(&m.db, "13800000001").await;
    let (id, status) = m.upload(member, 1, &noodle("S2611050042", "2026-11-0512:31", "41.00"), EVENING).await;
    assert_eq!(status, ReceiptStatus::Approved);
    let view = views::one(&m.db, member, id, EVENING).await.unwrap();
    assert_eq!((view.points, view.points_pending, view.total_fen), (41, true, Some(4100)));
    assert_eq!(view.shop.as_deref(), Some("面面俱到"));
    let balance = points::account::balance(m.db.pool(), member).await.unwrap();
    assert_eq!((balance.pending, balance.available), (41, 0));
    let (source, reference): (String, String) =
        sqlx::query_as("SELECT source, external_ref FROM points_awards WHERE member_id = $1")
            .bind(member.0)
            .fetch_one(m.db.pool())
            .await
            .unwrap();
    assert_eq!((source.as_str(), reference), ("receipt", format!("{}:52611050042", m.noodle)));
    let audit = crate::audit::recent(&m.db, Some(member), 10).await.unwrap();
    assert!(audit.iter().any(|l| l.action == "receipt.auto_approve"), "{audit:?}");
    // Read again (the sweeper after a crash): nothing happens twice.
    assert_eq!(
        recognise(&m.db, &m.store, Some(&noodle("X", "2026-11-0512:31", "41.00")), id, EVENING).await.unwrap(),
        None
    );
    // Another member cannot see it.
    let other = seed_member(&m.db, "13800000002").await;
    assert!(views::one(&m.db, other, id, EVENING).await.is_err());
}

#[tokio::test]
async fn one_receipt_and_one_file_earn_once() {
    let m = mall().await;
    let a = seed_member(&m.db, "13800000001").await;
    let b = seed_member(&m.db, "13800000002").await;
    let read = noodle("S2611050042", "2026-11-0512:31", "41.00");
    assert_eq!(m.upload(a, 1, &read, EVENING).await.1, ReceiptStatus::Approved);
    // Another photo of the same slip, with the S read as a 5: the folded key is the same.
    let (id, status) = m.upload(b, 2, &noodle("52611O50042", "2026-11-0512:31", "41.00"), EVENING).await;
    assert_eq!((status, m.reason(id).await.as_str()), (ReceiptStatus::Rejected, "duplicate_receipt"));
    // The same file again, whatever it reads as.
    let (id, status) = m.upload(b, 1, &noodle("S999", "2026-11-0513:00", "50.00"), EVENING).await;
    assert_eq!((status, m.reason(id).await.as_str()), (ReceiptStatus::Rejected, "duplicate_photo"));
    // Same tenant, amount and minute from another member, another number: a person looks.
    let (id, status) = m.upload(b, 3, &noodle("S2611050043", "2026-11-0512:31", "41.00"), EVENING).await;
    assert_eq!((status, m.reason(id).await.as_str()), (ReceiptStatus::Review, "similar_receipt"));
    assert_eq!(points::account::balance(m.db.pool(), b).await.unwrap().pending, 0);
}

#[tokio::test]
async fn late_future_small_excluded_and_unknown_receipts() {
    let m = mall().await;
    let member = seed_member(&m.db, "13800000001").await;
    // Bought on the 5th: the window closes at midnight after the 6th.
    let after = Timestamp(EVENING.millis() + 28 * 3_600_000 + 1_000);
    let (id, status) = m.upload(member, 1, &noodle("S2611050001", "2026-11-0512:31", "41.00"), after).await;
    assert_eq!((status, m.reason(id).await.as_str()), (ReceiptStatus::Rejected, "late"));
    let (id, status) = m.upload(member, 2, &noodle("S2611050002", "2026-11-0612:31", "41.00"), EVENING).await;
    assert_eq!((status, m.reason(id).await.as_str()), (ReceiptStatus::Rejected, "purchase_in_future"));
    let (id, status) = m.upload(member, 3, &noodle("S2611050003", "2026-11-0512:00", "9.90"), EVENING).await;
    assert_eq!((status, m.reason(id).await.as_str()), (ReceiptStatus::Rejected, "below_minimum"));
    let unknown = lines(&["鲜果时间", "单号：XG1", "日期：2026-11-05 12:00", "实收： ￥30.00"]);
    let (id, status) = m.upload(member, 4, &unknown, EVENING).await;
    assert_eq!((status, m.reason(id).await.as_str()), (ReceiptStatus::Review, "tenant_unmatched"));
    let nothing = lines(&["品名 数量 金额", "拿铁 x2 64.00"]);
    let (id, status) = m.upload(member, 5, &nothing, EVENING).await;
    assert_eq!((status, m.reason(id).await.as_str()), (ReceiptStatus::Rejected, "amount_unreadable"));
    // A longer window and an excluded tenant, set by an operator.
    let mut tx = m.db.begin_write().await.unwrap();
    let view = plaza_types::dto::ReceiptRulesView {
        window_days: 3,
        min_amount_fen: 1_000,
        per_tenant_daily: 2,
        per_day: 5,
        excluded_tenants: vec!["roast".into()],
    };
    rules::update(&mut tx, &view, &Actor::System, "weekend campaign", EVENING).await.unwrap();
    let bad = plaza_types::dto::ReceiptRulesView { excluded_tenants: vec!["nope".into()], ..view.clone() };
    assert!(rules::update(&mut tx, &bad, &Actor::System, "typo", EVENING).await.is_err());
    tx.commit().await.unwrap();
    let (_, status) = m.upload(member, 6, &noodle("S2611050006", "2026-11-0512:31", "41.00"), after).await;
    assert_eq!(status, ReceiptStatus::Approved);
    let roast = lines(&["港式烧腊", "B1-17", "单号：880126", "日期：2026-11-05 11:58", "实收： ￥38.00"]);
    let (id, status) = m.upload(member, 7, &roast, EVENING).await;
    assert_eq!((status, m.reason(id).await.as_str()), (ReceiptStatus::Rejected, "tenant_excluded"));
}

#[tokio::test]
async fn caps_send_the_extra_receipt_to_review() {
    let m = mall().await;
    let member = seed_member(&m.db, "13800000001").await;
    for (seed, no) in [(1, "S2611050001"), (2, "S2611050002")] {
        let minute = format!("2026-11-0512:0{seed}");
        assert_eq!(m.upload(member, seed, &noodle(no, &minute, "41.00"), EVENING).await.1, ReceiptStatus::Approved);
    }
    let (id, status) = m.upload(member, 3, &noodle("S2611050003", "2026-11-0512:03", "41.00"), EVENING).await;
    assert_eq!((status, m.reason(id).await.as_str()), (ReceiptStatus::Review, "tenant_daily_cap"));
}

#[tokio::test]
async fn stored_degraded_and_inconsistent_readings_are_never_approved() {
    let m = mall().await;
    let member = seed_member(&m.db, "13800000001").await;
    let fixtures: serde_json::Value = serde_json::from_str(include_str!("../../../ocr/fixtures/lines.json")).unwrap();
    let mut seed = 10;
    for case in fixtures.as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        if !(name.contains("degraded") || name.contains("noodle") || name.contains("¥ read as a 1")) {
            continue;
        }
        let read = Stored(case["lines"].as_array().unwrap().iter().map(|l| Line::plain(l.as_str().unwrap())).collect());
        seed += 1;
        let (id, status) = m.upload(member, seed, &read, EVENING).await;
        if name.contains("noodle-sans") {
            assert_eq!(status, ReceiptStatus::Approved, "{name}");
        } else {
            assert_ne!(status, ReceiptStatus::Approved, "{name}: {}", m.reason(id).await);
        }
    }
}

#[tokio::test]
async fn without_the_models_receipts_wait_for_a_person() {
    let m = mall().await;
    let member = seed_member(&m.db, "13800000001").await;
    let id = submit(&m.db, &m.store, member, &photo(1), EVENING).await.unwrap();
    assert_eq!(recognise(&m.db, &m.store, None, id, EVENING).await.unwrap(), Some(ReceiptStatus::Review));
    assert_eq!(m.reason(id).await, "ocr_unavailable");
    // A receipt left recognising (the server stopped) is read by the sweeper.
    let stuck = submit(&m.db, &m.store, member, &photo(2), EVENING).await.unwrap();
    let read = noodle("S2611050042", "2026-11-0512:31", "41.00");
    assert_eq!(recognise_stale(&m.db, &m.store, Some(&read), EVENING.plus_secs(5)).await.unwrap(), 0, "too fresh");
    assert_eq!(recognise_stale(&m.db, &m.store, Some(&read), EVENING.plus_secs(60)).await.unwrap(), 1);
    assert_eq!(views::one(&m.db, member, stuck, EVENING).await.unwrap().status, ReceiptStatus::Approved);
}

#[tokio::test]
async fn operators_approve_with_corrections_or_reject_with_a_reason() {
    let m = mall().await;
    let member = seed_member(&m.db, "13800000001").await;
    let reviewer = m.operator().await;
    let inconsistent = lines(&[
        "面面俱到",
        "B1-16",
        "单号：S77",
        "日期：2026-11-0512:31",
        "合计： ￥46.00",
        "优惠： -￥5.00",
        "实收： ￥14.00",
    ]);
    let (first, status) = m.upload(member, 1, &inconsistent, EVENING).await;
    assert_eq!(status, ReceiptStatus::Review);
    let unknown = lines(&["鲜果时间", "单号：XG1", "日期：2026-11-05 12:00", "实收： ￥30.00"]);
    let (second, _) = m.upload(member, 2, &unknown, EVENING).await;
    let queue = review::queue(&m.db, 50, EVENING.plus_secs(600)).await.unwrap();
    assert_eq!(queue.iter().map(|r| r.id).collect::<Vec<_>>(), vec![first, second], "oldest first");
    assert_eq!(queue[0].reasons, vec!["amount_inconsistent".to_string()]);
    assert_eq!(queue[0].age_minutes, 10);

    let fix = Corrections {
        tenant: m.noodle,
        total_fen: 4100,
        receipt_no: "S77".into(),
        purchased: "2026-11-05 12:31".into(),
        note: "实收看错".into(),
    };
    let bad_amount = Corrections { total_fen: 0, ..fix.clone() };
    assert!(review::approve(&m.db, first, reviewer, &bad_amount, EVENING).await.is_err());
    assert_eq!(review::approve(&m.db, first, reviewer, &fix, EVENING).await.unwrap(), 41);
    assert_eq!(points::account::balance(m.db.pool(), member).await.unwrap().pending, 41);
    // Twice: refused, nothing changes.
    assert!(review::approve(&m.db, first, reviewer, &fix, EVENING).await.is_err());
    // The second is the same receipt after all: approving it is refused (already earned).
    assert_eq!(
        review::approve(&m.db, second, reviewer, &fix, EVENING).await.unwrap_err().user(),
        Some(&plaza_types::AppError::AlreadyExists)
    );
    assert!(review::reject(&m.db, second, reviewer, " ", EVENING).await.is_err());
    review::reject(&m.db, second, reviewer, "非本商场小票", EVENING).await.unwrap();
    let view = views::one(&m.db, member, second, EVENING).await.unwrap();
    assert_eq!(
        (view.status, view.reason.as_deref(), view.note.as_str()),
        (ReceiptStatus::Rejected, Some("operator"), "非本商场小票")
    );
    let audit = crate::audit::recent(&m.db, Some(member), 20).await.unwrap();
    let approve = audit.iter().find(|l| l.action == "receipt.approve").unwrap();
    assert_eq!((approve.actor.as_str(), approve.reason.as_str()), (format!("staff:{reviewer}").as_str(), "实收看错"));
    assert!(audit.iter().any(|l| l.action == "receipt.reject" && l.reason == "非本商场小票"));
    assert!(crate::audit::verify(&m.db).await.unwrap().first_broken.is_none());
}

#[tokio::test]
async fn two_members_with_one_receipt_at_once_earn_once() {
    let m = mall().await;
    let a = seed_member(&m.db, "13800000001").await;
    let b = seed_member(&m.db, "13800000002").await;
    let first = submit(&m.db, &m.store, a, &photo(1), EVENING).await.unwrap();
    let second = submit(&m.db, &m.store, b, &photo(2), EVENING).await.unwrap();
    let other = m.db.another_instance().await;
    let read = Arc::new(noodle("S2611050042", "2026-11-0512:31", "41.00"));
    let db = m.db();
    let (x, y) = tokio::join!(
        recognise(&db, &m.store, Some(read.as_ref()), first, EVENING),
        recognise(&other, &m.store, Some(read.as_ref()), second, EVENING)
    );
    let mut statuses = vec![x.unwrap().unwrap(), y.unwrap().unwrap()];
    statuses.sort_by_key(|s| s.as_str());
    assert_eq!(statuses, vec![ReceiptStatus::Approved, ReceiptStatus::Rejected]);
    let (awards,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM points_awards WHERE source = 'receipt'")
        .fetch_one(m.db.pool())
        .await
        .unwrap();
    assert_eq!(awards, 1);
}

/// The same path with the photos in an S3 bucket (moto's server, signatures checked): the photo
/// and thumbnail land in the bucket under `receipts/…` and the reader gets the photo back; a
/// refused key stores no receipt; a photo gone from the bucket sends the receipt to a person.
#[tokio::test]
async fn receipt_photos_in_an_s3_bucket() {
    use crate::storage::moto::{Moto, BUCKET};
    use crate::storage::S3Config;
    let Some(moto) = Moto::start().await else { return };
    let mut m = mall().await;
    m.store = Storage::s3(&moto.config(BUCKET)).unwrap();
    let member = seed_member(&m.db, "13800000001").await;
    let prepared = photo(1);
    let id = submit(&m.db, &m.store, member, &prepared, EVENING).await.unwrap();
    let (_, photo_key, thumb_key) = views::photo_keys(&m.db, id).await.unwrap();
    assert!(photo_key.starts_with("receipts/") && thumb_key.starts_with("receipts/"), "{photo_key} {thumb_key}");
    assert_eq!(m.store.get(&photo_key).await.unwrap(), prepared.jpeg);
    assert_eq!(m.store.get(&thumb_key).await.unwrap(), prepared.thumb);
    let read = noodle("S2611050042", "2026-11-0512:31", "41.00");
    assert_eq!(recognise(&m.db, &m.store, Some(&read), id, EVENING).await.unwrap(), Some(ReceiptStatus::Approved));

    let wrong = Storage::s3(&S3Config { secret_key: "not-the-secret".into(), ..moto.config(BUCKET) }).unwrap();
    let refused = submit(&m.db, &wrong, member, &photo(2), EVENING).await.unwrap_err();
    assert!(refused.to_string().contains("SignatureDoesNotMatch"), "{refused}");
    let (receipts,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM receipts").fetch_one(m.db.pool()).await.unwrap();
    assert_eq!(receipts, 1, "a photo that was not stored makes no receipt");

    let lost = submit(&m.db, &m.store, member, &photo(3), EVENING).await.unwrap();
    let (_, lost_key, _) = views::photo_keys(&m.db, lost).await.unwrap();
    m.store.delete(&lost_key).await.unwrap();
    assert_eq!(recognise(&m.db, &m.store, Some(&read), lost, EVENING).await.unwrap(), Some(ReceiptStatus::Review));
    assert_eq!(m.reason(lost).await, "photo_missing");
}
