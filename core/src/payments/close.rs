//! Closing an unpaid payment (cancelled by the shopper, timed out, refused by the provider):
//! the coupon is released, the points go back to their lots, the stored value is credited back.
//! Closing happens once; a payment already paid is never closed.

use super::provider::{PaymentProvider, ProviderStatus};
use super::purpose::purposes;
use super::{announce, complete, event, find, lock_member, Completion, Confirmation, PaymentState};
use crate::audit::{self, Actor, Entry};
use crate::points::restore_spend;
use crate::{coupons, stored_value, Db, Result, Timestamp};
use plaza_types::{Fen, MemberId, TenantId};

/// Closes the payment if it is still open; returns whether this call closed it.
pub async fn close(db: &Db, payment_no: &str, reason: &str, now: Timestamp) -> Result<bool> {
    let purposes = purposes()?;
    let mut tx = db.begin_write().await?;
    let Some(p) = find(&mut **tx, payment_no).await? else { return Ok(false) };
    let closed = sqlx::query(
        "UPDATE payments SET state = 'closed', closed_at = $1 WHERE id = $2 AND state IN ('created', 'paying')",
    )
    .bind(now.millis())
    .bind(p.id)
    .execute(&mut **tx)
    .await?;
    if closed.rows_affected() != 1 {
        return Ok(false);
    }
    let member = MemberId(p.member_id);
    lock_member(&mut tx, member, now).await?;
    if let Some(coupon) = p.coupon_id {
        coupons::release(&mut tx, coupon, payment_no, now).await?;
    }
    if p.points_used > 0 {
        restore_spend(&mut tx, member, p.tenant_id.map(TenantId), "payment", payment_no, p.points_used, now).await?;
    }
    if p.sv_fen > 0 {
        let reference = format!("release:{payment_no}");
        stored_value::credit(
            &mut tx,
            member,
            Fen(p.sv_fen),
            "refund",
            &reference,
            "payment closed",
            &Actor::System,
            now,
        )
        .await?;
    }
    purposes.closed(&mut tx, &p, now).await?;
    event(&mut tx, p.id, "closed", reason, now).await?;
    announce(&mut tx, &p, PaymentState::Closed, Fen::ZERO, now).await?;
    let entry = Entry::new(&Actor::System, "payment.close")
        .member(member)
        .subject(format!("payment:{payment_no}"))
        .details(reason);
    audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// The timeout job: every open payment past its deadline is checked with the provider first —
/// paid means complete it; otherwise the provider closes its order and we close ours.
pub async fn expire_due(db: &Db, provider: &dyn PaymentProvider, now: Timestamp) -> Result<(usize, usize)> {
    let due: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT payment_no, provider FROM payments WHERE state IN ('created', 'paying') AND expires_at <= $1 ORDER BY expires_at LIMIT 500",
    )
    .bind(now.millis())
    .fetch_all(db.pool())
    .await?;
    let (mut completed, mut closed) = (0, 0);
    for (payment_no, via) in due {
        if via.as_deref() == Some(provider.name()) {
            let status = match provider.query(db, &payment_no).await? {
                ProviderStatus::Open => provider.close(db, &payment_no, now).await?,
                other => other,
            };
            if let ProviderStatus::Paid { transaction_id, amount, paid_at } = status {
                let confirmation = Confirmation { provider: via.clone(), transaction_id, amount, paid_at };
                if matches!(complete(db, &payment_no, &confirmation, now).await?, Completion::Completed { .. }) {
                    completed += 1;
                }
                continue;
            }
        }
        if close(db, &payment_no, "timeout", now).await? {
            closed += 1;
        }
    }
    Ok((completed, closed))
}
