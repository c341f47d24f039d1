//! Scan-to-order (扫码点餐): a shopper scans a table's code, orders from a restaurant's menu,
//! pays through the payment engine and follows the order live; the kitchen sees paid orders on
//! its screen and moves them along; call-number restaurants call numbers on a wall screen.
//!
//! Dining sits above the payment engine: an order is written with its payment (one each, by
//! [`checkout::DiningDetails`]) and the engine reaches back only through `crate::purposes`
//! ([`fulfil`]: paid → pickup number, kitchen ticket, sale line and points; closed → released;
//! refunds only through [`cancel`]). Every change an order screen must hear of publishes a
//! [`Event::Dining`](plaza_types::events::Event::Dining) in its own transaction.
//!
//! One use case per file: [`settings`], [`tables`], [`menu_admin`], [`photos`], [`menu`],
//! [`cart`], [`checkout`], [`fulfil`], [`kitchen`], [`cancel`], [`views`], [`pickup`],
//! [`reports`].

pub mod cancel;
pub mod cart;
pub mod checkout;
pub mod fulfil;
pub mod kitchen;
pub mod menu;
pub mod menu_admin;
pub mod photos;
pub mod pickup;
pub mod pricing;
pub mod reports;
pub mod settings;
pub mod tables;
pub mod views;

#[cfg(test)]
mod tests;

use crate::events::{self, Scope};
use crate::{Result, Timestamp, WriteTx};
use plaza_types::dto::{DiningState, DiningTicket, Fulfilment, Localized, RestaurantRef, TicketItem};
use plaza_types::events::Event;
use plaza_types::{AppError, Fen, MemberId, TenantId};
use sqlx::AnyConnection;

/// The points-ledger source of what a food order earns.
pub const POINTS_SOURCE: &str = "dining";

/// A restaurant by id (a tenant of another kind is not found).
pub(crate) async fn restaurant(conn: &mut AnyConnection, tenant: TenantId) -> Result<RestaurantRef> {
    let row: Option<RestaurantRow> =
        sqlx::query_as(&format!("{RESTAURANT_SELECT} WHERE t.id = $1 AND t.kind = 'restaurant'"))
            .bind(tenant.0)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(RestaurantRow::view).ok_or_else(|| AppError::NotFound.into())
}

/// A restaurant by its code.
pub(crate) async fn restaurant_by_code(conn: &mut AnyConnection, code: &str) -> Result<RestaurantRef> {
    let row: Option<RestaurantRow> =
        sqlx::query_as(&format!("{RESTAURANT_SELECT} WHERE t.code = $1 AND t.kind = 'restaurant'"))
            .bind(code)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(RestaurantRow::view).ok_or_else(|| AppError::NotFound.into())
}

pub(crate) const RESTAURANT_SELECT: &str =
    "SELECT t.id, t.code, t.name_zh, t.name_en, t.unit_no, t.status, COALESCE(s.fulfilment, 'call_number') AS fulfilment \
     FROM tenants t LEFT JOIN dining_settings s ON s.tenant_id = t.id";

#[derive(sqlx::FromRow)]
pub(crate) struct RestaurantRow {
    id: i64,
    code: String,
    name_zh: String,
    name_en: String,
    unit_no: String,
    status: String,
    #[sqlx(try_from = "String")]
    fulfilment: Fulfilment,
}

impl RestaurantRow {
    pub(crate) fn view(self) -> RestaurantRef {
        RestaurantRef {
            id: self.id,
            code: self.code,
            name: Localized::new(self.name_zh, self.name_en),
            unit_no: self.unit_no,
            fulfilment: self.fulfilment,
            open: self.status == "active",
        }
    }
}

/// The public address of a stored dish photo (`dishes/…` keys only).
pub fn photo_url(key: &str) -> String {
    format!("/photos/{key}")
}

#[derive(sqlx::FromRow)]
struct TicketRow {
    id: i64,
    payment_no: String,
    tenant_id: i64,
    #[sqlx(try_from = "String")]
    state: DiningState,
    version: i64,
    #[sqlx(try_from = "String")]
    fulfilment: Fulfilment,
    pickup_no: Option<i64>,
    table_label: String,
    area_zh: String,
    area_en: String,
    remark: String,
    total_fen: i64,
    paid_at: Option<i64>,
}

pub(crate) const TICKET_SELECT: &str = "SELECT id, payment_no, tenant_id, state, version, fulfilment, pickup_no, \
     table_label, area_zh, area_en, remark, total_fen, paid_at FROM dining_orders";

