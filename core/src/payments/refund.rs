//! Refunds, full or partial, by the tenant or an operator. Tenders come back in the opposite
//! order of payment: the provider's share first, then stored value, then points; the coupon is
//! returned when the whole payment is refunded (if it is still valid). The purpose reverses what
//! it granted (a plate's sale line and the points it earned, in proportion).
//!
//! The provider's share goes first, outside any transaction. When the provider answers that its
//! refund is still `PROCESSING` (or `ABNORMAL`), the amount stays claimed and nothing internal
//! moves yet: stored value, points, coupon and the purpose's reversal happen once, in [`finish`],
//! when the provider says `SUCCESS` (its notification or the refunds job's query); `CLOSED` undoes
//! the claim ([`fail`]). Decision 0016 says why this way round.

use super::provider::{PaymentProvider, RefundProgress};
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
    /// The provider has not finished its refund: the rest follows when it has.
    pub waiting: bool,
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
    let (ext_done, sv_done, points_fen_done): (i64, i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(external_fen), 0) AS BIGINT), CAST(COALESCE(SUM(sv_fen), 0) AS BIGINT), \
         CAST(COALESCE(SUM(points_fen), 0) AS BIGINT) \
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
    // Whatever is left is coupon value: no money comes back for it (see `finish`).
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
    let planned = RefundDone {
        refund_no: refund_no.to_string(),
        external: Fen(external),
        stored_value: Fen(sv),
        points_returned,
        points_reversed: 0,
        coupon_returned: false,
        waiting: true,
    };
    if external > 0 {
        let answer = match provider.refund(db, payment_no, refund_no, Fen(external), now).await {
            Ok(answer) => answer,
            Err(error) => {
                fail(db, refund_no, "refused", now).await?;
                return Err(error);
            }
        };
        let mut tx = db.begin_write().await?;
        sqlx::query("UPDATE refunds SET provider_refund = $1, provider_state = $2, checked_at = $3 WHERE id = $4")
            .bind(&answer.id)
            .bind(answer.progress.as_str())
            .bind(now.millis())
            .bind(refund_id)
            .execute(&mut **tx)
            .await?;
        if answer.progress != RefundProgress::Succeeded {
            event(&mut tx, p.id, "refund_waiting", &format!("{refund_no} {}", answer.progress.as_str()), now).await?;
            tx.commit().await?;
            return Ok(planned);
        }
        tx.commit().await?;
    }

    // 3. Everything internal, with the ledger entries, in one transaction.
    Ok(finish(db, refund_no, actor, now).await?.unwrap_or(planned))
}

