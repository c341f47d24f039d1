//! The real pipeline on the committed receipt photos (ocr/fixtures/receipts, made by
//! make_receipts.py): every field of every photo, and the badly degraded one never approved.
//! Needs the models: `scripts/setup` fetches them (CI runs it).

use plaza_ocr::receipt::{self, Decision, TenantEntry};
use plaza_ocr::{decode_image, Ocr};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
struct Expected {
    file: String,
    merchant: Option<String>,
    tenant: Option<String>,
    unit: Option<String>,
    total_fen: Option<i64>,
    purchased_at: Option<String>,
    receipt_no: Option<String>,
    decision: Option<String>,
    /// For the degraded photo: the decision it must not get.
    decision_not: Option<String>,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn load_models() -> Ocr {
    let dir = std::env::var_os("PLAZA_OCR_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(plaza_ocr::DEFAULT_MODELS_DIR));
    Ocr::load(&dir).unwrap_or_else(|e| {
        panic!("{e}\nThe OCR integration test needs the models: run `scripts/setup` from the workspace root.")
    })
}

#[test]
fn every_fixture_photo_reads_right() {
    let ocr = load_models();
    let tenants: Vec<TenantEntry> =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("tenants.json")).unwrap()).unwrap();
    let expected: Vec<Expected> =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("receipts/expected.json")).unwrap()).unwrap();
    assert!(expected.len() >= 12, "the fixture set shrank");
    let mut failures = Vec::new();
    for e in &expected {
        let bytes = std::fs::read(fixtures().join("receipts").join(&e.file)).unwrap();
        let lines = ocr.recognise(&decode_image(&bytes).unwrap()).unwrap();
        let read = receipt::read(&lines, &tenants);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        if let Some(not) = &e.decision_not {
            // Whatever is read of a ruined photo: not approved, and no confidently wrong amount.
            if read.assessment.decision.as_str() == not {
                failures.push(format!("{}: decided {not} on {texts:?}", e.file));
            }
            continue;
        }
        let tenant = read.tenant.as_ref().filter(|t| t.is_confident()).map(|t| t.name.clone());
        let got = (
            tenant,
            read.fields.total_fen(),
            read.fields.purchased.and_then(|p| p.minute_text()),
            read.fields.receipt_key(),
            read.assessment.decision.as_str().to_string(),
        );
        let want = (
            e.tenant.clone(),
            e.total_fen,
            e.purchased_at.clone(),
            e.receipt_no.as_deref().map(receipt::receipt_key),
            e.decision.clone().unwrap_or_default(),
        );
        if got != want {
            failures.push(format!(
                "{}:\n   got  {got:?}\n   want {want:?}\n   {:?}\n   {texts:?}",
                e.file, read.assessment
            ));
        }
        if read.fields.merchant != e.merchant {
            failures.push(format!("{}: merchant {:?}, want {:?}", e.file, read.fields.merchant, e.merchant));
        }
        if e.unit.is_some() && read.fields.unit_no != e.unit {
            failures.push(format!("{}: unit {:?}, want {:?}", e.file, read.fields.unit_no, e.unit));
        }
        if read.assessment.decision == Decision::Auto && read.fields.receipt_no != e.receipt_no {
            failures.push(format!("{}: receipt number read as {:?}", e.file, read.fields.receipt_no));
        }
    }
    assert!(failures.is_empty(), "{} of {} photos wrong:\n{}", failures.len(), expected.len(), failures.join("\n"));
}

/// The server's way: photos through the bounded pool, concurrently, read as on their own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pool_reads_photos_concurrently() {
    let ocr = std::sync::Arc::new(load_models());
    let pool = plaza_ocr::OcrPool::new(ocr.clone(), 2);
    let files = ["noodle-sans.jpg", "coffee-serif.jpg", "roast-bold.jpg"];
    let reads = files.map(|f| {
        let pool = pool.clone();
        let bytes = std::fs::read(fixtures().join("receipts").join(f)).unwrap();
        tokio::spawn(async move { pool.recognise_bytes(bytes).await })
    });
    for (file, read) in files.iter().zip(reads) {
        let pooled: Vec<String> = read.await.unwrap().unwrap().into_iter().map(|l| l.text).collect();
        let bytes = std::fs::read(fixtures().join("receipts").join(file)).unwrap();
        let alone: Vec<String> =
            ocr.recognise(&decode_image(&bytes).unwrap()).unwrap().into_iter().map(|l| l.text).collect();
        assert_eq!(pooled, alone, "{file}");
    }
    let not_an_image = pool.recognise_bytes(b"not an image".to_vec()).await;
    assert!(matches!(not_an_image, Err(plaza_ocr::OcrError::Image(_))));
}
