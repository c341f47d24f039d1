//! The periodic work of the mall, run through durable jobs: points maturing and expiring,
//! birthday gifts, the yearly level review, and session clean-up. Every server instance may call
//! `schedule_due`; unique keys per period make sure each period's job exists once.

use crate::jobs::{self, Job};
use crate::{auth, coupons, levels, mall, points, Db, Result, Timestamp};

/// Job kinds and how often they are queued (seconds).
pub const PERIODIC: [(&str, i64); 4] =
    [("points.maintain", 600), ("coupons.birthday", 3600), ("levels.review", 3600), ("sessions.purge", 3600)];

/// Queues this period's job of every periodic kind (no-op if already queued).
pub async fn schedule_due(db: &Db, now: Timestamp) -> Result<usize> {
    let mut tx = db.begin_write().await?;
    let mut queued = 0;
    for (kind, every) in PERIODIC {
        let period = now.secs().div_euclid(every);
        let key = format!("{kind}:{period}");
        if jobs::enqueue(&mut tx, kind, &serde_json::json!({}), now, Some(&key), now).await?.is_some() {
            queued += 1;
        }
    }
    tx.commit().await?;
    Ok(queued)
}

/// Runs one claimed job and marks it done. The work itself is idempotent (each step checks its
/// own state), so a job re-run after a crash between its work and `finish` does nothing twice.
pub async fn run(db: &Db, job: &Job, now: Timestamp) -> Result<String> {
    let summary = match job.kind.as_str() {
        "points.maintain" => {
            let matured = points::maintenance::mature_due(db, now).await?;
            let expired = points::maintenance::expire_due(db, now).await?;
            format!("matured {matured}, expired {expired}")
        }
        "coupons.birthday" => format!("issued {}", coupons::issue_birthday_gifts(db, now).await?),
        "levels.review" => {
            let tz = mall::timezone(db).await?;
            if levels::is_review_day(db, now, &tz).await? {
                format!("changed {}", levels::review_all(db, now).await?)
            } else {
                "not the review day".to_string()
            }
        }
        "sessions.purge" => format!("purged {}", auth::sessions::purge_expired(db, now).await?),
        other => return Err(crate::Error::internal(format!("unknown job kind {other}"))),
    };
    let mut tx = db.begin_write().await?;
    jobs::finish(&mut tx, job, now).await?;
    tx.commit().await?;
    Ok(summary)
}

/// Claims and runs due jobs until none is left; returns how many ran. Failures are recorded on
/// the job (retried later) and do not stop the others.
pub async fn run_due(db: &Db, worker: &str, now: Timestamp) -> Result<usize> {
    jobs::requeue_abandoned(db, now).await?;
    let mut ran = 0;
    while let Some(job) = jobs::claim(db, worker, now, 300).await? {
        match run(db, &job, now).await {
            Ok(summary) => tracing::info!(job = job.id, kind = %job.kind, %summary, "job done"),
            Err(error) => {
                tracing::warn!(job = job.id, kind = %job.kind, %error, "job failed");
                jobs::fail(db, &job, &error.to_string(), now).await?;
            }
        }
        ran += 1;
    }
    Ok(ran)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{seed_member, test_db};
    use plaza_types::Fen;

    #[tokio::test]
    async fn periodic_jobs_are_queued_once_per_period_and_do_their_work() {
        let db = test_db().await;
        let now = Timestamp(1_773_108_000_000);
        assert_eq!(schedule_due(&db, now).await.unwrap(), 4);
        assert_eq!(schedule_due(&db, now.plus_secs(1)).await.unwrap(), 0, "same period");
        let member = seed_member(&db, "13600099999").await;
        let mut tx = db.begin_write().await.unwrap();
        let award =
            points::Award { member, tenant: None, amount: Fen(10_000), source: "plate_pay", external_ref: "x".into() };
        points::award_for_purchase(&mut tx, &award, now).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(run_due(&db, "w1", now).await.unwrap(), 4);
        let later = now.plus_secs(8 * 86_400);
        schedule_due(&db, later).await.unwrap();
        // Two server instances (separate pools, separate writer connections) racing over the same
        // due jobs: each job runs once.
        let other = db.another_instance().await;
        let (a, b) = tokio::join!(run_due(&db, "w1", later), run_due(&other, "w2", later));
        assert_eq!(a.unwrap() + b.unwrap(), 4);
        assert_eq!(points::account::balance(db.pool(), member).await.unwrap().available, 100);
    }
}
