//! Dining areas and their tables. A restaurant keeps its own areas (大堂, 包间); a shared area — a
//! food court — belongs to the mall, which sets it up and lists the restaurants serving it. Each
//! table has a printed code whose plain https link (`/t/<code>`) any camera or WeChat opens.

use super::{restaurant, RestaurantRow, RESTAURANT_SELECT};
use crate::audit::Actor;
use crate::{codes, Db, Result, Timestamp};
use plaza_types::dto::{DiningAreaAdmin, DiningTableAdmin, Localized, RestaurantRef, TableView};
use plaza_types::error::Field;
use plaza_types::{AppError, TenantId};
use rand::Rng;
use sqlx::AnyConnection;

/// Who manages an area: one restaurant (its own), or the mall (shared areas).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AreaOwner {
    Restaurant(TenantId),
    Mall,
}

/// The most tables made in one go.
pub const MAX_TABLES_AT_ONCE: usize = 100;

/// A table's code: 10 characters without look-alikes, not to be guessed or enumerated.
fn new_code() -> String {
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    let mut rng = rand::rngs::OsRng;
    (0..10).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
}

fn area_name(name: &Localized) -> Result<Localized> {
    let zh = name.zh.trim();
    let en = name.en.trim();
    if !(1..=20).contains(&zh.chars().count()) || en.chars().count() > 40 {
        return Err(AppError::invalid(Field::Name).into());
    }
    Ok(Localized::new(zh, en))
}

pub async fn create_area(
    db: &Db,
    owner: AreaOwner,
    name: &Localized,
    floor: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<i64> {
    let name = area_name(name)?;
    let floor = floor.trim();
    if floor.chars().count() > 10 {
        return Err(AppError::invalid(Field::Name).into());
    }
    let mut tx = db.begin_write().await?;
    let (tenant, shared, floor) = match owner {
        AreaOwner::Restaurant(t) => {
            let r = restaurant(&mut tx, t).await?;
            let (unit_floor,): (String,) =
                sqlx::query_as("SELECT floor FROM tenants WHERE id = $1").bind(r.id).fetch_one(&mut **tx).await?;
            (Some(t), 0, if floor.is_empty() { unit_floor } else { floor.to_string() })
        }
        AreaOwner::Mall => (None, 1, floor.to_string()),
    };
    let code = format!("area-{}", new_code());
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO dining_areas (code, name_zh, name_en, floor, shared, tenant_id, status) \
         VALUES ($1, $2, $3, $4, $5, $6, 'active') RETURNING id",
    )
    .bind(&code)
    .bind(&name.zh)
    .bind(&name.en)
    .bind(&floor)
    .bind(shared)
    .bind(tenant.map(|t| t.0))
    .fetch_one(&mut **tx)
    .await?;
    tx.commit().await?;
    tracing::info!(area = id, tenant = ?tenant, actor = %actor.label(), at = now.millis(), "dining area created");
    Ok(id)
}

/// The area if `owner` manages it and it is active; otherwise not found.
async fn owned_area(conn: &mut AnyConnection, owner: AreaOwner, area: i64) -> Result<()> {
    let row: Option<(Option<i64>, i64)> =
        sqlx::query_as("SELECT tenant_id, shared FROM dining_areas WHERE id = $1 AND status = 'active'")
            .bind(area)
            .fetch_optional(&mut *conn)
            .await?;
    match (row, owner) {
        (Some((Some(t), 0)), AreaOwner::Restaurant(own)) if t == own.0 => Ok(()),
        (Some((None, 1)), AreaOwner::Mall) => Ok(()),
        _ => Err(AppError::NotFound.into()),
    }
}

