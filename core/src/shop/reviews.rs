//! Reviews: only the buyer of a completed order line reviews it, once — 1 to 5 stars, words and
//! up to 6 photos. The shop replies once; an operator hides an abusive review with a reason its
//! author sees (audited). A product's rating counts its visible reviews, kept on the product row
//! in the same transaction as each change.

use super::input::{refused, text};
use super::photos::{self, Shape};
use super::purchases;
use crate::audit::{self, Actor, Entry};
use crate::storage::Storage;
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{
    MyReviews, OrderLineId, PhotoView, ProductId, RatingSummary, ReviewId, ReviewView, ReviewableLine, ShopProblem,
};
use plaza_types::{AppError, MemberId, StaffId, TenantId};

pub const MAX_PHOTOS: usize = 6;

/// A review as its author writes it.
#[derive(Clone, Debug)]
pub struct NewReview {
    pub line: OrderLineId,
    pub rating: i64,
    pub body: String,
    /// The photos, checked and cut ([`prepare_photo`]) one at a time as they arrive.
    pub photos: Vec<photos::ShopPhoto>,
}

/// An uploaded review photo, checked and cut to its shape (a photo of a few hundred KB is kept
/// instead of the upload).
pub async fn prepare_photo(upload: Vec<u8>) -> Result<photos::ShopPhoto> {
    Ok(photos::prepare(upload, Shape::Review).await?)
}

/// Whether `member` may review `line` now (before any photo is read).
pub async fn ensure_reviewable(db: &Db, member: MemberId, line: OrderLineId) -> Result<()> {
    let mut conn = db.pool().acquire().await?;
    purchases::completed_line(&mut conn, member, line).await?;
    let done: Option<(i64,)> = sqlx::query_as("SELECT id FROM shop_reviews WHERE order_line_id = $1")
        .bind(line.0)
        .fetch_optional(&mut *conn)
        .await?;
    if done.is_some() {
        return Err(refused(ShopProblem::AlreadyReviewed));
    }
    Ok(())
}

/// Checks what can be checked before any photo is decoded.
pub fn check(new: &NewReview) -> Result<String> {
    if !(1..=5).contains(&new.rating) {
        return Err(refused(ShopProblem::Rating));
    }
    if new.photos.len() > MAX_PHOTOS {
        return Err(refused(ShopProblem::ReviewPhotos));
    }
    text(&new.body, 0, 500, true, ShopProblem::ReviewText)
}

pub async fn write(db: &Db, storage: &Storage, member: MemberId, new: NewReview, now: Timestamp) -> Result<ReviewId> {
    let body = check(&new)?;
    ensure_reviewable(db, member, new.line).await?;
    let mut stored: Vec<(String, String)> = Vec::new();
    for prepared in new.photos {
        match photos::store(storage, &photos::new_key(&format!("reviews/{}", new.line.0)), prepared).await {
            Ok(keys) => stored.push(keys),
            Err(e) => {
                photos::forget(storage, &stored.iter().flat_map(|(a, b)| [a.clone(), b.clone()]).collect::<Vec<_>>())
                    .await;
                return Err(e);
            }
        }
    }
    let saved = async {
        let mut tx = db.begin_write().await?;
        let line = purchases::completed_line(&mut tx, member, new.line).await?;
        let inserted: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO shop_reviews (order_line_id, member_id, tenant_id, product_id, sku_id, rating, body, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (order_line_id) DO NOTHING RETURNING id",
        )
        .bind(new.line.0)
        .bind(member.0)
        .bind(line.tenant.0)
        .bind(line.product.0)
        .bind(line.sku.0)
        .bind(new.rating)
        .bind(&body)
        .bind(now.millis())
        .fetch_optional(&mut **tx)
        .await?;
        let (id,) = inserted.ok_or_else(|| refused(ShopProblem::AlreadyReviewed))?;
        for (position, (key, thumb)) in stored.iter().enumerate() {
            sqlx::query("INSERT INTO shop_review_photos (review_id, position, photo_key, thumb_key) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(position as i64)
                .bind(key)
                .bind(thumb)
                .execute(&mut **tx)
                .await?;
        }
        sqlx::query(
            "UPDATE shop_products SET rating_count = rating_count + 1, rating_sum = rating_sum + $1, \
             rating_x100 = ((rating_sum + $1) * 100) / (rating_count + 1) WHERE id = $2",
        )
        .bind(new.rating)
        .bind(line.product.0)
        .execute(&mut **tx)
        .await?;
        tx.commit().await?;
        Ok(ReviewId(id))
    }
    .await;
    if saved.is_err() {
        photos::forget(storage, &stored.iter().flat_map(|(a, b)| [a.clone(), b.clone()]).collect::<Vec<_>>()).await;
    }
    saved
}

/// The shop's one reply to a review of its product.
pub async fn reply(
    db: &Db,
    tenant: TenantId,
    review: ReviewId,
    words: &str,
    by: StaffId,
    now: Timestamp,
) -> Result<()> {
    let words = text(words, 1, 300, true, ShopProblem::ReplyText)?;
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE shop_reviews SET reply = $1, replied_at = $2, replied_by = $3 WHERE id = $4 AND tenant_id = $5 AND reply IS NULL",
    )
    .bind(&words)
    .bind(now.millis())
    .bind(by.0)
    .bind(review.0)
    .bind(tenant.0)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        let ours: Option<(i64,)> = sqlx::query_as("SELECT id FROM shop_reviews WHERE id = $1 AND tenant_id = $2")
            .bind(review.0)
            .bind(tenant.0)
            .fetch_optional(&mut **tx)
            .await?;
        return Err(if ours.is_some() { refused(ShopProblem::AlreadyReplied) } else { AppError::NotFound.into() });
    }
    tx.commit().await
}

