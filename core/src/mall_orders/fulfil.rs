//! What the payment engine's moments mean for a checkout's mall orders (called through
//! `crate::purposes`, inside the engine's transaction):
//!
//! - paid: every order of the payment is paid; each shop gets its sale line (with its outbox
//!   event) and each pickup order its pickup code — at most once, as completion is;
//! - a refund: only a refund this module's callers announced first (a row in `mall_refunds`: a
//!   cancellation or lines the shop refunds) is allowed; it writes the shop's refund line, puts
//!   the units back when the goods came back, and reverses the points the order earned;
//! - closed unpaid: the orders are expired, their units go back to stock and their lines back
//!   into the cart.

use super::{announce, parse_state, step, transition, POINTS_SOURCE};
use crate::payments::{sale, Fulfilled, Payment, RefundLine, Reversed};
use crate::shop::stock;
use crate::{points, Result, Timestamp, WriteTx};
use plaza_types::dto::{MallFulfilment, MallOrderState, SkuId};
use plaza_types::{AppError, Fen, TenantId};
use rand::Rng;

/// (id, tenant, state, fulfilment, total) of each order the payment pays.
async fn orders_of(tx: &mut WriteTx, p: &Payment) -> Result<Vec<(i64, i64, MallOrderState, String, i64)>> {
    let rows: Vec<(i64, i64, String, String, i64)> = sqlx::query_as(
        "SELECT id, tenant_id, state, fulfilment, total_fen FROM mall_orders WHERE payment_id = $1 ORDER BY id",
    )
    .bind(p.id)
    .fetch_all(&mut ***tx)
    .await?;
    if rows.is_empty() {
        return Err(crate::Error::internal(format!("payment {} has no mall orders", p.payment_no)));
    }
    rows.into_iter().map(|(id, t, s, f, total)| Ok((id, t, parse_state(&s)?, f, total))).collect()
}

/// A fresh 8-digit pickup code, unique within the shop.
async fn pickup_code(tx: &mut WriteTx, tenant: i64) -> Result<String> {
    for _ in 0..20 {
        let code = format!("{:08}", rand::rngs::OsRng.gen_range(0..100_000_000u32));
        let taken: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM mall_orders WHERE tenant_id = $1 AND pickup_code = $2")
                .bind(tenant)
                .bind(&code)
                .fetch_optional(&mut ***tx)
                .await?;
        if taken.is_none() {
            return Ok(code);
        }
    }
    Err(crate::Error::internal("no free pickup code"))
}

pub async fn fulfil(tx: &mut WriteTx, p: &Payment, now: Timestamp) -> Result<Fulfilled> {
    for (order, tenant, state, fulfilment, total) in orders_of(tx, p).await? {
        if state != MallOrderState::Pending {
            return Err(crate::Error::internal(format!("mall order {order} paid in state {}", state.as_str())));
        }
        let code = match MallFulfilment::parse(&fulfilment) {
            Some(MallFulfilment::Pickup) => Some(pickup_code(tx, tenant).await?),
            _ => None,
        };
        sqlx::query(
            "UPDATE mall_orders SET state = 'paid', paid_at = $1, pickup_code = $2, version = version + 1, updated_at = $1 \
             WHERE id = $3",
        )
        .bind(now.millis())
        .bind(code)
        .bind(order)
        .execute(&mut ***tx)
        .await?;
        step(tx, order, MallOrderState::Paid, "system", p.payment_no.as_str(), now).await?;
        sale::record(tx, p, TenantId(tenant), Fen(total), None, now).await?;
        announce(tx, order, now).await?;
    }
    // Points come when each order completes (see `shopper::complete`).
    Ok(Fulfilled { points: 0 })
}

/// Only a refund announced in `mall_refunds` for this payment and amount may go through.
pub async fn may_refund(tx: &mut WriteTx, p: &Payment, amount: Fen) -> Result<()> {
    let found: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM mall_refunds WHERE payment_id = $1 AND amount_fen = $2 AND state = 'pending' LIMIT 1",
    )
    .bind(p.id)
    .bind(amount.0)
    .fetch_optional(&mut ***tx)
    .await?;
    found.map(|_| ()).ok_or_else(|| AppError::NotUsable.into())
}

