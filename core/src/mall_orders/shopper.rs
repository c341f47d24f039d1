//! What the shopper does to an order after checkout: cancel it before the shop accepts it (an
//! unpaid one closes its payment; a paid one is refunded in full through the engine, its units
//! back in stock), and confirm receipt of a delivery. Completing an order — by the shopper's
//! confirmation, the shop's pickup hand-over, or [`complete_due`] N days after delivery — marks
//! its lines reviewable and earns its points, once.

use super::{clean_text, transition, POINTS_SOURCE};
use crate::audit::Actor;
use crate::payments::{self, PaymentProvider, RefundRequest};
use crate::points::{self, Award};
use crate::{Db, Result, Timestamp, WriteTx};
use plaza_types::dto::MallOrderState;
use plaza_types::error::Field;
use plaza_types::{AppError, Fen, MemberId, TenantId};

/// Days after delivery when an order the shopper did not confirm completes by itself.
pub const AUTO_COMPLETE_DAYS: i64 = 7;

/// (id, payment_no, state, total, refunded) of one of the member's own orders.
async fn own(db: &Db, member: MemberId, order_no: &str) -> Result<(i64, String, MallOrderState, i64, i64)> {
    let row: Option<(i64, String, String, i64, i64)> = sqlx::query_as(
        "SELECT id, payment_no, state, total_fen, refunded_fen FROM mall_orders WHERE order_no = $1 AND member_id = $2",
    )
    .bind(order_no)
    .bind(member.0)
    .fetch_optional(db.pool())
    .await?;
    let (id, payment_no, state, total, refunded) = row.ok_or(AppError::NotFound)?;
    Ok((id, payment_no, super::parse_state(&state)?, total, refunded))
}

/// Cancels the member's order before the shop accepted it. Unpaid: the whole checkout's payment
/// closes (every order of it is released). Paid: refunded in full; if the provider refuses, the
/// order stays paid and the error is returned.
pub async fn cancel(
    db: &Db,
    provider: &dyn PaymentProvider,
    member: MemberId,
    order_no: &str,
    reason: &str,
    now: Timestamp,
) -> Result<()> {
    let reason = clean_text(reason, 100, false, Field::Reason)?;
    let reason = if reason.chars().count() < 2 { "买家取消".to_string() } else { reason };
    let (order, payment_no, state, total, refunded) = own(db, member, order_no).await?;
    match state {
        MallOrderState::Pending => return payments::views::cancel(db, provider, member, &payment_no, now).await,
        MallOrderState::Paid => {}
        _ => return Err(AppError::NotUsable.into()),
    }
    let refund_no = format!("R{order_no}");
    let amount = total - refunded;
    let mut tx = db.begin_write().await?;
    let actor = format!("member:{}", member.0);
    if !transition(&mut tx, order, &[MallOrderState::Paid], MallOrderState::Cancelling, &actor, &reason, now).await? {
        return Err(AppError::NotUsable.into());
    }
    announce_refund(&mut tx, &refund_no, order, "cancel", amount, true, &reason, &actor, now).await?;
    tx.commit().await?;
    let request =
        RefundRequest { payment_no: &payment_no, refund_no: &refund_no, amount: Fen(amount), reason: &reason };
    match payments::refund(db, provider, request, &Actor::Member(member), now).await {
        Ok(_) => Ok(()),
        Err(error) => {
            let mut tx = db.begin_write().await?;
            refund_failed(&mut tx, &refund_no, now).await?;
            transition(
                &mut tx,
                order,
                &[MallOrderState::Cancelling],
                MallOrderState::Paid,
                "system",
                "refund failed",
                now,
            )
            .await?;
            tx.commit().await?;
            Err(error)
        }
    }
}

