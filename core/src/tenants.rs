//! Tenants: the shops of the mall, their category, unit number and the way they sell.

pub mod choices;

use crate::{Db, Result, Timestamp};
use plaza_types::dto::{Localized, TenantKind, TenantRef, TenantSummary};
use plaza_types::{AppError, TenantId};
use sqlx::AnyConnection;

pub struct NewTenant<'a> {
    pub code: &'a str,
    pub name: Localized,
    pub unit_no: &'a str,
    pub floor: &'a str,
    pub category_code: &'a str,
    pub kind: TenantKind,
    pub aliases: &'a [&'a str],
}

pub async fn create_category(conn: &mut AnyConnection, code: &str, name: &Localized, sort: i64) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO tenant_categories (code, name_zh, name_en, sort) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(code)
    .bind(&name.zh)
    .bind(&name.en)
    .bind(sort)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn create(conn: &mut AnyConnection, new: &NewTenant<'_>, now: Timestamp) -> Result<TenantId> {
    let category: Option<(i64,)> = sqlx::query_as("SELECT id FROM tenant_categories WHERE code = $1")
        .bind(new.category_code)
        .fetch_optional(&mut *conn)
        .await?;
    let (category_id,) = category.ok_or(AppError::NotFound)?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO tenants (code, name_zh, name_en, unit_no, floor, category_id, kind, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(new.code)
    .bind(&new.name.zh)
    .bind(&new.name.en)
    .bind(new.unit_no)
    .bind(new.floor)
    .bind(category_id)
    .bind(new.kind.as_str())
    .bind(now.millis())
    .fetch_one(&mut *conn)
    .await?;
    for alias in new.aliases {
        sqlx::query("INSERT INTO tenant_aliases (tenant_id, alias) VALUES ($1, $2)")
            .bind(id)
            .bind(*alias)
            .execute(&mut *conn)
            .await?;
    }
    Ok(TenantId(id))
}

type TenantRow = (i64, String, String, String, String, String, String, String, String, String);

const SELECT_SUMMARY: &str =
    "SELECT t.id, t.code, t.name_zh, t.name_en, t.unit_no, t.floor, c.name_zh, c.name_en, t.kind, t.status \
     FROM tenants t JOIN tenant_categories c ON c.id = t.category_id";

fn summary(row: TenantRow) -> Option<TenantSummary> {
    let (id, code, name_zh, name_en, unit_no, floor, cat_zh, cat_en, kind, status) = row;
    Some(TenantSummary {
        id: TenantId(id),
        code,
        name: Localized::new(name_zh, name_en),
        unit_no,
        floor,
        category: Localized::new(cat_zh, cat_en),
        kind: TenantKind::parse(&kind)?,
        active: status == "active",
    })
}

/// Every tenant, by floor and unit.
pub async fn list(db: &Db) -> Result<Vec<TenantSummary>> {
    let rows: Vec<TenantRow> =
        sqlx::query_as(&format!("{SELECT_SUMMARY} ORDER BY t.floor, t.unit_no")).fetch_all(db.pool()).await?;
    Ok(rows.into_iter().filter_map(summary).collect())
}

pub async fn get(db: &Db, tenant: TenantId) -> Result<TenantSummary> {
    let row: Option<TenantRow> =
        sqlx::query_as(&format!("{SELECT_SUMMARY} WHERE t.id = $1")).bind(tenant.0).fetch_optional(db.pool()).await?;
    row.and_then(summary).ok_or_else(|| AppError::NotFound.into())
}

pub async fn reference(db: &Db, tenant: TenantId) -> Result<TenantRef> {
    let t = get(db, tenant).await?;
    Ok(TenantRef { id: t.id, name: t.name, unit_no: t.unit_no, kind: t.kind })
}

/// Every tenant's aliases (other names it prints on receipts), for matching receipt photos.
pub async fn aliases(db: &Db) -> Result<Vec<(TenantId, String)>> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT tenant_id, alias FROM tenant_aliases ORDER BY tenant_id, alias")
            .fetch_all(db.pool())
            .await?;
    Ok(rows.into_iter().map(|(id, alias)| (TenantId(id), alias)).collect())
}

pub async fn count(db: &Db) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM tenants").fetch_one(db.pool()).await?;
    Ok(n)
}
