//! Durable jobs: rows in `jobs` that survive restarts. A worker claims a job by a conditional
//! update (`queued` → `running`, with a lease), so two workers — in one process or several —
//! never run the same job; the handler marks it done in the same transaction as its effects, so
//! a crash before commit leaves it to be run again, and a commit leaves it done exactly once.

use crate::{Db, Result, Timestamp};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::AnyConnection;

#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
    pub max_attempts: i64,
    pub worker: String,
}

impl Job {
    pub fn payload<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_str(&self.payload).map_err(|e| crate::Error::internal(format!("job {} payload: {e}", self.id)))
    }
}

/// Queues a job. With a `unique_key`, a second job with the same key is not created (periodic
/// jobs use keys like `points.mature:2026-11-22T10`, so every instance may try and one wins).
/// Returns the new job's id, or `None` when the key already existed.
pub async fn enqueue<P: Serialize>(
    conn: &mut AnyConnection,
    kind: &str,
    payload: &P,
    run_at: Timestamp,
    unique_key: Option<&str>,
    now: Timestamp,
) -> Result<Option<i64>> {
    let payload = serde_json::to_string(payload).map_err(|e| crate::Error::internal(e.to_string()))?;
    let row: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO jobs (kind, payload, unique_key, state, run_at, created_at) VALUES ($1, $2, $3, 'queued', $4, $5) \
         ON CONFLICT (unique_key) DO NOTHING RETURNING id",
    )
    .bind(kind)
    .bind(payload)
    .bind(unique_key)
    .bind(run_at.millis())
    .bind(now.millis())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// Claims the next due job for `worker`, holding it for `lease_secs`.
pub async fn claim(db: &Db, worker: &str, now: Timestamp, lease_secs: i64) -> Result<Option<Job>> {
    let mut tx = db.begin_write().await?;
    // The inner SELECT may race with another worker on PostgreSQL; the outer condition
    // `state = 'queued'` makes the loser update nothing.
    let row: Option<(i64, String, String, i64, i64)> = sqlx::query_as(
        "UPDATE jobs SET state = 'running', locked_by = $1, locked_until = $2, attempts = attempts + 1 \
         WHERE id = (SELECT id FROM jobs WHERE state = 'queued' AND run_at <= $3 ORDER BY run_at, id LIMIT 1) \
         AND state = 'queued' RETURNING id, kind, payload, attempts, max_attempts",
    )
    .bind(worker)
    .bind(now.plus_secs(lease_secs).millis())
    .bind(now.millis())
    .fetch_optional(&mut **tx)
    .await?;
    tx.commit().await?;
    Ok(row.map(|(id, kind, payload, attempts, max_attempts)| Job {
        id,
        kind,
        payload,
        attempts,
        max_attempts,
        worker: worker.to_string(),
    }))
}

/// Marks the job done inside the handler's transaction. Fails (and the handler's transaction
/// must roll back) if the lease was lost to another worker meanwhile.
pub async fn finish(conn: &mut AnyConnection, job: &Job, now: Timestamp) -> Result<()> {
    let done = sqlx::query(
        "UPDATE jobs SET state = 'done', finished_at = $1, locked_until = NULL WHERE id = $2 AND state = 'running' AND locked_by = $3",
    )
    .bind(now.millis())
    .bind(job.id)
    .bind(&job.worker)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Err(crate::Error::internal(format!("job {} lease lost", job.id)));
    }
    Ok(())
}

/// Records a failure: retried later with a growing delay, or `failed` after `max_attempts`.
pub async fn fail(db: &Db, job: &Job, error: &str, now: Timestamp) -> Result<()> {
    let delay = retry_delay_secs(job.attempts);
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE jobs SET state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END, \
         run_at = $1, last_error = $2, locked_by = NULL, locked_until = NULL, \
         finished_at = CASE WHEN attempts >= max_attempts THEN $3 ELSE NULL END \
         WHERE id = $4 AND state = 'running' AND locked_by = $5",
    )
    .bind(now.plus_secs(delay).millis())
    .bind(error.chars().take(2000).collect::<String>())
    .bind(now.millis())
    .bind(job.id)
    .bind(&job.worker)
    .execute(&mut **tx)
    .await?;
    tx.commit().await
}

/// 15 s, 30 s, 1 min, 2 min … capped at one hour.
pub fn retry_delay_secs(attempts: i64) -> i64 {
    (15_i64 << attempts.clamp(0, 8)).min(3600)
}

