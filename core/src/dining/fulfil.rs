//! What the payment engine's moments mean for a food order (called through `crate::purposes`,
//! inside the engine's transaction):
//!
//! - paid: the order is paid, gets the restaurant's next pickup number of the mall day (call
//!   number), its ticket goes to the kitchen (the outbox event), the restaurant's sale line is
//!   written and the points are earned — all at most once, as completion is;
//! - a refund: only a cancellation ([`super::cancel`]) may refund an order, in full; the sale
//!   line and the points are reversed and the order is cancelled;
//! - closed unpaid: the order is released (it never reached a kitchen, and blocks nothing) and
//!   its dishes go back into the shopper's cart.

use super::{announce, step, transition, POINTS_SOURCE};
use crate::payments::{sale, Fulfilled, Payment, RefundLine, Reversed};
use crate::{mall, Result, Timestamp, WriteTx};
use plaza_types::dto::{DiningState, Fulfilment};
use plaza_types::{AppError, Fen, TenantId};

async fn order_of(tx: &mut WriteTx, p: &Payment) -> Result<(i64, DiningState, Fulfilment)> {
    let row: Option<(i64, String, String)> =
        sqlx::query_as("SELECT id, state, fulfilment FROM dining_orders WHERE payment_id = $1")
            .bind(p.id)
            .fetch_optional(&mut ***tx)
            .await?;
    let (id, state, fulfilment) =
        row.ok_or_else(|| crate::Error::internal(format!("payment {} has no dining order", p.payment_no)))?;
    let state = DiningState::parse(&state).ok_or_else(|| crate::Error::internal(format!("order state {state}")))?;
    let fulfilment = Fulfilment::parse(&fulfilment).ok_or_else(|| crate::Error::internal("order fulfilment"))?;
    Ok((id, state, fulfilment))
}

/// The next pickup number of `date` at `tenant`: taken in the completing transaction (a row lock
/// on PostgreSQL, the one writer on SQLite), so numbers are unique and, as a rolled-back
/// completion gives its number back, without gaps.
async fn next_pickup_no(tx: &mut WriteTx, tenant: TenantId, date: &str) -> Result<i64> {
    let (no,): (i64,) = sqlx::query_as(
        "INSERT INTO dining_pickup_numbers (tenant_id, service_date, last_no) VALUES ($1, $2, 1) \
         ON CONFLICT (tenant_id, service_date) DO UPDATE SET last_no = dining_pickup_numbers.last_no + 1 RETURNING last_no",
    )
    .bind(tenant.0)
    .bind(date)
    .fetch_one(&mut ***tx)
    .await?;
    Ok(no)
}

pub async fn fulfil(tx: &mut WriteTx, p: &Payment, now: Timestamp) -> Result<Fulfilled> {
    let tenant = p.require_tenant()?;
    let (order, state, fulfilment) = order_of(tx, p).await?;
    if state != DiningState::Pending {
        return Err(crate::Error::internal(format!("order {order} paid in state {}", state.as_str())));
    }
    let tz = mall::timezone_in(tx).await?;
    let date = tz.date(now);
    let pickup_no = match fulfilment {
        Fulfilment::CallNumber => Some(next_pickup_no(tx, tenant, &date).await?),
        Fulfilment::TableDelivery => None,
    };
    sqlx::query(
        "UPDATE dining_orders SET state = 'paid', paid_at = $1, pickup_no = $2, service_date = $3, version = version + 1, \
         updated_at = $1 WHERE id = $4",
    )
    .bind(now.millis())
    .bind(pickup_no)
    .bind(&date)
    .bind(order)
    .execute(&mut ***tx)
    .await?;
    step(tx, order, DiningState::Paid, "system", p.payment_no.as_str(), now).await?;
    sale::record(tx, p, tenant, Fen(p.amount_fen), None, now).await?;
    let points = sale::earn_points(tx, p, tenant, POINTS_SOURCE, now).await?;
    announce(tx, order, now).await?;
    Ok(Fulfilled { points })
}

