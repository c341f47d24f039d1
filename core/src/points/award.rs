//! Earning points for a purchase, and giving them back when it is refunded.

use super::account::{self, Balance, Movement};
use super::earning_context::EarningContext;
use super::policy::{NegativeBalance, PointsPolicy};
use crate::audit::{self, Actor, Entry};
use crate::MallTz;
use crate::{levels, mall, settings, Result, Timestamp};
use plaza_types::error::Field;
use plaza_types::{AppError, Fen, MemberId, TenantId};
use sqlx::AnyConnection;

/// A completed purchase that earns points.
#[derive(Clone, Debug)]
pub struct Award {
    pub member: MemberId,
    pub tenant: Option<TenantId>,
    pub amount: Fen,
    /// What kind of purchase: `plate_pay`, `dining`, `mall`, `receipt`, `notification`, …
    pub source: &'static str,
    /// The purchase's own id in that source (payment number, receipt id): the idempotency key.
    pub external_ref: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwardOutcome {
    pub award_id: i64,
    pub points: i64,
    /// Points the daily cap kept back.
    pub capped: i64,
    /// True when this purchase had already been awarded: nothing changed.
    pub duplicate: bool,
    pub matures_at: Timestamp,
}

/// Points for `amount`: fen × rate × level multiplier × campaign multiplier, rounded down once.
pub fn points_for(amount: Fen, rate_milli: i64, level_pct: i64, campaign_pct: i64) -> i64 {
    let product = amount.0.max(0) as i128 * rate_milli as i128 * level_pct as i128 * campaign_pct as i128;
    (product / (100 * 1000 * 100 * 100)) as i64
}

/// Awards the points a purchase earns, once per `(source, external_ref)`: a second call with the
/// same key changes nothing and reports the first award. The points are pending until the refund
/// window closes. Also records the qualifying spend (upgrading the level if reached) and, on the
/// member's first purchase, rewards whoever invited them.
pub async fn award_for_purchase(conn: &mut AnyConnection, award: &Award, now: Timestamp) -> Result<AwardOutcome> {
    if award.amount.0 < 0 || award.external_ref.is_empty() {
        return Err(AppError::invalid(Field::Amount).into());
    }
    // An award made before is found by the insert below (its conflict), not by a read first: one
    // statement fewer on every purchase; a repeat only reads its context in vain before that.
    // A sub-card holder's points land on the main card; the award remembers who bought.
    let beneficiary = crate::membership::beneficiary(conn, award.member, now).await?;
    account::lock(conn, beneficiary, now).await?;
    let context = EarningContext::read(conn, award.tenant, beneficiary, now).await?;
    let EarningContext { ref policy, ref tz, .. } = context;
    let earned = points_for(award.amount, context.rate_milli, context.level_pct, context.campaign_pct);

    let day = now.local_date(tz);
    let granted = match policy.daily_earn_cap {
        Some(cap) => earned.min((cap - context.earned_on(&day)).max(0)),
        None => earned,
    };
    let matures_at = now.plus_secs(policy.refund_window_days * 86_400);

    let inserted: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO points_awards (member_id, earner_id, tenant_id, source, external_ref, amount_fen, points, created_at) \
         VALUES ($1, $8, $2, $3, $4, $5, $6, $7) ON CONFLICT (source, external_ref) DO NOTHING RETURNING id",
    )
    .bind(beneficiary.0)
    .bind(award.tenant.map(|t| t.0))
    .bind(award.source)
    .bind(&award.external_ref)
    .bind(award.amount.0)
    .bind(granted)
    .bind(now.millis())
    .bind(award.member.0)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((award_id,)) = inserted else {
        // Awarded before (a repeated call, or another transaction just now): report that one.
        return existing(conn, award.source, &award.external_ref)
            .await?
            .ok_or_else(|| crate::Error::internal("award vanished"));
    };

    if granted > 0 {
        sqlx::query(
            "INSERT INTO points_daily_earned (member_id, day, points) VALUES ($1, $2, $3) \
             ON CONFLICT (member_id, day) DO UPDATE SET points = points_daily_earned.points + excluded.points",
        )
        .bind(beneficiary.0)
        .bind(&day)
        .bind(granted)
        .execute(&mut *conn)
        .await?;
        new_lot(conn, beneficiary, Some(award_id), award.source, award.tenant, granted, now, matures_at, tz).await?;
        let after = account::shift(conn, beneficiary, 0, granted, 0).await?;
        let movement = Movement {
            member: beneficiary,
            kind: "earn",
            points: granted,
            tenant: award.tenant,
            source: award.source,
            reference: &award.external_ref,
            reason: "",
            actor: "system",
        };
        account::record(conn, movement, after, now).await?;
    }
    levels::record_spend(conn, beneficiary, Some(award_id), award.amount, now).await?;
    let entry = Entry::new(&Actor::System, "points.award")
        .member(beneficiary)
        .tenant(award.tenant)
        .subject(format!("{}:{}", award.source, award.external_ref))
        .amount(granted)
        .details(format!("amount_fen={} earned={earned} capped={}", award.amount.0, earned - granted));
    audit::append(conn, entry, now).await?;
    Ok(AwardOutcome { award_id, points: granted, capped: earned - granted, duplicate: false, matures_at })
}

