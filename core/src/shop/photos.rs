//! Photos of the online mall: product galleries (the first is the cover) and description images,
//! storefront logos and banners, the mall's banners, review photos. An upload is checked,
//! decoded within bounds and re-encoded without metadata by the receipts' code
//! (`receipts::photo::prepare_in_turn`: size cap, type from the bytes, pixel cap, at most two
//! decoded at once), then cut to the shape it is shown in and stored through the platform's
//! storage service under `products/…` or `reviews/…` with random names (cached for good).

use super::input::refused;
use super::products::{load, refresh};
use crate::storage::Storage;
use crate::{Db, Result, Timestamp};
use image::codecs::jpeg::JpegEncoder;
use image::DynamicImage;
use plaza_types::dto::{PhotoView, ProductId, ShopProblem};
use plaza_types::{AppError, TenantId};

/// The shapes photos are shown in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Gallery: long side 1,200 px; a square thumbnail of 400 px for lists.
    Gallery,
    /// In the description: long side 1,200 px.
    Description,
    /// A review photo: long side 1,200 px, a square thumbnail of 240 px.
    Review,
    /// A storefront logo: a 240 px square.
    Logo,
    /// A storefront's or the mall home's banner: 1,200 × 480 (cropped to 5:2), thumbnail 600 × 240.
    Banner,
}

/// The stored pair.
#[derive(Clone, Debug)]
pub struct ShopPhoto {
    pub jpeg: Vec<u8>,
    pub thumb: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

fn jpeg(image: &DynamicImage, quality: u8) -> std::result::Result<Vec<u8>, AppError> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality).encode_image(&image.to_rgb8()).map_err(|e| {
        tracing::error!(%e, "encoding a shop photo");
        AppError::Internal
    })?;
    Ok(out)
}

fn fit(image: &DynamicImage, side: u32) -> DynamicImage {
    if image.width().max(image.height()) > side {
        image.resize(side, side, image::imageops::FilterType::Triangle)
    } else {
        image.clone()
    }
}

/// The largest centred `w`:`h` crop, scaled to `w` × `h` (never enlarged past the source).
fn cover(image: &DynamicImage, w: u32, h: u32) -> DynamicImage {
    let (iw, ih) = (image.width().max(1), image.height().max(1));
    let (cw, ch) = if iw as u64 * h as u64 > ih as u64 * w as u64 {
        ((ih as u64 * w as u64 / h as u64) as u32, ih)
    } else {
        (iw, (iw as u64 * h as u64 / w as u64) as u32)
    };
    let cropped = image.crop_imm((iw - cw) / 2, (ih - ch) / 2, cw.max(1), ch.max(1));
    if cw > w {
        cropped.resize_exact(w, h, image::imageops::FilterType::Triangle)
    } else {
        cropped
    }
}

/// Cuts an already checked and re-encoded photo (our own JPEG) to `shape`. CPU-bound.
pub fn shape(checked_jpeg: &[u8], shape: Shape) -> std::result::Result<ShopPhoto, AppError> {
    let image = image::load_from_memory_with_format(checked_jpeg, image::ImageFormat::Jpeg).map_err(|e| {
        tracing::error!(%e, "decoding a re-encoded photo");
        AppError::Internal
    })?;
    let (main, thumb) = match shape {
        Shape::Gallery => (fit(&image, 1200), cover(&image, 400, 400)),
        Shape::Description => (fit(&image, 1200), fit(&image, 400)),
        Shape::Review => (fit(&image, 1200), cover(&image, 240, 240)),
        Shape::Logo => (cover(&image, 240, 240), cover(&image, 96, 96)),
        Shape::Banner => (cover(&image, 1200, 480), cover(&image, 600, 240)),
    };
    Ok(ShopPhoto { jpeg: jpeg(&main, 82)?, thumb: jpeg(&thumb, 75)?, width: main.width(), height: main.height() })
}

/// Checks an upload and cuts it to `shape`, on blocking threads, in turn with every other photo.
pub async fn prepare(upload: Vec<u8>, shape: Shape) -> std::result::Result<ShopPhoto, AppError> {
    let checked = crate::receipts::photo::prepare_in_turn(upload).await?;
    tokio::task::spawn_blocking(move || self::shape(&checked.jpeg, shape)).await.map_err(|e| {
        tracing::error!(%e, "shaping a photo");
        AppError::Internal
    })?
}

