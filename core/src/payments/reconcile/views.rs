//! The reconciliation page's reading side: the latest runs by day and their differences, in mall
//! time for people.

use crate::{mall, Db, Result, Timestamp};
use plaza_types::dto::{ReconcileDifference, ReconcilePage, ReconcileRun};
use plaza_types::Fen;

/// Days shown, newest first.
const DAYS: i64 = 60;
const DIFFERENCES: i64 = 200;

type RunRow = (String, String, String, String, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64);
type DifferenceRow = (String, String, String, String, Option<i64>, Option<i64>, String, String, i64);

/// The page for `provider` (the deployment's), with the refunds that need attention.
pub async fn page(db: &Db, provider: &str, now: Timestamp) -> Result<ReconcilePage> {
    let tz = mall::timezone(db).await?;
    let runs: Vec<RunRow> = sqlx::query_as(
        "SELECT provider, bill_date, state, error, their_payments, their_paid_fen, their_refunds, their_refunded_fen, \
         their_fee_fen, our_payments, our_paid_fen, our_refunds, our_refunded_fen, differences, attempts, finished_at \
         FROM reconcile_runs ORDER BY bill_date DESC, provider LIMIT $1",
    )
    .bind(DAYS)
    .fetch_all(db.pool())
    .await?;
    let differences: Vec<DifferenceRow> = sqlx::query_as(
        "SELECT provider, bill_date, kind, number, our_fen, their_fen, detail, resolution, found_at \
         FROM reconcile_differences ORDER BY bill_date DESC, id DESC LIMIT $1",
    )
    .bind(DIFFERENCES)
    .fetch_all(db.pool())
    .await?;
    let yesterday = super::beijing().civil_date(now).yesterday().map(|d| d.strftime("%Y-%m-%d").to_string());
    Ok(ReconcilePage {
        provider: provider.to_string(),
        yesterday: yesterday.unwrap_or_default(),
        runs: runs
            .into_iter()
            .map(|r| ReconcileRun {
                provider: r.0,
                bill_date: r.1,
                state: r.2,
                error: r.3,
                their_payments: r.4,
                their_paid: Fen(r.5),
                their_refunds: r.6,
                their_refunded: Fen(r.7),
                their_fee: Fen(r.8),
                our_payments: r.9,
                our_paid: Fen(r.10),
                our_refunds: r.11,
                our_refunded: Fen(r.12),
                differences: r.13,
                attempts: r.14,
                finished_at: tz.format(Timestamp(r.15)),
            })
            .collect(),
        differences: differences
            .into_iter()
            .map(|d| ReconcileDifference {
                provider: d.0,
                bill_date: d.1,
                kind: d.2,
                number: d.3,
                ours: d.4.map(Fen),
                theirs: d.5.map(Fen),
                detail: super::matching::from_stored(&d.6),
                resolution: d.7,
                found_at: tz.format(Timestamp(d.8)),
            })
            .collect(),
        refunds: crate::payments::refund_attention::list(db, &tz, now).await?,
    })
}
