//! Dish photos: an upload is checked and re-encoded by the same code as receipt photos (size cap,
//! type from the bytes, bounded decoding, no metadata), then kept in two sizes — 800 px for the
//! dish page and 320 px for the menu — in the storage service under `dishes/<tenant>/…`, named by
//! their content so a browser may cache them for good.

use crate::storage::Storage;
use crate::{Db, Result, Timestamp};
use image::codecs::jpeg::JpegEncoder;
use image::DynamicImage;
use plaza_types::{AppError, TenantId};

/// The dish page's photo and the menu's thumbnail, long side in pixels.
const PHOTO_SIDE: u32 = 800;
const THUMB_SIDE: u32 = 320;

/// The two JPEGs stored for one upload.
#[derive(Clone, Debug)]
pub struct DishPhoto {
    pub photo: Vec<u8>,
    pub thumb: Vec<u8>,
    /// The first 12 hex digits of the upload's SHA-256: the stored names.
    pub tag: String,
}

/// Checks and re-encodes an upload (CPU-bound: call from a blocking thread).
pub fn prepare(bytes: &[u8]) -> std::result::Result<DishPhoto, AppError> {
    let checked = crate::receipts::photo::prepare(bytes)?;
    // Our own re-encoded JPEG, at most 2,000 px: safe to decode again without limits.
    let image = image::load_from_memory_with_format(&checked.jpeg, image::ImageFormat::Jpeg).map_err(|e| {
        tracing::error!(%e, "decoding a re-encoded dish photo");
        AppError::Internal
    })?;
    Ok(DishPhoto {
        photo: jpeg(&shrink(&image, PHOTO_SIDE), 82)?,
        thumb: jpeg(&shrink(&image, THUMB_SIDE), 78)?,
        tag: checked.sha256[..12].to_string(),
    })
}

fn shrink(image: &DynamicImage, side: u32) -> DynamicImage {
    if image.width().max(image.height()) > side {
        image.resize(side, side, image::imageops::FilterType::Triangle)
    } else {
        image.clone()
    }
}

pub(crate) fn jpeg(image: &DynamicImage, quality: u8) -> std::result::Result<Vec<u8>, AppError> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality).encode_image(&image.to_rgb8()).map_err(|e| {
        tracing::error!(%e, "encoding a dish photo");
        AppError::Internal
    })?;
    Ok(out)
}

/// Stores `upload` as the photo of one of `tenant`'s dishes and returns the photo's address. The
/// previous photo's objects are removed once the dish points at the new ones.
pub async fn set_photo(
    db: &Db,
    storage: &Storage,
    tenant: TenantId,
    dish: i64,
    upload: Vec<u8>,
    now: Timestamp,
) -> Result<String> {
    let before: Option<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT photo_key, thumb_key FROM dishes WHERE id = $1 AND tenant_id = $2 AND status = 'active'",
    )
    .bind(dish)
    .bind(tenant.0)
    .fetch_optional(db.pool())
    .await?;
    let (old_photo, old_thumb) = before.ok_or(AppError::NotFound)?;
    let prepared = tokio::task::spawn_blocking(move || prepare(&upload))
        .await
        .map_err(|e| crate::Error::internal(format!("photo task: {e}")))??;
    let photo_key = format!("dishes/{}/{dish}-{}.jpg", tenant.0, prepared.tag);
    let thumb_key = format!("dishes/{}/{dish}-{}-thumb.jpg", tenant.0, prepared.tag);
    for (key, bytes) in [(&photo_key, prepared.photo), (&thumb_key, prepared.thumb)] {
        storage.put(key, bytes).await.map_err(|e| {
            tracing::error!(%e, "storing a dish photo");
            AppError::Unavailable
        })?;
    }
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE dishes SET photo_key = $1, thumb_key = $2, updated_at = $3 WHERE id = $4 AND tenant_id = $5")
        .bind(&photo_key)
        .bind(&thumb_key)
        .bind(now.millis())
        .bind(dish)
        .bind(tenant.0)
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    for old in [old_photo, old_thumb].into_iter().flatten() {
        if old != photo_key && old != thumb_key {
            if let Err(e) = storage.delete(&old).await {
                tracing::warn!(%e, "removing a replaced dish photo");
            }
        }
    }
    Ok(super::photo_url(&photo_key))
}

/// A stored dish photo's bytes, for the public photo route: only `dishes/…` keys.
pub async fn read(storage: &Storage, key: &str) -> Result<Option<Vec<u8>>> {
    if !key.starts_with("dishes/") {
        return Ok(None);
    }
    match storage.get(key).await {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(crate::storage::StorageError::BadKey { .. }) => Ok(None),
        Err(e) => Err(crate::Error::internal(format!("reading a dish photo: {e}"))),
    }
}
