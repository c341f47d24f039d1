//! The day's counter-sale awards of a shop, and the owner's reversal of one.

use super::SOURCE;
use crate::audit::{self, Actor, Entry};
use crate::points::reverse_for_refund;
use crate::{mall, Db, Result, Timestamp};
use plaza_types::dto::CounterSaleLine;
use plaza_types::error::Field;
use plaza_types::{AppError, Fen, MemberId, StaffId, TenantId};

/// Reverses the award of sale `sale` of `tenant`, by its owner `staff`, with a reason: the
/// points go back as for a full refund (the pending lot first), the qualifying spend is taken
/// back, and the receipt number may be awarded again. Only on the day it was made (mall time);
/// another tenant's sale is not found; a second reversal changes nothing more.
pub async fn reverse(
    db: &Db,
    tenant: TenantId,
    staff: StaffId,
    sale: i64,
    reason: &str,
    now: Timestamp,
) -> Result<i64> {
    let reason = reason.trim();
    if !(2..=100).contains(&reason.chars().count()) {
        return Err(AppError::invalid(Field::Reason).into());
    }
    let mut tx = db.begin_write().await?;
    let tz = mall::timezone_in(&mut tx).await?;
    let row: Option<(i64, i64, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT member_id, amount_fen, receipt_no, created_at, reversed_at FROM counter_sales WHERE id = $1 AND tenant_id = $2",
    )
    .bind(sale)
    .bind(tenant.0)
    .fetch_optional(&mut **tx)
    .await?;
    let (member, amount, receipt_no, created_at, reversed_at) = row.ok_or(AppError::NotFound)?;
    if reversed_at.is_some() || Timestamp(created_at).local_date(&tz) != now.local_date(&tz) {
        return Err(AppError::NotUsable.into());
    }
    let marked = sqlx::query(
        "UPDATE counter_sales SET reversed_at = $1, reversed_by = $2, reverse_reason = $3 WHERE id = $4 AND reversed_at IS NULL",
    )
    .bind(now.millis())
    .bind(staff.0)
    .bind(reason)
    .bind(sale)
    .execute(&mut **tx)
    .await?;
    if marked.rows_affected() == 0 {
        return Err(AppError::NotUsable.into());
    }
    let points =
        reverse_for_refund(&mut tx, SOURCE, &format!("sale:{sale}"), &format!("reverse:{sale}"), Fen(amount), now)
            .await?;
    let entry = Entry::new(&Actor::Staff(staff), "counter_sale.reverse")
        .member(MemberId(member))
        .tenant(Some(tenant))
        .subject(format!("receipt:{receipt_no}"))
        .amount(amount)
        .details(format!("points={points} sale={sale}"))
        .reason(reason);
    audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(points)
}

/// One row of the query below.
type SaleRow = (i64, String, i64, i64, String, i64, String, Option<i64>);
/// The shop's counter-sale awards of today (mall time), newest first.
pub async fn today(db: &Db, tenant: TenantId, now: Timestamp) -> Result<Vec<CounterSaleLine>> {
    let tz = mall::timezone(db).await?;
    let day = now.local_date(&tz);
    // A mall day is at most 26 hours long; its own date decides below.
    let rows: Vec<SaleRow> = sqlx::query_as(
        "SELECT c.id, c.receipt_no, c.amount_fen, c.points, m.phone, c.created_at, s.username, c.reversed_at \
         FROM counter_sales c JOIN members m ON m.id = c.member_id JOIN staff s ON s.id = c.awarded_by \
         WHERE c.tenant_id = $1 AND c.created_at > $2 ORDER BY c.id DESC",
    )
    .bind(tenant.0)
    .bind(now.minus_secs(26 * 3_600).millis())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter(|r| Timestamp(r.5).local_date(&tz) == day)
        .map(|(id, receipt_no, amount, points, phone, created_at, username, reversed_at)| CounterSaleLine {
            id,
            receipt_no,
            amount: Fen(amount),
            points,
            member_masked_phone: plaza_types::PhoneNumber::parse(&phone).map(|p| p.masked()).unwrap_or_default(),
            at: Timestamp(created_at).format_local(&tz),
            awarded_by: username,
            reversed: reversed_at.is_some(),
            reversible: reversed_at.is_none(),
        })
        .collect())
}
