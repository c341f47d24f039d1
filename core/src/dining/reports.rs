//! The restaurant's day: its orders (the console's list) and the day report — orders, sales,
//! cancellations, the average ticket and the dishes that sold best. A day is the mall's day.

use super::tickets_where;
use crate::{mall, Db, MallTz, Result, Timestamp};
use plaza_types::dto::{DiningDayReport, DiningOrderRow, DiningState, Localized, TopDish};
use plaza_types::error::Field;
use plaza_types::{AppError, Fen, PhoneNumber, TenantId};

/// The mall day `date` (`2026-11-22`) as [start, end) in UTC milliseconds.
fn day(date: &str, tz: &MallTz) -> Result<(i64, i64)> {
    let civil: jiff::civil::Date = date.parse().map_err(|_| AppError::invalid(Field::Date))?;
    let start = tz.start_of_date(civil)?;
    let next = civil.tomorrow().map_err(|_| AppError::invalid(Field::Date))?;
    Ok((start.millis(), tz.start_of_date(next)?.millis()))
}

/// Today's date in the mall.
pub async fn today(db: &Db, now: Timestamp) -> Result<String> {
    Ok(mall::timezone(db).await?.date(now))
}

/// The orders paid on `date`, newest first, cancelled ones included.
pub async fn orders(db: &Db, tenant: TenantId, date: &str) -> Result<Vec<DiningOrderRow>> {
    let mut conn = db.pool().acquire().await?;
    let tz = mall::timezone_in(&mut conn).await?;
    let (start, end) = day(date, &tz)?;
    let tickets = tickets_where(
        &mut conn,
        "tenant_id = $1 AND paid_at >= $2 AND paid_at < $3 ORDER BY paid_at DESC, id DESC LIMIT 500",
        &[tenant.0, start, end],
        &tz,
    )
    .await?;
    let mut rows = Vec::with_capacity(tickets.len());
    for ticket in tickets {
        let (phone, refunded, reason): (String, i64, Option<String>) = sqlx::query_as(
            "SELECT m.phone, p.refunded_fen, o.cancel_reason FROM dining_orders o JOIN members m ON m.id = o.member_id \
             JOIN payments p ON p.id = o.payment_id WHERE o.id = $1",
        )
        .bind(ticket.order_id)
        .fetch_one(&mut *conn)
        .await?;
        let cancelled = matches!(ticket.state, DiningState::Cancelling | DiningState::Cancelled);
        rows.push(DiningOrderRow {
            member: PhoneNumber::parse(&phone).map(|p| p.masked()).unwrap_or_default(),
            refunded: Fen(refunded),
            cancel_reason: reason.filter(|_| cancelled),
            ticket,
        });
    }
    Ok(rows)
}

/// The day report of `date`.
pub async fn day_report(db: &Db, tenant: TenantId, date: &str) -> Result<DiningDayReport> {
    let tz = mall::timezone(db).await?;
    let (start, end) = day(date, &tz)?;
    let (orders, sales): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(total_fen), 0) AS BIGINT) FROM dining_orders \
         WHERE tenant_id = $1 AND paid_at >= $2 AND paid_at < $3 AND state NOT IN ('cancelling', 'cancelled')",
    )
    .bind(tenant.0)
    .bind(start)
    .bind(end)
    .fetch_one(db.pool())
    .await?;
    let (cancelled, refunds): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(p.refunded_fen), 0) AS BIGINT) FROM dining_orders o JOIN payments p ON p.id = o.payment_id \
         WHERE o.tenant_id = $1 AND o.paid_at >= $2 AND o.paid_at < $3 AND o.state IN ('cancelling', 'cancelled')",
    )
    .bind(tenant.0)
    .bind(start)
    .bind(end)
    .fetch_one(db.pool())
    .await?;
    let top: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT d.name_zh, d.name_en, CAST(SUM(i.quantity) AS BIGINT) AS n, CAST(SUM(i.line_fen) AS BIGINT) FROM dining_order_items i \
         JOIN dining_orders o ON o.id = i.order_id JOIN dishes d ON d.id = i.dish_id \
         WHERE o.tenant_id = $1 AND o.paid_at >= $2 AND o.paid_at < $3 AND o.state NOT IN ('cancelling', 'cancelled') \
         GROUP BY i.dish_id, d.name_zh, d.name_en ORDER BY n DESC, i.dish_id LIMIT 10",
    )
    .bind(tenant.0)
    .bind(start)
    .bind(end)
    .fetch_all(db.pool())
    .await?;
    Ok(DiningDayReport {
        date: date.to_string(),
        orders,
        sales: Fen(sales),
        cancelled,
        refunds: Fen(refunds),
        average: Fen(if orders > 0 { sales / orders } else { 0 }),
        top: top
            .into_iter()
            .map(|(zh, en, quantity, sales)| TopDish { name: Localized::new(zh, en), quantity, sales: Fen(sales) })
            .collect(),
    })
}