/// Orders as tickets, items included, in the order of `ids`' rows as selected by `condition`.
pub(crate) async fn tickets_where(
    conn: &mut AnyConnection,
    condition: &str,
    binds: &[i64],
    tz: &crate::MallTz,
) -> Result<Vec<DiningTicket>> {
    let sql = format!("{TICKET_SELECT} WHERE {condition}");
    let mut query = sqlx::query_as::<_, TicketRow>(&sql);
    for b in binds {
        query = query.bind(*b);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let items: Vec<(String, String, String, String, String, i64, i64)> = sqlx::query_as(
            "SELECT name_zh, name_en, options_zh, options_en, remark, quantity, line_fen FROM dining_order_items \
             WHERE order_id = $1 ORDER BY id",
        )
        .bind(row.id)
        .fetch_all(&mut *conn)
        .await?;
        out.push(DiningTicket {
            order_id: row.id,
            order_no: row.payment_no,
            tenant_id: row.tenant_id,
            state: row.state,
            version: row.version,
            fulfilment: row.fulfilment,
            pickup_no: row.pickup_no,
            table: row.table_label,
            area: Localized::new(row.area_zh, row.area_en),
            items: items
                .into_iter()
                .map(|(zh, en, ozh, oen, remark, quantity, line)| TicketItem {
                    name: Localized::new(zh, en),
                    quantity,
                    options: Localized::new(ozh, oen),
                    remark,
                    total: Fen(line),
                })
                .collect(),
            remark: row.remark,
            total: Fen(row.total_fen),
            paid_at: row.paid_at,
            paid_time: row.paid_at.map(|t| tz.time_of_day(Timestamp(t))).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// One order as a ticket.
pub(crate) async fn ticket(conn: &mut AnyConnection, order: i64) -> Result<DiningTicket> {
    let tz = crate::mall::timezone_in(conn).await?;
    tickets_where(conn, "id = $1", &[order], &tz)
        .await?
        .pop()
        .ok_or_else(|| crate::Error::internal(format!("dining order {order} vanished")))
}

/// Records a step of the order's history.
pub(crate) async fn step(
    tx: &mut WriteTx,
    order: i64,
    state: DiningState,
    actor: &str,
    note: &str,
    now: Timestamp,
) -> Result<()> {
    sqlx::query("INSERT INTO dining_order_steps (order_id, state, actor, note, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(order)
        .bind(state.as_str())
        .bind(actor)
        .bind(note)
        .bind(now.millis())
        .execute(&mut ***tx)
        .await?;
    Ok(())
}

/// Tells the order's screens it moved: the restaurant's (kitchen, pickup wall) and its shopper's.
/// An order that was never paid concerns its shopper only.
pub(crate) async fn announce(tx: &mut WriteTx, order: i64, now: Timestamp) -> Result<DiningTicket> {
    let ticket = ticket(tx, order).await?;
    let (member,): (i64,) =
        sqlx::query_as("SELECT member_id FROM dining_orders WHERE id = $1").bind(order).fetch_one(&mut ***tx).await?;
    let member = MemberId(member);
    let scope = if ticket.paid_at.is_some() {
        Scope::tenant(TenantId(ticket.tenant_id)).with_member(member)
    } else {
        Scope::member(member)
    };
    events::publish(tx, scope, &Event::Dining(ticket.clone()), now)?;
    Ok(ticket)
}

/// Moves an order from one of `from` to `to` (a conditional update: of two taps at once, one
/// wins), bumping its version; records the step and announces it. False when it was not in
/// `from`.
pub(crate) async fn transition(
    tx: &mut WriteTx,
    order: i64,
    from: &[DiningState],
    to: DiningState,
    actor: &str,
    note: &str,
    now: Timestamp,
) -> Result<bool> {
    let from = from.iter().map(|s| format!("'{}'", s.as_str())).collect::<Vec<_>>().join(", ");
    let moved = sqlx::query(&format!(
        "UPDATE dining_orders SET state = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND state IN ({from})"
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

/// Trims free text a shopper or staff typed to `max` characters, refusing control characters.
pub(crate) fn clean_text(text: &str, max: usize, field: plaza_types::error::Field) -> Result<String> {
    let text = text.trim();
    if text.chars().count() > max || text.chars().any(|c| c.is_control()) {
        return Err(AppError::invalid(field).into());
    }
    Ok(text.to_string())
}
