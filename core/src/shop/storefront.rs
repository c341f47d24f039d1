//! A storefront tenant's shop page: its name in the mall, logo and banner, introduction,
//! opening hours, pickup point and whether it delivers. Shops without a saved profile show their
//! tenant's name and unit.

use super::input::{refused, text};
use super::media_url;
use crate::audit::{self, Actor, Entry};
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{ShopProblem, StorefrontProfile, StorefrontView, TenantKind};
use plaza_types::{AppError, TenantId};
use sqlx::AnyConnection;

/// The tenant, if it is an active storefront: what every console function of the shop checks.
pub async fn require(conn: &mut AnyConnection, tenant: TenantId) -> Result<()> {
    let row: Option<(String, String)> = sqlx::query_as("SELECT kind, status FROM tenants WHERE id = $1")
        .bind(tenant.0)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        None => Err(AppError::NotFound.into()),
        Some((kind, status)) if kind == TenantKind::Store.as_str() && status == "active" => Ok(()),
        Some(_) => Err(refused(ShopProblem::NotAStorefront)),
    }
}

type Row = (
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    i64,
);

/// Storefront columns with the tenant's as fallback; `s` may be missing (LEFT JOIN).
const SELECT: &str = "SELECT t.id, t.code, t.name_zh, t.unit_no, s.name, s.intro, s.logo_key, s.banner_key, \
     s.opening_hours, s.delivers, \
     (SELECT COUNT(*) FROM shop_products p WHERE p.tenant_id = t.id AND p.status = 'published' AND p.blocked_at IS NULL) \
     FROM tenants t LEFT JOIN shop_storefronts s ON s.tenant_id = t.id";

fn view(row: Row, pickup: Option<String>) -> StorefrontView {
    let (id, code, name_zh, unit_no, name, intro, logo, banner, hours, delivers, products) = row;
    StorefrontView {
        tenant: TenantId(id),
        code,
        name: name.unwrap_or(name_zh),
        intro: intro.unwrap_or_default(),
        logo: logo.as_deref().map(media_url),
        banner: banner.as_deref().map(media_url),
        opening_hours: hours.unwrap_or_default(),
        pickup_unit: pickup.filter(|p| !p.is_empty()).unwrap_or(unit_no),
        delivers: delivers == Some(1),
        products,
    }
}

async fn pickup_of(conn: &mut AnyConnection, tenant: i64) -> Result<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT pickup_unit FROM shop_storefronts WHERE tenant_id = $1")
        .bind(tenant)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|r| r.0))
}

/// An active storefront by its tenant's code (shoppers).
pub async fn by_code(db: &Db, code: &str) -> Result<StorefrontView> {
    let mut conn = db.pool().acquire().await?;
    let row: Option<Row> =
        sqlx::query_as(&format!("{SELECT} WHERE t.code = $1 AND t.kind = 'store' AND t.status = 'active'"))
            .bind(code)
            .fetch_optional(&mut *conn)
            .await?;
    let row = row.ok_or(AppError::NotFound)?;
    let pickup = pickup_of(&mut conn, row.0).await?;
    Ok(view(row, pickup))
}

pub async fn by_tenant(conn: &mut AnyConnection, tenant: TenantId) -> Result<StorefrontView> {
    let row: Option<Row> =
        sqlx::query_as(&format!("{SELECT} WHERE t.id = $1")).bind(tenant.0).fetch_optional(&mut *conn).await?;
    let row = row.ok_or(AppError::NotFound)?;
    let pickup = pickup_of(conn, row.0).await?;
    Ok(view(row, pickup))
}

/// Every active storefront, those with more products first.
pub async fn list(db: &Db) -> Result<Vec<StorefrontView>> {
    let mut conn = db.pool().acquire().await?;
    let rows: Vec<Row> =
        sqlx::query_as(&format!("{SELECT} WHERE t.kind = 'store' AND t.status = 'active' ORDER BY 11 DESC, t.id"))
            .fetch_all(&mut *conn)
            .await?;
    let mut out = Vec::new();
    for row in rows {
        let pickup = pickup_of(&mut conn, row.0).await?;
        out.push(view(row, pickup));
    }
    Ok(out)
}

/// The profile as the shop edits it.
pub async fn profile(db: &Db, tenant: TenantId) -> Result<StorefrontProfile> {
    let mut conn = db.pool().acquire().await?;
    require(&mut conn, tenant).await?;
    let v = by_tenant(&mut conn, tenant).await?;
    Ok(StorefrontProfile {
        name: v.name,
        intro: v.intro,
        logo: v.logo,
        banner: v.banner,
        opening_hours: v.opening_hours,
        pickup_unit: v.pickup_unit,
        delivers: v.delivers,
    })
}

