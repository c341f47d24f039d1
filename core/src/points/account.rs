//! The member's points account and the ledger primitives the rest of the module builds on.
//! Everything here runs inside the caller's write transaction.

use crate::{MallTz, Result, Timestamp};
use plaza_types::{MemberId, TenantId};
use serde::{Deserialize, Serialize};
use sqlx::{Any, AnyConnection, Executor};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    /// Spendable points; negative while a debt from a refund is outstanding.
    pub available: i64,
    /// Earned but still inside the refund window.
    pub pending: i64,
    pub debt: i64,
}

pub async fn balance<'c, E: Executor<'c, Database = Any>>(executor: E, member: MemberId) -> Result<Balance> {
    let row: Option<(i64, i64, i64)> =
        sqlx::query_as("SELECT available, pending, debt FROM points_accounts WHERE member_id = $1")
            .bind(member.0)
            .fetch_optional(executor)
            .await?;
    Ok(row.map(|(available, pending, debt)| Balance { available, pending, debt }).unwrap_or_default())
}

/// Creates the account if needed and takes its row lock (on PostgreSQL), so one member's points
/// operations run one after another while other members' run in parallel.
pub(crate) async fn lock(conn: &mut AnyConnection, member: MemberId, now: Timestamp) -> Result<Balance> {
    // One statement: the upsert's update takes the row lock on PostgreSQL as a plain UPDATE does.
    let (available, pending, debt): (i64, i64, i64) = sqlx::query_as(
        "INSERT INTO points_accounts (member_id, updated_at) VALUES ($1, $2) \
         ON CONFLICT (member_id) DO UPDATE SET updated_at = excluded.updated_at RETURNING available, pending, debt",
    )
    .bind(member.0)
    .bind(now.millis())
    .fetch_one(&mut *conn)
    .await?;
    Ok(Balance { available, pending, debt })
}

/// Applies deltas to the cached balance (the lots were changed by the caller).
pub(crate) async fn shift(
    conn: &mut AnyConnection,
    member: MemberId,
    available: i64,
    pending: i64,
    debt: i64,
) -> Result<Balance> {
    let (available, pending, debt): (i64, i64, i64) = sqlx::query_as(
        "UPDATE points_accounts SET available = available + $1, pending = pending + $2, debt = debt + $3 \
         WHERE member_id = $4 RETURNING available, pending, debt",
    )
    .bind(available)
    .bind(pending)
    .bind(debt)
    .bind(member.0)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Balance { available, pending, debt })
}

/// Takes `points` from the available balance only if there are that many: the conditional update
/// that makes overdrawing impossible however many spends race.
pub(crate) async fn take_available(conn: &mut AnyConnection, member: MemberId, points: i64) -> Result<Option<Balance>> {
    let row: Option<(i64, i64, i64)> = sqlx::query_as(
        "UPDATE points_accounts SET available = available - $1 WHERE member_id = $2 AND available >= $1 \
         RETURNING available, pending, debt",
    )
    .bind(points)
    .bind(member.0)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(available, pending, debt)| Balance { available, pending, debt }))
}

/// A line of the ledger.
pub(crate) struct Movement<'a> {
    pub member: MemberId,
    pub kind: &'static str,
    pub points: i64,
    pub tenant: Option<TenantId>,
    pub source: &'a str,
    pub reference: &'a str,
    pub reason: &'a str,
    pub actor: &'a str,
}

