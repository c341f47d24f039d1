//! Spending points (a tender in payments, the points mall) and operators' adjustments.

use super::account::{self, Balance, Movement};
use super::award::{credit, Credit};
use crate::audit::{self, Actor, Entry};
use crate::{Result, Timestamp};
use plaza_types::error::Field;
use plaza_types::{AppError, MemberId, TenantId};
use sqlx::AnyConnection;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spent {
    pub movement_id: i64,
    pub balance: Balance,
    /// The lots drawn on, closest expiry first.
    pub lots: Vec<(i64, i64)>,
}

/// Spends `points` of the member's available balance, from the lots closest to expiry, and
/// records which lots it used. Refused with `InsufficientPoints` (nothing changes) when the
/// balance is short; concurrent spends can never overdraw it.
#[allow(clippy::too_many_arguments)]
pub async fn spend(
    conn: &mut AnyConnection,
    member: MemberId,
    points: i64,
    tenant: Option<TenantId>,
    source: &str,
    reference: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<Spent> {
    let (spent, entry) = spend_unaudited(conn, member, points, tenant, source, reference, actor, now).await?;
    audit::append(conn, entry, now).await?;
    Ok(spent)
}

/// [`spend`] without its audit entry, which it returns for the caller to append in the same
/// transaction (with the caller's own, in one statement: a payment's creation).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn spend_unaudited(
    conn: &mut AnyConnection,
    member: MemberId,
    points: i64,
    tenant: Option<TenantId>,
    source: &str,
    reference: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<(Spent, Entry)> {
    if points <= 0 {
        return Err(AppError::invalid(Field::Amount).into());
    }
    // No separate lock first: the conditional update takes the account's row lock itself (and a
    // member without an account has nothing to spend).
    let Some(after) = account::take_available(conn, member, points).await? else {
        let have = account::balance(&mut *conn, member).await?.available.max(0);
        return Err(AppError::InsufficientPoints { available: have }.into());
    };
    let lots = account::draw_available(conn, member, points).await?;
    let drawn: i64 = lots.iter().map(|(_, p)| p).sum();
    if drawn != points {
        // The cache said yes but the lots disagree: never let that pass silently.
        return Err(crate::Error::internal(format!(
            "points lots of member {member} hold {drawn}, balance said {points}"
        )));
    }
    let movement = Movement {
        member,
        kind: "spend",
        points: -points,
        tenant,
        source,
        reference,
        reason: "",
        actor: &actor.label(),
    };
    let movement_id = account::record(conn, movement, after, now).await?;
    account::record_uses(conn, movement_id, &lots).await?;
    let entry = Entry::new(actor, "points.spend")
        .member(member)
        .tenant(tenant)
        .subject(format!("{source}:{reference}"))
        .amount(-points);
    Ok((Spent { movement_id, balance: after, lots }, entry))
}

/// An operator's manual change, with a mandatory reason: a positive `points` grants a new
/// available lot; a negative one takes points like a spend (never below zero).
pub async fn adjust(
    conn: &mut AnyConnection,
    member: MemberId,
    points: i64,
    reason: &str,
    operator: &Actor,
    now: Timestamp,
) -> Result<Balance> {
    let reason = reason.trim();
    if reason.chars().count() < 2 {
        return Err(AppError::invalid(Field::Reason).into());
    }
    if points == 0 || points.abs() > 10_000_000 {
        return Err(AppError::invalid(Field::Amount).into());
    }
    if points > 0 {
        let grant = Credit { member, points, source: "adjust", reference: "", reason };
        return credit(conn, &grant, operator, now).await;
    }
    let taken = -points;
    account::lock(conn, member, now).await?;
    let Some(after) = account::take_available(conn, member, taken).await? else {
        let have = account::balance(&mut *conn, member).await?.available.max(0);
        return Err(AppError::InsufficientPoints { available: have }.into());
    };
    let lots = account::draw_available(conn, member, taken).await?;
    let movement = Movement {
        member,
        kind: "adjust",
        points,
        tenant: None,
        source: "adjust",
        reference: "",
        reason,
        actor: &operator.label(),
    };
    let id = account::record(conn, movement, after, now).await?;
    account::record_uses(conn, id, &lots).await?;
    let entry = Entry::new(operator, "points.adjust").member(member).amount(points).reason(reason);
    audit::append(conn, entry, now).await?;
    Ok(after)
}