/// What the shop typed into its profile (images are set by upload).
#[derive(Clone, Debug)]
pub struct ProfileInput {
    pub name: String,
    pub intro: String,
    pub opening_hours: String,
    pub pickup_unit: String,
    pub delivers: bool,
}

pub async fn update(db: &Db, tenant: TenantId, input: &ProfileInput, actor: &Actor, now: Timestamp) -> Result<()> {
    let name = text(&input.name, 1, 30, false, ShopProblem::Storefront)?;
    let intro = text(&input.intro, 0, 500, true, ShopProblem::Storefront)?;
    let hours = text(&input.opening_hours, 0, 40, false, ShopProblem::Storefront)?;
    let pickup = text(&input.pickup_unit, 0, 20, false, ShopProblem::Storefront)?;
    let mut tx = db.begin_write().await?;
    require(&mut tx, tenant).await?;
    sqlx::query(
        "INSERT INTO shop_storefronts (tenant_id, name, intro, opening_hours, pickup_unit, delivers, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (tenant_id) DO UPDATE SET name = EXCLUDED.name, intro = EXCLUDED.intro, \
         opening_hours = EXCLUDED.opening_hours, pickup_unit = EXCLUDED.pickup_unit, delivers = EXCLUDED.delivers, \
         updated_at = EXCLUDED.updated_at",
    )
    .bind(tenant.0)
    .bind(&name)
    .bind(&intro)
    .bind(&hours)
    .bind(&pickup)
    .bind(i64::from(input.delivers))
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    // The shop's name finds its products.
    super::search::reindex_tenant(&mut tx, tenant).await?;
    audit::append(
        &mut tx,
        Entry::new(actor, "shop.storefront.update")
            .tenant(Some(tenant))
            .details(format!("{name} delivers={}", input.delivers)),
        now,
    )
    .await?;
    tx.commit().await
}

/// Which picture of the storefront an upload replaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Picture {
    Logo,
    Banner,
}

/// Records a stored picture; returns the key it replaced (for the caller to delete).
pub async fn set_picture(
    db: &Db,
    tenant: TenantId,
    which: Picture,
    key: &str,
    now: Timestamp,
) -> Result<Option<String>> {
    let mut tx = db.begin_write().await?;
    require(&mut tx, tenant).await?;
    let current: Option<(String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT name, logo_key, banner_key FROM shop_storefronts WHERE tenant_id = $1")
            .bind(tenant.0)
            .fetch_optional(&mut **tx)
            .await?;
    let old = match (&current, which) {
        (Some((_, logo, _)), Picture::Logo) => logo.clone(),
        (Some((_, _, banner)), Picture::Banner) => banner.clone(),
        (None, _) => None,
    };
    if current.is_none() {
        let (name,): (String,) =
            sqlx::query_as("SELECT name_zh FROM tenants WHERE id = $1").bind(tenant.0).fetch_one(&mut **tx).await?;
        sqlx::query("INSERT INTO shop_storefronts (tenant_id, name, updated_at) VALUES ($1, $2, $3)")
            .bind(tenant.0)
            .bind(name)
            .bind(now.millis())
            .execute(&mut **tx)
            .await?;
    }
    let column = match which {
        Picture::Logo => "logo_key",
        Picture::Banner => "banner_key",
    };
    sqlx::query(&format!("UPDATE shop_storefronts SET {column} = $1, updated_at = $2 WHERE tenant_id = $3"))
        .bind(key)
        .bind(now.millis())
        .bind(tenant.0)
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    Ok(old)
}

/// Replaces the storefront's logo (a 240 px square) or banner (1,200 × 480) with an upload; the
/// replaced picture is removed from storage. Returns its address.
pub async fn upload_picture(
    db: &Db,
    storage: &crate::storage::Storage,
    tenant: TenantId,
    which: Picture,
    upload: Vec<u8>,
    now: Timestamp,
) -> Result<String> {
    {
        let mut conn = db.pool().acquire().await?;
        require(&mut conn, tenant).await?;
    }
    let shape = match which {
        Picture::Logo => super::photos::Shape::Logo,
        Picture::Banner => super::photos::Shape::Banner,
    };
    let photo = super::photos::prepare(upload, shape).await?;
    let (key, thumb) =
        super::photos::store(storage, &super::photos::new_key(&format!("products/shop/{}", tenant.0)), photo).await?;
    super::photos::forget(storage, std::slice::from_ref(&thumb)).await;
    match set_picture(db, tenant, which, &key, now).await {
        Ok(old) => {
            if let Some(old) = old {
                super::photos::forget(storage, &[old]).await;
            }
            Ok(media_url(&key))
        }
        Err(e) => {
            super::photos::forget(storage, &[key]).await;
            Err(e)
        }
    }
}