/// An operator hides a review with the reason its author sees; it leaves the product's rating.
pub async fn hide(db: &Db, review: ReviewId, reason: &str, by: StaffId, now: Timestamp) -> Result<()> {
    let reason = super::input::reason(reason)?;
    let mut tx = db.begin_write().await?;
    let hidden: Option<(i64, i64, i64)> = sqlx::query_as(
        "UPDATE shop_reviews SET hidden_at = $1, hidden_reason = $2, hidden_by = $3 WHERE id = $4 AND hidden_at IS NULL \
         RETURNING product_id, rating, tenant_id",
    )
    .bind(now.millis())
    .bind(&reason)
    .bind(by.0)
    .bind(review.0)
    .fetch_optional(&mut **tx)
    .await?;
    let (product, rating, tenant) = hidden.ok_or(AppError::NotFound)?;
    sqlx::query(
        "UPDATE shop_products SET rating_count = rating_count - 1, rating_sum = rating_sum - $1, \
         rating_x100 = CASE WHEN rating_count <= 1 THEN 0 ELSE ((rating_sum - $1) * 100) / (rating_count - 1) END \
         WHERE id = $2",
    )
    .bind(rating)
    .bind(product)
    .execute(&mut **tx)
    .await?;
    audit::append(
        &mut tx,
        Entry::new(&Actor::Staff(by), "shop.review.hide")
            .tenant(Some(TenantId(tenant)))
            .subject(format!("shop_review:{}", review.0))
            .reason(reason),
        now,
    )
    .await?;
    tx.commit().await
}

/// `张小满` → `张**`; no name: `会员****8000`.
fn masked(name: &str, phone: &str) -> String {
    let mut chars = name.trim().chars();
    match chars.next() {
        Some(first) => format!("{first}**"),
        None => format!("会员****{}", &phone[phone.len().saturating_sub(4)..]),
    }
}

type Row = (i64, i64, String, i64, String, String, String, String, i64, Option<String>, Option<String>);

const SELECT: &str = "SELECT r.id, r.product_id, p.title, r.rating, r.body, m.name, m.phone, l.spec, r.created_at, r.reply, \
     r.hidden_reason FROM shop_reviews r JOIN shop_products p ON p.id = r.product_id JOIN members m ON m.id = r.member_id \
     JOIN shop_order_lines l ON l.id = r.order_line_id";

async fn views(db: &Db, rows: Vec<Row>) -> Result<Vec<ReviewView>> {
    let tz = crate::mall::timezone(db).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, product, title, rating, body, name, phone, spec, at, reply, hidden) in rows {
        let photos: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, photo_key, thumb_key FROM shop_review_photos WHERE review_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(db.pool())
        .await?;
        out.push(ReviewView {
            id: ReviewId(id),
            product: ProductId(product),
            product_title: title,
            rating,
            body,
            photos: photos
                .into_iter()
                .map(|(pid, key, thumb)| PhotoView {
                    id: pid,
                    url: super::media_url(&key),
                    thumb: super::media_url(&thumb),
                    width: 0,
                    height: 0,
                })
                .collect(),
            reviewer: masked(&name, &phone),
            spec,
            at: tz.date(Timestamp(at)),
            reply,
            hidden_reason: hidden,
        });
    }
    Ok(out)
}

