//! The operators' hand on the online mall: the home page's banners, featured products and
//! suggested searches, and taking a product down with a reason its shop sees (and restoring it).
//! Every change is in the audit log with who made it.

use super::input::{refused, text};
use super::photos::{self, Shape};
use super::products::{load_any, refresh};
use super::{browse, media_url};
use crate::audit::{self, Actor, Entry};
use crate::settings::{self, Setting};
use crate::storage::Storage;
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{BannerView, OpsProductRow, OpsShopHome, ProductId, ProductStatus, ShopProblem};
use plaza_types::{AppError, StaffId};
use serde::{Deserialize, Serialize};

/// What the mall suggests searching for (shown under the search box and when a search finds
/// nothing).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct HotWords {
    pub words: Vec<String>,
}

impl Setting for HotWords {
    const KEY: &'static str = "shop.hot_words";
}

pub async fn hot_words(db: &Db) -> Result<Vec<String>> {
    Ok(settings::get::<HotWords, _>(db.pool()).await?.words)
}

/// Sets the suggested searches: at most 10 of 1–12 characters, separated by commas or spaces.
pub async fn set_hot_words(db: &Db, typed: &str, by: StaffId, now: Timestamp) -> Result<()> {
    let words = super::input::tags(typed)?;
    let mut tx = db.begin_write().await?;
    settings::put(&mut **tx, &HotWords { words: words.clone() }, now).await?;
    audit::append(&mut tx, Entry::new(&Actor::Staff(by), "shop.hot_words").details(words.join(" ")), now).await?;
    tx.commit().await
}

/// Banners in order; `all` includes inactive ones (operators).
pub async fn banners(db: &Db, all: bool) -> Result<Vec<BannerView>> {
    let rows: Vec<(i64, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT id, title, image_key, link, position, active FROM shop_banners WHERE ($1 = 1 OR active = 1) \
         ORDER BY position, id",
    )
    .bind(i64::from(all))
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, title, key, link, position, active)| BannerView {
            id,
            title,
            image: media_url(&key),
            link,
            position,
            active: active == 1,
        })
        .collect())
}

/// A banner's link: a path inside the mall, no scheme, host or tricks.
fn banner_link(link: &str) -> Result<String> {
    let link = link.trim();
    let inside = (link == "/mall" || link.starts_with("/mall/") || link.starts_with("/mall?"))
        && !link.contains("//")
        && !link.contains("..")
        && !link.contains('\\')
        && link.len() <= 200
        && link.chars().all(|c| !c.is_control() && !c.is_whitespace());
    if inside {
        Ok(link.to_string())
    } else {
        Err(refused(ShopProblem::Banner))
    }
}

/// Adds a banner with its uploaded picture (cut to 5:2).
pub async fn add_banner(
    db: &Db,
    storage: &Storage,
    title: &str,
    link: &str,
    upload: Vec<u8>,
    by: StaffId,
    now: Timestamp,
) -> Result<i64> {
    let title = text(title, 1, 30, false, ShopProblem::Banner)?;
    let link = banner_link(link)?;
    let photo = photos::prepare(upload, Shape::Banner).await?;
    let (key, thumb) = photos::store(storage, &photos::new_key("products/banner"), photo).await?;
    let saved = async {
        let mut tx = db.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO shop_banners (title, image_key, link, position, active, created_at, updated_at) \
             VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), -1) + 1 FROM shop_banners), 1, $4, $4) RETURNING id",
        )
        .bind(&title)
        .bind(&key)
        .bind(&link)
        .bind(now.millis())
        .fetch_one(&mut **tx)
        .await?;
        audit::append(
            &mut tx,
            Entry::new(&Actor::Staff(by), "shop.banner.add")
                .subject(format!("shop_banner:{id}"))
                .details(format!("{title} → {link}")),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
    .await;
    // The thumbnail is not shown for banners; only the picture is kept.
    photos::forget(storage, std::slice::from_ref(&thumb)).await;
    if saved.is_err() {
        photos::forget(storage, std::slice::from_ref(&key)).await;
    }
    saved
}

/// A banner's title, link, position and whether it shows.
#[derive(Clone, Debug)]
pub struct BannerEdit {
    pub title: String,
    pub link: String,
    pub position: i64,
    pub active: bool,
}