pub(crate) async fn record(conn: &mut AnyConnection, m: Movement<'_>, after: Balance, now: Timestamp) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO points_movements (member_id, kind, points, available_after, pending_after, tenant_id, source, ref, reason, actor, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(m.member.0)
    .bind(m.kind)
    .bind(m.points)
    .bind(after.available)
    .bind(after.pending)
    .bind(m.tenant.map(|t| t.0))
    .bind(m.source)
    .bind(m.reference)
    .bind(m.reason)
    .bind(m.actor)
    .bind(now.millis())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub(crate) async fn record_uses(conn: &mut AnyConnection, movement: i64, uses: &[(i64, i64)]) -> Result<()> {
    // One multi-row statement per 300 uses (a spend usually draws on one or two lots).
    for chunk in uses.chunks(300) {
        let values =
            (0..chunk.len()).map(|i| format!("($1, ${}, ${})", 2 * i + 2, 2 * i + 3)).collect::<Vec<_>>().join(", ");
        let sql = format!("INSERT INTO points_lot_uses (movement_id, lot_id, points) VALUES {values}");
        let mut insert = sqlx::query(&sql).bind(movement);
        for (lot, points) in chunk {
            insert = insert.bind(lot).bind(points);
        }
        insert.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Takes up to `wanted` points from one lot; returns what it took. A lot emptied this way is
/// `spent_state` ('spent' or 'reversed').
pub(crate) async fn take_from_lot(conn: &mut AnyConnection, lot: i64, wanted: i64, spent_state: &str) -> Result<i64> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT remaining FROM points_lots WHERE id = $1").bind(lot).fetch_optional(&mut *conn).await?;
    let Some((remaining,)) = row else { return Ok(0) };
    take_known(conn, lot, remaining, wanted, spent_state).await
}

/// As [`take_from_lot`], for a lot whose `remaining` the caller read under the member's account
/// lock (every change to a member's lots holds it, so the figure is still true): one statement
/// instead of a read and a write. Refused as an internal error if the lot disagrees.
pub(crate) async fn take_known(
    conn: &mut AnyConnection,
    lot: i64,
    remaining: i64,
    wanted: i64,
    spent_state: &str,
) -> Result<i64> {
    let take = remaining.min(wanted);
    if take <= 0 {
        return Ok(0);
    }
    let changed = sqlx::query(
        "UPDATE points_lots SET remaining = remaining - $1, state = CASE WHEN remaining - $1 = 0 THEN $2 ELSE state END \
         WHERE id = $3 AND remaining = $4",
    )
    .bind(take)
    .bind(spent_state)
    .bind(lot)
    .bind(remaining)
    .execute(&mut *conn)
    .await?;
    if changed.rows_affected() != 1 {
        return Err(crate::Error::internal(format!("points lot {lot} changed outside its account's lock")));
    }
    Ok(take)
}

/// Draws up to `points` from the member's available lots, closest expiry first (then oldest).
/// Returns the lots used; their sum is less than `points` only if the lots run out. The caller
/// holds the account lock.
pub(crate) async fn draw_available(conn: &mut AnyConnection, member: MemberId, points: i64) -> Result<Vec<(i64, i64)>> {
    let lots: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT id, remaining FROM points_lots WHERE member_id = $1 AND state = 'available' AND remaining > 0 \
         ORDER BY expires_at, id",
    )
    .bind(member.0)
    .fetch_all(&mut *conn)
    .await?;
    let mut left = points;
    let mut uses = Vec::new();
    for (lot, remaining) in lots {
        if left == 0 {
            break;
        }
        let took = take_known(conn, lot, remaining, left, "spent").await?;
        if took > 0 {
            uses.push((lot, took));
            left -= took;
        }
    }
    Ok(uses)
}

/// Points earned in one calendar year expire at the end of the next (mall time).
pub fn expiry_for(earned_at: Timestamp, tz: &MallTz) -> Timestamp {
    let year = tz.zoned(earned_at).year() + 2;
    jiff::civil::date(year, 1, 1)
        .to_zoned(tz.jiff_tz())
        .map(|z| Timestamp(z.timestamp().as_millisecond()))
        .unwrap_or(Timestamp(i64::MAX / 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_live_until_the_end_of_the_next_year() {
        // Earned 2026-11-22 in Shanghai → expires 2028-01-01 00:00 Shanghai = 2027-12-31 16:00 UTC.
        let earned = Timestamp(1_795_311_000_000);
        assert_eq!(expiry_for(earned, &MallTz::shanghai()), Timestamp(1_830_268_800_000));
    }
}