/// Puts back jobs whose worker died holding them (lease expired).
pub async fn requeue_abandoned(db: &Db, now: Timestamp) -> Result<u64> {
    let mut tx = db.begin_write().await?;
    let result = sqlx::query(
        "UPDATE jobs SET state = 'queued', locked_by = NULL, locked_until = NULL, last_error = 'lease expired' \
         WHERE state = 'running' AND locked_until < $1",
    )
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    tx.commit().await?;
    Ok(result.rows_affected())
}

/// Jobs by state, for the operator dashboard and tests.
pub async fn count(db: &Db, kind: &str, state: &str) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE kind = $1 AND state = $2")
        .bind(kind)
        .bind(state)
        .fetch_one(db.pool())
        .await?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::test_db;
    use std::collections::HashSet;
    use std::sync::{Arc, Mutex};

    async fn queue(db: &Db, n: usize, now: Timestamp) {
        let mut tx = db.begin_write().await.unwrap();
        for i in 0..n {
            enqueue(&mut tx, "test.count", &serde_json::json!({ "i": i }), now, None, now).await.unwrap();
        }
        tx.commit().await.unwrap();
    }

    #[tokio::test]
    async fn unique_keys_queue_once() {
        let db = test_db().await;
        let now = Timestamp(1_800_000_000_000);
        let mut tx = db.begin_write().await.unwrap();
        assert!(enqueue(&mut tx, "k", &(), now, Some("tick:1"), now).await.unwrap().is_some());
        assert!(enqueue(&mut tx, "k", &(), now, Some("tick:1"), now).await.unwrap().is_none());
        tx.commit().await.unwrap();
    }

    #[tokio::test]
    async fn workers_racing_for_jobs_never_share_one() {
        let db = test_db().await;
        let now = Timestamp(1_800_000_000_000);
        queue(&db, 40, now).await;
        let seen = Arc::new(Mutex::new(Vec::new()));
        let mut workers = Vec::new();
        for w in 0..4 {
            let (db, seen) = (db.db(), seen.clone());
            workers.push(tokio::spawn(async move {
                let name = format!("worker-{w}");
                while let Some(job) = claim(&db, &name, now, 60).await.unwrap() {
                    let mut tx = db.begin_write().await.unwrap();
                    finish(&mut tx, &job, now).await.unwrap();
                    tx.commit().await.unwrap();
                    seen.lock().unwrap().push(job.id);
                }
            }));
        }
        for w in workers {
            w.await.unwrap();
        }
        let seen = seen.lock().unwrap().clone();
        let unique: HashSet<_> = seen.iter().collect();
        assert_eq!(seen.len(), 40, "every job ran");
        assert_eq!(unique.len(), 40, "no job ran twice");
        assert_eq!(count(&db, "test.count", "done").await.unwrap(), 40);
    }

    #[tokio::test]
    async fn a_crashed_worker_loses_its_job_to_the_next_and_cannot_finish_it() {
        let db = test_db().await;
        let now = Timestamp(1_800_000_000_000);
        queue(&db, 1, now).await;
        let first = claim(&db, "a", now, 30).await.unwrap().unwrap();
        assert!(claim(&db, "b", now, 30).await.unwrap().is_none(), "held by a");
        // a dies; after its lease the job goes back to the queue.
        assert_eq!(requeue_abandoned(&db, now.plus_secs(31)).await.unwrap(), 1);
        let second = claim(&db, "b", now.plus_secs(31), 30).await.unwrap().unwrap();
        assert_eq!(second.id, first.id);
        assert_eq!(second.attempts, 2);
        let mut tx = db.begin_write().await.unwrap();
        assert!(finish(&mut tx, &first, now).await.is_err(), "the old lease is worthless");
        tx.rollback().await.unwrap();
        let mut tx = db.begin_write().await.unwrap();
        finish(&mut tx, &second, now).await.unwrap();
        tx.commit().await.unwrap();
    }

    #[tokio::test]
    async fn failures_retry_later_then_give_up() {
        let db = test_db().await;
        let mut now = Timestamp(1_800_000_000_000);
        let mut tx = db.begin_write().await.unwrap();
        enqueue(&mut tx, "flaky", &(), now, None, now).await.unwrap();
        sqlx::query("UPDATE jobs SET max_attempts = 3").execute(&mut **tx).await.unwrap();
        tx.commit().await.unwrap();
        for attempt in 1..=3 {
            let job = claim(&db, "w", now, 60).await.unwrap().expect("due again");
            assert_eq!(job.attempts, attempt);
            fail(&db, &job, "boom", now).await.unwrap();
            assert!(claim(&db, "w", now, 60).await.unwrap().is_none(), "not before its delay");
            now = now.plus_secs(retry_delay_secs(attempt) + 1);
        }
        assert_eq!(count(&db, "flaky", "failed").await.unwrap(), 1);
    }
}
