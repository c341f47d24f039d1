//! Refunds the provider accepted but has not finished (WeChat's `PROCESSING`): settled when the
//! provider says how they ended — its `REFUND.*` notification, or the refunds job's query every
//! few minutes. `SUCCESS` finishes the refund (the internal tenders come back, once); `CLOSED`
//! releases the claimed amount; `ABNORMAL` (the card refused the money) stays waiting and is
//! listed for operators, who re-issue it to another account in the merchant platform or pay the
//! shopper otherwise, and then close it there.

use super::provider::{PaymentProvider, RefundProgress};
use super::refund::{fail, finish};
use super::{event, find};
use crate::audit::Actor;
use crate::{Db, Result, Timestamp};

/// How often one waiting refund is asked about.
pub const CHECK_EVERY_SECS: i64 = 120;

/// What became of one waiting refund.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settled {
    Finished,
    Failed,
    Abnormal,
    StillWaiting,
    /// Not a waiting refund (finished already, or unknown): nothing changed.
    Nothing,
}

/// Applies the provider's word on refund `refund_no`.
pub async fn settle(db: &Db, refund_no: &str, progress: RefundProgress, now: Timestamp) -> Result<Settled> {
    let row: Option<(i64, Option<String>)> =
        sqlx::query_as("SELECT payment_id, provider_state FROM refunds WHERE refund_no = $1 AND state = 'pending'")
            .bind(refund_no)
            .fetch_optional(db.pool())
            .await?;
    let Some((payment_id, before)) = row else { return Ok(Settled::Nothing) };
    Ok(match progress {
        RefundProgress::Succeeded => match finish(db, refund_no, &Actor::System, now).await? {
            Some(_) => Settled::Finished,
            None => Settled::Nothing,
        },
        RefundProgress::Closed => match fail(db, refund_no, "closed by the provider", now).await? {
            true => Settled::Failed,
            false => Settled::Nothing,
        },
        RefundProgress::Abnormal | RefundProgress::Processing | RefundProgress::Unknown => {
            let state = match progress {
                RefundProgress::Unknown => before.clone().unwrap_or_else(|| "PROCESSING".into()),
                other => other.as_str().to_string(),
            };
            let mut tx = db.begin_write().await?;
            sqlx::query(
                "UPDATE refunds SET provider_state = $1, checked_at = $2 WHERE refund_no = $3 AND state = 'pending'",
            )
            .bind(&state)
            .bind(now.millis())
            .bind(refund_no)
            .execute(&mut **tx)
            .await?;
            let newly_abnormal = progress == RefundProgress::Abnormal && before.as_deref() != Some("ABNORMAL");
            if newly_abnormal {
                tracing::error!(%refund_no, "refund ABNORMAL: the money could not go back; an operator must act");
                event(&mut tx, payment_id, "refund_abnormal", refund_no, now).await?;
            }
            tx.commit().await?;
            if progress == RefundProgress::Abnormal {
                Settled::Abnormal
            } else {
                Settled::StillWaiting
            }
        }
    })
}

/// The refunds job: asks the provider about every refund waiting longer than
/// [`CHECK_EVERY_SECS`] since it was last asked; returns (finished, failed, abnormal).
pub async fn check_waiting(db: &Db, provider: &dyn PaymentProvider, now: Timestamp) -> Result<(usize, usize, usize)> {
    let due: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT r.refund_no, p.payment_no, p.provider FROM refunds r JOIN payments p ON p.id = r.payment_id \
         WHERE r.state = 'pending' AND r.provider_state IS NOT NULL AND COALESCE(r.checked_at, 0) <= $1 \
         ORDER BY r.id LIMIT 200",
    )
    .bind(now.minus_secs(CHECK_EVERY_SECS).millis())
    .fetch_all(db.pool())
    .await?;
    let (mut finished, mut failed, mut abnormal) = (0, 0, 0);
    for (refund_no, payment_no, via) in due {
        if via.as_deref() != Some(provider.name()) {
            continue;
        }
        let progress = provider.refund_query(db, &payment_no, &refund_no).await?;
        match settle(db, &refund_no, progress, now).await? {
            Settled::Finished => finished += 1,
            Settled::Failed => failed += 1,
            Settled::Abnormal => abnormal += 1,
            Settled::StillWaiting | Settled::Nothing => {}
        }
    }
    Ok((finished, failed, abnormal))
}

/// A refund the provider has not finished, for the operators' list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitingRefund {
    pub refund_no: String,
    pub payment_no: String,
    pub amount_fen: i64,
    pub external_fen: i64,
    /// `PROCESSING` or `ABNORMAL`.
    pub provider_state: String,
    pub created_at: i64,
}

/// Every refund still waiting for its provider, abnormal ones first.
pub async fn waiting(db: &Db) -> Result<Vec<WaitingRefund>> {
    let rows: Vec<(String, String, i64, i64, String, i64)> = sqlx::query_as(
        "SELECT r.refund_no, p.payment_no, r.amount_fen, r.external_fen, r.provider_state, r.created_at FROM refunds r \
         JOIN payments p ON p.id = r.payment_id WHERE r.state = 'pending' AND r.provider_state IS NOT NULL \
         ORDER BY CASE WHEN r.provider_state = 'ABNORMAL' THEN 0 ELSE 1 END, r.id",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(refund_no, payment_no, amount_fen, external_fen, provider_state, created_at)| WaitingRefund {
            refund_no,
            payment_no,
            amount_fen,
            external_fen,
            provider_state,
            created_at,
        })
        .collect())
}

/// Whether a payment has a refund still waiting (its pages say the money is on its way).
pub async fn has_waiting(db: &Db, payment_no: &str) -> Result<bool> {
    let Some(p) = find(db.pool(), payment_no).await? else { return Ok(false) };
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM refunds WHERE payment_id = $1 AND state = 'pending'")
        .bind(p.id)
        .fetch_one(db.pool())
        .await?;
    Ok(n > 0)
}