/// Archives an area with no active table left.
pub async fn archive_area(db: &Db, owner: AreaOwner, area: i64, actor: &Actor, now: Timestamp) -> Result<()> {
    let mut tx = db.begin_write().await?;
    owned_area(&mut tx, owner, area).await?;
    let (active,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM dining_tables WHERE area_id = $1 AND status = 'active'")
            .bind(area)
            .fetch_one(&mut **tx)
            .await?;
    if active > 0 {
        return Err(AppError::NotUsable.into());
    }
    sqlx::query("UPDATE dining_areas SET status = 'archived' WHERE id = $1").bind(area).execute(&mut **tx).await?;
    tx.commit().await?;
    tracing::info!(area, ?owner, actor = %actor.label(), at = now.millis(), "dining area archived");
    Ok(())
}

/// Adds or removes a restaurant of a shared area (the mall's operators).
pub async fn set_area_restaurant(
    db: &Db,
    area: i64,
    tenant: TenantId,
    serves: bool,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    owned_area(&mut tx, AreaOwner::Mall, area).await?;
    restaurant(&mut tx, tenant).await?;
    if serves {
        sqlx::query("INSERT INTO dining_area_tenants (area_id, tenant_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(area)
            .bind(tenant.0)
            .execute(&mut **tx)
            .await?;
    } else {
        sqlx::query("DELETE FROM dining_area_tenants WHERE area_id = $1 AND tenant_id = $2")
            .bind(area)
            .bind(tenant.0)
            .execute(&mut **tx)
            .await?;
    }
    tx.commit().await?;
    tracing::info!(area, tenant = tenant.0, serves, actor = %actor.label(), at = now.millis(), "food court restaurants changed");
    Ok(())
}

/// The labels a person typed: `1-12`, `A1 A2 A3`, `包间1, 包间2` (ranges of numbers expand).
pub fn parse_labels(input: &str) -> Result<Vec<String>> {
    let bad = || AppError::invalid(Field::Table);
    let mut labels: Vec<String> = Vec::new();
    for token in input.split(|c: char| c == ',' || c == '，' || c == '、' || c.is_whitespace()) {
        let token = token.trim();
        if token.is_empty() {
            continue;
        }
        let range = token.split_once('-').and_then(|(a, b)| Some((a.parse::<u32>().ok()?, b.parse::<u32>().ok()?)));
        match range {
            Some((a, b)) if a <= b && (b - a) as usize <= MAX_TABLES_AT_ONCE => {
                labels.extend((a..=b).map(|n| n.to_string()));
            }
            Some(_) => return Err(bad().into()),
            None => {
                if token.chars().count() > 12 || token.chars().any(|c| c.is_control()) {
                    return Err(bad().into());
                }
                labels.push(token.to_string());
            }
        }
        if labels.len() > MAX_TABLES_AT_ONCE {
            return Err(bad().into());
        }
    }
    let mut seen = std::collections::HashSet::new();
    labels.retain(|l| seen.insert(l.clone()));
    if labels.is_empty() {
        return Err(bad().into());
    }
    Ok(labels)
}

/// Adds tables to an area; a label already used by an active table there is refused (nothing
/// added).
pub async fn add_tables(
    db: &Db,
    owner: AreaOwner,
    area: i64,
    labels: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<usize> {
    let labels = parse_labels(labels)?;
    let mut tx = db.begin_write().await?;
    owned_area(&mut tx, owner, area).await?;
    for label in &labels {
        let added = sqlx::query(
            "INSERT INTO dining_tables (area_id, label, code, status, created_at) VALUES ($1, $2, $3, 'active', $4) \
             ON CONFLICT DO NOTHING",
        )
        .bind(area)
        .bind(label)
        .bind(new_code())
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
        if added.rows_affected() != 1 {
            return Err(AppError::AlreadyExists.into());
        }
    }
    tx.commit().await?;
    tracing::info!(area, ?owner, tables = %labels.join(","), actor = %actor.label(), "dining tables added");
    Ok(labels.len())
}

/// Revokes a table's code: its sticker then says the code is no longer in use.
pub async fn revoke_table(db: &Db, owner: AreaOwner, table: i64, actor: &Actor, now: Timestamp) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let area: Option<(i64,)> = sqlx::query_as("SELECT area_id FROM dining_tables WHERE id = $1 AND status = 'active'")
        .bind(table)
        .fetch_optional(&mut **tx)
        .await?;
    let (area,) = area.ok_or(AppError::NotFound)?;
    owned_area(&mut tx, owner, area).await?;
    sqlx::query("UPDATE dining_tables SET status = 'revoked', revoked_at = $1 WHERE id = $2")
        .bind(now.millis())
        .bind(table)
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    tracing::info!(table, ?owner, actor = %actor.label(), "dining table revoked");
    Ok(())
}

/// The restaurants that serve an area: its owner, or a shared area's list.
async fn restaurants_of(conn: &mut AnyConnection, area: i64) -> Result<Vec<RestaurantRef>> {
    let rows: Vec<RestaurantRow> = sqlx::query_as(&format!(
        "{RESTAURANT_SELECT} WHERE t.kind = 'restaurant' AND (t.id = (SELECT tenant_id FROM dining_areas WHERE id = $1) \
         OR t.id IN (SELECT tenant_id FROM dining_area_tenants WHERE area_id = $1)) ORDER BY t.unit_no, t.id"
    ))
    .bind(area)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(RestaurantRow::view).collect())
}

#[derive(sqlx::FromRow)]
struct AreaRow {
    id: i64,
    name_zh: String,
    name_en: String,
    floor: String,
    shared: i64,
}

async fn admin_areas(
    conn: &mut AnyConnection,
    condition: &str,
    bind: Option<i64>,
    public_url: &str,
) -> Result<Vec<DiningAreaAdmin>> {
    let sql = format!(
        "SELECT id, name_zh, name_en, floor, shared FROM dining_areas WHERE status = 'active' AND {condition} ORDER BY shared DESC, id"
    );
    let mut query = sqlx::query_as::<_, AreaRow>(&sql);
    if let Some(b) = bind {
        query = query.bind(b);
    }
    let areas = query.fetch_all(&mut *conn).await?;
    let mut out = Vec::with_capacity(areas.len());
    for a in areas {
        let tables: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT id, label, code, status FROM dining_tables WHERE area_id = $1 ORDER BY status, LENGTH(label), label",
        )
        .bind(a.id)
        .fetch_all(&mut *conn)
        .await?;
        out.push(DiningAreaAdmin {
            id: a.id,
            name: Localized::new(a.name_zh, a.name_en),
            floor: a.floor,
            shared: a.shared == 1,
            restaurants: restaurants_of(conn, a.id).await?,
            tables: tables
                .into_iter()
                .map(|(id, label, code, status)| {
                    let url = format!("{}/t/{code}", public_url.trim_end_matches('/'));
                    DiningTableAdmin { id, label, qr_svg: codes::qr_svg(&url), url, code, active: status == "active" }
                })
                .collect(),
        });
    }
    Ok(out)
}

