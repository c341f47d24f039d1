//! Reading a receipt: the OCR runs outside any transaction (a second or so of CPU), then the
//! decision is taken in one. A lease on the receipt keeps two readers (the upload's own task
//! and the sweeper after a crash) from reading it at once; the decision itself only applies to
//! a receipt still `recognising`, so it happens once.

use super::decide::{self, Reading};
use crate::storage::Storage;
use crate::{Db, Result, Timestamp};
use async_trait::async_trait;
use plaza_ocr::receipt::{self, TenantEntry};
use plaza_ocr::Line;
use plaza_types::dto::ReceiptStatus;
use std::collections::HashMap;
use std::sync::Arc;

/// The OCR engine as the receipts feature needs it: photo bytes in, lines out.
#[async_trait]
pub trait ReceiptReader: Send + Sync {
    async fn read(&self, photo: Vec<u8>) -> std::result::Result<Vec<Line>, String>;
}

pub type SharedReader = Arc<dyn ReceiptReader>;

/// The real engine: PP-OCR through the bounded pool (one-thread workers off the runtime).
#[async_trait]
impl ReceiptReader for plaza_ocr::OcrPool {
    async fn read(&self, photo: Vec<u8>) -> std::result::Result<Vec<Line>, String> {
        self.recognise_bytes(photo).await.map_err(|e| e.to_string())
    }
}

/// How long one reader holds a receipt before another may take it over.
const LEASE_SECS: i64 = 120;

/// Reads receipt `id` and decides it, if it is still waiting and nobody else holds it.
/// Without a reader (the OCR models are missing) the receipt goes to an operator.
/// Returns the status it reached, or `None` when there was nothing to do.
pub async fn recognise(
    db: &Db,
    store: &Storage,
    reader: Option<&dyn ReceiptReader>,
    id: i64,
    now: Timestamp,
) -> Result<Option<ReceiptStatus>> {
    let mut tx = db.begin_write().await?;
    let claimed: Option<(String,)> = sqlx::query_as(
        "UPDATE receipts SET lease_until = $1 \
         WHERE id = $2 AND status = 'recognising' AND (lease_until IS NULL OR lease_until < $3) RETURNING photo_key",
    )
    .bind(now.plus_secs(LEASE_SECS).millis())
    .bind(id)
    .bind(now.millis())
    .fetch_optional(&mut **tx)
    .await?;
    tx.commit().await?;
    let Some((photo_key,)) = claimed else { return Ok(None) };

    let reading = match reader {
        None => Reading::Unavailable("ocr_unavailable"),
        Some(reader) => match store.get(&photo_key).await {
            Err(error) => {
                tracing::error!(receipt = id, %error, "the stored photo cannot be read");
                Reading::Unavailable("photo_missing")
            }
            Ok(bytes) => match reader.read(bytes).await {
                Ok(lines) => {
                    let tenants = tenant_entries(db).await?;
                    Reading::Read(Box::new(receipt::read(&lines, &tenants)))
                }
                Err(error) => {
                    tracing::warn!(receipt = id, %error, "OCR failed");
                    Reading::Unavailable("ocr_failed")
                }
            },
        },
    };
    // The clock moved on while reading; the upload window is judged at the upload time anyway.
    decide::settle(db, id, &reading, now).await
}

/// Receipts left `recognising` by a reader that stopped (crash, restart) or that nobody
/// started: read them now. The server runs this every little while.
pub async fn recognise_stale(
    db: &Db,
    store: &Storage,
    reader: Option<&dyn ReceiptReader>,
    now: Timestamp,
) -> Result<usize> {
    let ids: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM receipts WHERE status = 'recognising' AND created_at < $1 \
         AND (lease_until IS NULL OR lease_until < $2) ORDER BY id LIMIT 20",
    )
    .bind(now.minus_secs(30).millis())
    .bind(now.millis())
    .fetch_all(db.pool())
    .await?;
    let mut done = 0;
    for (id,) in ids {
        if recognise(db, store, reader, id, now).await?.is_some() {
            done += 1;
        }
    }
    Ok(done)
}

/// The mall's active tenants as the matcher needs them: Chinese name, aliases and English
/// name, unit number.
pub async fn tenant_entries(db: &Db) -> Result<Vec<TenantEntry>> {
    let list = crate::tenants::list(db).await?;
    let mut aliases: HashMap<i64, Vec<String>> = HashMap::new();
    for (id, alias) in crate::tenants::aliases(db).await? {
        aliases.entry(id.0).or_default().push(alias);
    }
    Ok(list
        .into_iter()
        .filter(|t| t.active)
        .map(|t| {
            let mut names = aliases.remove(&t.id.0).unwrap_or_default();
            if !t.name.en.is_empty() {
                names.push(t.name.en.clone());
            }
            TenantEntry { id: t.id.0, name: t.name.zh, aliases: names, units: vec![t.unit_no] }
        })
        .collect())
}
