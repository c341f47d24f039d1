//! Buying and renewing a paid membership through the payment engine: the membership purpose
//! (above the engine, while `membership` itself — tiers, status, sub-cards — sits below it). The payment's
//! completion calls [`fulfil`] inside its own transaction; the period row is unique per payment,
//! so the period and its gift pack are granted exactly once per purchase.

use crate::audit::{self, Actor, Entry};
use crate::coupons::packs;
use crate::membership::tiers;
use crate::payments::{self, Created, Details, Fulfilled, NewPayment, Payment, PaymentProvider, Purpose};
use crate::{Db, Result, Timestamp, WriteTx};
use async_trait::async_trait;
use plaza_types::{AppError, Fen, MemberId, TenantId};
use std::sync::Arc;

/// A membership payment's own row: the tier bought.
#[derive(Debug)]
pub struct MembershipDetails {
    pub tier_id: i64,
}

#[async_trait]
impl Details for MembershipDetails {
    fn purpose(&self) -> Purpose {
        Purpose::Membership
    }

    fn tenant(&self) -> Option<TenantId> {
        None
    }

    async fn record(&self, tx: &mut WriteTx, payment_id: i64, _now: Timestamp) -> Result<()> {
        sqlx::query("INSERT INTO membership_purchases (payment_id, tier_id) VALUES ($1, $2)")
            .bind(payment_id)
            .bind(self.tier_id)
            .execute(&mut ***tx)
            .await?;
        Ok(())
    }
}

/// Starts the purchase (or renewal) of `tier` for `member`; refused while `member` is bound as
/// someone's sub-card (see `subcards::refuse_if_bound`).
pub async fn buy(
    db: &Db,
    provider: &dyn PaymentProvider,
    member: MemberId,
    tier: i64,
    use_stored_value: bool,
    request_key: &str,
    now: Timestamp,
) -> Result<Created> {
    crate::membership::subcards::refuse_if_bound(db, member).await?;
    let t = tiers::load(db.pool(), tier).await?.ok_or(AppError::NotFound)?;
    if t.status != "active" {
        return Err(AppError::NotUsable.into());
    }
    let new = NewPayment {
        member,
        details: Arc::new(MembershipDetails { tier_id: t.id }),
        subject: t.name_zh.clone(),
        amount: Fen(t.price_fen),
        coupon: None,
        use_points: false,
        use_stored_value,
        request_key: request_key.to_string(),
    };
    payments::create(db, provider, &new, now).await
}

/// Grants the paid period: a renewal of a running membership of the same tier extends from its
/// current end; otherwise the new period starts now. Issues the first-purchase or renewal pack.
pub async fn fulfil(tx: &mut WriteTx, p: &Payment, now: Timestamp) -> Result<Fulfilled> {
    let (tier_id,): (i64,) = sqlx::query_as("SELECT tier_id FROM membership_purchases WHERE payment_id = $1")
        .bind(p.id)
        .fetch_optional(&mut ***tx)
        .await?
        .ok_or_else(|| crate::Error::internal(format!("membership payment {} has no purchase row", p.payment_no)))?;
    let conn = &mut ***tx;
    let tier = tiers::load(&mut *conn, tier_id).await?.ok_or_else(|| crate::Error::internal("tier vanished"))?;
    let member = MemberId(p.member_id);
    let current: Option<(i64, i64)> = sqlx::query_as("SELECT tier_id, ends_at FROM memberships WHERE member_id = $1")
        .bind(member.0)
        .fetch_optional(&mut *conn)
        .await?;
    let (has_paid_before,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM membership_periods WHERE member_id = $1")
        .bind(member.0)
        .fetch_one(&mut *conn)
        .await?;
    let start = match current {
        Some((t, ends_at)) if t == tier_id && ends_at > now.millis() => Timestamp(ends_at),
        _ => now,
    };
    let end = start.plus_secs(tier.term_days * 86_400);
    let kind = if has_paid_before > 0 { "renewal" } else { "first" };
    let pack = if kind == "first" { tier.first_pack_id } else { tier.renewal_pack_id };
    let inserted: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO membership_periods (member_id, tier_id, payment_id, kind, period_start, period_end, pack_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (payment_id) DO NOTHING RETURNING id",
    )
    .bind(member.0)
    .bind(tier_id)
    .bind(p.id)
    .bind(kind)
    .bind(start.millis())
    .bind(end.millis())
    .bind(pack)
    .bind(now.millis())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((period,)) = inserted else { return Ok(Fulfilled::default()) };
    sqlx::query(
        "INSERT INTO memberships (member_id, tier_id, started_at, ends_at, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (member_id) DO UPDATE SET tier_id = excluded.tier_id, \
         started_at = CASE WHEN memberships.ends_at > $5 AND memberships.tier_id = excluded.tier_id THEN memberships.started_at ELSE excluded.started_at END, \
         ends_at = excluded.ends_at, reminded_for = NULL, lapsed_at = NULL, updated_at = excluded.updated_at",
    )
    .bind(member.0)
    .bind(tier_id)
    .bind(start.millis())
    .bind(end.millis())
    .bind(now.millis())
    .execute(&mut *conn)
    .await?;
    let issued = match pack {
        Some(pack) => packs::issue(conn, pack, member, &format!("gift_pack:{}", p.payment_no), now).await?,
        None => 0,
    };
    sqlx::query("UPDATE membership_periods SET coupons_issued = $1 WHERE id = $2")
        .bind(issued)
        .bind(period)
        .execute(&mut *conn)
        .await?;
    let entry = Entry::new(&Actor::System, "membership.period")
        .member(member)
        .subject(format!("tier:{}", tier.code))
        .amount(p.amount_fen)
        .details(format!("{kind} until {} pack_coupons={issued}", end.millis()));
    audit::append(conn, entry, now).await?;
    Ok(Fulfilled::default())
}
