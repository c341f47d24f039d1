//! Extraction on stored OCR lines (ocr/fixtures/lines.json): lines the pipeline read from the
//! fixture photos, and hand-made misreadings. Fast: no model.

use super::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    name: String,
    lines: Vec<String>,
    expect: Expect,
}

#[derive(Deserialize)]
struct Expect {
    tenant: Option<String>,
    unit: Option<String>,
    total_fen: Option<i64>,
    purchased_at: Option<String>,
    receipt_no: Option<String>,
    receipt_key: Option<String>,
    decision: String,
    reason: Option<String>,
}

/// The demo mall's tenants (core/src/demo), as the matcher sees them.
pub(crate) fn demo_tenants() -> Vec<TenantEntry> {
    serde_json::from_str(include_str!("../../fixtures/tenants.json")).expect("valid fixture")
}

#[test]
fn every_stored_case() {
    let cases: Vec<Case> = serde_json::from_str(include_str!("../../fixtures/lines.json")).expect("valid fixture");
    let tenants = demo_tenants();
    let mut failures = Vec::new();
    for case in &cases {
        let lines: Vec<Line> = case.lines.iter().map(|t| Line::plain(t.as_str())).collect();
        let read = read(&lines, &tenants);
        let e = &case.expect;
        let got = (
            read.tenant.as_ref().filter(|t| t.is_confident()).map(|t| t.name.clone()),
            read.fields.total_fen(),
            read.fields.purchased.and_then(|p| p.minute_text()),
            read.fields.receipt_no.clone(),
            read.assessment.decision.as_str(),
        );
        let want = (e.tenant.clone(), e.total_fen, e.purchased_at.clone(), e.receipt_no.clone(), e.decision.as_str());
        if got != want {
            failures.push(format!("{}:\n   got  {got:?}\n   want {want:?}\n   {:?}", case.name, read.assessment));
        }
        if e.unit.is_some() && read.fields.unit_no != e.unit {
            failures.push(format!("{}: unit {:?}, want {:?}", case.name, read.fields.unit_no, e.unit));
        }
        if let Some(key) = &e.receipt_key {
            if read.fields.receipt_key().as_ref() != Some(key) {
                failures.push(format!("{}: key {:?}, want {key}", case.name, read.fields.receipt_key()));
            }
        }
        if let Some(reason) = &e.reason {
            if read.assessment.reason().map(Reason::as_str) != Some(reason.as_str()) {
                failures.push(format!("{}: reason {:?}, want {reason}", case.name, read.assessment.reasons));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {} cases wrong:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn the_merchant_is_the_first_name_like_header_line() {
    let lines: Vec<Line> = ["星汇广场", "面面俱到(星汇店)", "B1-16"].into_iter().map(Line::plain).collect();
    assert_eq!(ReceiptFields::extract(&lines).merchant.as_deref(), Some("星汇广场"));
    let lines: Vec<Line> = ["单号:123", "2026-11-05", "甜品时光"].into_iter().map(Line::plain).collect();
    assert_eq!(ReceiptFields::extract(&lines).merchant.as_deref(), Some("甜品时光"));
    let lines: Vec<Line> = ["鲜果时间", "日期 2026-11-05 17:44"].into_iter().map(Line::plain).collect();
    assert_eq!(ReceiptFields::extract(&lines).merchant.as_deref(), Some("鲜果时间"));
}

#[test]
fn reasons_have_codes_and_words_for_shoppers() {
    assert_eq!(Reason::AmountUnreadable.as_str(), "amount_unreadable");
    assert_eq!(Reason::AmountUnreadable.message_zh(), "金额无法识别，请重拍");
}

#[test]
fn duplicate_keys() {
    let lines: Vec<Line> = ["面面俱到", "单号:S-2611", "2026-11-05 12:31", "合计 ¥46.00", "优惠 ¥5.00", "实收 ¥41.00"]
        .into_iter()
        .map(Line::plain)
        .collect();
    let fields = ReceiptFields::extract(&lines);
    assert_eq!(fields.receipt_key().as_deref(), Some("52611"));
    assert_eq!(fields.time_amount_key(12).as_deref(), Some("12|2026-11-05 12:31|4100"));
}
