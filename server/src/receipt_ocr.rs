//! `plaza receipts ocr FILE...`: recognition on image files, no database write. One JSON object
//! per line, for operators checking photos, for tests and for the benchmark.

use crate::config::Config;
use anyhow::{Context, Result};
use futures::StreamExt;
use plaza_core::Db;
use plaza_ocr::receipt::{self, TenantEntry};
use plaza_ocr::{decode_image, Line, Ocr, OcrPool};
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// Reads `files` one after another, each on all cores (lowest latency), or with `workers` set,
/// that many at once through an [`OcrPool`] of one-thread workers (highest throughput, as the
/// server runs it). Output keeps the order of `files`.
pub async fn ocr_files(config: Config, files: Vec<PathBuf>, timings: bool, workers: Option<usize>) -> Result<()> {
    let ocr = Ocr::load(&Ocr::models_dir()).context("loading the OCR models")?;
    let tenants = tenant_list(&config).await;
    let mut out = std::io::stdout().lock();
    match workers {
        None => {
            for file in files {
                let started = Instant::now();
                let lines = std::fs::read(&file)
                    .map_err(|e| e.to_string())
                    .and_then(|bytes| decode_image(&bytes).map_err(|e| e.to_string()))
                    .and_then(|image| ocr.recognise(&image).map_err(|e| e.to_string()));
                let ms = timings.then(|| started.elapsed().as_millis());
                writeln!(out, "{}", serde_json::to_string(&output(&file, lines, &tenants, ms))?)?;
            }
        }
        Some(workers) => {
            let pool = OcrPool::new(Arc::new(ocr), workers);
            let mut results = futures::stream::iter(files)
                .map(|file| {
                    let pool = pool.clone();
                    async move {
                        let started = Instant::now();
                        let lines = match std::fs::read(&file) {
                            Ok(bytes) => pool.recognise_bytes(bytes).await.map_err(|e| e.to_string()),
                            Err(e) => Err(e.to_string()),
                        };
                        (file, lines, started.elapsed().as_millis())
                    }
                })
                .buffered(workers.max(1));
            while let Some((file, lines, ms)) = results.next().await {
                let ms = timings.then_some(ms);
                writeln!(out, "{}", serde_json::to_string(&output(&file, lines, &tenants, ms))?)?;
            }
        }
    }
    Ok(())
}

fn output(file: &Path, lines: Result<Vec<Line>, String>, tenants: &[TenantEntry], ms: Option<u128>) -> Output {
    let file = file.display().to_string();
    match lines {
        Ok(lines) => {
            let read = receipt::read(&lines, tenants);
            let total_fen = read.fields.total_fen();
            Output {
                file,
                merchant: read.fields.merchant,
                // A weak or ambiguous match is no match for the operator: the reason says why.
                tenant: read.tenant.filter(|t| t.is_confident()).map(|t| t.name),
                total_fen,
                purchased_at: read.fields.purchased.and_then(|p| p.minute_text()),
                receipt_no: read.fields.receipt_no,
                decision: read.assessment.decision.as_str(),
                reason: read.assessment.reason().map(|r| r.as_str().to_string()),
                ms,
            }
        }
        Err(error) => Output {
            file,
            merchant: None,
            tenant: None,
            total_fen: None,
            purchased_at: None,
            receipt_no: None,
            decision: "reject",
            reason: Some(format!("unreadable_file: {error}")),
            ms,
        },
    }
}

/// One line of output, fields in this order; unreadable fields are null.
#[derive(Serialize)]
struct Output {
    file: String,
    merchant: Option<String>,
    tenant: Option<String>,
    total_fen: Option<i64>,
    purchased_at: Option<String>,
    receipt_no: Option<String>,
    decision: &'static str,
    reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ms: Option<u128>,
}

/// The mall's tenants from the configured database, read only (no migration, no file created).
/// Without a database every receipt is unmatched, and says so on stderr.
async fn tenant_list(config: &Config) -> Vec<TenantEntry> {
    let url = &config.database_url;
    if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
        let path = path.split('?').next().unwrap_or(path);
        if !std::path::Path::new(path).exists() {
            eprintln!("no database at {path}: tenants are not matched (run `plaza seed-demo` for the demo mall)");
            return Vec::new();
        }
    }
    match read_tenants(url).await {
        Ok(tenants) => tenants,
        Err(e) => {
            eprintln!("could not read the tenants ({e}): tenants are not matched");
            Vec::new()
        }
    }
}

async fn read_tenants(url: &str) -> Result<Vec<TenantEntry>> {
    let db = Db::connect(url).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let list = plaza_core::tenants::list(&db).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut aliases: HashMap<i64, Vec<String>> = HashMap::new();
    for (id, alias) in plaza_core::tenants::aliases(&db).await.map_err(|e| anyhow::anyhow!("{e}"))? {
        aliases.entry(id.0).or_default().push(alias);
    }
    db.close().await;
    Ok(list
        .into_iter()
        .filter(|t| t.active)
        .map(|t| {
            let mut names = aliases.remove(&t.id.0).unwrap_or_default();
            names.push(t.name.en.clone());
            TenantEntry { id: t.id.0, name: t.name.zh, aliases: names, units: vec![t.unit_no] }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_json_object_with_the_documented_fields_in_order() {
        let lines: Vec<Line> =
            ["面面俱到", "B1-16", "单号：S2611050042", "日期：2026-11-0512:31", "合计 ¥46.00", "实收 ¥46.00"]
                .into_iter()
                .map(Line::plain)
                .collect();
        let tenants =
            [TenantEntry { id: 1, name: "面面俱到".into(), aliases: vec![], units: vec!["B1-16".into()] }];
        let json = serde_json::to_string(&output(Path::new("a.jpg"), Ok(lines), &tenants, None)).unwrap();
        assert_eq!(
            json,
            r#"{"file":"a.jpg","merchant":"面面俱到","tenant":"面面俱到","total_fen":4600,"purchased_at":"2026-11-05 12:31","receipt_no":"S2611050042","decision":"auto","reason":null}"#
        );
        let unreadable = serde_json::to_string(&output(Path::new("b.jpg"), Ok(vec![]), &[], Some(5))).unwrap();
        assert_eq!(
            unreadable,
            r#"{"file":"b.jpg","merchant":null,"tenant":null,"total_fen":null,"purchased_at":null,"receipt_no":null,"decision":"reject","reason":"unreadable","ms":5}"#
        );
    }
}