/// A restaurant's own areas, then the shared areas it serves (read-only in its console).
pub async fn areas_of(db: &Db, tenant: TenantId, public_url: &str) -> Result<Vec<DiningAreaAdmin>> {
    let mut conn = db.pool().acquire().await?;
    restaurant(&mut conn, tenant).await?;
    admin_areas(
        &mut conn,
        "(tenant_id = $1 OR id IN (SELECT area_id FROM dining_area_tenants WHERE tenant_id = $1))",
        Some(tenant.0),
        public_url,
    )
    .await
}

/// The mall's shared areas (food courts), for operators.
pub async fn shared_areas(db: &Db, public_url: &str) -> Result<Vec<DiningAreaAdmin>> {
    let mut conn = db.pool().acquire().await?;
    admin_areas(&mut conn, "shared = 1", None, public_url).await
}

/// A table a scanned code names, with its area and restaurants. Unknown codes are not found; a
/// revoked code (or an archived area's) is not usable.
pub async fn by_code(db: &Db, code: &str) -> Result<TableView> {
    let mut conn = db.pool().acquire().await?;
    Ok(find(&mut conn, code).await?.1)
}

/// The table's id and view.
pub(crate) async fn find(conn: &mut AnyConnection, code: &str) -> Result<(i64, TableView)> {
    if code.is_empty() || code.len() > 16 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(AppError::NotFound.into());
    }
    type Row = (i64, String, String, i64, String, String, String, i64, String);
    let row: Option<Row> = sqlx::query_as(
        "SELECT t.id, t.label, t.status, a.id, a.name_zh, a.name_en, a.floor, a.shared, a.status \
         FROM dining_tables t JOIN dining_areas a ON a.id = t.area_id WHERE t.code = $1",
    )
    .bind(code)
    .fetch_optional(&mut *conn)
    .await?;
    let (id, label, status, area, zh, en, floor, shared, area_status) = row.ok_or(AppError::NotFound)?;
    if status != "active" || area_status != "active" {
        return Err(AppError::NotUsable.into());
    }
    let restaurants = restaurants_of(conn, area).await?;
    let view = TableView {
        code: code.to_string(),
        label,
        area: Localized::new(zh, en),
        floor,
        shared: shared == 1,
        restaurants,
    };
    Ok((id, view))
}

/// The table at `code` if `tenant` serves it (a restaurant of another area is not found there).
pub(crate) async fn served_by(
    conn: &mut AnyConnection,
    code: &str,
    tenant: TenantId,
) -> Result<(i64, TableView, RestaurantRef)> {
    let (id, view) = find(conn, code).await?;
    let restaurant = view.restaurants.iter().find(|r| r.id == tenant.0).cloned().ok_or(AppError::NotFound)?;
    Ok((id, view, restaurant))
}
