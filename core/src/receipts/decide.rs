//! The decision on a receipt once it has been read: the fields alone (plaza-ocr's assessment),
//! then the mall's rules, duplicates and caps, which need the database. Auto-approval only when
//! nothing at all stands against it; refusal only for what a person could not fix (unreadable,
//! late, too small, excluded, already counted); everything else goes to an operator.

use super::rules::ReceiptRules;
use crate::audit::{self, Actor, Entry};
use crate::points::{self, Award, AwardOutcome};
use crate::MallTz;
use crate::{mall, settings, Db, Result, Timestamp};
use plaza_ocr::receipt::{AmountCheck, PurchaseTime, ReadReceipt};
use plaza_types::dto::ReceiptStatus;
use plaza_types::{Fen, MemberId, TenantId};
use sqlx::AnyConnection;

/// What the reader produced.
pub enum Reading {
    Read(Box<ReadReceipt>),
    /// Nothing was read, for this reason (`ocr_unavailable`, `ocr_failed`, `photo_missing`):
    /// a person must look.
    Unavailable(&'static str),
}

/// OCR reasons that refuse outright (the shopper must take the photo again).
const OCR_REJECTS: &[&str] = &["unreadable", "amount_unreadable", "amount_impossible"];
/// A purchase time this far after the upload is impossible, not a slow clock.
const FUTURE_SLACK_SECS: i64 = 10 * 60;

/// The fields as stored.
#[derive(Clone, Debug, Default)]
pub(crate) struct Fields {
    pub merchant: Option<String>,
    pub unit_no: Option<String>,
    pub receipt_no: Option<String>,
    pub receipt_key: Option<String>,
    pub gross_fen: Option<i64>,
    pub discount_fen: Option<i64>,
    pub total_fen: Option<i64>,
    pub amount_check: Option<&'static str>,
    pub purchased: Option<PurchaseTime>,
    pub purchased_at: Option<i64>,
    pub tenant: Option<TenantId>,
    pub tenant_score: Option<i64>,
    /// The tenant matched well enough to apply the tenant's rules to.
    pub tenant_confident: bool,
}

impl Fields {
    fn from_reading(reading: &Reading, tz: &MallTz) -> Fields {
        let Reading::Read(read) = reading else { return Fields::default() };
        let f = &read.fields;
        Fields {
            merchant: f.merchant.clone(),
            unit_no: f.unit_no.clone(),
            receipt_no: f.receipt_no.clone(),
            receipt_key: f.receipt_key(),
            gross_fen: f.gross.map(|a| a.fen),
            discount_fen: f.discount.map(|a| a.fen),
            total_fen: f.total_fen(),
            amount_check: Some(match f.amount_check {
                AmountCheck::Consistent => "consistent",
                AmountCheck::Inconsistent => "inconsistent",
                AmountCheck::Unchecked => "unchecked",
                AmountCheck::Missing => "missing",
            }),
            purchased: f.purchased,
            purchased_at: f.purchased.and_then(|p| local_millis(&p, tz)),
            tenant: read.tenant.as_ref().map(|t| TenantId(t.id)),
            tenant_score: read.tenant.as_ref().map(|t| (t.score * 1000.0).round() as i64),
            tenant_confident: read.tenant.as_ref().is_some_and(|t| t.is_confident()),
        }
    }

    /// `YYYY-MM-DD HH:MM` (or the date alone), as printed.
    pub fn purchased_text(&self) -> Option<String> {
        self.purchased.map(|p| p.to_string())
    }

