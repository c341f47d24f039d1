//! The pick lists the console's forms choose from: tenant categories, tenants, coupon templates.

use crate::{Db, Result, Timestamp};
use plaza_types::dto::{Choice, Localized};
use sqlx::{Any, Executor};

type Row = (i64, String, String, String);

fn choices(rows: Vec<Row>) -> Vec<Choice> {
    rows.into_iter().map(|(id, code, zh, en)| Choice { id, code, name: Localized::new(zh, en) }).collect()
}

pub async fn categories<'c, E: Executor<'c, Database = Any>>(executor: E) -> Result<Vec<Choice>> {
    let rows: Vec<Row> = sqlx::query_as("SELECT id, code, name_zh, name_en FROM tenant_categories ORDER BY sort, id")
        .fetch_all(executor)
        .await?;
    Ok(choices(rows))
}

/// Every tenant, by floor and unit (closed ones too: old rules may name them).
pub async fn tenants<'c, E: Executor<'c, Database = Any>>(executor: E) -> Result<Vec<Choice>> {
    let rows: Vec<Row> = sqlx::query_as("SELECT id, code, name_zh, name_en FROM tenants ORDER BY floor, unit_no, id")
        .fetch_all(executor)
        .await?;
    Ok(choices(rows))
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
