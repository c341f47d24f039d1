//! Cancelling a paid order refunds it in full through the payment engine: the tenders go back in
//! the opposite order, the points earned are reversed, the sale line is reversed. Before the
//! kitchen starts preparing, the shopper or the restaurant's staff may cancel; once it is being
//! prepared only the restaurant's owner may, with a reason.
//!
//! The order is first marked `cancelling` (so the kitchen drops it and no second cancellation or
//! kitchen tap moves it), then refunded; the refund's own transaction makes it `cancelled`. A
//! refund the provider refuses puts the order back where it was.

use super::{announce, step, transition};
use crate::audit::Actor;
use crate::payments::{self, PaymentProvider, RefundDone, RefundRequest};
use crate::{Db, Result, Timestamp};
use plaza_types::dto::DiningState;
use plaza_types::error::Field;
use plaza_types::{AppError, Fen, MemberId, StaffId, TenantId};

/// Who cancels.
#[derive(Clone, Copy, Debug)]
pub enum Canceller {
    /// The shopper who ordered.
    Member(MemberId),
    /// The restaurant's staff; `owner` may cancel after preparing started.
    Staff { tenant: TenantId, staff: StaffId, owner: bool },
}

impl Canceller {
    fn actor(&self) -> Actor {
        match self {
            Canceller::Member(m) => Actor::Member(*m),
            Canceller::Staff { staff, .. } => Actor::Staff(*staff),
        }
    }
}

/// The states `who` may cancel from.
fn allowed(who: &Canceller, state: DiningState) -> bool {
    match (who, state) {
        (_, s) if s.before_preparing() => true,
        (Canceller::Staff { owner: true, .. }, DiningState::Preparing | DiningState::Ready | DiningState::Done) => true,
        // A cancellation whose refund failed may be tried again by the restaurant.
        (Canceller::Staff { .. }, DiningState::Cancelling) => true,
        _ => false,
    }
}

/// Cancels order `order_no` and refunds it in full. `reason` is required (two characters or
/// more) once preparing started; otherwise a plain one is written for the shopper's history.
pub async fn cancel(
    db: &Db,
    provider: &dyn PaymentProvider,
    order_no: &str,
    who: Canceller,
    reason: &str,
    now: Timestamp,
) -> Result<RefundDone> {
    let reason = super::clean_text(reason, 100, Field::Reason)?;
    let row: Option<(i64, i64, i64, String, i64, i64)> = sqlx::query_as(
        "SELECT o.id, o.tenant_id, o.member_id, o.state, p.id, p.amount_fen FROM dining_orders o \
         JOIN payments p ON p.id = o.payment_id WHERE o.payment_no = $1",
    )
    .bind(order_no)
    .fetch_optional(db.pool())
    .await?;
    let (order, tenant, member, state, payment, amount) = row.ok_or(AppError::NotFound)?;
    let ours = match who {
        Canceller::Member(m) => m.0 == member,
        Canceller::Staff { tenant: t, .. } => t.0 == tenant,
    };
    if !ours {
        return Err(AppError::NotFound.into());
    }
    let state = DiningState::parse(&state).ok_or_else(|| crate::Error::internal("order state"))?;
    if !allowed(&who, state) {
        return Err(AppError::NotUsable.into());
    }
    let reason = match (state.before_preparing() || state == DiningState::Cancelling, reason.chars().count()) {
        (true, 0) => match who {
            Canceller::Member(_) => "顾客取消".to_string(),
            Canceller::Staff { .. } => "商家取消".to_string(),
        },
        (_, n) if n < 2 => return Err(AppError::invalid(Field::Reason).into()),
        _ => reason,
    };
    let actor = who.actor();
    if state != DiningState::Cancelling {
        let mut tx = db.begin_write().await?;
        let marked = sqlx::query(
            "UPDATE dining_orders SET state = 'cancelling', state_before = state, cancel_reason = $1, version = version + 1, \
             updated_at = $2 WHERE id = $3 AND state = $4",
        )
        .bind(&reason)
        .bind(now.millis())
        .bind(order)
        .bind(state.as_str())
        .execute(&mut **tx)
        .await?;
        if marked.rows_affected() != 1 {
            // The kitchen moved it meanwhile: ask again with what it is now.
            return Err(AppError::NotUsable.into());
        }
        step(&mut tx, order, DiningState::Cancelling, &actor.label(), &reason, now).await?;
        announce(&mut tx, order, now).await?;
        tx.commit().await?;
    }
    // One number per attempt: a refund the provider refused keeps its number (as failed).
    let (attempts,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM refunds WHERE payment_id = $1").bind(payment).fetch_one(db.pool()).await?;
    let refund_no = format!("D{order}C{}", attempts + 1);
    let request = RefundRequest { payment_no: order_no, refund_no: &refund_no, amount: Fen(amount), reason: &reason };
    match payments::refund(db, provider, request, &actor, now).await {
        Ok(done) => Ok(done),
        Err(error) => {
            // Nothing went back (no refund claimed the amount, not even one still under way from
            // another attempt): the order returns to where it was, and may be cancelled again.
            let mut tx = db.begin_write().await?;
            let (before, refunded): (Option<String>, i64) = sqlx::query_as(
                "SELECT o.state_before, p.refunded_fen FROM dining_orders o JOIN payments p ON p.id = o.payment_id WHERE o.id = $1",
            )
            .bind(order)
            .fetch_one(&mut **tx)
            .await?;
            if let Some(before) = before.as_deref().and_then(DiningState::parse).filter(|_| refunded == 0) {
                transition(&mut tx, order, &[DiningState::Cancelling], before, "system", "refund failed", now).await?;
            }
            tx.commit().await?;
            Err(error)
        }
    }
}