    fn minute_text(&self) -> Option<String> {
        self.purchased.and_then(|p| p.minute_text())
    }
}

/// The purchase time printed on the receipt (mall-local) as UTC milliseconds.
pub(crate) fn local_millis(p: &PurchaseTime, tz: &MallTz) -> Option<i64> {
    let tz = tz.jiff_tz();
    let (hour, minute) = p.time.unwrap_or((0, 0));
    let dt =
        jiff::civil::DateTime::new(p.year as i16, p.month as i8, p.day as i8, hour as i8, minute as i8, 0, 0).ok()?;
    Some(dt.to_zoned(tz).ok()?.timestamp().as_millisecond())
}

/// The end of the upload window: midnight after the purchase day plus `window_days`.
fn deadline(p: &PurchaseTime, window_days: i64, tz: &MallTz) -> Option<i64> {
    let tz = tz.jiff_tz();
    let date = jiff::civil::Date::new(p.year as i16, p.month as i8, p.day as i8).ok()?;
    let end = date.checked_add(jiff::Span::new().days(window_days + 1)).ok()?;
    Some(end.to_zoned(tz).ok()?.timestamp().as_millisecond())
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Finding {
    code: String,
    rejects: bool,
}

fn reject(code: &str) -> Finding {
    Finding { code: code.to_string(), rejects: true }
}

fn review(code: &str) -> Finding {
    Finding { code: code.to_string(), rejects: false }
}

/// The claim keys of a receipt: its number, its file, its tenant + amount + minute.
pub(crate) fn number_claim(tenant: TenantId, key: &str) -> String {
    format!("no:{tenant}:{key}")
}

pub(crate) fn sha_claim(sha: &str) -> String {
    format!("sha:{sha}")
}

pub(crate) fn minute_claim(tenant: TenantId, total_fen: i64, minute: &str) -> String {
    format!("tam:{tenant}:{total_fen}:{minute}")
}

async fn claim_exists(conn: &mut AnyConnection, claim: &str) -> Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT receipt_id FROM receipt_claims WHERE claim = $1")
        .bind(claim)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.is_some())
}

/// Takes `claim` for receipt `id`; false when another receipt holds it (on PostgreSQL a racing
/// transaction's insert waits for ours to commit, then finds it taken).
async fn take_claim(conn: &mut AnyConnection, claim: &str, id: i64, now: Timestamp) -> Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO receipt_claims (claim, receipt_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (claim) DO NOTHING RETURNING receipt_id",
    )
    .bind(claim)
    .bind(id)
    .bind(now.millis())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.is_some())
}

/// What an approval needs.
pub(crate) struct Approval<'a> {
    pub id: i64,
    pub member: MemberId,
    pub tenant: TenantId,
    pub total_fen: i64,
    pub receipt_key: Option<&'a str>,
    pub minute: Option<&'a str>,
    pub sha: &'a str,
    /// Automatic approvals give way to a similar receipt (same tenant, amount and minute);
    /// an operator who looked may approve anyway.
    pub minute_must_be_free: bool,
}

