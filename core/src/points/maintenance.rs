//! Points becoming available when the refund window closes, and expiring at the end of the
//! following year. Run by durable jobs; each lot changes in its own small transaction, so a crash
//! part-way loses nothing and a second run finds nothing left to do.

use super::account::{self, Movement};
use super::award::recover_debt;
use crate::audit::{self, Actor, Entry};
use crate::{Db, Result, Timestamp};
use plaza_types::MemberId;

const BATCH: i64 = 500;

/// Makes every pending lot whose refund window has closed available. Returns how many.
pub async fn mature_due(db: &Db, now: Timestamp) -> Result<u64> {
    let mut done = 0;
    loop {
        let due: Vec<(i64,)> = sqlx::query_as(
            "SELECT id FROM points_lots WHERE state = 'pending' AND matures_at <= $1 ORDER BY matures_at, id LIMIT $2",
        )
        .bind(now.millis())
        .bind(BATCH)
        .fetch_all(db.pool())
        .await?;
        if due.is_empty() {
            return Ok(done);
        }
        for (lot,) in due {
            if mature_one(db, lot, now).await? {
                done += 1;
            }
        }
    }
}

async fn mature_one(db: &Db, lot: i64, now: Timestamp) -> Result<bool> {
    let mut tx = db.begin_write().await?;
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT member_id FROM points_lots WHERE id = $1").bind(lot).fetch_optional(&mut **tx).await?;
    let Some((member,)) = row else { return Ok(false) };
    let member = MemberId(member);
    account::lock(&mut tx, member, now).await?;
    let matured: Option<(i64, String, Option<i64>)> = sqlx::query_as(
        "UPDATE points_lots SET state = 'available' WHERE id = $1 AND state = 'pending' AND matures_at <= $2 \
         RETURNING remaining, source, tenant_id",
    )
    .bind(lot)
    .bind(now.millis())
    .fetch_optional(&mut **tx)
    .await?;
    let Some((points, source, tenant)) = matured else { return Ok(false) };
    let after = account::shift(&mut tx, member, points, -points, 0).await?;
    if points > 0 {
        let movement = Movement {
            member,
            kind: "mature",
            points,
            tenant: tenant.map(plaza_types::TenantId),
            source: &source,
            reference: "",
            reason: "",
            actor: "system",
        };
        let id = account::record(&mut tx, movement, after, now).await?;
        account::record_uses(&mut tx, id, &[(lot, points)]).await?;
        if after.debt > 0 {
            recover_debt(&mut tx, member, lot, now).await?;
        }
    }
    tx.commit().await?;
    Ok(true)
}

/// Expires every lot past its expiry date. Returns how many.
pub async fn expire_due(db: &Db, now: Timestamp) -> Result<u64> {
    let mut done = 0;
    loop {
        let due: Vec<(i64,)> = sqlx::query_as(
            "SELECT id FROM points_lots WHERE state IN ('pending', 'available') AND expires_at <= $1 ORDER BY expires_at, id LIMIT $2",
        )
        .bind(now.millis())
        .bind(BATCH)
        .fetch_all(db.pool())
        .await?;
        if due.is_empty() {
            return Ok(done);
        }
        for (lot,) in due {
            if expire_one(db, lot, now).await? {
                done += 1;
            }
        }
    }
}

async fn expire_one(db: &Db, lot: i64, now: Timestamp) -> Result<bool> {
    let mut tx = db.begin_write().await?;
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT member_id FROM points_lots WHERE id = $1").bind(lot).fetch_optional(&mut **tx).await?;
    let Some((member,)) = row else { return Ok(false) };
    let member = MemberId(member);
    // Every change to a member's lots happens under the account lock, so what we read next
    // stays true until commit.
    account::lock(&mut tx, member, now).await?;
    let (state, held, expires_at): (String, i64, i64) =
        sqlx::query_as("SELECT state, remaining, expires_at FROM points_lots WHERE id = $1")
            .bind(lot)
            .fetch_one(&mut **tx)
            .await?;
    if !(state == "pending" || state == "available") || expires_at > now.millis() {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE points_lots SET state = 'expired', remaining = 0 WHERE id = $1 AND state = $2 AND remaining = $3",
    )
    .bind(lot)
    .bind(&state)
    .bind(held)
    .execute(&mut **tx)
    .await?;
    if held > 0 {
        let (available, pending) = if state == "available" { (-held, 0) } else { (0, -held) };
        let after = account::shift(&mut tx, member, available, pending, 0).await?;
        let movement = Movement {
            member,
            kind: "expire",
            points: -held,
            tenant: None,
            source: "expiry",
            reference: "",
            reason: "",
            actor: "system",
        };
        let id = account::record(&mut tx, movement, after, now).await?;
        account::record_uses(&mut tx, id, &[(lot, held)]).await?;
        let entry =
            Entry::new(&Actor::System, "points.expire").member(member).subject(format!("lot:{lot}")).amount(-held);
        audit::append(&mut tx, entry, now).await?;
    }
    tx.commit().await?;
    Ok(true)
}
