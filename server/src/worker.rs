//! The background worker inside every `plaza serve`: queues the periodic jobs and runs due jobs.
//! Several instances may run it at once; the job table makes sure each job runs once.

use plaza_core::scheduled::{self, JobContext};
use plaza_core::{Db, Timestamp};
use std::time::Duration;

/// Runs the worker, looking for due jobs every `tick` (`PLAZA_WORKER_TICK_MS`, 15 s by default).
pub fn spawn(db: Db, jobs: JobContext, tick: Duration) -> tokio::task::JoinHandle<()> {
    let worker = format!("{}-{}", hostname(), std::process::id());
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(tick);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            let now = Timestamp::now();
            if let Err(error) = scheduled::schedule_due(&db, now).await {
                tracing::warn!(%error, "scheduling periodic jobs failed");
            }
            if let Err(error) = scheduled::run_due(&db, &jobs, &worker, now).await {
                tracing::warn!(%error, "running jobs failed");
            }
        }
    })
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_string()).unwrap_or_else(|_| "plaza".to_string())
}
