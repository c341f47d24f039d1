//! The pick lists of coupon templates the console's forms choose from.

use crate::{Db, Result, Timestamp};
use plaza_types::dto::{Choice, Localized};

type Row = (i64, String, String, String);

fn choices(rows: Vec<Row>) -> Vec<Choice> {
    rows.into_iter().map(|(id, code, zh, en)| Choice { id, code, name: Localized::new(zh, en) }).collect()
}

/// Every coupon template, newest first.
pub async fn templates(db: &Db) -> Result<Vec<Choice>> {
    let rows: Vec<Row> = sqlx::query_as("SELECT id, code, name_zh, name_en FROM coupon_templates ORDER BY id DESC")
        .fetch_all(db.pool())
        .await?;
    Ok(choices(rows))
}

/// Templates that can issue a coupon now: active and not past their fixed end.
pub async fn issuable_templates(db: &Db, now: Timestamp) -> Result<Vec<Choice>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, code, name_zh, name_en FROM coupon_templates \
         WHERE status = 'active' AND (valid_until IS NULL OR valid_until > $1) ORDER BY id DESC",
    )
    .bind(now.millis())
    .fetch_all(db.pool())
    .await?;
    Ok(choices(rows))
}
