//! The background work of the mall, run through durable jobs: points maturing and expiring,
//! birthday gifts, the yearly level review, session clean-up, payments timing out, sandbox
//! notifications, late-money refunds, membership reminders, the daily reconciliation against the
//! provider's bill. Every server instance may call
//! `schedule_due`; unique keys per period make sure each period's job exists once.

use crate::jobs::{self, Job};
use crate::payments::sandbox::{self, notify::SandboxKeys};
use crate::payments::SharedProvider;
use crate::sms::SharedSms;
use crate::{auth, coupons, levels, mall, membership, payments, points, Db, Result, Timestamp};
use plaza_types::Fen;

/// Job kinds and how often they are queued (seconds).
pub const PERIODIC: [(&str, i64); 11] = [
    ("points.maintain", 600),
    ("coupons.birthday", 3600),
    ("levels.review", 3600),
    ("sessions.purge", 3600),
    ("payments.expire", 60),
    ("payments.refunds", 120),
    // Hourly, so yesterday's bill is reconciled soon after the provider has made it.
    ("payments.reconcile", 3600),
    ("membership.upkeep", 3600),
    ("events.prune", 86_400),
    ("invites.reward", 600),
    ("mall_orders.complete", 3600),
];

/// What jobs need beyond the database: the providers and an HTTP client.
#[derive(Clone)]
pub struct JobContext {
    pub payments: SharedProvider,
    pub sms: SharedSms,
    /// Present when the sandbox is the payment provider (development and tests).
    pub sandbox_keys: Option<SandboxKeys>,
    pub http: reqwest::Client,
}

impl JobContext {
    pub fn new(gateway: &payments::Gateway, sms: SharedSms) -> JobContext {
        JobContext {
            payments: gateway.provider.clone(),
            sms,
            sandbox_keys: gateway.sandbox_keys.clone(),
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(10))
                .build()
                .expect("an HTTP client with default TLS settings"),
        }
    }
}

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
pub async fn run(db: &Db, ctx: &JobContext, job: &Job, now: Timestamp) -> Result<String> {
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
        "sessions.purge" => {
            let sessions = auth::sessions::purge_expired(db, now).await?;
            // Sign-in failures nobody added to for a day: the backoff has long run out.
            let failures = auth::lockout::purge(db, now).await?;
            // Refused notifications counted since the last post that wrote them.
            payments::refusals::flush(db).await?;
            format!("purged {sessions} sessions, {failures} sign-in failure counts")
        }
        "invites.reward" => format!("credited {}", crate::invites::reward_due(db, now).await?),
        // Delivered mall orders nobody confirmed complete by themselves after a week.
        "mall_orders.complete" => format!("completed {}", crate::mall_orders::shopper::complete_due(db, now).await?),
        "events.prune" => {
            format!("pruned {}", crate::events::prune(db, now.minus_secs(crate::events::KEEP_SECS)).await?)
        }
        "payments.expire" => {
            let (completed, closed) = payments::expire_due(db, ctx.payments.as_ref(), now).await?;
            format!("completed {completed}, closed {closed}")
        }
        "payments.refund_late" => refund_late(db, ctx, job, now).await?,
        "payments.refunds" => {
            let (finished, failed, abnormal) =
                payments::refund_waiting::check_waiting(db, ctx.payments.as_ref(), now).await?;
            format!("refunds finished {finished}, failed {failed}, abnormal {abnormal}")
        }
        "payments.reconcile" => payments::reconcile::daily(db, ctx.payments.as_ref(), now).await?,
        sandbox::NOTIFY_JOB => {
            let keys = ctx.sandbox_keys.as_ref().ok_or_else(|| crate::Error::internal("no sandbox keys"))?;
            sandbox::notify::deliver(db, &ctx.http, keys, job, now).await?
        }
        "membership.upkeep" => {
            let reminded = membership::upkeep::remind_expiring(db, ctx.sms.as_ref(), now).await?;
            let lapsed = membership::upkeep::mark_lapsed(db, now).await?;
            format!("reminded {reminded}, lapsed {lapsed}")
        }
        other => return Err(crate::Error::internal(format!("unknown job kind {other}"))),
    };
    let mut tx = db.begin_write().await?;
    jobs::finish(&mut tx, job, now).await?;
    tx.commit().await?;
    Ok(summary)
}

