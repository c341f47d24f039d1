//! A tenant's sales as the counter feed, the mall's live sales and the reports see them: one
//! line per sale or refund, written by a purpose inside the completing or refunding transaction,
//! with its outbox event (so the counter screen hears of it when, and only when, it committed).
//! Also the points a single-tenant purchase earns, and their reversal.

use super::Payment;
use crate::events::{self, Scope};
use crate::points::{self, Award};
use crate::{MallTz, Result, Timestamp, WriteTx};
use plaza_types::dto::{Localized, SaleLine};
use plaza_types::events::Event;
use plaza_types::{Fen, PhoneNumber, TenantId};

/// Records a sale (`refund_id` `None`) or a refund line of `amount` at `tenant` for payment `p`.
pub async fn record(
    tx: &mut WriteTx,
    p: &Payment,
    tenant: TenantId,
    amount: Fen,
    refund_id: Option<i64>,
    now: Timestamp,
) -> Result<i64> {
    let kind = if refund_id.is_some() { "refund" } else { "sale" };
    let signed = if refund_id.is_some() { -amount.0 } else { amount.0 };
    // The tenant's names, the shopper's phone and the mall's time zone for the counter's line come
    // back with the insert (this runs in every sale's completion: one round trip, not two).
    let (id, zh, en, phone, tz): (i64, String, String, Option<String>, Option<String>) = sqlx::query_as(
        "INSERT INTO tenant_sales (tenant_id, payment_id, refund_id, kind, amount_fen, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, \
         (SELECT name_zh FROM tenants WHERE id = $1), (SELECT name_en FROM tenants WHERE id = $1), \
         (SELECT phone FROM members WHERE id = $7), (SELECT timezone FROM mall WHERE id = 1)",
    )
    .bind(tenant.0)
    .bind(p.id)
    .bind(refund_id)
    .bind(kind)
    .bind(signed)
    .bind(now.millis())
    .bind(p.member_id)
    .fetch_one(&mut ***tx)
    .await?;
    let tz = tz.as_deref().and_then(MallTz::parse).unwrap_or_else(MallTz::shanghai);
    let line = SaleLine {
        id,
        tenant_id: tenant.0,
        tenant: Localized::new(zh, en),
        refund: refund_id.is_some(),
        amount: Fen(signed),
        payment_no: p.payment_no.to_string(),
        coupon: Fen(p.coupon_fen),
        points: Fen(p.points_fen),
        stored_value: Fen(p.sv_fen),
        external: Fen(p.external_fen),
        member: phone.and_then(|p| PhoneNumber::parse(&p).ok()).map(|p| p.masked()).unwrap_or_default(),
        at: now.format_local(&tz),
    };
    events::publish(tx, Scope::tenant(tenant), &Event::Sale(line), now)?;
    Ok(id)
}

/// The points a purchase at one tenant earns: on the money paid (stored value included), not on
/// what the coupon or points covered. Keyed by the payment number, so it happens once.
pub async fn earn_points(
    tx: &mut WriteTx,
    p: &Payment,
    tenant: TenantId,
    source: &'static str,
    now: Timestamp,
) -> Result<i64> {
    let award = Award {
        member: p.member(),
        tenant: Some(tenant),
        amount: Fen(p.amount_fen - p.coupon_fen - p.points_fen),
        source,
        external_ref: p.payment_no.to_string(),
    };
    Ok(points::award_for_purchase(tx, &award, now).await?.points)
}

/// Reverses, in proportion to the money refunded, what [`earn_points`] awarded.
pub async fn reverse_points(
    tx: &mut WriteTx,
    p: &Payment,
    source: &'static str,
    refund_no: &str,
    money: Fen,
    now: Timestamp,
) -> Result<i64> {
    if money.0 <= 0 {
        return Ok(0);
    }
    points::reverse_for_refund(tx, source, &p.payment_no, refund_no, money, now).await
}