/// Refunds of a food order come only from its cancellation, and only in full.
pub async fn may_refund(tx: &mut WriteTx, p: &Payment, amount: Fen) -> Result<()> {
    let (_, state, _) = order_of(tx, p).await?;
    if state != DiningState::Cancelling || amount.0 != p.amount_fen {
        return Err(AppError::NotUsable.into());
    }
    Ok(())
}

pub async fn reverse(tx: &mut WriteTx, p: &Payment, refund: &RefundLine, now: Timestamp) -> Result<Reversed> {
    let tenant = p.require_tenant()?;
    let (order, _, _) = order_of(tx, p).await?;
    sale::record(tx, p, tenant, refund.amount, Some(refund.refund_id), now).await?;
    let points_reversed = sale::reverse_points(tx, p, POINTS_SOURCE, &refund.refund_no, refund.money, now).await?;
    if !transition(tx, order, &[DiningState::Cancelling], DiningState::Cancelled, "system", &refund.refund_no, now)
        .await?
    {
        return Err(crate::Error::internal(format!("order {order} refunded outside a cancellation")));
    }
    Ok(Reversed { points_reversed })
}

/// The payment was closed unpaid: the order is released and its dishes return to the cart.
pub async fn closed(tx: &mut WriteTx, p: &Payment, now: Timestamp) -> Result<()> {
    let (order, state, _) = order_of(tx, p).await?;
    if state != DiningState::Pending {
        return Ok(());
    }
    let moved = sqlx::query(
        "UPDATE dining_orders SET state = 'released', version = version + 1, updated_at = $1 WHERE id = $2 AND state = 'pending'",
    )
    .bind(now.millis())
    .bind(order)
    .execute(&mut ***tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Ok(());
    }
    step(tx, order, DiningState::Released, "system", "", now).await?;
    restore_cart(tx, order, now).await?;
    announce(tx, order, now).await?;
    Ok(())
}

/// Puts a released order's dishes back into its shopper's cart (merged with what is there).
async fn restore_cart(tx: &mut WriteTx, order: i64, now: Timestamp) -> Result<()> {
    let (member, tenant, table, remark): (i64, i64, Option<i64>, String) =
        sqlx::query_as("SELECT member_id, tenant_id, table_id, remark FROM dining_orders WHERE id = $1")
            .bind(order)
            .fetch_one(&mut ***tx)
            .await?;
    let (cart,): (i64,) = sqlx::query_as(
        "INSERT INTO dining_carts (member_id, tenant_id, table_id, remark, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (member_id, tenant_id) DO UPDATE SET updated_at = excluded.updated_at, \
         remark = CASE WHEN dining_carts.remark = '' THEN excluded.remark ELSE dining_carts.remark END RETURNING id",
    )
    .bind(member)
    .bind(tenant)
    .bind(table)
    .bind(&remark)
    .bind(now.millis())
    .fetch_one(&mut ***tx)
    .await?;
    let items: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT dish_id, option_ids, remark, quantity FROM dining_order_items WHERE order_id = $1 ORDER BY id",
    )
    .bind(order)
    .fetch_all(&mut ***tx)
    .await?;
    for (dish, options, remark, quantity) in items {
        sqlx::query(
            "INSERT INTO dining_cart_lines (cart_id, dish_id, option_ids, remark, quantity, added_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (cart_id, dish_id, option_ids, remark) DO UPDATE SET quantity = CASE \
             WHEN dining_cart_lines.quantity + excluded.quantity > $7 THEN $7 ELSE dining_cart_lines.quantity + excluded.quantity END",
        )
        .bind(cart)
        .bind(dish)
        .bind(&options)
        .bind(&remark)
        .bind(quantity)
        .bind(now.millis())
        .bind(super::pricing::MAX_QUANTITY)
        .execute(&mut ***tx)
        .await?;
    }
    Ok(())
}
