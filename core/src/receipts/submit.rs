//! A checked photo becomes a receipt waiting to be read.

use super::photo::Prepared;
use crate::storage::Storage;
use crate::{Db, Result, Timestamp};
use plaza_types::{AppError, MemberId};

/// Uploads one member may make per rolling day: enough for a day of shopping, not for a script.
pub const DAILY_UPLOADS: i64 = 30;

/// Stores the photo and its thumbnail and records the receipt as `recognising`; returns its id.
/// The caller starts the reading (it must not wait for it).
pub async fn submit(db: &Db, store: &Storage, member: MemberId, photo: &Prepared, now: Timestamp) -> Result<i64> {
    let (recent,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM receipts WHERE member_id = $1 AND created_at > $2")
        .bind(member.0)
        .bind(now.minus_secs(86_400).millis())
        .fetch_one(db.pool())
        .await?;
    if recent >= DAILY_UPLOADS {
        return Err(AppError::LimitReached.into());
    }
    // Keyed by content: the same upload twice is the same file, stored once.
    let photo_key = format!("receipts/{}/{}.jpg", &photo.sha256[..2], photo.sha256);
    let thumb_key = format!("receipts/{}/{}-thumb.jpg", &photo.sha256[..2], photo.sha256);
    store
        .put(&photo_key, photo.jpeg.clone())
        .await
        .map_err(|e| crate::Error::internal(format!("storing a photo: {e}")))?;
    store
        .put(&thumb_key, photo.thumb.clone())
        .await
        .map_err(|e| crate::Error::internal(format!("storing a thumbnail: {e}")))?;
    let mut tx = db.begin_write().await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO receipts (member_id, photo_key, thumb_key, sha256, photo_bytes, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'recognising', $6, $6) RETURNING id",
    )
    .bind(member.0)
    .bind(&photo_key)
    .bind(&thumb_key)
    .bind(&photo.sha256)
    .bind(photo.uploaded_bytes as i64)
    .bind(now.millis())
    .fetch_one(&mut **tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}
