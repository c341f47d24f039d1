//! Points becoming available when the refund window closes, and expiring at the end of the
//! following year. Run by durable jobs; each lot changes in its own small transaction, so a crash
//! part-way loses nothing and a second run finds nothing left to do.

use super::account::{self, Movement};
use super::award::recover_debt;
use crate::audit::{self, Actor, Entry};
use crate::{Backend, Db, Result, Timestamp};
use plaza_platform::placeholders::Placeholders;
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

/// Lots expired per transaction: at a million members the new year expires about 1.75 million
/// lots at once. 2,000 per transaction holds the one SQLite writer for about 80 ms at a time (at
/// 100,000 members: 1,000 took 9.7 s for the year's 175,000 lots, 2,000 took 6.8 s, 4,000 5.3 s).
const EXPIRY_BATCH: i64 = 2_000;

/// Expires every lot past its expiry date. Returns how many. Each batch of lots is one
/// transaction of set-wise statements (not one transaction per lot): at a million members the
/// new year expires millions of lots at once (docs/decisions/0023-scale.md).
pub async fn expire_due(db: &Db, now: Timestamp) -> Result<u64> {
    let mut done = 0;
    // The first and last due lot, from the partial index of open lots by expiry (migration
    // 0025): on an ordinary day a few old lots, and nothing to walk when none is due.
    let (first, last): (Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT MIN(id), MAX(id) FROM points_lots WHERE state IN ('pending', 'available') AND expires_at <= $1",
    )
    .bind(now.millis())
    .fetch_one(db.pool())
    .await?;
    let (Some(first), Some(last)) = (first, last) else { return Ok(0) };
    // Then walked by id between them, from where the last batch ended, each lot visited once.
    // Asked for the due lots in id order, the expiry index would have both databases read and
    // sort every remaining due lot for each batch — quadratic at the new year, when 1.75 million
    // lots expire together. PostgreSQL walks the primary key by itself here; SQLite's planner
    // prefers the index and must be told not to (`NOT INDEXED` still allows the rowid range).
    let table = match db.backend() {
        Backend::Sqlite => "points_lots NOT INDEXED",
        Backend::Postgres => "points_lots",
    };
    let sql = format!(
        "SELECT id, member_id FROM {table} WHERE id >= $1 AND id <= $2 AND state IN ('pending', 'available') \
         AND expires_at <= $3 ORDER BY id LIMIT $4"
    );
    let mut from = first;
    loop {
        let due: Vec<(i64, i64)> = sqlx::query_as(&sql)
            .bind(from)
            .bind(last)
            .bind(now.millis())
            .bind(EXPIRY_BATCH)
            .fetch_all(db.pool())
            .await?;
        let Some((end, _)) = due.last() else { return Ok(done) };
        from = end + 1;
        done += expire_batch(db, &due, now).await?;
    }
}

/// Per member: points leaving available, leaving pending, and the (lot, points) they leave from.
type Leaving = (i64, i64, Vec<(i64, i64)>);

