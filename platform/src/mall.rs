//! The mall this deployment serves: its names and time zone (one deployment, one mall; see
//! docs/decisions/0003-one-mall-per-deployment.md).

use crate::time::MallTz;
use crate::{Db, Result, Timestamp};
use plaza_types::dto::Localized;

pub const DEFAULT_TIMEZONE: &str = "Asia/Shanghai";

#[derive(Clone, Debug, PartialEq)]
pub struct Mall {
    pub name: Localized,
    pub timezone: String,
}

/// The mall, or `None` on a database nobody has set up yet.
pub async fn get(db: &Db) -> Result<Option<Mall>> {
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT name_zh, name_en, timezone FROM mall WHERE id = 1").fetch_optional(db.pool()).await?;
    Ok(row.map(|(zh, en, timezone)| Mall { name: Localized::new(zh, en), timezone }))
}

/// Creates or renames the mall.
pub async fn set(db: &Db, name: &Localized, timezone: &str, now: Timestamp) -> Result<()> {
    if jiff::tz::TimeZone::get(timezone).is_err() {
        return Err(crate::Error::internal(format!("unknown time zone {timezone}")));
    }
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO mall (id, name_zh, name_en, timezone, created_at) VALUES (1, $1, $2, $3, $4) \
         ON CONFLICT (id) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, timezone = excluded.timezone",
    )
    .bind(&name.zh)
    .bind(&name.en)
    .bind(timezone)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    tx.commit().await
}

/// The Chinese name, which signs SMS messages; a neutral one before the mall is set up.
pub async fn name_zh(db: &Db) -> Result<String> {
    Ok(get(db).await?.map(|m| m.name.zh).unwrap_or_else(|| "Plaza".to_string()))
}

/// The time zone, read inside a transaction.
pub async fn timezone_in(conn: &mut sqlx::AnyConnection) -> Result<MallTz> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT timezone FROM mall WHERE id = 1").fetch_optional(&mut *conn).await?;
    Ok(row.and_then(|(tz,)| MallTz::parse(&tz)).unwrap_or_else(MallTz::shanghai))
}

/// The mall's time zone (Asia/Shanghai until the mall is set up).
pub async fn timezone(db: &Db) -> Result<MallTz> {
    Ok(get(db).await?.and_then(|m| MallTz::parse(&m.timezone)).unwrap_or_else(MallTz::shanghai))
}
