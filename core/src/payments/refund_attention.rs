//! Refunds that need an operator: ABNORMAL ones (the card refused the money; see
//! [`super::refund_waiting`]) and ones the provider has been processing too long. An operator can
//! ask the provider again now, or — having dealt with it in the merchant platform or with the
//! shopper — mark it handled with a note (audited); it then leaves the list, and the refund itself
//! still follows the provider's word.

use super::provider::PaymentProvider;
use super::refund_waiting::{settle, Settled};
use crate::audit::{self, Actor, Entry};
use crate::principal::StaffPrincipal;
use crate::{Db, MallTz, Result, Timestamp};
use plaza_types::dto::AttentionRefund;
use plaza_types::error::Field;
use plaza_types::{AppError, Fen};

/// A refund still processing after this long needs a person (WeChat's bank-card refunds take
/// up to a few working days; a day without an answer is worth a look).
pub const TOO_LONG_SECS: i64 = 24 * 3600;
/// The longest note kept.
const MAX_NOTE_CHARS: usize = 500;

/// Waiting refunds that are ABNORMAL or older than [`TOO_LONG_SECS`], not yet marked handled;
/// abnormal ones first.
pub async fn list(db: &Db, tz: &MallTz, now: Timestamp) -> Result<Vec<AttentionRefund>> {
    let rows: Vec<(String, String, i64, i64, String, i64)> = sqlx::query_as(
        "SELECT r.refund_no, p.payment_no, r.amount_fen, r.external_fen, r.provider_state, r.created_at FROM refunds r \
         JOIN payments p ON p.id = r.payment_id \
         WHERE r.state = 'pending' AND r.provider_state IS NOT NULL \
         AND (r.provider_state = 'ABNORMAL' OR r.created_at <= $1) \
         AND NOT EXISTS (SELECT 1 FROM refund_handling h WHERE h.refund_no = r.refund_no) \
         ORDER BY CASE WHEN r.provider_state = 'ABNORMAL' THEN 0 ELSE 1 END, r.created_at",
    )
    .bind(now.minus_secs(TOO_LONG_SECS).millis())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(refund_no, payment_no, amount, external, provider_state, created_at)| AttentionRefund {
            refund_no,
            payment_no,
            amount: Fen(amount),
            external: Fen(external),
            provider_state,
            created_at: tz.format(Timestamp(created_at)),
            waiting_hours: (now.millis() - created_at).max(0) / 3_600_000,
        })
        .collect())
}

/// Asks the provider about one waiting refund now and applies its answer.
pub async fn retry(db: &Db, provider: &dyn PaymentProvider, refund_no: &str, now: Timestamp) -> Result<Settled> {
    let row: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT p.payment_no, p.provider FROM refunds r JOIN payments p ON p.id = r.payment_id \
         WHERE r.refund_no = $1 AND r.state = 'pending' AND r.provider_state IS NOT NULL",
    )
    .bind(refund_no)
    .fetch_optional(db.pool())
    .await?;
    let Some((payment_no, via)) = row else { return Err(AppError::NotFound.into()) };
    if via.as_deref() != Some(provider.name()) {
        return Err(AppError::NotUsable.into());
    }
    let progress = provider.refund_query(db, &payment_no, refund_no).await?;
    settle(db, refund_no, progress, now).await
}

/// Marks a waiting refund handled by `by`, with what was done.
pub async fn mark_handled(db: &Db, by: &StaffPrincipal, refund_no: &str, note: &str, now: Timestamp) -> Result<()> {
    let note = note.trim();
    if note.is_empty() || note.chars().count() > MAX_NOTE_CHARS {
        return Err(AppError::invalid(Field::Remark).into());
    }
    let mut tx = db.begin_write().await?;
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT external_fen FROM refunds WHERE refund_no = $1 AND state = 'pending' AND provider_state IS NOT NULL",
    )
    .bind(refund_no)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((external,)) = row else { return Err(AppError::NotFound.into()) };
    let inserted = sqlx::query(
        "INSERT INTO refund_handling (refund_no, note, staff_id, handled_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (refund_no) DO NOTHING",
    )
    .bind(refund_no)
    .bind(note)
    .bind(by.staff_id.0)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    if inserted.rows_affected() != 1 {
        return Err(AppError::AlreadyExists.into());
    }
    let entry = Entry::new(&Actor::Staff(by.staff_id), "refund.handled")
        .subject(format!("refund:{refund_no}"))
        .amount(external)
        .details(note.to_string());
    audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(())
}