pub async fn update_banner(db: &Db, id: i64, edit: &BannerEdit, by: StaffId, now: Timestamp) -> Result<()> {
    let title = text(&edit.title, 1, 30, false, ShopProblem::Banner)?;
    let link = banner_link(&edit.link)?;
    let (position, active) = (edit.position, edit.active);
    if !(0..=1000).contains(&position) {
        return Err(refused(ShopProblem::Banner));
    }
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE shop_banners SET title = $1, link = $2, position = $3, active = $4, updated_at = $5 WHERE id = $6",
    )
    .bind(&title)
    .bind(&link)
    .bind(position)
    .bind(i64::from(active))
    .bind(now.millis())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::NotFound.into());
    }
    audit::append(
        &mut tx,
        Entry::new(&Actor::Staff(by), "shop.banner.update")
            .subject(format!("shop_banner:{id}"))
            .details(format!("{title} → {link} #{position} active={active}")),
        now,
    )
    .await?;
    tx.commit().await
}

pub async fn remove_banner(db: &Db, storage: &Storage, id: i64, by: StaffId, now: Timestamp) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let row: Option<(String, String)> =
        sqlx::query_as("DELETE FROM shop_banners WHERE id = $1 RETURNING image_key, title")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    let (key, title) = row.ok_or(AppError::NotFound)?;
    audit::append(
        &mut tx,
        Entry::new(&Actor::Staff(by), "shop.banner.remove").subject(format!("shop_banner:{id}")).details(title),
        now,
    )
    .await?;
    tx.commit().await?;
    photos::forget(storage, &[key]).await;
    Ok(())
}

/// Features a listed product on the home page (at the end), or takes it off.
pub async fn set_featured(db: &Db, product: ProductId, featured: bool, by: StaffId, now: Timestamp) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let p = load_any(&mut tx, product).await?;
    if featured {
        if p.status != ProductStatus::Published || p.blocked_reason.is_some() {
            return Err(refused(ShopProblem::NotSellable));
        }
        sqlx::query(
            "INSERT INTO shop_featured (product_id, position, created_at) \
             VALUES ($1, (SELECT COALESCE(MAX(position), -1) + 1 FROM shop_featured), $2) ON CONFLICT (product_id) DO NOTHING",
        )
        .bind(product.0)
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    } else {
        sqlx::query("DELETE FROM shop_featured WHERE product_id = $1").bind(product.0).execute(&mut **tx).await?;
    }
    audit::append(
        &mut tx,
        Entry::new(&Actor::Staff(by), if featured { "shop.feature" } else { "shop.unfeature" })
            .tenant(Some(p.tenant))
            .subject(format!("shop_product:{}", product.0))
            .details(p.title),
        now,
    )
    .await?;
    tx.commit().await
}

/// Takes a product down (not listed, not publishable) with the reason its shop sees.
pub async fn take_down(db: &Db, product: ProductId, reason: &str, by: StaffId, now: Timestamp) -> Result<()> {
    let reason = super::input::reason(reason)?;
    let mut tx = db.begin_write().await?;
    let p = load_any(&mut tx, product).await?;
    let done = sqlx::query(
        "UPDATE shop_products SET blocked_at = $1, blocked_reason = $2, blocked_by = $3, updated_at = $1 \
         WHERE id = $4 AND blocked_at IS NULL",
    )
    .bind(now.millis())
    .bind(&reason)
    .bind(by.0)
    .bind(product.0)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(refused(ShopProblem::Blocked));
    }
    sqlx::query("DELETE FROM shop_featured WHERE product_id = $1").bind(product.0).execute(&mut **tx).await?;
    audit::append(
        &mut tx,
        Entry::new(&Actor::Staff(by), "shop.take_down")
            .tenant(Some(p.tenant))
            .subject(format!("shop_product:{}", product.0))
            .details(p.title)
            .reason(reason),
        now,
    )
    .await?;
    refresh(&mut tx, product, now).await?;
    tx.commit().await
}