/// A random name under `prefix`: `products/p/12/3f9a…` (`.jpg` and `-thumb.jpg` are added).
pub fn new_key(prefix: &str) -> String {
    format!("{prefix}/{:016x}{:08x}", rand::random::<u64>(), rand::random::<u32>())
}

/// Stores both sizes; returns the keys (photo, thumbnail). Nothing is left behind on failure.
pub async fn store(storage: &Storage, base: &str, photo: ShopPhoto) -> Result<(String, String)> {
    let (main, thumb) = (format!("{base}.jpg"), format!("{base}-thumb.jpg"));
    let failed = |e: crate::storage::StorageError| {
        tracing::error!(%e, "storing a shop photo");
        crate::Error::from(AppError::Unavailable)
    };
    storage.put(&main, photo.jpeg).await.map_err(failed)?;
    if let Err(e) = storage.put(&thumb, photo.thumb).await {
        let _ = storage.delete(&main).await;
        return Err(failed(e));
    }
    Ok((main, thumb))
}

/// Removes stored objects, logging (not failing) what could not be removed.
pub async fn forget(storage: &Storage, keys: &[String]) {
    for key in keys {
        if let Err(e) = storage.delete(key).await {
            tracing::warn!(%e, key, "removing a shop photo");
        }
    }
}

/// Gallery or description.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProductPhotoKind {
    Gallery,
    Description,
}

impl ProductPhotoKind {
    fn as_str(self) -> &'static str {
        match self {
            ProductPhotoKind::Gallery => "gallery",
            ProductPhotoKind::Description => "description",
        }
    }

    fn limit(self) -> i64 {
        match self {
            ProductPhotoKind::Gallery => 9,
            ProductPhotoKind::Description => 30,
        }
    }
}

pub(crate) fn view((id, key, thumb, width, height): (i64, String, String, i64, i64)) -> PhotoView {
    PhotoView { id, url: super::media_url(&key), thumb: super::media_url(&thumb), width, height }
}

/// Adds a photo to one of `tenant`'s products (at the end of its kind).
pub async fn add_to_product(
    db: &Db,
    storage: &Storage,
    tenant: TenantId,
    product: ProductId,
    kind: ProductPhotoKind,
    upload: Vec<u8>,
    now: Timestamp,
) -> Result<PhotoView> {
    {
        let mut conn = db.pool().acquire().await?;
        load(&mut conn, tenant, product).await?;
        if count(&mut conn, product, kind).await? >= kind.limit() {
            return Err(refused(ShopProblem::TooManyPhotos));
        }
    }
    let shape = if kind == ProductPhotoKind::Gallery { Shape::Gallery } else { Shape::Description };
    let photo = prepare(upload, shape).await?;
    let (width, height) = (photo.width as i64, photo.height as i64);
    let (key, thumb) = store(storage, &new_key(&format!("products/p/{}", product.0)), photo).await?;
    let result = async {
        let mut tx = db.begin_write().await?;
        load(&mut tx, tenant, product).await?;
        // Counted again under the write lock: two uploads at once cannot pass the limit.
        if count(&mut tx, product, kind).await? >= kind.limit() {
            return Err(refused(ShopProblem::TooManyPhotos));
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO shop_product_photos (product_id, kind, position, photo_key, thumb_key, width, height, created_at) \
             VALUES ($1, $2, (SELECT COALESCE(MAX(position), -1) + 1 FROM shop_product_photos WHERE product_id = $1 AND kind = $2), \
             $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(product.0)
        .bind(kind.as_str())
        .bind(&key)
        .bind(&thumb)
        .bind(width)
        .bind(height)
        .bind(now.millis())
        .fetch_one(&mut **tx)
        .await?;
        refresh(&mut tx, product, now).await?;
        tx.commit().await?;
        Ok(id)
    }
    .await;
    match result {
        Ok(id) => Ok(view((id, key, thumb, width, height))),
        Err(e) => {
            forget(storage, &[key, thumb]).await;
            Err(e)
        }
    }
}

async fn count(conn: &mut sqlx::AnyConnection, product: ProductId, kind: ProductPhotoKind) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM shop_product_photos WHERE product_id = $1 AND kind = $2")
        .bind(product.0)
        .bind(kind.as_str())
        .fetch_one(&mut *conn)
        .await?;
    Ok(n)
}

/// How a gallery photo moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    /// To the front: the cover.
    First,
    Earlier,
    Later,
}

