//! The kitchen screen's side: paid orders oldest first, one tap moving an order preparing →
//! ready → done (a conditional update, so two taps at once move it one step), a done order
//! recalled, tickets printed (every copy after the first marked DUPLICATE). The kitchen never
//! sees an unpaid order, and a restaurant's staff only ever touch their own restaurant's orders.

use super::{tickets_where, transition};
use crate::{events, mall, Db, Result, Timestamp};
use plaza_types::dto::{DiningState, DiningTicket, KitchenBoard};
use plaza_types::{AppError, TenantId};

/// The most done orders kept on screen to recall.
const RECENT_DONE: i64 = 12;

/// What the kitchen screen opens with. The cursor is read first, so whatever commits while the
/// orders are read comes again on the stream (the screen keeps the newer version).
pub async fn board(db: &Db, tenant: TenantId, now: Timestamp) -> Result<KitchenBoard> {
    let cursor = events::head(db).await?;
    let mut conn = db.pool().acquire().await?;
    let tz = mall::timezone_in(&mut conn).await?;
    let open = tickets_where(
        &mut conn,
        "tenant_id = $1 AND state IN ('paid', 'accepted', 'preparing', 'ready') ORDER BY paid_at, id",
        &[tenant.0],
        &tz,
    )
    .await?;
    let since = tz.start_of_day(now).millis();
    let done = tickets_where(
        &mut conn,
        &format!(
            "tenant_id = $1 AND state = 'done' AND paid_at >= $2 ORDER BY updated_at DESC, id DESC LIMIT {RECENT_DONE}"
        ),
        &[tenant.0, since],
        &tz,
    )
    .await?;
    Ok(KitchenBoard { open, done, cursor: cursor.to_string(), now: now.millis() })
}

/// Marks orders the kitchen screen received as accepted (接单): the shopper sees the restaurant
/// has it. Orders already further along are left as they are.
pub async fn acknowledge(db: &Db, tenant: TenantId, orders: &[i64], now: Timestamp) -> Result<()> {
    for order in orders {
        let mut tx = db.begin_write().await?;
        let ours: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM dining_orders WHERE id = $1 AND tenant_id = $2 AND state = 'paid'")
                .bind(order)
                .bind(tenant.0)
                .fetch_optional(&mut **tx)
                .await?;
        if ours.is_some() {
            transition(&mut tx, *order, &[DiningState::Paid], DiningState::Accepted, "kitchen", "", now).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// One of `tenant`'s orders, or not found (another restaurant's order is not found either).
async fn own_state(tx: &mut crate::WriteTx, tenant: TenantId, order: i64) -> Result<DiningState> {
    let row: Option<(String,)> = sqlx::query_as("SELECT state FROM dining_orders WHERE id = $1 AND tenant_id = $2")
        .bind(order)
        .bind(tenant.0)
        .fetch_optional(&mut ***tx)
        .await?;
    let (state,) = row.ok_or(AppError::NotFound)?;
    DiningState::parse(&state).ok_or_else(|| crate::Error::internal(format!("order state {state}")))
}

/// One tap: the order moves from `from` (what the screen showed) to the next step. Refused when
/// it is no longer in `from` (another screen moved it, or it was cancelled).
pub async fn advance(
    db: &Db,
    tenant: TenantId,
    order: i64,
    from: DiningState,
    actor: &str,
    now: Timestamp,
) -> Result<DiningTicket> {
    let to = from.next_in_kitchen().ok_or(AppError::NotUsable)?;
    // Paid and accepted are one column on the screen: the screen may not have seen the accept.
    let from: &[DiningState] =
        if from.before_preparing() { &[DiningState::Paid, DiningState::Accepted] } else { &[from] };
    let mut tx = db.begin_write().await?;
    own_state(&mut tx, tenant, order).await?;
    if !transition(&mut tx, order, from, to, actor, "", now).await? {
        return Err(AppError::NotUsable.into());
    }
    let ticket = super::ticket(&mut tx, order).await?;
    tx.commit().await?;
    Ok(ticket)
}

/// Brings a done order back to ready (handed to the wrong table, the shopper came back).
pub async fn recall(db: &Db, tenant: TenantId, order: i64, actor: &str, now: Timestamp) -> Result<DiningTicket> {
    let mut tx = db.begin_write().await?;
    own_state(&mut tx, tenant, order).await?;
    if !transition(&mut tx, order, &[DiningState::Done], DiningState::Ready, actor, "recalled", now).await? {
        return Err(AppError::NotUsable.into());
    }
    let ticket = super::ticket(&mut tx, order).await?;
    tx.commit().await?;
    Ok(ticket)
}

/// Records a print of the order's ticket and returns its copy number: 1 is the original, every
/// later copy is a duplicate. Only paid orders have tickets.
pub async fn print(db: &Db, tenant: TenantId, order: i64, actor: &str, now: Timestamp) -> Result<i64> {
    let mut tx = db.begin_write().await?;
    let state = own_state(&mut tx, tenant, order).await?;
    if matches!(state, DiningState::Pending | DiningState::Released) {
        return Err(AppError::NotFound.into());
    }
    // The order's row lock (PostgreSQL) orders two prints at once: copies 1 and 2, never two 1s.
    sqlx::query("UPDATE dining_orders SET updated_at = updated_at WHERE id = $1")
        .bind(order)
        .execute(&mut **tx)
        .await?;
    let (copy,): (i64,) = sqlx::query_as(
        "INSERT INTO dining_ticket_prints (order_id, copy_no, actor, printed_at) \
         SELECT $1, COALESCE(MAX(copy_no), 0) + 1, $2, $3 FROM dining_ticket_prints WHERE order_id = $1 RETURNING copy_no",
    )
    .bind(order)
    .bind(actor)
    .bind(now.millis())
    .fetch_one(&mut **tx)
    .await?;
    tx.commit().await?;
    Ok(copy)
}

/// A printed copy of a ticket: the ticket, its copy number and when it was printed.
pub async fn printed(db: &Db, tenant: TenantId, order: i64, copy: i64) -> Result<(DiningTicket, i64, String)> {
    let mut conn = db.pool().acquire().await?;
    let tz = mall::timezone_in(&mut conn).await?;
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT p.printed_at FROM dining_ticket_prints p JOIN dining_orders o ON o.id = p.order_id \
         WHERE p.order_id = $1 AND p.copy_no = $2 AND o.tenant_id = $3",
    )
    .bind(order)
    .bind(copy)
    .bind(tenant.0)
    .fetch_optional(&mut *conn)
    .await?;
    let (at,) = row.ok_or(AppError::NotFound)?;
    let ticket = tickets_where(&mut conn, "id = $1", &[order], &tz).await?.pop().ok_or(AppError::NotFound)?;
    Ok((ticket, copy, Timestamp(at).format_local(&tz)))
}
