//! A coupon's life in a payment: reserved when an order is placed (no other order can take it),
//! then redeemed when the payment completes, or released on cancel or timeout.

use super::templates::{TemplateRow, TEMPLATE_COLUMNS};
use crate::audit::{self, Actor, Entry};
use crate::{Result, Timestamp};
use plaza_types::dto::CouponKind;
use plaza_types::{AppError, Fen, MemberId, TenantId};
use sqlx::AnyConnection;

pub(crate) async fn event(
    conn: &mut AnyConnection,
    coupon: i64,
    event: &str,
    reference: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    sqlx::query("INSERT INTO coupon_events (coupon_id, event, ref, actor, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(coupon)
        .bind(event)
        .bind(reference)
        .bind(actor.label())
        .bind(now.millis())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The discount `coupon` gives on a purchase of `amount` at `tenant`, or why it cannot be used.
pub async fn discount_for(
    conn: &mut AnyConnection,
    coupon: i64,
    member: MemberId,
    amount: Fen,
    tenant: Option<TenantId>,
    now: Timestamp,
) -> Result<Fen> {
    let row: Option<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT template_id, state, valid_from, valid_until FROM coupons WHERE id = $1 AND member_id = $2",
    )
    .bind(coupon)
    .bind(member.0)
    .fetch_optional(&mut *conn)
    .await?;
    let (template, state, from, until) = row.ok_or(AppError::NotFound)?;
    if state != "available" || from > now.millis() || until <= now.millis() {
        return Err(AppError::NotUsable.into());
    }
    let t: TemplateRow = sqlx::query_as(&format!("SELECT {TEMPLATE_COLUMNS} FROM coupon_templates WHERE id = $1"))
        .bind(template)
        .fetch_one(&mut *conn)
        .await?;
    if !in_scope(conn, &t, tenant).await? {
        return Err(AppError::NotUsable.into());
    }
    let kind = CouponKind::parse(&t.kind).unwrap_or(CouponKind::Experience);
    let discount = match kind {
        CouponKind::AmountOff | CouponKind::Cash | CouponKind::Birthday => t.value_fen,
        CouponKind::PercentOff => {
            let off = amount.0 * t.percent_off / 100;
            if t.value_fen > 0 {
                off.min(t.value_fen)
            } else {
                off
            }
        }
        CouponKind::ThresholdOff if amount.0 >= t.threshold_fen => t.value_fen,
        _ => return Err(AppError::NotUsable.into()),
    };
    Ok(Fen(discount.min(amount.0).max(0)))
}

async fn in_scope(conn: &mut AnyConnection, t: &TemplateRow, tenant: Option<TenantId>) -> Result<bool> {
    let ids = t.scope_ids();
    Ok(match (t.scope_kind.as_str(), tenant) {
        ("mall", _) => true,
        ("tenant", Some(tenant)) => ids.contains(&tenant.0),
        ("category", Some(tenant)) => {
            let (category,): (i64,) = sqlx::query_as("SELECT category_id FROM tenants WHERE id = $1")
                .bind(tenant.0)
                .fetch_one(&mut *conn)
                .await?;
            ids.contains(&category)
        }
        _ => false,
    })
}

/// Holds the coupon for `reference` (an order or payment). Fails if it is not the member's,
/// not currently valid, or already held by anything.
pub async fn reserve(
    conn: &mut AnyConnection,
    coupon: i64,
    member: MemberId,
    reference: &str,
    now: Timestamp,
) -> Result<()> {
    let held = sqlx::query(
        "UPDATE coupons SET state = 'reserved', reserved_by = $1, reserved_at = $2 \
         WHERE id = $3 AND member_id = $4 AND state = 'available' AND valid_from <= $2 AND valid_until > $2",
    )
    .bind(reference)
    .bind(now.millis())
    .bind(coupon)
    .bind(member.0)
    .execute(&mut *conn)
    .await?;
    if held.rows_affected() != 1 {
        return Err(AppError::NotUsable.into());
    }
    event(conn, coupon, "reserved", reference, &Actor::Member(member), now).await?;
    audit::append(
        conn,
        Entry::new(&Actor::Member(member), "coupon.reserve")
            .member(member)
            .subject(format!("coupon:{coupon}"))
            .details(reference),
        now,
    )
    .await?;
    Ok(())
}

/// Uses the coupon reserved for `reference`. Repeating it for the same reference changes nothing.
pub async fn redeem(conn: &mut AnyConnection, coupon: i64, reference: &str, now: Timestamp) -> Result<()> {
    let used = sqlx::query(
        "UPDATE coupons SET state = 'redeemed', redeemed_at = $1, redeemed_ref = $2 \
         WHERE id = $3 AND state = 'reserved' AND reserved_by = $2",
    )
    .bind(now.millis())
    .bind(reference)
    .bind(coupon)
    .execute(&mut *conn)
    .await?;
    if used.rows_affected() != 1 {
        let (state, by): (String, Option<String>) =
            sqlx::query_as("SELECT state, redeemed_ref FROM coupons WHERE id = $1")
                .bind(coupon)
                .fetch_one(&mut *conn)
                .await?;
        return if state == "redeemed" && by.as_deref() == Some(reference) {
            Ok(())
        } else {
            Err(AppError::NotUsable.into())
        };
    }
    event(conn, coupon, "redeemed", reference, &Actor::System, now).await?;
    audit::append(
        conn,
        Entry::new(&Actor::System, "coupon.redeem").subject(format!("coupon:{coupon}")).details(reference),
        now,
    )
    .await?;
    Ok(())
}

/// Frees a coupon held for `reference` (order cancelled or timed out). Harmless to repeat.
pub async fn release(conn: &mut AnyConnection, coupon: i64, reference: &str, now: Timestamp) -> Result<bool> {
    let freed = sqlx::query(
        "UPDATE coupons SET state = 'available', reserved_by = NULL, reserved_at = NULL \
         WHERE id = $1 AND state = 'reserved' AND reserved_by = $2",
    )
    .bind(coupon)
    .bind(reference)
    .execute(&mut *conn)
    .await?;
    if freed.rows_affected() == 1 {
        event(conn, coupon, "released", reference, &Actor::System, now).await?;
        audit::append(
            conn,
            Entry::new(&Actor::System, "coupon.release").subject(format!("coupon:{coupon}")).details(reference),
            now,
        )
        .await?;
        return Ok(true);
    }
    Ok(false)
}
