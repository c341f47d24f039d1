//! Sliding-window rate limits kept in the database, so every server instance counts together.

use crate::{Result, Timestamp};
use plaza_types::AppError;
use sqlx::AnyConnection;

/// At most `max` hits per `window_secs`.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub max: i64,
    pub window_secs: i64,
}

pub const fn limit(max: i64, window_secs: i64) -> Limit {
    Limit { max, window_secs }
}

/// Records a hit on `bucket` unless one of `limits` is already reached; then answers
/// [`AppError::RateLimited`] with the seconds until the oldest counted hit leaves its window.
/// Runs inside the caller's write transaction.
pub async fn hit(conn: &mut AnyConnection, bucket: &str, limits: &[Limit], now: Timestamp) -> Result<()> {
    let longest = limits.iter().map(|l| l.window_secs).max().unwrap_or(0);
    sqlx::query("DELETE FROM rate_limit_hits WHERE bucket = $1 AND at <= $2")
        .bind(bucket)
        .bind(now.minus_secs(longest).millis())
        .execute(&mut *conn)
        .await?;
    for l in limits {
        let since = now.minus_secs(l.window_secs).millis();
        let (count, oldest): (i64, Option<i64>) =
            sqlx::query_as("SELECT COUNT(*), MIN(at) FROM rate_limit_hits WHERE bucket = $1 AND at > $2")
                .bind(bucket)
                .bind(since)
                .fetch_one(&mut *conn)
                .await?;
        if count >= l.max {
            let oldest = oldest.unwrap_or(now.millis());
            let retry_after_ms = oldest + l.window_secs * 1000 - now.millis();
            let retry_after_secs = (retry_after_ms + 999).div_euclid(1000).max(1);
            return Err(AppError::RateLimited { retry_after_secs }.into());
        }
    }
    sqlx::query("INSERT INTO rate_limit_hits (bucket, at) VALUES ($1, $2)")
        .bind(bucket)
        .bind(now.millis())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::test_db;

    #[tokio::test]
    async fn refuses_past_the_limit_and_says_when_to_retry() {
        let db = test_db().await;
        let t0 = Timestamp(1_000_000_000);
        let rules = [limit(2, 60)];
        for i in 0..2 {
            let mut tx = db.begin_write().await.unwrap();
            hit(&mut tx, "b", &rules, t0.plus_secs(i)).await.unwrap();
            tx.commit().await.unwrap();
        }
        let mut tx = db.begin_write().await.unwrap();
        let err = hit(&mut tx, "b", &rules, t0.plus_secs(10)).await.unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::RateLimited { retry_after_secs: 50 })), "{err:?}");
        // Another bucket is independent; the window slides.
        hit(&mut tx, "other", &rules, t0.plus_secs(10)).await.unwrap();
        hit(&mut tx, "b", &rules, t0.plus_secs(61)).await.unwrap();
        tx.commit().await.unwrap();
    }
}