async fn existing(conn: &mut AnyConnection, source: &str, external_ref: &str) -> Result<Option<AwardOutcome>> {
    let row: Option<(i64, i64, i64)> =
        sqlx::query_as("SELECT id, points, created_at FROM points_awards WHERE source = $1 AND external_ref = $2")
            .bind(source)
            .bind(external_ref)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((award_id, points, _)) = row else { return Ok(None) };
    let (matures_at,): (Option<i64>,) = sqlx::query_as("SELECT MIN(matures_at) FROM points_lots WHERE award_id = $1")
        .bind(award_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(Some(AwardOutcome {
        award_id,
        points,
        capped: 0,
        duplicate: true,
        matures_at: Timestamp(matures_at.unwrap_or_default()),
    }))
}

#[allow(clippy::too_many_arguments)]
async fn new_lot(
    conn: &mut AnyConnection,
    member: MemberId,
    award: Option<i64>,
    source: &str,
    tenant: Option<TenantId>,
    points: i64,
    now: Timestamp,
    matures_at: Timestamp,
    tz: &MallTz,
) -> Result<i64> {
    let state = if matures_at <= now { "available" } else { "pending" };
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO points_lots (member_id, award_id, source, tenant_id, earned, remaining, state, earned_at, matures_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(member.0)
    .bind(award)
    .bind(source)
    .bind(tenant.map(|t| t.0))
    .bind(points)
    .bind(state)
    .bind(now.millis())
    .bind(matures_at.millis())
    .bind(account::expiry_for(now, tz).millis())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// Points granted outright, spendable at once.
#[derive(Clone, Debug)]
pub struct Credit<'a> {
    pub member: MemberId,
    pub points: i64,
    /// `checkin`, `invite`, `adjust`, `campaign`, …
    pub source: &'static str,
    pub reference: &'a str,
    pub reason: &'a str,
}

/// Credits points that are spendable at once (check-in, invites, operator grants, campaigns):
/// a new available lot; an outstanding debt is paid from it first.
pub async fn credit(conn: &mut AnyConnection, grant: &Credit<'_>, actor: &Actor, now: Timestamp) -> Result<Balance> {
    let Credit { member, points, source, reference, reason } = *grant;
    if points <= 0 {
        return Err(AppError::invalid(Field::Amount).into());
    }
    account::lock(conn, member, now).await?;
    let tz = mall::timezone_in(&mut *conn).await?;
    let lot = new_lot(conn, member, None, source, None, points, now, now, &tz).await?;
    let mut after = account::shift(conn, member, points, 0, 0).await?;
    let movement = Movement {
        member,
        kind: if source == "adjust" { "adjust" } else { "earn" },
        points,
        tenant: None,
        source,
        reference,
        reason,
        actor: &actor.label(),
    };
    account::record(conn, movement, after, now).await?;
    if after.debt > 0 {
        after = recover_debt(conn, member, lot, now).await?;
    }
    // An operator's manual grant is an adjustment, like a deduction; other grants are credits.
    let action = if source == "adjust" { "points.adjust" } else { "points.credit" };
    let entry =
        Entry::new(actor, action).member(member).subject(format!("{source}:{reference}")).amount(points).reason(reason);
    audit::append(conn, entry, now).await?;
    Ok(after)
}

/// Pays an outstanding debt from a lot that just became available.
pub(crate) async fn recover_debt(
    conn: &mut AnyConnection,
    member: MemberId,
    lot: i64,
    now: Timestamp,
) -> Result<Balance> {
    let current = account::balance(&mut *conn, member).await?;
    let took = account::take_from_lot(conn, lot, current.debt, "spent").await?;
    if took == 0 {
        return Ok(current);
    }
    // Lots − debt is unchanged: both fall by the same amount.
    let after = account::shift(conn, member, 0, 0, -took).await?;
    let movement = Movement {
        member,
        kind: "debt",
        points: took,
        tenant: None,
        source: "debt_recovery",
        reference: "",
        reason: "",
        actor: "system",
    };
    let id = account::record(conn, movement, after, now).await?;
    account::record_uses(conn, id, &[(lot, took)]).await?;
    Ok(after)
}

/// Takes back the points a purchase earned, in proportion to the refunded amount, once per
/// `refund_ref`. The purchase's own lot gives first; points already spent come from the other
/// available lots, and beyond those the policy decides: a negative balance repaid from future
/// earnings (default), or a write-off. Returns the points reversed by this refund.
pub async fn reverse_for_refund(
    conn: &mut AnyConnection,
    source: &str,
    external_ref: &str,
    refund_ref: &str,
    refunded: Fen,
    now: Timestamp,
) -> Result<i64> {
    let award: Option<(i64, i64, Option<i64>)> =
        sqlx::query_as("SELECT id, member_id, tenant_id FROM points_awards WHERE source = $1 AND external_ref = $2")
            .bind(source)
            .bind(external_ref)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((award_id, member, tenant)) = award else { return Ok(0) };
    let (member, tenant) = (MemberId(member), tenant.map(TenantId));
    account::lock(conn, member, now).await?;
    let fresh: Option<(String,)> = sqlx::query_as(
        "INSERT INTO points_refunds (refund_ref, award_id, refunded_fen, points, created_at) VALUES ($1, $2, $3, 0, $4) \
         ON CONFLICT (refund_ref) DO NOTHING RETURNING refund_ref",
    )
    .bind(refund_ref)
    .bind(award_id)
    .bind(refunded.0)
    .bind(now.millis())
    .fetch_optional(&mut *conn)
    .await?;
    if fresh.is_none() {
        let (points,): (i64,) = sqlx::query_as("SELECT points FROM points_refunds WHERE refund_ref = $1")
            .bind(refund_ref)
            .fetch_one(&mut *conn)
            .await?;
        return Ok(points);
    }
    let row: Option<(i64, i64, i64, i64)> = sqlx::query_as(
        "UPDATE points_awards SET refunded_fen = refunded_fen + $1 WHERE id = $2 AND refunded_fen + $1 <= amount_fen \
         RETURNING refunded_fen, amount_fen, points, reversed_points",
    )
    .bind(refunded.0)
    .bind(award_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((refunded_total, amount, points, reversed_before)) = row else {
        return Err(AppError::invalid(Field::Amount).into());
    };
    let target = if refunded_total >= amount || amount == 0 {
        points
    } else {
        ((points as i128 * refunded_total as i128) / amount as i128) as i64
    };
    let delta = target - reversed_before;
    sqlx::query("UPDATE points_awards SET reversed_points = $1 WHERE id = $2")
        .bind(target)
        .bind(award_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE points_refunds SET points = $1 WHERE refund_ref = $2")
        .bind(delta)
        .bind(refund_ref)
        .execute(&mut *conn)
        .await?;
    levels::record_spend(conn, member, Some(award_id), Fen(-refunded.0), now).await?;
    if delta > 0 {
        take_back(conn, member, tenant, award_id, delta, refund_ref, now).await?;
    }
    let entry = Entry::new(&Actor::System, "points.reverse")
        .member(member)
        .tenant(tenant)
        .subject(format!("{source}:{external_ref}"))
        .amount(-delta)
        .details(format!("refund={refund_ref} refunded_fen={}", refunded.0));
    audit::append(conn, entry, now).await?;
    Ok(delta)
}

async fn take_back(
    conn: &mut AnyConnection,
    member: MemberId,
    tenant: Option<TenantId>,
    award_id: i64,
    points: i64,
    refund_ref: &str,
    now: Timestamp,
) -> Result<()> {
    let mut uses = Vec::new();
    let (mut from_pending, mut from_available) = (0, 0);
    // The purchase's own lot first, whatever its state.
    let lots: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, state, remaining FROM points_lots WHERE award_id = $1 AND remaining > 0 AND state IN ('pending', 'available')",
    )
    .bind(award_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut left = points;
    for (lot, state, remaining) in lots {
        let took = account::take_known(conn, lot, remaining, left, "reversed").await?;
        if took > 0 {
            uses.push((lot, took));
            left -= took;
            if state == "pending" {
                from_pending += took;
            } else {
                from_available += took;
            }
        }
    }
    // Then whatever else is available, closest expiry first.
    if left > 0 {
        for (lot, took) in account::draw_available(conn, member, left).await? {
            uses.push((lot, took));
            left -= took;
            from_available += took;
        }
    }
    let policy: PointsPolicy = settings::get(&mut *conn).await?;
    let (debt, written_off) = match (left, policy.negative_balance) {
        (0, _) => (0, 0),
        (rest, NegativeBalance::Allow) => (rest, 0),
        (rest, NegativeBalance::Clamp) => (0, rest),
    };
    let after = account::shift(conn, member, -(from_available + debt), -from_pending, debt).await?;
    let reason = if written_off > 0 { format!("written_off={written_off}") } else { String::new() };
    let movement = Movement {
        member,
        kind: "reverse",
        points: -(points - written_off),
        tenant,
        source: "refund",
        reference: refund_ref,
        reason: &reason,
        actor: "system",
    };
    let id = account::record(conn, movement, after, now).await?;
    account::record_uses(conn, id, &uses).await
}

#[cfg(test)]
mod tests {
    use super::points_for;
    use plaza_types::Fen;

    #[test]
    fn one_point_per_yuan_rounded_down_once() {
        assert_eq!(points_for(Fen(1999), 1000, 100, 100), 19);
        assert_eq!(points_for(Fen(1999), 1000, 150, 100), 29, "gold ×1.5 on ¥19.99");
        assert_eq!(points_for(Fen(1000), 1000, 120, 200), 24, "silver ×1.2, double points day");
        assert_eq!(points_for(Fen(99), 1000, 100, 100), 0);
        assert_eq!(points_for(Fen(100_000_000), 1000, 200, 300), 6_000_000);
        assert_eq!(points_for(Fen(-5), 1000, 100, 100), 0);
    }
}