/// Writes the refund row the purpose checks before the engine moves any money.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn announce_refund(
    tx: &mut WriteTx,
    refund_no: &str,
    order: i64,
    kind: &str,
    amount: i64,
    restock: bool,
    reason: &str,
    actor: &str,
    now: Timestamp,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO mall_refunds (refund_no, order_id, payment_id, kind, amount_fen, restock, reason, actor, state, created_at) \
         SELECT $1, id, payment_id, $2, $3, $4, $5, $6, 'pending', $7 FROM mall_orders WHERE id = $8 RETURNING id",
    )
    .bind(refund_no)
    .bind(kind)
    .bind(amount)
    .bind(i64::from(restock))
    .bind(reason)
    .bind(actor)
    .bind(now.millis())
    .bind(order)
    .fetch_one(&mut ***tx)
    .await?;
    Ok(id)
}

pub(crate) async fn refund_failed(tx: &mut WriteTx, refund_no: &str, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE mall_refunds SET state = 'failed', done_at = $1 WHERE refund_no = $2 AND state = 'pending'")
        .bind(now.millis())
        .bind(refund_no)
        .execute(&mut ***tx)
        .await?;
    Ok(())
}

/// The shopper confirms a delivery order arrived: it completes.
pub async fn confirm_receipt(db: &Db, member: MemberId, order_no: &str, now: Timestamp) -> Result<()> {
    let (order, _, state, _, _) = own(db, member, order_no).await?;
    if !matches!(state, MallOrderState::Shipped | MallOrderState::Delivered) {
        return Err(AppError::NotUsable.into());
    }
    let mut tx = db.begin_write().await?;
    let from = [MallOrderState::Shipped, MallOrderState::Delivered];
    if !complete(&mut tx, order, &from, &format!("member:{}", member.0), now).await? {
        return Err(AppError::NotUsable.into());
    }
    tx.commit().await?;
    Ok(())
}

/// Completes an order that is in one of `from`: its lines become reviewable and it earns its
/// points (on the money paid for it, net of refunds; once, keyed by the order number). False
/// when it was not in `from`.
pub(crate) async fn complete(
    tx: &mut WriteTx,
    order: i64,
    from: &[MallOrderState],
    actor: &str,
    now: Timestamp,
) -> Result<bool> {
    if !transition(tx, order, from, MallOrderState::Completed, actor, "", now).await? {
        return Ok(false);
    }
    sqlx::query("UPDATE mall_orders SET completed_at = $1 WHERE id = $2")
        .bind(now.millis())
        .bind(order)
        .execute(&mut ***tx)
        .await?;
    sqlx::query("UPDATE shop_order_lines SET completed_at = $1 WHERE order_id = $2 AND completed_at IS NULL")
        .bind(now.millis())
        .bind(order)
        .execute(&mut ***tx)
        .await?;
    let (order_no, member, tenant, total, coupon, points_fen, refunded): (String, i64, i64, i64, i64, i64, i64) =
        sqlx::query_as(
            "SELECT order_no, member_id, tenant_id, total_fen, coupon_fen, points_fen, refunded_fen FROM mall_orders WHERE id = $1",
        )
        .bind(order)
        .fetch_one(&mut ***tx)
        .await?;
    let money = (total - coupon - points_fen - refunded).max(0);
    if money > 0 {
        let award = Award {
            member: MemberId(member),
            tenant: Some(TenantId(tenant)),
            amount: Fen(money),
            source: POINTS_SOURCE,
            external_ref: order_no,
        };
        points::award_for_purchase(tx, &award, now).await?;
    }
    Ok(true)
}

/// The job: delivered orders not confirmed within [`AUTO_COMPLETE_DAYS`] complete by themselves.
pub async fn complete_due(db: &Db, now: Timestamp) -> Result<usize> {
    let due: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM mall_orders WHERE state = 'delivered' AND delivered_at <= $1 ORDER BY delivered_at LIMIT 500",
    )
    .bind(now.minus_secs(AUTO_COMPLETE_DAYS * 86_400).millis())
    .fetch_all(db.pool())
    .await?;
    let mut done = 0;
    for (order,) in due {
        let mut tx = db.begin_write().await?;
        if complete(&mut tx, order, &[MallOrderState::Delivered], "system", now).await? {
            done += 1;
        }
        tx.commit().await?;
    }
    Ok(done)
}
