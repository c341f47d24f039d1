//! The shop's order console: accept a paid order (a pickup order becomes ready with its code, a
//! delivery order waits to be sent), hand a pickup order over against the shopper's code, send a
//! delivery with carrier and tracking number, mark it delivered, and refund lines (after-sales:
//! the goods returned to stock or not). Every function takes the shop and finds orders only
//! among its own; another shop's order or code is not found.

use super::shopper::{announce_refund, complete, refund_failed};
use super::{clean_text, parse_state, transition};
use crate::audit::Actor;
use crate::payments::{self, PaymentProvider, RefundRequest};
use crate::rate_limit::{self, limit, Limit};
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{MallFulfilment, MallOrderState};
use plaza_types::error::Field;
use plaza_types::{AppError, Fen, StaffId, TenantId};

/// Typed pickup codes per shop: enough for a busy counter, far too few to guess 8 digits.
pub const PICKUP_TRIES: [Limit; 2] = [limit(30, 60), limit(200, 3_600)];

/// (id, state, fulfilment, total, refunded) of one of the shop's paid orders.
async fn own(db: &Db, tenant: TenantId, order_no: &str) -> Result<(i64, MallOrderState, MallFulfilment, i64, i64)> {
    let row: Option<(i64, String, String, i64, i64)> = sqlx::query_as(
        "SELECT id, state, fulfilment, total_fen, refunded_fen FROM mall_orders \
         WHERE order_no = $1 AND tenant_id = $2 AND paid_at IS NOT NULL",
    )
    .bind(order_no)
    .bind(tenant.0)
    .fetch_optional(db.pool())
    .await?;
    let (id, state, fulfilment, total, refunded) = row.ok_or(AppError::NotFound)?;
    let fulfilment = MallFulfilment::parse(&fulfilment).ok_or_else(|| crate::Error::internal("order fulfilment"))?;
    Ok((id, parse_state(&state)?, fulfilment, total, refunded))
}

fn staff(by: StaffId) -> String {
    format!("staff:{}", by.0)
}

/// Accepts a paid order: pickup → ready (the shopper's page shows the code), delivery → accepted.
pub async fn accept(db: &Db, tenant: TenantId, by: StaffId, order_no: &str, now: Timestamp) -> Result<MallOrderState> {
    let (order, _, fulfilment, _, _) = own(db, tenant, order_no).await?;
    let to = match fulfilment {
        MallFulfilment::Pickup => MallOrderState::Ready,
        MallFulfilment::Delivery => MallOrderState::Accepted,
    };
    let mut tx = db.begin_write().await?;
    if !transition(&mut tx, order, &[MallOrderState::Paid], to, &staff(by), "", now).await? {
        return Err(AppError::NotUsable.into());
    }
    tx.commit().await?;
    Ok(to)
}

/// Hands a pickup order over against the code the shopper shows: the order completes. A code of
/// another shop, or none, is not found; a code already used is refused; tries are rate-limited
/// per shop (counted whether right or wrong).
pub async fn hand_over(db: &Db, tenant: TenantId, by: StaffId, code: &str, now: Timestamp) -> Result<String> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let mut tx = db.begin_write().await?;
    rate_limit::hit(&mut tx, &format!("mall_pickup:{}", tenant.0), &PICKUP_TRIES, now).await?;
    tx.commit().await?;
    if code.len() != 8 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::NotFound.into());
    }
    let row: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT id, order_no, state FROM mall_orders WHERE tenant_id = $1 AND pickup_code = $2 AND fulfilment = 'pickup'",
    )
    .bind(tenant.0)
    .bind(&code)
    .fetch_optional(db.pool())
    .await?;
    let (order, order_no, state) = row.ok_or(AppError::NotFound)?;
    if parse_state(&state)? != MallOrderState::Ready && parse_state(&state)? != MallOrderState::Paid {
        return Err(AppError::NotUsable.into());
    }
    let mut tx = db.begin_write().await?;
    if !complete(&mut tx, order, &[MallOrderState::Ready, MallOrderState::Paid], &staff(by), now).await? {
        return Err(AppError::NotUsable.into());
    }
    tx.commit().await?;
    Ok(order_no)
}

/// Sends an accepted (or paid) delivery order with its carrier and tracking number.
pub async fn dispatch(
    db: &Db,
    tenant: TenantId,
    by: StaffId,
    order_no: &str,
    carrier: &str,
    tracking_no: &str,
    now: Timestamp,
) -> Result<()> {
    let carrier = clean_text(carrier, 30, true, Field::Name)?;
    let tracking: String = tracking_no.trim().to_string();
    if !(4..=40).contains(&tracking.len()) || !tracking.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(AppError::invalid(Field::ReceiptNo).into());
    }
    let (order, _, fulfilment, _, _) = own(db, tenant, order_no).await?;
    if fulfilment != MallFulfilment::Delivery {
        return Err(AppError::NotUsable.into());
    }
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE mall_orders SET carrier = $1, tracking_no = $2 WHERE id = $3 AND state IN ('paid', 'accepted')",
    )
    .bind(&carrier)
    .bind(&tracking)
    .bind(order)
    .execute(&mut **tx)
    .await?;
    let note = format!("{carrier} {tracking}");
    if !transition(
        &mut tx,
        order,
        &[MallOrderState::Paid, MallOrderState::Accepted],
        MallOrderState::Shipped,
        &staff(by),
        &note,
        now,
    )
    .await?
    {
        return Err(AppError::NotUsable.into());
    }
    tx.commit().await?;
    Ok(())
}

