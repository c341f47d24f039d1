//! Refunds, full or partial, by the tenant or an operator. Tenders come back in the opposite
//! order of payment: the provider's share first, then stored value, then points; the coupon is
//! returned when the whole payment is refunded (if it is still valid). The purpose reverses what
//! it granted (a plate's sale line and the points it earned, in proportion).

use super::provider::PaymentProvider;
use super::purpose::{purposes, RefundLine};
use super::{announce, event, find, lock_member, PaymentState};
use crate::audit::{self, Actor, Entry};
use crate::points::restore_spend;
use crate::{stored_value, Db, Result, Timestamp};
use plaza_types::error::Field;
use plaza_types::{AppError, Fen, MemberId, TenantId};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefundDone {
    pub refund_no: String,
    pub external: Fen,
    pub stored_value: Fen,
    pub points_returned: i64,
    pub points_reversed: i64,
    pub coupon_returned: bool,
}

/// What a tenant or operator asks to give back.
#[derive(Clone, Copy, Debug)]
pub struct RefundRequest<'a> {
    pub payment_no: &'a str,
    /// From the caller, one per refund request: a repeated request returns the first result.
    pub refund_no: &'a str,
    pub amount: Fen,
    pub reason: &'a str,
}

/// Refunds part or all of a paid payment.
pub async fn refund(
    db: &Db,
    provider: &dyn PaymentProvider,
    request: RefundRequest<'_>,
    actor: &Actor,
    now: Timestamp,
) -> Result<RefundDone> {
    let RefundRequest { payment_no, refund_no, amount, reason } = request;
    if reason.trim().chars().count() < 2 {
        return Err(AppError::invalid(Field::Reason).into());
    }
    if let Some(done) = existing(db, refund_no).await? {
        return Ok(done);
    }
    let purposes = purposes()?;
    let p = find(db.pool(), payment_no).await?.ok_or(AppError::NotFound)?;
    let member = MemberId(p.member_id);
    let tenant = p.tenant_id.map(TenantId);

    // 1. Claim the amount and decide the tenders, in one transaction: concurrent refunds of one
    //    payment are ordered by the payment row, so their shares never overlap.
    let mut tx = db.begin_write().await?;
    let claimed = sqlx::query(
        "UPDATE payments SET refunded_fen = refunded_fen + $1 WHERE id = $2 AND state IN ('paid', 'partially_refunded') \
         AND refunded_fen + $1 <= amount_fen",
    )
    .bind(amount.0)
    .bind(p.id)
    .execute(&mut **tx)
    .await?;
    if amount.0 <= 0 || claimed.rows_affected() != 1 {
        return Err(AppError::invalid(Field::Amount).into());
    }
    // The purpose may refuse what it cannot take back; the claim above then rolls back.
    purposes.may_refund(&mut tx, &p, amount, now).await?;
    let (ext_done, sv_done, points_fen_done, refunded_before): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(external_fen), 0) AS BIGINT), CAST(COALESCE(SUM(sv_fen), 0) AS BIGINT), \
         CAST(COALESCE(SUM(points_fen), 0) AS BIGINT), CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) \
         FROM refunds WHERE payment_id = $1 AND state <> 'failed'",
    )
    .bind(p.id)
    .fetch_one(&mut **tx)
    .await?;
    let mut left = amount.0;
    let external = left.min(p.external_fen - ext_done);
    left -= external;
    let sv = left.min(p.sv_fen - sv_done);
    left -= sv;
    let points_fen = left.min(p.points_fen - points_fen_done);
    left -= points_fen;
    // Whatever is left is coupon value: no money comes back for it.
    let full = refunded_before + amount.0 == p.amount_fen;
    let points_returned =
        if p.points_fen > 0 { (points_fen as i128 * p.points_used as i128 / p.points_fen as i128) as i64 } else { 0 };
    let (refund_id,): (i64,) = sqlx::query_as(
        "INSERT INTO refunds (refund_no, payment_id, amount_fen, external_fen, sv_fen, points_fen, points_returned, state, reason, \
         actor, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9, $10) \
         ON CONFLICT (refund_no) DO NOTHING RETURNING id",
    )
    .bind(refund_no)
    .bind(p.id)
    .bind(amount.0)
    .bind(external)
    .bind(sv)
    .bind(points_fen)
    .bind(points_returned)
    .bind(reason.trim())
    .bind(actor.label())
    .bind(now.millis())
    .fetch_optional(&mut **tx)
    .await?
    // The same refund number in flight or failed: refused, and the claim above rolls back.
    .ok_or(AppError::AlreadyExists)?;
    tx.commit().await?;

    // 2. The provider's share, outside any transaction. If the provider refuses, the claim is
    //    undone and nothing else moves.
    let provider_refund = if external > 0 {
        match provider.refund(db, payment_no, refund_no, Fen(external), now).await {
            Ok(id) => Some(id),
            Err(error) => {
                let mut tx = db.begin_write().await?;
                sqlx::query("UPDATE refunds SET state = 'failed', completed_at = $1 WHERE id = $2")
                    .bind(now.millis())
                    .bind(refund_id)
                    .execute(&mut **tx)
                    .await?;
                sqlx::query("UPDATE payments SET refunded_fen = refunded_fen - $1 WHERE id = $2")
                    .bind(amount.0)
                    .bind(p.id)
                    .execute(&mut **tx)
                    .await?;
                event(&mut tx, p.id, "refund_failed", refund_no, now).await?;
                tx.commit().await?;
                return Err(error);
            }
        }
    } else {
        None
    };

    // 3. Everything internal, with the ledger entries, in one transaction.
    let mut tx = db.begin_write().await?;
    lock_member(&mut tx, member, now).await?;
    if sv > 0 {
        stored_value::credit(&mut tx, member, Fen(sv), "refund", refund_no, reason, actor, now).await?;
    }
    if points_returned > 0 {
        restore_spend(&mut tx, member, tenant, "payment", payment_no, points_returned, now).await?;
    }
    let coupon_returned =
        match (full, p.coupon_id) {
            (true, Some(coupon)) => sqlx::query(
                "UPDATE coupons SET state = 'available', reserved_by = NULL, redeemed_at = NULL, redeemed_ref = NULL \
                 WHERE id = $1 AND state = 'redeemed' AND redeemed_ref = $2 AND valid_until > $3",
            )
            .bind(coupon)
            .bind(payment_no)
            .bind(now.millis())
            .execute(&mut **tx)
            .await?
            .rows_affected()
                == 1,
            _ => false,
        };
    // The award was on the money paid; the purpose reverses it in proportion to the money refunded.
    let line = RefundLine {
        refund_id,
        refund_no: refund_no.to_string(),
        amount,
        money: Fen(external + sv),
        reason: reason.trim().to_string(),
    };
    let points_reversed = purposes.reverse(&mut tx, &p, &line, now).await?.points_reversed;
    sqlx::query(
        "UPDATE refunds SET state = 'succeeded', coupon_returned = $1, points_reversed = $2, provider_refund = $3, completed_at = $4 \
         WHERE id = $5",
    )
    .bind(i64::from(coupon_returned))
    .bind(points_reversed)
    .bind(&provider_refund)
    .bind(now.millis())
    .bind(refund_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE payments SET state = CASE WHEN refunded_fen = amount_fen THEN 'refunded' ELSE 'partially_refunded' END WHERE id = $1",
    )
    .bind(p.id)
    .execute(&mut **tx)
    .await?;
    event(&mut tx, p.id, "refunded", &format!("{refund_no} {}", amount.0), now).await?;
    let entry = Entry::new(actor, "payment.refund")
        .member(member)
        .tenant(tenant)
        .subject(format!("payment:{payment_no}"))
        .amount(-amount.0)
        .details(format!("refund={refund_no} external={external} sv={sv} points={points_returned} coupon_value={left}"))
        .reason(reason.trim());
    audit::append(&mut tx, entry, now).await?;
    let state = if full { PaymentState::Refunded } else { PaymentState::PartiallyRefunded };
    announce(&mut tx, &p, state, Fen(refunded_before + amount.0), now).await?;
    tx.commit().await?;
    Ok(RefundDone {
        refund_no: refund_no.to_string(),
        external: Fen(external),
        stored_value: Fen(sv),
        points_returned,
        points_reversed,
        coupon_returned,
    })
}

async fn existing(db: &Db, refund_no: &str) -> Result<Option<RefundDone>> {
    let row: Option<(i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT external_fen, sv_fen, points_returned, points_reversed, coupon_returned FROM refunds \
         WHERE refund_no = $1 AND state = 'succeeded'",
    )
    .bind(refund_no)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(external, sv, points_returned, points_reversed, coupon)| RefundDone {
        refund_no: refund_no.to_string(),
        external: Fen(external),
        stored_value: Fen(sv),
        points_returned,
        points_reversed,
        coupon_returned: coupon == 1,
    }))
}
