//! Mall orders (商城订单), the second part of the online mall: one cart across shops kept on the
//! server ([`cart`]), the address book ([`addresses`]), checkout into one order per shop under
//! one payment ([`checkout`], purpose `mall`), what the payment engine's moments mean for those
//! orders ([`fulfil`]: paid → the shops' sale lines and pickup codes; closed unpaid → the
//! reserved stock goes back; refunds → stock back when the goods came back, points reversed),
//! the shopper's cancellation and receipt ([`shopper`]), the shop's console ([`console`]) and
//! the pages' views ([`views`]), and after-sales requests with the operator's arbitration
//! ([`aftersales`]).
//!
//! Stock is taken from the SKU (a conditional update that never goes below zero) when the order
//! is written, inside the payment's own transaction, so two buyers of the last unit cannot both
//! hold it; an order never paid gives it back when its payment closes (the engine's timeout job).
//! Points are earned once, when an order completes (pending through the refund window like every
//! purchase), keyed by the order number.

pub mod addresses;
pub mod aftersales;
pub mod cart;
pub mod checkout;
pub mod console;
pub mod fulfil;
pub mod shopper;
pub mod views;

#[cfg(test)]
mod tests;

use crate::events::{self, Scope};
use crate::{Result, Timestamp, WriteTx};
use plaza_types::dto::MallOrderState;
use plaza_types::events::{Event, MallOrderChange};
use plaza_types::{MemberId, TenantId};

/// The points-ledger source of what a mall order earns (keyed by its order number).
pub const POINTS_SOURCE: &str = "mall";

/// The most of one SKU a cart line holds.
pub const MAX_QUANTITY: i64 = 99;

/// Records a step of the order's history.
pub(crate) async fn step(
    tx: &mut WriteTx,
    order: i64,
    state: MallOrderState,
    actor: &str,
    note: &str,
    now: Timestamp,
) -> Result<()> {
    sqlx::query("INSERT INTO mall_order_steps (order_id, state, actor, note, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(order)
        .bind(state.as_str())
        .bind(actor)
        .bind(note)
        .bind(now.millis())
        .execute(&mut ***tx)
        .await?;
    Ok(())
}

/// Tells the order's screens it moved: its shop's (once paid) and its shopper's.
pub(crate) async fn announce(tx: &mut WriteTx, order: i64, now: Timestamp) -> Result<()> {
    let (order_no, tenant, member, state, version, paid_at): (String, i64, i64, String, i64, Option<i64>) =
        sqlx::query_as("SELECT order_no, tenant_id, member_id, state, version, paid_at FROM mall_orders WHERE id = $1")
            .bind(order)
            .fetch_one(&mut ***tx)
            .await?;
    let state = parse_state(&state)?;
    let scope = if paid_at.is_some() {
        Scope::tenant(TenantId(tenant)).with_member(MemberId(member))
    } else {
        Scope::member(MemberId(member))
    };
    let change = MallOrderChange { order_no, tenant_id: tenant, state, version };
    events::publish(tx, scope, &Event::MallOrder(change), now)?;
    Ok(())
}

pub(crate) fn parse_state(state: &str) -> Result<MallOrderState> {
    MallOrderState::parse(state).ok_or_else(|| crate::Error::internal(format!("mall order state {state}")))
}

/// Moves an order from one of `from` to `to` (a conditional update: of two taps at once, one
/// wins), bumping its version; records the step and announces it. False when it was not in
/// `from`.
pub(crate) async fn transition(
    tx: &mut WriteTx,
    order: i64,
    from: &[MallOrderState],
    to: MallOrderState,
    actor: &str,
    note: &str,
    now: Timestamp,
) -> Result<bool> {
    let from = from.iter().map(|s| format!("'{}'", s.as_str())).collect::<Vec<_>>().join(", ");
    let moved = sqlx::query(&format!(
        "UPDATE mall_orders SET state = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND state IN ({from})"
    ))
    .bind(to.as_str())
    .bind(now.millis())
    .bind(order)
    .execute(&mut ***tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Ok(false);
    }
    step(tx, order, to, actor, note, now).await?;
    announce(tx, order, now).await?;
    Ok(true)
}

/// Splits an amount over weights in proportion, to the fen (the price engine's rule, shared).
pub(crate) use plaza_types::pricing::allocate;

/// Trims free text a shopper or staff typed to at most `max` characters, refusing control
/// characters and (when `required`) an empty value.
pub(crate) fn clean_text(text: &str, max: usize, required: bool, field: plaza_types::error::Field) -> Result<String> {
    let text = text.trim();
    if (required && text.is_empty()) || text.chars().count() > max || text.chars().any(|c| c.is_control()) {
        return Err(plaza_types::AppError::invalid(field).into());
    }
    Ok(text.to_string())
}

#[cfg(test)]
mod allocate_tests {
    use super::allocate;

    #[test]
    fn parts_add_up_and_follow_the_weights() {
        assert_eq!(allocate(100, &[1, 1, 1]), vec![34, 33, 33]);
        assert_eq!(allocate(0, &[5, 5]), vec![0, 0]);
        assert_eq!(allocate(7, &[10]), vec![7]);
        for (amount, weights) in [(999, vec![3_300, 12_900, 1]), (1, vec![1, 1_000_000]), (12_345, vec![7, 7, 7, 7])] {
            let parts = allocate(amount, &weights);
            assert_eq!(parts.iter().sum::<i64>(), amount);
            for (p, w) in parts.iter().zip(&weights) {
                assert!(*p >= 0 && *p <= amount * w / weights.iter().sum::<i64>() + 1, "{parts:?}");
            }
        }
    }
}