/// Reorders the gallery; positions are renumbered 0.. in the new order.
pub async fn move_photo(
    db: &Db,
    tenant: TenantId,
    product: ProductId,
    photo: i64,
    to: Move,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    load(&mut tx, tenant, product).await?;
    let ids: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM shop_product_photos WHERE product_id = $1 AND kind = 'gallery' ORDER BY position, id",
    )
    .bind(product.0)
    .fetch_all(&mut **tx)
    .await?;
    let mut ids: Vec<i64> = ids.into_iter().map(|(id,)| id).collect();
    let at = ids.iter().position(|id| *id == photo).ok_or(AppError::NotFound)?;
    match to {
        Move::First => {
            let id = ids.remove(at);
            ids.insert(0, id);
        }
        Move::Earlier if at > 0 => ids.swap(at, at - 1),
        Move::Later if at + 1 < ids.len() => ids.swap(at, at + 1),
        _ => {}
    }
    for (position, id) in ids.iter().enumerate() {
        sqlx::query("UPDATE shop_product_photos SET position = $1 WHERE id = $2")
            .bind(position as i64)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    refresh(&mut tx, product, now).await?;
    tx.commit().await
}

/// Removes a photo (a SKU showing it shows none). A published product keeps at least one.
pub async fn remove_photo(
    db: &Db,
    storage: &Storage,
    tenant: TenantId,
    product: ProductId,
    photo: i64,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let p = load(&mut tx, tenant, product).await?;
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT kind, photo_key, thumb_key FROM shop_product_photos WHERE id = $1 AND product_id = $2")
            .bind(photo)
            .bind(product.0)
            .fetch_optional(&mut **tx)
            .await?;
    let (kind, key, thumb) = row.ok_or(AppError::NotFound)?;
    if kind == "gallery"
        && p.status == plaza_types::dto::ProductStatus::Published
        && count(&mut tx, product, ProductPhotoKind::Gallery).await? <= 1
    {
        return Err(refused(ShopProblem::NeedsPhoto));
    }
    sqlx::query("UPDATE shop_skus SET photo_id = NULL WHERE photo_id = $1").bind(photo).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM shop_product_photos WHERE id = $1").bind(photo).execute(&mut **tx).await?;
    refresh(&mut tx, product, now).await?;
    tx.commit().await?;
    forget(storage, &[key, thumb]).await;
    Ok(())
}

/// The photos of a product, of one kind, in order.
pub async fn of_product(
    conn: &mut sqlx::AnyConnection,
    product: ProductId,
    kind: ProductPhotoKind,
) -> Result<Vec<PhotoView>> {
    let rows: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
        "SELECT id, photo_key, thumb_key, width, height FROM shop_product_photos \
         WHERE product_id = $1 AND kind = $2 ORDER BY position, id",
    )
    .bind(product.0)
    .bind(kind.as_str())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(view).collect())
}

/// A stored photo's bytes for the public media route: only `products/…` keys, and review photos
/// (`reviews/<order line>/…`) of reviews that are not hidden.
pub async fn read_public(db: &Db, storage: &Storage, key: &str) -> Result<Option<Vec<u8>>> {
    if let Some(rest) = key.strip_prefix("reviews/") {
        let line: Option<i64> = rest.split('/').next().and_then(|id| id.parse().ok());
        let Some(line) = line else { return Ok(None) };
        let visible: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM shop_reviews WHERE order_line_id = $1 AND hidden_at IS NULL")
                .bind(line)
                .fetch_optional(db.pool())
                .await?;
        if visible.is_none() {
            return Ok(None);
        }
    } else if !key.starts_with("products/") {
        return Ok(None);
    }
    match storage.get(key).await {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(crate::storage::StorageError::BadKey { .. }) => Ok(None),
        Err(e) => Err(crate::Error::internal(format!("reading a shop photo: {e}"))),
    }
}
