//! Orders as their shopper sees them: the live order page (its steps, the call number, what was
//! paid with, the points earned) and 我的订单.

use super::{restaurant, tickets_where};
use crate::payments::{self, views::settle_return, PaymentProvider};
use crate::{events, mall, Db, MallTz, Result, Timestamp};
use plaza_types::dto::{
    Breakdown, DiningOrderSummary, DiningOrderView, DiningState, DiningStep, Fulfilment, Localized,
};
use plaza_types::{AppError, Fen, MemberId, TenantId};

/// The member's order `order_no` (another member's is not found).
pub async fn of_member(db: &Db, member: MemberId, order_no: &str, tz: &MallTz) -> Result<DiningOrderView> {
    // The cursor first: a change committing while the page is read comes again on its stream.
    let cursor = events::head(db).await?;
    let mut conn = db.pool().acquire().await?;
    type Row = (i64, i64, Option<i64>, Option<String>, i64);
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, tenant_id, table_id, cancel_reason, created_at FROM dining_orders WHERE payment_no = $1 AND member_id = $2",
    )
    .bind(order_no)
    .bind(member.0)
    .fetch_optional(&mut *conn)
    .await?;
    let (order, tenant, table, cancel_reason, created_at) = row.ok_or(AppError::NotFound)?;
    let ticket = tickets_where(&mut conn, "id = $1", &[order], tz).await?.pop().ok_or(AppError::NotFound)?;
    let restaurant = restaurant(&mut conn, TenantId(tenant)).await?;
    let table_code: Option<(String, String)> = sqlx::query_as("SELECT code, status FROM dining_tables WHERE id = $1")
        .bind(table)
        .fetch_optional(&mut *conn)
        .await?;
    let p =
        payments::find(&mut *conn, order_no).await?.ok_or_else(|| crate::Error::internal("order without payment"))?;
    let (pay_url,): (Option<String>,) =
        sqlx::query_as("SELECT pay_url FROM payments WHERE id = $1").bind(p.id).fetch_one(&mut *conn).await?;
    let (points,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM points_movements WHERE kind = 'earn' AND ref = $1",
    )
    .bind(order_no)
    .fetch_one(&mut *conn)
    .await?;
    let steps: Vec<(String, i64, String)> =
        sqlx::query_as("SELECT state, at, note FROM dining_order_steps WHERE order_id = $1 ORDER BY id")
            .bind(order)
            .fetch_all(&mut *conn)
            .await?;
    Ok(DiningOrderView {
        restaurant,
        table_code: table_code.filter(|(_, status)| status == "active").map(|(code, _)| code),
        breakdown: Breakdown {
            amount: Fen(p.amount_fen),
            coupon: Fen(p.coupon_fen),
            points_used: p.points_used,
            points_value: Fen(p.points_fen),
            stored_value: Fen(p.sv_fen),
            to_pay: Fen(p.external_fen),
        },
        payment_state: p.state,
        refunded: Fen(p.refunded_fen),
        points_earned: points,
        pay_url: pay_url.filter(|_| p.state.is_open()),
        steps: steps
            .into_iter()
            .filter_map(|(state, at, note)| {
                let state = DiningState::parse(&state)?;
                // Payment numbers and refund numbers are not for the shopper's history.
                let note = if matches!(state, DiningState::Cancelling) { note } else { String::new() };
                Some(DiningStep { state, at: Timestamp(at).format_local(tz), note })
            })
            .collect(),
        created_at: Timestamp(created_at).format_local(tz),
        cancel_reason,
        cursor: cursor.to_string(),
        ticket,
    })
}

/// The order page after the provider's page: asks the provider about an open payment (the
/// browser's return completes or closes it through the same commands as notifications).
pub async fn settle(
    db: &Db,
    provider: &dyn PaymentProvider,
    member: MemberId,
    order_no: &str,
    now: Timestamp,
) -> Result<()> {
    let owner: Option<(i64,)> = sqlx::query_as("SELECT id FROM dining_orders WHERE payment_no = $1 AND member_id = $2")
        .bind(order_no)
        .bind(member.0)
        .fetch_optional(db.pool())
        .await?;
    if owner.is_none() {
        return Err(AppError::NotFound.into());
    }
    settle_return(db, provider, order_no, now).await
}

/// 我的订单: the member's food orders, newest first (orders never paid for left out).
pub async fn of_member_list(db: &Db, member: MemberId, limit: i64) -> Result<Vec<DiningOrderSummary>> {
    let tz = mall::timezone(db).await?;
    type Row = (String, String, String, String, String, Option<i64>, String, i64, i64, i64);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT o.payment_no, t.name_zh, t.name_en, o.state, o.fulfilment, o.pickup_no, o.table_label, o.total_fen, o.item_count, o.created_at \
         FROM dining_orders o JOIN tenants t ON t.id = o.tenant_id WHERE o.member_id = $1 AND o.state <> 'released' \
         ORDER BY o.id DESC LIMIT $2",
    )
    .bind(member.0)
    .bind(limit.clamp(1, 100))
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(no, zh, en, state, fulfilment, pickup_no, table, total, items, at)| {
            Some(DiningOrderSummary {
                order_no: no,
                restaurant: Localized::new(zh, en),
                state: DiningState::parse(&state)?,
                fulfilment: Fulfilment::parse(&fulfilment)?,
                pickup_no,
                table,
                total: Fen(total),
                items,
                created_at: Timestamp(at).format_local(&tz),
            })
        })
        .collect())
}

/// Whether `order_no` is one of `member`'s orders (the order page's live stream asks first).
pub async fn owns(db: &Db, member: MemberId, order_no: &str) -> Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM dining_orders WHERE payment_no = $1 AND member_id = $2")
        .bind(order_no)
        .bind(member.0)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.is_some())
}
