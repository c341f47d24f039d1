//! The operator's review queue: oldest first, the photo beside what was read and why it is
//! here; approve with corrected fields (points awarded as for an automatic approval, the same
//! claims apply) or refuse with words the shopper reads. Every decision is audited.

use super::decide::{self, Approval, Approved, Fields};
use crate::audit::{self, Actor, Entry};
use crate::MallTz;
use crate::{mall, Db, Result, Timestamp};
use plaza_ocr::receipt::{receipt_key, MAX_RECEIPT_FEN};
use plaza_types::dto::{ReceiptStatus, ReviewReceipt};
use plaza_types::error::Field;
use plaza_types::{AppError, MemberId, PhoneNumber, StaffId, TenantId};
use sqlx::any::AnyRow;
use sqlx::Row;

const SELECT: &str = "SELECT r.id, r.status, r.member_id, m.phone, r.merchant, r.unit_no, r.receipt_no, \
     r.gross_fen, r.discount_fen, r.total_fen, r.amount_check, r.purchased_text, r.tenant_id, t.name_zh, \
     r.tenant_score, r.reasons, r.note, r.created_at \
     FROM receipts r JOIN members m ON m.id = r.member_id LEFT JOIN tenants t ON t.id = r.tenant_id";

fn item(row: &AnyRow, tz: &MallTz, now: Timestamp) -> Result<ReviewReceipt> {
    let status: String = row.try_get(1)?;
    let phone: String = row.try_get(3)?;
    let reasons: String = row.try_get(15)?;
    let created_at: i64 = row.try_get(17)?;
    Ok(ReviewReceipt {
        id: row.try_get(0)?,
        status: ReceiptStatus::parse(&status).unwrap_or(ReceiptStatus::Review),
        member_id: row.try_get(2)?,
        member_phone: PhoneNumber::parse(&phone).map(|p| p.masked()).unwrap_or_else(|_| "***".into()),
        merchant: row.try_get(4)?,
        unit_no: row.try_get(5)?,
        receipt_no: row.try_get(6)?,
        gross_fen: row.try_get(7)?,
        discount_fen: row.try_get(8)?,
        total_fen: row.try_get(9)?,
        amount_check: row.try_get(10)?,
        purchased: row.try_get(11)?,
        tenant_id: row.try_get(12)?,
        tenant_name: row.try_get(13)?,
        tenant_score: row.try_get(14)?,
        reasons: reasons.split(',').filter(|r| !r.is_empty()).map(str::to_string).collect(),
        note: row.try_get(16)?,
        uploaded_at: Timestamp(created_at).format_local(tz),
        age_minutes: (now.millis() - created_at).max(0) / 60_000,
    })
}

/// Receipts waiting for a person, oldest first.
pub async fn queue(db: &Db, limit: i64, now: Timestamp) -> Result<Vec<ReviewReceipt>> {
    let tz = mall::timezone(db).await?;
    let rows = sqlx::query(&format!("{SELECT} WHERE r.status = 'review' ORDER BY r.created_at, r.id LIMIT $1"))
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(|r| item(r, &tz, now)).collect()
}

/// One receipt, in any state (the operator opens it from the queue or the audit log).
pub async fn get(db: &Db, id: i64, now: Timestamp) -> Result<ReviewReceipt> {
    let tz = mall::timezone(db).await?;
    let row = sqlx::query(&format!("{SELECT} WHERE r.id = $1")).bind(id).fetch_optional(db.pool()).await?;
    item(&row.ok_or(AppError::NotFound)?, &tz, now)
}

/// What the operator corrects before approving.
#[derive(Clone, Debug)]
pub struct Corrections {
    pub tenant: TenantId,
    pub total_fen: i64,
    /// As printed; empty when the receipt has none (then tenant + amount + minute is the key).
    pub receipt_no: String,
    /// `YYYY-MM-DD HH:MM`, mall time.
    pub purchased: String,
    pub note: String,
}

