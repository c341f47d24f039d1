//! Backoff after failed sign-ins. Only failures count (an attempt that succeeds costs nothing),
//! and they are counted per account *and* client address: a stranger who types ten wrong
//! passwords for `dessert.owner` waits longer and longer, while the owner at their own address
//! signs in as before. A looser count per address alone slows one address guessing many
//! accounts. Kept in the database, so every instance counts together.

use crate::{Db, Result, Timestamp};
use plaza_types::AppError;
use sqlx::AnyConnection;

/// How many failures are free, and how the wait grows after that.
#[derive(Clone, Copy, Debug)]
pub struct Backoff {
    /// Failures before any wait.
    pub free_failures: i64,
    /// The first wait; each further failure doubles it.
    pub first_wait_secs: i64,
    pub max_wait_secs: i64,
    /// Failures older than this are forgotten (the count starts again).
    pub forget_after_secs: i64,
}

/// One account from one address: five free tries, then 30 s, 1 min, 2 min… up to 15 min.
pub const PER_ACCOUNT_AND_ADDRESS: Backoff =
    Backoff { free_failures: 5, first_wait_secs: 30, max_wait_secs: 900, forget_after_secs: 86_400 };
/// One address over every account: a shared mall Wi-Fi fails often enough by honest typos, so
/// thirty are free.
pub const PER_ADDRESS: Backoff =
    Backoff { free_failures: 30, first_wait_secs: 60, max_wait_secs: 3_600, forget_after_secs: 3_600 };

impl Backoff {
    /// The wait after the `failures`-th failure.
    pub fn wait_secs(&self, failures: i64) -> i64 {
        let over = failures - self.free_failures;
        if over < 0 {
            return 0;
        }
        let doublings = over.min(20) as u32;
        (self.first_wait_secs.saturating_mul(1_i64 << doublings)).min(self.max_wait_secs)
    }
}

/// The key of one account at one address.
pub fn account_key(kind: &str, account: &str, address: &str) -> String {
    format!("{kind}:{account}|{address}")
}

pub fn address_key(address: &str) -> String {
    format!("address:{address}")
}

/// Refuses with the seconds left while any of `keys` is waiting out a backoff.
pub async fn check(db: &Db, keys: &[&str], now: Timestamp) -> Result<()> {
    for key in keys {
        let row: Option<(i64,)> = sqlx::query_as("SELECT locked_until FROM sign_in_failures WHERE key = $1")
            .bind(*key)
            .fetch_optional(db.pool())
            .await?;
        if let Some((until,)) = row {
            if until > now.millis() {
                let retry_after_secs = ((until - now.millis()) + 999).div_euclid(1000).max(1);
                return Err(AppError::RateLimited { retry_after_secs }.into());
            }
        }
    }
    Ok(())
}

/// Counts a failure on `key` and sets its wait. Runs in the caller's write transaction.
pub async fn record_failure(conn: &mut AnyConnection, key: &str, backoff: &Backoff, now: Timestamp) -> Result<()> {
    let forgotten_before = now.minus_secs(backoff.forget_after_secs).millis();
    let (failures,): (i64,) = sqlx::query_as(
        "INSERT INTO sign_in_failures (key, failures, last_failure_at, locked_until) VALUES ($1, 1, $2, 0) \
         ON CONFLICT (key) DO UPDATE SET \
           failures = CASE WHEN sign_in_failures.last_failure_at < $3 THEN 1 ELSE sign_in_failures.failures + 1 END, \
           last_failure_at = $2 \
         RETURNING failures",
    )
    .bind(key)
    .bind(now.millis())
    .bind(forgotten_before)
    .fetch_one(&mut *conn)
    .await?;
    let wait = backoff.wait_secs(failures);
    if wait > 0 {
        sqlx::query("UPDATE sign_in_failures SET locked_until = $1 WHERE key = $2")
            .bind(now.plus_secs(wait).millis())
            .bind(key)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A successful sign-in forgets the failures of that account at that address.
pub async fn clear(conn: &mut AnyConnection, key: &str) -> Result<()> {
    sqlx::query("DELETE FROM sign_in_failures WHERE key = $1").bind(key).execute(&mut *conn).await?;
    Ok(())
}

/// Forgets failures nobody has added to for a day (run periodically).
pub async fn purge(db: &Db, now: Timestamp) -> Result<u64> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query("DELETE FROM sign_in_failures WHERE last_failure_at < $1 AND locked_until < $2")
        .bind(now.minus_secs(86_400).millis())
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn counts_nobody_added_to_for_a_day_are_purged() {
        let db = crate::testing::test_db().await;
        let now = Timestamp(1_800_000_000_000);
        let mut tx = db.begin_write().await.unwrap();
        record_failure(&mut tx, "staff:a|1.1.1.1", &PER_ACCOUNT_AND_ADDRESS, now).await.unwrap();
        record_failure(&mut tx, "staff:b|1.1.1.1", &PER_ACCOUNT_AND_ADDRESS, now.plus_secs(80_000)).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(purge(&db, now.plus_secs(86_401)).await.unwrap(), 1);
        let (left,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM sign_in_failures").fetch_one(db.pool()).await.unwrap();
        assert_eq!(left, 1);
    }

    #[test]
    fn the_wait_doubles_after_the_free_failures_up_to_its_cap() {
        let waits: Vec<i64> = (1..=12).map(|n| PER_ACCOUNT_AND_ADDRESS.wait_secs(n)).collect();
        assert_eq!(waits, [0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900]);
        assert_eq!(PER_ACCOUNT_AND_ADDRESS.wait_secs(i64::MAX), 900);
    }
}