async fn expire_batch(db: &Db, due: &[(i64, i64)], now: Timestamp) -> Result<u64> {
    let members: std::collections::BTreeSet<i64> = due.iter().map(|(_, m)| *m).collect();
    let members: Vec<i64> = members.into_iter().collect();
    let mut tx = db.begin_write().await?;
    // Every statement below is built for the batch's size; its placeholders are `?` on SQLite
    // (plaza_platform::placeholders: `$n` names cost SQLite a linear search per value).
    let fresh = || Placeholders::new(db.backend());
    // Every change to a member's lots happens under the account lock (members in id order), so
    // what we read next stays true until commit.
    let sql_insert = format!(
        "INSERT INTO points_accounts (member_id, updated_at) VALUES {} ON CONFLICT (member_id) DO NOTHING",
        fresh().rows(members.len(), 2)
    );
    let mut insert = sqlx::query(&sql_insert);
    for m in &members {
        insert = insert.bind(m).bind(now.millis());
    }
    insert.execute(&mut **tx).await?;
    let mut p = fresh();
    let sql_lock = format!(
        "UPDATE points_accounts SET updated_at = {} WHERE member_id IN ({}) RETURNING member_id, available, pending, debt",
        p.one(),
        p.list(members.len())
    );
    let mut lock = sqlx::query_as(&sql_lock).bind(now.millis());
    for m in &members {
        lock = lock.bind(m);
    }
    let balances: Vec<(i64, i64, i64, i64)> = lock.fetch_all(&mut **tx).await?;
    let mut p = fresh();
    let sql_read = format!(
        "SELECT id, member_id, state, remaining FROM points_lots WHERE expires_at <= {} \
         AND state IN ('pending', 'available') AND id IN ({}) ORDER BY id",
        p.one(),
        p.list(due.len())
    );
    let mut read = sqlx::query_as(&sql_read).bind(now.millis());
    for (lot, _) in due {
        read = read.bind(lot);
    }
    let lots: Vec<(i64, i64, String, i64)> = read.fetch_all(&mut **tx).await?;
    if lots.is_empty() {
        tx.commit().await?;
        return Ok(0);
    }
    let sql_expire =
        format!("UPDATE points_lots SET state = 'expired', remaining = 0 WHERE id IN ({})", fresh().list(lots.len()));
    let mut expire = sqlx::query(&sql_expire);
    for (lot, ..) in &lots {
        expire = expire.bind(lot);
    }
    expire.execute(&mut **tx).await?;

    // Per member: what leaves available and pending, and from which lots.
    let mut per_member: std::collections::BTreeMap<i64, Leaving> = Default::default();
    for (lot, member, state, held) in &lots {
        if *held == 0 {
            continue;
        }
        let entry = per_member.entry(*member).or_default();
        if state == "available" {
            entry.0 -= held;
        } else {
            entry.1 -= held;
        }
        entry.2.push((*lot, *held));
    }
    if per_member.is_empty() {
        tx.commit().await?;
        return Ok(lots.len() as u64);
    }
    let balances: std::collections::HashMap<i64, (i64, i64)> =
        balances.into_iter().map(|(m, available, pending, _)| (m, (available, pending))).collect();
    let rows = per_member.len();
    // One statement for the batch, portable to both databases: each member's deltas joined from a
    // VALUES list (whose columns both name column1, column2, …). A CASE per row with a WHEN per
    // member was quadratic in the batch: a million comparisons per thousand members.
    let sql_shift = format!(
        "UPDATE points_accounts SET available = available + d.column2, pending = pending + d.column3 \
         FROM (VALUES {}) AS d WHERE points_accounts.member_id = d.column1",
        fresh().rows(rows, 3)
    );
    let mut shift = sqlx::query(&sql_shift);
    for (member, (available, pending, _)) in &per_member {
        shift = shift.bind(member).bind(available).bind(pending);
    }
    shift.execute(&mut **tx).await?;

    // One ledger line per member for this batch, with the balance after it.
    let mut p = fresh();
    let values = (0..rows)
        .map(|_| {
            format!("({}, 'expire', {}, {}, {}, 'expiry', 'system', {})", p.one(), p.one(), p.one(), p.one(), p.one())
        })
        .collect::<Vec<_>>();
    let sql_record = format!(
        "INSERT INTO points_movements (member_id, kind, points, available_after, pending_after, source, actor, created_at) \
         VALUES {} RETURNING id, member_id",
        values.join(", ")
    );
    let mut record = sqlx::query_as(&sql_record);
    for (member, (available, pending, _)) in &per_member {
        let (before_available, before_pending) = balances.get(member).copied().unwrap_or_default();
        record = record
            .bind(member)
            .bind(available + pending)
            .bind(before_available + available)
            .bind(before_pending + pending)
            .bind(now.millis());
    }
    let movements: Vec<(i64, i64)> = record.fetch_all(&mut **tx).await?;
    let mut uses = Vec::new();
    let mut entries = Vec::new();
    for (movement, member) in movements {
        let Some((available, pending, lots)) = per_member.get(&member) else { continue };
        for (lot, held) in lots {
            uses.push((movement, *lot, *held));
        }
        let subject = lots.iter().map(|(lot, _)| format!("lot:{lot}")).collect::<Vec<_>>().join(",");
        entries.push(
            Entry::new(&Actor::System, "points.expire")
                .member(MemberId(member))
                .subject(subject)
                .amount(available + pending),
        );
    }
    for chunk in uses.chunks(1_000) {
        let sql_insert = format!(
            "INSERT INTO points_lot_uses (movement_id, lot_id, points) VALUES {}",
            fresh().rows(chunk.len(), 3)
        );
        let mut insert = sqlx::query(&sql_insert);
        for (movement, lot, held) in chunk {
            insert = insert.bind(movement).bind(lot).bind(held);
        }
        insert.execute(&mut **tx).await?;
    }
    audit::append_many(&mut tx, &entries, now).await?;
    tx.commit().await?;
    Ok(lots.len() as u64)
}
