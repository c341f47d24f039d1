//! The pick lists of shops the console's forms choose from: tenant categories and tenants.

use crate::Result;
use plaza_types::dto::{Choice, Localized};
use sqlx::{Any, Executor};

type Row = (i64, String, String, String);

fn choices(rows: Vec<Row>) -> Vec<Choice> {
    rows.into_iter().map(|(id, code, zh, en)| Choice { id, code, name: Localized::new(zh, en) }).collect()
}

/// The tenant categories, in their order.
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