/// Claims and runs due jobs until none is left; returns how many ran. Failures are recorded on
/// the job (retried later) and do not stop the others.
pub async fn run_due(db: &Db, ctx: &JobContext, worker: &str, now: Timestamp) -> Result<usize> {
    jobs::requeue_abandoned(db, now).await?;
    let mut ran = 0;
    while let Some(job) = jobs::claim(db, worker, now, 300).await? {
        match run(db, ctx, &job, now).await {
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

/// Money arrived for a payment we had already closed: send it back through the provider.
async fn refund_late(db: &Db, ctx: &JobContext, job: &Job, now: Timestamp) -> Result<String> {
    #[derive(serde::Deserialize)]
    struct Late {
        payment_no: String,
        amount_fen: i64,
    }
    let late: Late = job.payload()?;
    let refund_no = format!("L{}", &late.payment_no[1..]);
    let id = ctx.payments.refund(db, &late.payment_no, &refund_no, Fen(late.amount_fen), now).await?.id;
    let mut tx = db.begin_write().await?;
    if let Some(p) = payments::find(&mut **tx, &late.payment_no).await? {
        sqlx::query("INSERT INTO payment_events (payment_id, event, detail, created_at) VALUES ($1, 'late_money_refunded', $2, $3)")
            .bind(p.id)
            .bind(&id)
            .bind(now.millis())
            .execute(&mut **tx)
            .await?;
    }
    tx.commit().await?;
    Ok(format!("refunded {} fen of {} ({id})", late.amount_fen, late.payment_no))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{seed_member, test_db};
    use plaza_types::Fen;

    fn context() -> JobContext {
        let sandbox = crate::payments::sandbox::Sandbox {
            notify_url: "http://127.0.0.1:9/notify/wechat".into(),
            delivery: crate::payments::sandbox::Delivery::Normal,
        };
        JobContext {
            payments: std::sync::Arc::new(sandbox),
            sms: std::sync::Arc::new(crate::sms::OutboxSms),
            sandbox_keys: None,
            http: reqwest::Client::new(),
        }
    }

    #[tokio::test]
    async fn periodic_jobs_are_queued_once_per_period_and_do_their_work() {
        let db = test_db().await;
        let ctx = context();
        let now = Timestamp(1_773_108_000_000);
        assert_eq!(schedule_due(&db, now).await.unwrap(), PERIODIC.len());
        assert_eq!(schedule_due(&db, now.plus_secs(1)).await.unwrap(), 0, "same period");
        let member = seed_member(&db, "13600099999").await;
        let mut tx = db.begin_write().await.unwrap();
        let award =
            points::Award { member, tenant: None, amount: Fen(10_000), source: "plate_pay", external_ref: "x".into() };
        points::award_for_purchase(&mut tx, &award, now).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(run_due(&db, &ctx, "w1", now).await.unwrap(), PERIODIC.len());
        let later = now.plus_secs(8 * 86_400);
        schedule_due(&db, later).await.unwrap();
        // Two server instances (separate pools, separate writer connections) racing over the same
        // due jobs: each job runs once.
        let other = db.another_instance().await;
        let (a, b) = tokio::join!(run_due(&db, &ctx, "w1", later), run_due(&other, &ctx, "w2", later));
        assert_eq!(a.unwrap() + b.unwrap(), PERIODIC.len());
        assert_eq!(points::account::balance(db.pool(), member).await.unwrap().available, 100);
    }
}
