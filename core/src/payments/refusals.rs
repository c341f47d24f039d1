//! Notifications refused before they are known to be the provider's — a bad signature, a body
//! that does not parse or decrypt, another merchant's — are counted, not stored one row each.
//! Anyone can post to `/notify/...`; a flood of forged posts must not grow the database or cost a
//! write apiece. Counts gather in memory and are written at most once a second (and by the hourly
//! job) into one row per provider, reason and hour; at worst a crash loses a second of counts of
//! posts that were refused anyway.

use crate::{Db, Result, Timestamp};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Why a notification was refused. The words are ours, never the sender's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Refusal {
    /// The signature or its headers did not check out.
    Unverified,
    /// The body is not a notification.
    Malformed,
    /// The resource could not be decrypted with our key.
    Undecryptable,
    /// Signed and readable, but for another merchant or app.
    Foreign,
}

impl Refusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::Unverified => "unverified",
            Refusal::Malformed => "malformed",
            Refusal::Undecryptable => "undecryptable",
            Refusal::Foreign => "foreign",
        }
    }
}

const FLUSH_EVERY: Duration = Duration::from_secs(1);
const HOUR_MS: i64 = 3_600_000;

struct Pending {
    counts: HashMap<Key, (i64, Timestamp)>,
    flushed: HashMap<usize, Instant>,
}

/// The database (its handle's id), provider, reason and hour.
type Key = (usize, &'static str, Refusal, i64);

static PENDING: Mutex<Option<Pending>> = Mutex::new(None);

/// Counts one refused notification; writes what has gathered if the last write is a second old.
pub async fn count(db: &Db, provider: &'static str, why: Refusal, now: Timestamp) -> Result<()> {
    let due = {
        let mut guard = PENDING.lock().expect("refusal counts");
        let pending = guard.get_or_insert_with(|| Pending { counts: HashMap::new(), flushed: HashMap::new() });
        let hour = now.millis() - now.millis().rem_euclid(HOUR_MS);
        let entry = pending.counts.entry((db.events().id(), provider, why, hour)).or_insert((0, now));
        entry.0 += 1;
        entry.1 = now;
        match pending.flushed.get(&db.events().id()) {
            Some(at) if at.elapsed() < FLUSH_EVERY => false,
            _ => {
                pending.flushed.insert(db.events().id(), Instant::now());
                true
            }
        }
    };
    if due {
        flush(db).await?;
    }
    Ok(())
}

/// Writes every count gathered so far (the hourly job, shutdown and tests call it).
pub async fn flush(db: &Db) -> Result<()> {
    let taken: Vec<_> = {
        let mut guard = PENDING.lock().expect("refusal counts");
        match guard.as_mut() {
            Some(pending) => {
                let mine: Vec<Key> = pending.counts.keys().filter(|k| k.0 == db.events().id()).copied().collect();
                mine.into_iter().filter_map(|k| pending.counts.remove(&k).map(|v| (k, v))).collect()
            }
            None => return Ok(()),
        }
    };
    if taken.is_empty() {
        return Ok(());
    }
    let written = write(db, &taken).await;
    if written.is_err() {
        // Put them back for the next try rather than lose them.
        let mut guard = PENDING.lock().expect("refusal counts");
        if let Some(pending) = guard.as_mut() {
            for (key, (n, at)) in taken {
                let entry = pending.counts.entry(key).or_insert((0, at));
                entry.0 += n;
            }
        }
    }
    written
}

type Counted = (Key, (i64, Timestamp));

async fn write(db: &Db, taken: &[Counted]) -> Result<()> {
    let mut tx = db.begin_write().await?;
    for ((_, provider, why, hour), (n, at)) in taken {
        sqlx::query(
            "INSERT INTO notification_refusals (provider, reason, hour_start, count, last_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (provider, reason, hour_start) DO UPDATE SET \
             count = notification_refusals.count + excluded.count, \
             last_at = CASE WHEN excluded.last_at > notification_refusals.last_at \
             THEN excluded.last_at ELSE notification_refusals.last_at END",
        )
        .bind(*provider)
        .bind(why.as_str())
        .bind(*hour)
        .bind(*n)
        .bind(at.millis())
        .execute(&mut **tx)
        .await?;
    }
    tx.commit().await
}

/// Refusals counted since `since`, per provider and reason (most first).
pub async fn since(db: &Db, since: Timestamp) -> Result<Vec<(String, String, i64)>> {
    flush(db).await?;
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT provider, reason, CAST(SUM(count) AS BIGINT) AS n FROM notification_refusals WHERE hour_start >= $1 \
         GROUP BY provider, reason ORDER BY n DESC, provider, reason",
    )
    .bind(since.millis() - since.millis().rem_euclid(HOUR_MS))
    .fetch_all(db.pool())
    .await?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::test_db;

    const T0: Timestamp = Timestamp(1_773_108_000_000); // 2026-03-10 10:00 Shanghai

    #[tokio::test]
    async fn refusals_are_counted_per_provider_reason_and_hour() {
        let db = test_db().await;
        let other = test_db().await;
        for i in 0..50 {
            count(&db, "wechat", Refusal::Unverified, Timestamp(T0.0 + i)).await.unwrap();
        }
        count(&db, "wechat", Refusal::Foreign, T0).await.unwrap();
        count(&db, "alipay", Refusal::Malformed, T0).await.unwrap();
        count(&db, "wechat", Refusal::Unverified, Timestamp(T0.0 + HOUR_MS)).await.unwrap();
        count(&other, "wechat", Refusal::Unverified, T0).await.unwrap();

        let seen = since(&db, Timestamp(T0.0 - HOUR_MS)).await.unwrap();
        assert_eq!(
            seen,
            vec![
                ("wechat".to_string(), "unverified".to_string(), 51),
                ("alipay".to_string(), "malformed".to_string(), 1),
                ("wechat".to_string(), "foreign".to_string(), 1),
            ]
        );
        let (rows,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM notification_refusals").fetch_one(db.pool()).await.unwrap();
        assert_eq!(rows, 4, "one row per provider, reason and hour, not one per post");
        assert_eq!(since(&other, T0).await.unwrap(), vec![("wechat".to_string(), "unverified".to_string(), 1)]);
    }
}