/// The provider's refund is certain: stored value, points and the coupon come back, the purpose
/// reverses what it granted, the payment's state moves — once. `None` when the refund is not
/// waiting (already finished or failed).
pub async fn finish(db: &Db, refund_no: &str, actor: &Actor, now: Timestamp) -> Result<Option<RefundDone>> {
    let purposes = purposes()?;
    type Row = (i64, i64, i64, i64, i64, i64, i64, String);
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, payment_id, amount_fen, external_fen, sv_fen, points_fen, points_returned, reason FROM refunds \
         WHERE refund_no = $1 AND state = 'pending'",
    )
    .bind(refund_no)
    .fetch_optional(db.pool())
    .await?;
    let Some((refund_id, payment_id, amount, external, sv, points_fen, points_returned, reason)) = row else {
        return Ok(None);
    };
    let (payment_no,): (String,) =
        sqlx::query_as("SELECT payment_no FROM payments WHERE id = $1").bind(payment_id).fetch_one(db.pool()).await?;
    let p = find(db.pool(), &payment_no).await?.ok_or(AppError::NotFound)?;
    let member = MemberId(p.member_id);
    let tenant = p.tenant_id.map(TenantId);
    let mut tx = db.begin_write().await?;
    lock_member(&mut tx, member, now).await?;
    // The claim on this refund row makes a notification and the job racing here finish it once.
    let claimed =
        sqlx::query("UPDATE refunds SET state = 'succeeded', completed_at = $1 WHERE id = $2 AND state = 'pending'")
            .bind(now.millis())
            .bind(refund_id)
            .execute(&mut **tx)
            .await?;
    if claimed.rows_affected() != 1 {
        return Ok(None);
    }
    // What is certainly refunded, this refund included; one still waiting does not count.
    let (settled,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM refunds WHERE payment_id = $1 AND state = 'succeeded'",
    )
    .bind(p.id)
    .fetch_one(&mut **tx)
    .await?;
    let full = settled == p.amount_fen;
    if sv > 0 {
        stored_value::credit(&mut tx, member, Fen(sv), "refund", refund_no, &reason, actor, now).await?;
    }
    if points_returned > 0 {
        restore_spend(&mut tx, member, tenant, "payment", &payment_no, points_returned, now).await?;
    }
    let coupon_returned =
        match (full, p.coupon_id) {
            (true, Some(coupon)) => sqlx::query(
                "UPDATE coupons SET state = 'available', reserved_by = NULL, redeemed_at = NULL, redeemed_ref = NULL \
                 WHERE id = $1 AND state = 'redeemed' AND redeemed_ref = $2 AND valid_until > $3",
            )
            .bind(coupon)
            .bind(&payment_no)
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
        amount: Fen(amount),
        money: Fen(external + sv),
        reason: reason.clone(),
    };
    let points_reversed = purposes.reverse(&mut tx, &p, &line, now).await?.points_reversed;
    sqlx::query("UPDATE refunds SET coupon_returned = $1, points_reversed = $2 WHERE id = $3")
        .bind(i64::from(coupon_returned))
        .bind(points_reversed)
        .bind(refund_id)
        .execute(&mut **tx)
        .await?;
    let state = if full { PaymentState::Refunded } else { PaymentState::PartiallyRefunded };
    sqlx::query("UPDATE payments SET state = $1 WHERE id = $2")
        .bind(state.as_str())
        .bind(p.id)
        .execute(&mut **tx)
        .await?;
    event(&mut tx, p.id, "refunded", &format!("{refund_no} {amount}"), now).await?;
    let left = amount - external - sv - points_fen;
    let entry = Entry::new(actor, "payment.refund")
        .member(member)
        .tenant(tenant)
        .subject(format!("payment:{payment_no}"))
        .amount(-amount)
        .details(format!("refund={refund_no} external={external} sv={sv} points={points_returned} coupon_value={left}"))
        .reason(&reason);
    audit::append(&mut tx, entry, now).await?;
    announce(&mut tx, &p, state, Fen(settled), now).await?;
    tx.commit().await?;
    Ok(Some(RefundDone {
        refund_no: refund_no.to_string(),
        external: Fen(external),
        stored_value: Fen(sv),
        points_returned,
        points_reversed,
        coupon_returned,
        waiting: false,
    }))
}

/// The provider did not make the refund (refused at once, or `CLOSED` later): the claimed amount
/// is released and nothing else moves. Returns whether this call failed a waiting refund.
pub async fn fail(db: &Db, refund_no: &str, why: &str, now: Timestamp) -> Result<bool> {
    let mut tx = db.begin_write().await?;
    let row: Option<(i64, i64)> = sqlx::query_as(
        "UPDATE refunds SET state = 'failed', completed_at = $1 WHERE refund_no = $2 AND state = 'pending' \
         RETURNING payment_id, amount_fen",
    )
    .bind(now.millis())
    .bind(refund_no)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((payment_id, amount)) = row else { return Ok(false) };
    sqlx::query("UPDATE payments SET refunded_fen = refunded_fen - $1 WHERE id = $2")
        .bind(amount)
        .bind(payment_id)
        .execute(&mut **tx)
        .await?;
    event(&mut tx, payment_id, "refund_failed", &format!("{refund_no} {why}"), now).await?;
    tx.commit().await?;
    Ok(true)
}

async fn existing(db: &Db, refund_no: &str) -> Result<Option<RefundDone>> {
    let row: Option<(i64, i64, i64, i64, i64, String)> = sqlx::query_as(
        "SELECT external_fen, sv_fen, points_returned, points_reversed, coupon_returned, state FROM refunds \
         WHERE refund_no = $1 AND state IN ('succeeded', 'pending') AND (state = 'succeeded' OR provider_state IS NOT NULL)",
    )
    .bind(refund_no)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(external, sv, points_returned, points_reversed, coupon, state)| RefundDone {
        refund_no: refund_no.to_string(),
        external: Fen(external),
        stored_value: Fen(sv),
        points_returned,
        points_reversed,
        coupon_returned: coupon == 1,
        waiting: state == "pending",
    }))
}
