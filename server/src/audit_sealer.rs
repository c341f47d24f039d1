//! The audit sealer inside every `plaza serve`: chains committed audit entries a moment after their
//! transactions commit (one sealer at a time across instances: the chain's head row is its lock),
//! and stores a signed checkpoint of the chain every few minutes while entries arrive.

use plaza_core::{audit, Db, Secrets, Timestamp};
use std::time::Duration;

/// How often the sealer looks for committed entries.
const EVERY: Duration = Duration::from_millis(200);
/// How often, at most, a signed checkpoint is stored.
const CHECKPOINT_EVERY_SECS: i64 = 300;

pub fn spawn(db: Db, secrets: Secrets) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(EVERY);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            if let Err(error) = audit::seal_all(&db).await {
                tracing::warn!(%error, "sealing the audit log failed");
                continue;
            }
            let now = Timestamp::now();
            match audit::checkpoint_due(&db, now, CHECKPOINT_EVERY_SECS).await {
                Ok(true) => {
                    if let Err(error) = audit::checkpoint(&db, &secrets, now).await {
                        tracing::warn!(%error, "storing an audit checkpoint failed");
                    }
                }
                Ok(false) => {}
                Err(error) => tracing::warn!(%error, "reading the audit checkpoints failed"),
            }
        }
    })
}