/// Lifts a take-down (the shop publishes the product again when it is ready).
pub async fn restore(db: &Db, product: ProductId, reason: &str, by: StaffId, now: Timestamp) -> Result<()> {
    let reason = super::input::reason(reason)?;
    let mut tx = db.begin_write().await?;
    let p = load_any(&mut tx, product).await?;
    let done = sqlx::query(
        "UPDATE shop_products SET blocked_at = NULL, blocked_reason = NULL, blocked_by = NULL, \
         status = CASE WHEN status = 'published' THEN 'unpublished' ELSE status END, updated_at = $1 \
         WHERE id = $2 AND blocked_at IS NOT NULL",
    )
    .bind(now.millis())
    .bind(product.0)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::NotFound.into());
    }
    audit::append(
        &mut tx,
        Entry::new(&Actor::Staff(by), "shop.restore")
            .tenant(Some(p.tenant))
            .subject(format!("shop_product:{}", product.0))
            .details(p.title)
            .reason(reason),
        now,
    )
    .await?;
    tx.commit().await
}

/// Every shop's products for operators: by title, code or shop name; taken-down ones first
/// when `blocked_only`.
pub async fn ops_products(
    db: &Db,
    text_query: &str,
    blocked_only: bool,
    page: u32,
) -> Result<(Vec<OpsProductRow>, bool)> {
    let needle = text_query.trim().to_lowercase();
    let like = format!("%{}%", needle.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    let offset = i64::from(page.max(1) - 1) * 50;
    let rows: Vec<OpsRow> = sqlx::query_as(
        "SELECT p.id, p.title, p.cover_key, COALESCE(s.name, t.name_zh), p.status, p.blocked_reason, \
         CASE WHEN f.product_id IS NULL THEN 0 ELSE 1 END, p.min_price_fen \
         FROM shop_products p JOIN tenants t ON t.id = p.tenant_id LEFT JOIN shop_storefronts s ON s.tenant_id = t.id \
         LEFT JOIN shop_featured f ON f.product_id = p.id \
         WHERE ($1 = '%%' OR LOWER(p.title) LIKE $1 ESCAPE '\\' OR LOWER(p.code) LIKE $1 ESCAPE '\\' \
                OR LOWER(t.name_zh) LIKE $1 ESCAPE '\\' OR LOWER(COALESCE(s.name, '')) LIKE $1 ESCAPE '\\') \
         AND ($2 = 0 OR p.blocked_at IS NOT NULL) AND (p.status <> 'draft' OR p.blocked_at IS NOT NULL) \
         ORDER BY p.updated_at DESC, p.id DESC LIMIT 51 OFFSET $3",
    )
    .bind(&like)
    .bind(i64::from(blocked_only))
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    let more = rows.len() > 50;
    Ok((rows.into_iter().take(50).map(ops_row).collect(), more))
}

type OpsRow = (i64, String, Option<String>, String, String, Option<String>, i64, Option<i64>);

fn ops_row((id, title, cover, shop, status, blocked, featured, min): OpsRow) -> OpsProductRow {
    OpsProductRow {
        id: ProductId(id),
        title,
        cover: cover.as_deref().map(media_url),
        shop_name: shop,
        status: ProductStatus::parse(&status).unwrap_or(ProductStatus::Draft),
        blocked_reason: blocked,
        featured: featured == 1,
        min_price_fen: min,
    }
}

/// The home page as operators arrange it.
pub async fn ops_home(db: &Db) -> Result<OpsShopHome> {
    let featured_ids: Vec<(i64,)> =
        sqlx::query_as("SELECT product_id FROM shop_featured ORDER BY position, product_id")
            .fetch_all(db.pool())
            .await?;
    let cards = browse::cards(db, &featured_ids.iter().map(|(id,)| ProductId(*id)).collect::<Vec<_>>()).await?;
    Ok(OpsShopHome {
        banners: banners(db, true).await?,
        featured: cards
            .into_iter()
            .map(|c| OpsProductRow {
                id: c.id,
                title: c.title,
                cover: c.cover,
                shop_name: c.shop_name,
                status: ProductStatus::Published,
                blocked_reason: None,
                featured: true,
                min_price_fen: Some(c.min_price_fen),
            })
            .collect(),
        hot_words: hot_words(db).await?,
    })
}