pub(crate) enum Approved {
    Awarded(AwardOutcome),
    /// Refused: this receipt or this file already earned (`duplicate_receipt`, `duplicate_photo`).
    Duplicate(&'static str),
    /// Another receipt holds the same tenant + amount + minute.
    Similar,
}

async fn give_back(conn: &mut AnyConnection, id: i64) -> Result<()> {
    sqlx::query("DELETE FROM receipt_claims WHERE receipt_id = $1").bind(id).execute(&mut *conn).await?;
    Ok(())
}

/// Takes the receipt's claims and awards its points, all or nothing (claims taken before a
/// refusal are given back in the same transaction).
pub(crate) async fn approve(conn: &mut AnyConnection, a: &Approval<'_>, now: Timestamp) -> Result<Approved> {
    let minute = a.minute.map(|m| minute_claim(a.tenant, a.total_fen, m));
    // Without a receipt number the business key is tenant + amount + minute.
    let Some(number) = a.receipt_key.map(|k| number_claim(a.tenant, k)).or_else(|| minute.clone()) else {
        return Ok(Approved::Duplicate("receipt_no_unreadable"));
    };
    if !take_claim(conn, &number, a.id, now).await? {
        return Ok(Approved::Duplicate("duplicate_receipt"));
    }
    if !take_claim(conn, &sha_claim(a.sha), a.id, now).await? {
        give_back(conn, a.id).await?;
        return Ok(Approved::Duplicate("duplicate_photo"));
    }
    if let Some(minute) = minute.filter(|m| *m != number) {
        if !take_claim(conn, &minute, a.id, now).await? && a.minute_must_be_free {
            give_back(conn, a.id).await?;
            return Ok(Approved::Similar);
        }
    }
    let external_ref = number.trim_start_matches("no:").to_string();
    let award =
        Award { member: a.member, tenant: Some(a.tenant), amount: Fen(a.total_fen), source: "receipt", external_ref };
    let outcome = points::award_for_purchase(conn, &award, now).await?;
    if outcome.duplicate {
        // The claims say otherwise, so this is a receipt awarded before its claims existed.
        give_back(conn, a.id).await?;
        return Ok(Approved::Duplicate("duplicate_receipt"));
    }
    Ok(Approved::Awarded(outcome))
}

/// Decides receipt `id` from what was read, if it is still `recognising`.
pub(crate) async fn settle(db: &Db, id: i64, reading: &Reading, now: Timestamp) -> Result<Option<ReceiptStatus>> {
    let tz = mall::timezone(db).await?;
    let rules: ReceiptRules = settings::get(db.pool()).await?;
    let fields = Fields::from_reading(reading, &tz);
    let mut tx = db.begin_write().await?;
    let row: Option<(i64, String, i64)> =
        sqlx::query_as("SELECT member_id, sha256, created_at FROM receipts WHERE id = $1 AND status = 'recognising'")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    let Some((member, sha, uploaded_at)) = row else { return Ok(None) };
    let member = MemberId(member);
    // One member's receipts are decided one after another, so two cannot both pass a cap.
    points::account::lock(&mut tx, member, now).await?;

    let mut findings = findings(&mut tx, id, &sha, member, uploaded_at, reading, &fields, &rules, &tz).await?;
    let mut points_awarded = 0;
    let mut award_id = None;
    if let (true, Some(tenant), Some(total_fen)) = (findings.is_empty(), fields.tenant, fields.total_fen) {
        let minute = fields.minute_text();
        let approval = Approval {
            id,
            member,
            tenant,
            total_fen,
            receipt_key: fields.receipt_key.as_deref(),
            minute: minute.as_deref(),
            sha: &sha,
            minute_must_be_free: true,
        };
        match approve(&mut tx, &approval, now).await? {
            Approved::Awarded(outcome) => {
                points_awarded = outcome.points;
                award_id = Some(outcome.award_id);
            }
            Approved::Duplicate(code) => findings.push(reject(code)),
            Approved::Similar => findings.push(review("similar_receipt")),
        }
    } else if findings.is_empty() {
        // The assessment always names a missing tenant or amount; this only guards the invariant.
        findings.push(review("tenant_unmatched"));
    }
    let status = match findings.first() {
        None => ReceiptStatus::Approved,
        Some(f) if f.rejects => ReceiptStatus::Rejected,
        Some(_) => ReceiptStatus::Review,
    };
    let codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
    let decided = status.is_final().then_some(now.millis());
    let updated = sqlx::query(
        "UPDATE receipts SET status = $1, lease_until = NULL, recognised_at = $2, merchant = $3, unit_no = $4, \
         receipt_no = $5, receipt_key = $6, gross_fen = $7, discount_fen = $8, total_fen = $9, amount_check = $10, \
         purchased_at = $11, purchased_text = $12, tenant_id = $13, tenant_score = $14, reason = $15, reasons = $16, \
         points = $17, award_id = $18, decided_at = $19, updated_at = $2 WHERE id = $20 AND status = 'recognising'",
    )
    .bind(status.as_str())
    .bind(now.millis())
    .bind(&fields.merchant)
    .bind(&fields.unit_no)
    .bind(&fields.receipt_no)
    .bind(&fields.receipt_key)
    .bind(fields.gross_fen)
    .bind(fields.discount_fen)
    .bind(fields.total_fen)
    .bind(fields.amount_check)
    .bind(fields.purchased_at)
    .bind(fields.purchased_text())
    .bind(fields.tenant.map(|t| t.0))
    .bind(fields.tenant_score)
    .bind(codes.first().copied())
    .bind(codes.join(","))
    .bind(points_awarded)
    .bind(award_id)
    .bind(decided)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Ok(None);
    }
    let action = match status {
        ReceiptStatus::Approved => "receipt.auto_approve",
        ReceiptStatus::Rejected => "receipt.auto_reject",
        _ => "receipt.to_review",
    };
    audit::append(
        &mut tx,
        Entry::new(&Actor::System, action)
            .member(member)
            .tenant(fields.tenant)
            .subject(format!("receipt:{id}"))
            .amount(points_awarded)
            .details(summary(&fields))
            .reason(codes.join(",")),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Some(status))
}

/// The fields in one line for the audit log.
pub(crate) fn summary(f: &Fields) -> String {
    serde_json::json!({
        "tenant": f.tenant.map(|t| t.0),
        "total_fen": f.total_fen,
        "receipt_no": f.receipt_no,
        "purchased": f.purchased_text(),
    })
    .to_string()
}

