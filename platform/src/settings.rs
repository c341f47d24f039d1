//! Operator-configurable values, stored as JSON by key in `settings`. Each key has a typed
//! struct with the defaults of PRODUCT.md; a key never written reads as its defaults.

use crate::{Result, Timestamp};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::{Any, Executor};

/// A typed setting stored under `KEY`.
pub trait Setting: Serialize + DeserializeOwned + Default {
    const KEY: &'static str;
}

pub async fn get<'c, S: Setting, E: Executor<'c, Database = Any>>(executor: E) -> Result<S> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT value FROM settings WHERE key = $1").bind(S::KEY).fetch_optional(executor).await?;
    from_stored(row.as_ref().map(|(json,)| json.as_str()))
}

/// Two settings in one round trip.
pub async fn get_two<'c, A: Setting, B: Setting, E: Executor<'c, Database = Any>>(executor: E) -> Result<(A, B)> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT key, value FROM settings WHERE key IN ($1, $2)")
        .bind(A::KEY)
        .bind(B::KEY)
        .fetch_all(executor)
        .await?;
    let value = |key: &str| rows.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    Ok((from_stored(value(A::KEY))?, from_stored(value(B::KEY))?))
}

/// A setting from its stored value, read by the caller (as a column of a larger query): `None`
/// when the key was never written.
pub fn from_stored<S: Setting>(value: Option<&str>) -> Result<S> {
    match value {
        // A value written by an older version may lack newer fields: serde fills them from Default.
        Some(json) => serde_json::from_str(json)
            .map_err(|e| crate::Error::internal(format!("setting {} is not valid: {e}", S::KEY))),
        None => Ok(S::default()),
    }
}

pub async fn put<'c, S: Setting, E: Executor<'c, Database = Any>>(
    executor: E,
    value: &S,
    now: Timestamp,
) -> Result<()> {
    let json = serde_json::to_string(value).map_err(|e| crate::Error::internal(e.to_string()))?;
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(S::KEY)
    .bind(json)
    .bind(now.millis())
    .execute(executor)
    .await?;
    Ok(())
}