/// Marks a sent order delivered (it completes by itself [`super::shopper::AUTO_COMPLETE_DAYS`] later).
pub async fn mark_delivered(db: &Db, tenant: TenantId, by: StaffId, order_no: &str, now: Timestamp) -> Result<()> {
    let (order, _, _, _, _) = own(db, tenant, order_no).await?;
    let mut tx = db.begin_write().await?;
    if !transition(&mut tx, order, &[MallOrderState::Shipped], MallOrderState::Delivered, &staff(by), "", now).await? {
        return Err(AppError::NotUsable.into());
    }
    sqlx::query("UPDATE mall_orders SET delivered_at = $1 WHERE id = $2")
        .bind(now.millis())
        .bind(order)
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Refunds some of an order's lines (after-sales): each `(line id, quantity)` at the price paid,
/// through the payment engine (tenders reversed in order, the points the order earned reversed
/// in proportion); with `restock` the units go back on sale. Refused: a line not of this order,
/// more than is left to refund, an order not paid or already refunding, a reason under 2
/// characters.
#[allow(clippy::too_many_arguments)]
pub async fn refund_lines(
    db: &Db,
    provider: &dyn PaymentProvider,
    tenant: TenantId,
    by: StaffId,
    order_no: &str,
    lines: &[(i64, i64)],
    restock: bool,
    reason: &str,
    now: Timestamp,
) -> Result<Fen> {
    let reason = clean_text(reason, 100, true, Field::Reason)?;
    if reason.chars().count() < 2 {
        return Err(AppError::invalid(Field::Reason).into());
    }
    if lines.is_empty() || lines.iter().any(|(_, q)| *q <= 0) {
        return Err(AppError::invalid(Field::Quantity).into());
    }
    let (order, state, _, total, refunded) = own(db, tenant, order_no).await?;
    if matches!(state, MallOrderState::Cancelling | MallOrderState::Cancelled | MallOrderState::Expired) {
        return Err(AppError::NotUsable.into());
    }
    let mut tx = db.begin_write().await?;
    let (pending,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM mall_refunds WHERE order_id = $1 AND state = 'pending'")
            .bind(order)
            .fetch_one(&mut **tx)
            .await?;
    if pending > 0 {
        return Err(AppError::NotUsable.into());
    }
    let mut amount = 0;
    for (line, quantity) in lines {
        let row: Option<(i64, i64, i64)> = sqlx::query_as(
            "SELECT quantity, refunded_quantity, COALESCE(paid_fen, unit_price_fen * quantity) FROM shop_order_lines \
             WHERE id = $1 AND order_id = $2",
        )
        .bind(line)
        .bind(order)
        .fetch_optional(&mut **tx)
        .await?;
        let (bought, done, paid) = row.ok_or(AppError::NotFound)?;
        if *quantity > bought - done || lines.iter().filter(|(l, _)| l == line).count() > 1 {
            return Err(AppError::invalid(Field::Quantity).into());
        }
        // Their share of what was paid for the line (after its promotions).
        amount += plaza_types::pricing::refund_for_units(Fen(paid), bought, done, *quantity).0;
    }
    if amount <= 0 || amount > total - refunded {
        return Err(AppError::invalid(Field::Amount).into());
    }
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mall_refunds WHERE order_id = $1")
        .bind(order)
        .fetch_one(&mut **tx)
        .await?;
    let refund_no = format!("R{order_no}-{}", count + 1);
    let id = announce_refund(&mut tx, &refund_no, order, "lines", amount, restock, &reason, &staff(by), now).await?;
    for (line, quantity) in lines {
        sqlx::query("INSERT INTO mall_refund_lines (refund_id, line_id, quantity) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(line)
            .bind(quantity)
            .execute(&mut **tx)
            .await?;
    }
    tx.commit().await?;
    let (payment_no,): (String,) =
        sqlx::query_as("SELECT payment_no FROM mall_orders WHERE id = $1").bind(order).fetch_one(db.pool()).await?;
    let request =
        RefundRequest { payment_no: &payment_no, refund_no: &refund_no, amount: Fen(amount), reason: &reason };
    match payments::refund(db, provider, request, &Actor::Staff(by), now).await {
        Ok(_) => Ok(Fen(amount)),
        Err(error) => {
            let mut tx = db.begin_write().await?;
            refund_failed(&mut tx, &refund_no, now).await?;
            tx.commit().await?;
            Err(error)
        }
    }
}