/// Everything that stands against approving, refusals first.
#[allow(clippy::too_many_arguments)]
async fn findings(
    conn: &mut AnyConnection,
    id: i64,
    sha: &str,
    member: MemberId,
    uploaded_at: i64,
    reading: &Reading,
    fields: &Fields,
    rules: &ReceiptRules,
    tz: &MallTz,
) -> Result<Vec<Finding>> {
    let mut found = Vec::new();
    let mut amount_doubtful = false;
    match reading {
        Reading::Unavailable(code) => found.push(review(code)),
        Reading::Read(read) => {
            for reason in &read.assessment.reasons {
                let code = reason.as_str();
                amount_doubtful |= code.starts_with("amount_");
                found.push(if OCR_REJECTS.contains(&code) { reject(code) } else { review(code) });
            }
        }
    }
    // The same file: refused if an earlier upload of it is still standing or has earned.
    let (same_file,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM receipts WHERE sha256 = $1 AND id < $2 AND status <> 'rejected'")
            .bind(sha)
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    if same_file > 0 || claim_exists(conn, &sha_claim(sha)).await? {
        found.push(reject("duplicate_photo"));
    }
    if let (Some(total), false) = (fields.total_fen, amount_doubtful) {
        if total < rules.min_amount_fen {
            found.push(reject("below_minimum"));
        }
    }
    if let Some(p) = &fields.purchased {
        if deadline(p, rules.window_days, tz).is_some_and(|end| uploaded_at >= end) {
            found.push(reject("late"));
        } else if fields.purchased_at.is_some_and(|at| at > uploaded_at + FUTURE_SLACK_SECS * 1000) {
            found.push(reject("purchase_in_future"));
        }
    }
    if fields.receipt_no.is_none() {
        found.push(review("receipt_no_unreadable"));
    }
    // The tenant's rules apply only to a tenant matched with confidence (else it is in review
    // for that already, and a wrong match must not refuse anything).
    if let (Some(tenant), true) = (fields.tenant, fields.tenant_confident) {
        let (code,): (String,) =
            sqlx::query_as("SELECT code FROM tenants WHERE id = $1").bind(tenant.0).fetch_one(&mut *conn).await?;
        if rules.excluded_tenants.contains(&code) {
            found.push(reject("tenant_excluded"));
        }
        if let Some(key) = &fields.receipt_key {
            if claim_exists(conn, &number_claim(tenant, key)).await? {
                found.push(reject("duplicate_receipt"));
            } else {
                let (pending,): (i64,) = sqlx::query_as(
                    "SELECT COUNT(*) FROM receipts WHERE tenant_id = $1 AND receipt_key = $2 AND id <> $3 AND status = 'review'",
                )
                .bind(tenant.0)
                .bind(key)
                .bind(id)
                .fetch_one(&mut *conn)
                .await?;
                if pending > 0 {
                    found.push(review("duplicate_pending"));
                }
            }
        }
        if let (Some(total), Some(minute)) = (fields.total_fen, fields.minute_text()) {
            let (similar,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM receipts WHERE tenant_id = $1 AND total_fen = $2 AND purchased_text = $3 \
                 AND id <> $4 AND status IN ('approved', 'review')",
            )
            .bind(tenant.0)
            .bind(total)
            .bind(&minute)
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
            if similar > 0 || claim_exists(conn, &minute_claim(tenant, total, &minute)).await? {
                found.push(review("similar_receipt"));
            }
        }
        if let Some(p) = &fields.purchased {
            let day = format!("{}%", p.date_text());
            let (at_tenant, all): (i64, i64) = sqlx::query_as(
                "SELECT CAST(COALESCE(SUM(CASE WHEN tenant_id = $1 THEN 1 ELSE 0 END), 0) AS BIGINT), COUNT(*) \
                 FROM receipts WHERE member_id = $2 AND status = 'approved' AND purchased_text LIKE $3",
            )
            .bind(tenant.0)
            .bind(member.0)
            .bind(&day)
            .fetch_one(&mut *conn)
            .await?;
            if at_tenant >= rules.per_tenant_daily {
                found.push(review("tenant_daily_cap"));
            }
            if all >= rules.per_day {
                found.push(review("daily_cap"));
            }
        }
    }
    let mut seen = Vec::new();
    found.retain(|f| {
        let new = !seen.contains(&f.code);
        seen.push(f.code.clone());
        new
    });
    found.sort_by_key(|f| !f.rejects);
    Ok(found)
}