/// A product's visible reviews, newest first (`with_photos`: only those with photos).
pub async fn of_product(db: &Db, product: ProductId, with_photos: bool, page: u32) -> Result<(Vec<ReviewView>, bool)> {
    let offset = i64::from(page.max(1) - 1) * 10;
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE r.product_id = $1 AND r.hidden_at IS NULL \
         AND ($2 = 0 OR EXISTS (SELECT 1 FROM shop_review_photos rp WHERE rp.review_id = r.id)) \
         ORDER BY r.id DESC LIMIT 11 OFFSET $3"
    ))
    .bind(product.0)
    .bind(i64::from(with_photos))
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    let more = rows.len() > 10;
    Ok((views(db, rows.into_iter().take(10).collect()).await?, more))
}

/// A product's rating from its visible reviews.
pub async fn summary(db: &Db, product: ProductId) -> Result<RatingSummary> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT rating, COUNT(*) FROM shop_reviews WHERE product_id = $1 AND hidden_at IS NULL GROUP BY rating",
    )
    .bind(product.0)
    .fetch_all(db.pool())
    .await?;
    let (with_photos,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM shop_reviews r WHERE r.product_id = $1 AND r.hidden_at IS NULL \
         AND EXISTS (SELECT 1 FROM shop_review_photos rp WHERE rp.review_id = r.id)",
    )
    .bind(product.0)
    .fetch_one(db.pool())
    .await?;
    let mut s = RatingSummary { with_photos, ..RatingSummary::default() };
    for (rating, n) in rows {
        if (1..=5).contains(&rating) {
            s.stars[(rating - 1) as usize] = n;
        }
    }
    s.count = s.stars.iter().sum();
    let total: i64 = s.stars.iter().enumerate().map(|(i, n)| (i as i64 + 1) * n).sum();
    s.average_x100 = if s.count == 0 { 0 } else { total * 100 / s.count };
    Ok(s)
}

/// 评价中心: completed lines still to review (newest first) and the member's reviews.
pub async fn mine(db: &Db, member: MemberId) -> Result<MyReviews> {
    let tz = crate::mall::timezone(db).await?;
    let lines: Vec<(i64, i64, String, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT l.id, l.product_id, l.title, l.spec, p.cover_key, l.completed_at FROM shop_order_lines l \
         JOIN shop_products p ON p.id = l.product_id \
         WHERE l.member_id = $1 AND l.completed_at IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM shop_reviews r WHERE r.order_line_id = l.id) ORDER BY l.completed_at DESC, l.id DESC LIMIT 50",
    )
    .bind(member.0)
    .fetch_all(db.pool())
    .await?;
    let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} WHERE r.member_id = $1 ORDER BY r.id DESC LIMIT 50"))
        .bind(member.0)
        .fetch_all(db.pool())
        .await?;
    Ok(MyReviews {
        to_review: lines
            .into_iter()
            .map(|(line, product, title, spec, cover, at)| ReviewableLine {
                line: OrderLineId(line),
                product: ProductId(product),
                title,
                spec,
                cover: cover.as_deref().map(super::media_url),
                completed_at: tz.date(Timestamp(at)),
            })
            .collect(),
        written: views(db, rows).await?,
    })
}

/// The line a member is about to review (for the form's heading).
pub async fn reviewable(db: &Db, member: MemberId, line: OrderLineId) -> Result<ReviewableLine> {
    let mine = mine(db, member).await?;
    mine.to_review.into_iter().find(|l| l.line == line).ok_or_else(|| refused(ShopProblem::NotReviewable))
}

/// Reviews of a shop's products (its console), unanswered first when `unanswered`.
pub async fn of_tenant(db: &Db, tenant: TenantId, unanswered: bool, page: u32) -> Result<(Vec<ReviewView>, bool)> {
    let offset = i64::from(page.max(1) - 1) * 20;
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE r.tenant_id = $1 AND ($2 = 0 OR r.reply IS NULL) ORDER BY r.id DESC LIMIT 21 OFFSET $3"
    ))
    .bind(tenant.0)
    .bind(i64::from(unanswered))
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    let more = rows.len() > 20;
    Ok((views(db, rows.into_iter().take(20).collect()).await?, more))
}

/// Every review, for operators (`hidden`: only hidden ones), newest first.
pub async fn all(db: &Db, hidden: bool, page: u32) -> Result<(Vec<ReviewView>, bool)> {
    let offset = i64::from(page.max(1) - 1) * 20;
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE ($1 = 0 OR r.hidden_at IS NOT NULL) ORDER BY r.id DESC LIMIT 21 OFFSET $2"
    ))
    .bind(i64::from(hidden))
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    let more = rows.len() > 20;
    Ok((views(db, rows.into_iter().take(20).collect()).await?, more))
}