/// Approves a receipt in review with the operator's fields: points awarded (pending), audited
/// with who and why. Refused when this receipt or this file has already earned.
pub async fn approve(db: &Db, id: i64, staff: StaffId, c: &Corrections, now: Timestamp) -> Result<i64> {
    if c.total_fen <= 0 || c.total_fen > MAX_RECEIPT_FEN {
        return Err(AppError::AmountOutOfRange { min_fen: 1, max_fen: MAX_RECEIPT_FEN }.into());
    }
    let purchased = jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M", c.purchased.trim())
        .map_err(|_| AppError::invalid(Field::Date))?;
    let receipt_no = c.receipt_no.trim();
    if receipt_no.chars().count() > 40 {
        return Err(AppError::invalid(Field::Coupon).into());
    }
    let tz = mall::timezone(db).await?;
    let minute = purchased.strftime("%Y-%m-%d %H:%M").to_string();
    let purchased_at = purchased.to_zoned(tz.jiff_tz()).ok().map(|z| z.timestamp().as_millisecond());
    let mut tx = db.begin_write().await?;
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT member_id, sha256 FROM receipts WHERE id = $1 AND status = 'review'")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    let (member, sha) = row.ok_or(AppError::NotUsable)?;
    let member = MemberId(member);
    let exists: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM tenants WHERE id = $1").bind(c.tenant.0).fetch_optional(&mut **tx).await?;
    exists.ok_or(AppError::invalid(Field::Tenant))?;
    crate::points::account::lock(&mut tx, member, now).await?;
    let key = (!receipt_no.is_empty()).then(|| receipt_key(receipt_no));
    let approval = Approval {
        id,
        member,
        tenant: c.tenant,
        total_fen: c.total_fen,
        receipt_key: key.as_deref(),
        minute: Some(&minute),
        sha: &sha,
        minute_must_be_free: false,
    };
    let outcome = match decide::approve(&mut tx, &approval, now).await? {
        Approved::Awarded(outcome) => outcome,
        // Nothing was changed: the operator is told it has already earned.
        Approved::Duplicate(_) | Approved::Similar => return Err(AppError::AlreadyExists.into()),
    };
    sqlx::query(
        "UPDATE receipts SET status = 'approved', tenant_id = $1, total_fen = $2, receipt_no = $3, receipt_key = $4, \
         purchased_text = $5, purchased_at = $6, points = $7, award_id = $8, reviewed_by = $9, note = $10, \
         decided_at = $11, updated_at = $11 WHERE id = $12",
    )
    .bind(c.tenant.0)
    .bind(c.total_fen)
    .bind((!receipt_no.is_empty()).then_some(receipt_no))
    .bind(&key)
    .bind(&minute)
    .bind(purchased_at)
    .bind(outcome.points)
    .bind(outcome.award_id)
    .bind(staff.0)
    .bind(c.note.trim())
    .bind(now.millis())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    let fields = Fields {
        receipt_no: (!receipt_no.is_empty()).then(|| receipt_no.to_string()),
        total_fen: Some(c.total_fen),
        tenant: Some(c.tenant),
        ..Fields::default()
    };
    let details = serde_json::json!({"tenant": c.tenant.0, "total_fen": c.total_fen, "receipt_no": fields.receipt_no, "purchased": minute}).to_string();
    audit::append(
        &mut tx,
        Entry::new(&Actor::Staff(staff), "receipt.approve")
            .member(member)
            .tenant(Some(c.tenant))
            .subject(format!("receipt:{id}"))
            .amount(outcome.points)
            .details(details)
            .reason(if c.note.trim().is_empty() { "approved after review" } else { c.note.trim() }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(outcome.points)
}

/// Refuses a receipt in review; `reason` is what the shopper reads.
pub async fn reject(db: &Db, id: i64, staff: StaffId, reason: &str, now: Timestamp) -> Result<()> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err(AppError::invalid(Field::Reason).into());
    }
    let mut tx = db.begin_write().await?;
    let row: Option<(i64, Option<i64>)> = sqlx::query_as(
        "UPDATE receipts SET status = 'rejected', reason = 'operator', note = $1, reviewed_by = $2, decided_at = $3, \
         updated_at = $3 WHERE id = $4 AND status = 'review' RETURNING member_id, tenant_id",
    )
    .bind(reason)
    .bind(staff.0)
    .bind(now.millis())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let (member, tenant) = row.ok_or(AppError::NotUsable)?;
    audit::append(
        &mut tx,
        Entry::new(&Actor::Staff(staff), "receipt.reject")
            .member(MemberId(member))
            .tenant(tenant.map(TenantId))
            .subject(format!("receipt:{id}"))
            .reason(reason),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