pub async fn reverse(tx: &mut WriteTx, p: &Payment, refund: &RefundLine, now: Timestamp) -> Result<Reversed> {
    let row: Option<(i64, i64, String, i64, String, i64)> = sqlx::query_as(
        "SELECT r.id, r.order_id, r.kind, r.restock, o.order_no, o.tenant_id FROM mall_refunds r \
         JOIN mall_orders o ON o.id = r.order_id WHERE r.refund_no = $1 AND r.payment_id = $2 AND r.state = 'pending'",
    )
    .bind(&refund.refund_no)
    .bind(p.id)
    .fetch_optional(&mut ***tx)
    .await?;
    let (id, order, kind, restock, order_no, tenant) =
        row.ok_or_else(|| crate::Error::internal(format!("refund {} has no mall refund", refund.refund_no)))?;
    let lines: Vec<(i64, i64, i64)> = if kind == "cancel" {
        sqlx::query_as(
            "SELECT id, sku_id, quantity - refunded_quantity FROM shop_order_lines \
             WHERE order_id = $1 AND quantity > refunded_quantity ORDER BY id",
        )
        .bind(order)
        .fetch_all(&mut ***tx)
        .await?
    } else {
        sqlx::query_as(
            "SELECT l.id, l.sku_id, r.quantity FROM mall_refund_lines r JOIN shop_order_lines l ON l.id = r.line_id \
             WHERE r.refund_id = $1 ORDER BY l.id",
        )
        .bind(id)
        .fetch_all(&mut ***tx)
        .await?
    };
    for (line, sku, quantity) in lines {
        let moved = sqlx::query(
            "UPDATE shop_order_lines SET refunded_quantity = refunded_quantity + $1 WHERE id = $2 \
             AND refunded_quantity + $1 <= quantity",
        )
        .bind(quantity)
        .bind(line)
        .execute(&mut ***tx)
        .await?;
        if moved.rows_affected() != 1 {
            return Err(crate::Error::internal(format!("line {line} refunded beyond its quantity")));
        }
        if restock == 1 {
            stock::put_back(tx, SkuId(sku), quantity).await?;
        }
    }
    let moved = sqlx::query(
        "UPDATE mall_orders SET refunded_fen = refunded_fen + $1, version = version + 1, updated_at = $2 \
         WHERE id = $3 AND refunded_fen + $1 <= total_fen",
    )
    .bind(refund.amount.0)
    .bind(now.millis())
    .bind(order)
    .execute(&mut ***tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Err(crate::Error::internal(format!("order {order_no} refunded beyond its total")));
    }
    sale::record(tx, p, TenantId(tenant), refund.amount, Some(refund.refund_id), now).await?;
    // The points the order earned at completion, in proportion to the money refunded (none yet
    // before completion).
    let points_reversed = if refund.money.0 > 0 {
        points::reverse_for_refund(tx, POINTS_SOURCE, &order_no, &refund.refund_no, refund.money, now).await?
    } else {
        0
    };
    if kind == "cancel" {
        if !transition(
            tx,
            order,
            &[MallOrderState::Cancelling],
            MallOrderState::Cancelled,
            "system",
            &refund.refund_no,
            now,
        )
        .await?
        {
            return Err(crate::Error::internal(format!("order {order_no} refunded outside a cancellation")));
        }
    } else {
        let state = parse_state(&current_state(tx, order).await?)?;
        step(tx, order, state, "system", &refund.refund_no, now).await?;
        announce(tx, order, now).await?;
    }
    sqlx::query("UPDATE mall_refunds SET state = 'done', done_at = $1 WHERE id = $2")
        .bind(now.millis())
        .bind(id)
        .execute(&mut ***tx)
        .await?;
    Ok(Reversed { points_reversed })
}

async fn current_state(tx: &mut WriteTx, order: i64) -> Result<String> {
    let (state,): (String,) =
        sqlx::query_as("SELECT state FROM mall_orders WHERE id = $1").bind(order).fetch_one(&mut ***tx).await?;
    Ok(state)
}

/// The payment was closed unpaid: its orders expire, their units go back to stock and their
/// lines back into the cart.
pub async fn closed(tx: &mut WriteTx, p: &Payment, now: Timestamp) -> Result<()> {
    for (order, _, state, _, _) in orders_of(tx, p).await? {
        if state != MallOrderState::Pending {
            continue;
        }
        let moved = sqlx::query(
            "UPDATE mall_orders SET state = 'expired', version = version + 1, updated_at = $1 WHERE id = $2 AND state = 'pending'",
        )
        .bind(now.millis())
        .bind(order)
        .execute(&mut ***tx)
        .await?;
        if moved.rows_affected() != 1 {
            continue;
        }
        let lines: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT sku_id, tenant_id, quantity, unit_price_fen FROM shop_order_lines WHERE order_id = $1 ORDER BY id",
        )
        .bind(order)
        .fetch_all(&mut ***tx)
        .await?;
        for (sku, tenant, quantity, unit) in lines {
            stock::put_back(tx, SkuId(sku), quantity).await?;
            sqlx::query(
                "INSERT INTO mall_cart_lines (member_id, sku_id, tenant_id, quantity, seen_price_fen, added_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (member_id, sku_id) DO UPDATE SET quantity = CASE \
                 WHEN mall_cart_lines.quantity + excluded.quantity > $7 THEN $7 ELSE mall_cart_lines.quantity + excluded.quantity END",
            )
            .bind(p.member_id)
            .bind(sku)
            .bind(tenant)
            .bind(quantity.min(super::MAX_QUANTITY))
            .bind(unit)
            .bind(now.millis())
            .bind(super::MAX_QUANTITY)
            .execute(&mut ***tx)
            .await?;
        }
        step(tx, order, MallOrderState::Expired, "system", "", now).await?;
        announce(tx, order, now).await?;
    }
    Ok(())
}
