//! Daily reconciliation against the provider's bill. Each morning after the provider has made
//! yesterday's bill (WeChat and Alipay both say after 10:00 Beijing time) the job downloads it,
//! reads every line and matches it with our payments and refunds by our own numbers (amounts,
//! states, fees): see [`matching`]. Each difference is kept once per provider, day, kind and
//! number — a re-run for the same day finds it again and adds nothing — and written to the audit
//! log when first found. A payment the provider collected that we do not have as paid is asked
//! about (the provider's query) and, when the query confirms it, completed through the one
//! completion command, which is idempotent.

pub mod matching;
pub mod views;

#[cfg(test)]
mod tests;

use super::complete::{complete, Completion, Confirmation};
use super::provider::{PaymentProvider, ProviderStatus};
use crate::audit::{self, Actor, Entry};
use crate::payment_providers::bill::{BillLineKind, DailyBill};
use crate::{Db, MallTz, Result, Timestamp};
use matching::{Books, Found, Kind, OurRefund, Ours};
use plaza_types::error::Field;
use plaza_types::AppError;

/// The providers make yesterday's bill by this hour of the morning, Beijing time.
pub const BILL_READY_HOUR: i8 = 10;

/// What one run found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunSummary {
    pub bill_date: String,
    pub their_payments: i64,
    pub their_paid_fen: i64,
    pub their_refunds: i64,
    pub their_refunded_fen: i64,
    pub their_fee_fen: i64,
    pub our_payments: i64,
    pub our_paid_fen: i64,
    pub our_refunds: i64,
    pub our_refunded_fen: i64,
    /// Differences of the day, all runs together.
    pub differences: i64,
    /// Differences this run found first.
    pub new_differences: i64,
    /// Missed payments this run completed.
    pub completed: i64,
}

/// The providers' day: Beijing time.
fn beijing() -> MallTz {
    MallTz::parse("Asia/Shanghai").unwrap_or_else(MallTz::utc)
}

/// A bill date the operator may ask for: `yyyy-MM-dd`, a day that has ended.
pub fn parse_date(text: &str, now: Timestamp) -> Result<jiff::civil::Date> {
    let date = jiff::civil::Date::strptime("%Y-%m-%d", text.trim()).map_err(|_| AppError::invalid(Field::Date))?;
    if date >= beijing().civil_date(now) {
        return Err(AppError::invalid(Field::Date).into());
    }
    Ok(date)
}

/// The scheduled job: reconciles yesterday once its bill is ready and until a run succeeds.
pub async fn daily(db: &Db, provider: &dyn PaymentProvider, now: Timestamp) -> Result<String> {
    let local = beijing().zoned(now);
    if local.hour() < BILL_READY_HOUR {
        return Ok("waiting for the bill (after 10:00 Beijing time)".into());
    }
    let yesterday = local.date().yesterday().map_err(|e| crate::Error::internal(e.to_string()))?;
    let date = yesterday.strftime("%Y-%m-%d").to_string();
    let done: Option<(String,)> =
        sqlx::query_as("SELECT state FROM reconcile_runs WHERE provider = $1 AND bill_date = $2 AND state = 'done'")
            .bind(provider.name())
            .bind(&date)
            .fetch_optional(db.pool())
            .await?;
    if done.is_some() {
        return Ok(format!("{date} already reconciled"));
    }
    Ok(match run(db, provider, yesterday, &Actor::System, now).await {
        Ok(Some(s)) => {
            format!("{date}: {} differences, {} new, {} completed", s.differences, s.new_differences, s.completed)
        }
        Ok(None) => format!("{} keeps no bills", provider.name()),
        // Recorded on the day's run; the next hour's job tries again.
        Err(error) => format!("{date} failed: {error}"),
    })
}

/// Reconciles one day; `None` when the provider keeps no bills. A failure to fetch or read the
/// bill is recorded on the day's run (and returned); nothing else changes.
pub async fn run(
    db: &Db,
    provider: &dyn PaymentProvider,
    date: jiff::civil::Date,
    actor: &Actor,
    now: Timestamp,
) -> Result<Option<RunSummary>> {
    let bill_date = date.strftime("%Y-%m-%d").to_string();
    let bill = match provider.daily_bill(db, &bill_date).await {
        Ok(Some(bill)) => bill,
        Ok(None) => return Ok(None),
        Err(error) => {
            record_failure(db, provider.name(), &bill_date, &error.to_string(), actor, now).await?;
            return Err(error);
        }
    };
    let start = beijing().start_of_date(date)?;
    let end = beijing().start_of_date(date.tomorrow().map_err(|e| crate::Error::internal(e.to_string()))?)?;
    let books = books(db, provider.name(), &bill, start, end).await?;
    let found = matching::differences(&bill, &books);
    let mut summary = totals(&bill_date, &bill, &books);
    for difference in &found {
        if record(db, provider.name(), &bill_date, difference, now).await? {
            summary.new_differences += 1;
        }
        if difference.kind == Kind::MissingHere && settle_missed(db, provider, &bill_date, difference, now).await? {
            summary.completed += 1;
        }
    }
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM reconcile_differences WHERE provider = $1 AND bill_date = $2")
            .bind(provider.name())
            .bind(&bill_date)
            .fetch_one(db.pool())
            .await?;
    summary.differences = n;
    save_run(db, provider.name(), &summary, &bill, actor, now).await?;
    Ok(Some(summary))
}

fn totals(bill_date: &str, bill: &DailyBill, books: &Books) -> RunSummary {
    let paid = || bill.lines.iter().filter(|l| l.kind == BillLineKind::Payment && l.status == "SUCCESS");
    let refunds = || bill.lines.iter().filter(|l| l.kind == BillLineKind::Refund);
    let our_refunds = || books.refunds.values().filter(|r| r.state != "failed");
    RunSummary {
        bill_date: bill_date.to_string(),
        their_payments: paid().count() as i64,
        their_paid_fen: paid().map(|l| l.amount.0).sum(),
        their_refunds: refunds().count() as i64,
        their_refunded_fen: refunds().map(|l| l.amount.0).sum(),
        their_fee_fen: bill.fee_fen(),
        our_payments: books.paid.len() as i64,
        our_paid_fen: books.paid.values().map(|p| p.external_fen).sum(),
        our_refunds: our_refunds().count() as i64,
        our_refunded_fen: our_refunds().map(|r| r.external_fen).sum(),
        ..RunSummary::default()
    }
}

/// Our payments through `provider` paid in [start, end) and refunds asked for then, and every
/// other payment or refund the bill names.
async fn books(db: &Db, provider: &str, bill: &DailyBill, start: Timestamp, end: Timestamp) -> Result<Books> {
    let mut books = Books::default();
    let paid: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT payment_no, state, external_fen FROM payments \
         WHERE provider = $1 AND external_fen > 0 AND paid_at >= $2 AND paid_at < $3",
    )
    .bind(provider)
    .bind(start.millis())
    .bind(end.millis())
    .fetch_all(db.pool())
    .await?;
    books.paid = paid.into_iter().map(|(no, state, external_fen)| (no, Ours { state, external_fen })).collect();
    let refunds: Vec<(String, String, i64, String)> = sqlx::query_as(
        "SELECT r.refund_no, p.payment_no, r.external_fen, r.state FROM refunds r JOIN payments p ON p.id = r.payment_id \
         WHERE p.provider = $1 AND r.external_fen > 0 AND r.created_at >= $2 AND r.created_at < $3",
    )
    .bind(provider)
    .bind(start.millis())
    .bind(end.millis())
    .fetch_all(db.pool())
    .await?;
    books.refunds = refunds
        .into_iter()
        .map(|(no, payment_no, external_fen, state)| (no, OurRefund { payment_no, external_fen, state }))
        .collect();
    for line in &bill.lines {
        match line.kind {
            BillLineKind::Payment if !books.paid.contains_key(&line.out_trade_no) => {
                let row: Option<(String, i64)> =
                    sqlx::query_as("SELECT state, external_fen FROM payments WHERE payment_no = $1 AND provider = $2")
                        .bind(&line.out_trade_no)
                        .bind(provider)
                        .fetch_optional(db.pool())
                        .await?;
                if let Some((state, external_fen)) = row {
                    books.other_payments.insert(line.out_trade_no.clone(), Ours { state, external_fen });
                }
            }
            BillLineKind::Refund if !books.refunds.contains_key(&line.out_refund_no) => {
                let row: Option<(String, i64, String)> = sqlx::query_as(
                    "SELECT p.payment_no, r.external_fen, r.state FROM refunds r JOIN payments p ON p.id = r.payment_id \
                     WHERE r.refund_no = $1",
                )
                .bind(&line.out_refund_no)
                .fetch_optional(db.pool())
                .await?;
                if let Some((payment_no, external_fen, state)) = row {
                    books
                        .other_refunds
                        .insert(line.out_refund_no.clone(), OurRefund { payment_no, external_fen, state });
                }
            }
            _ => {}
        }
    }
    Ok(books)
}

/// Keeps a difference; `true` when it is new (then it is also written to the audit log).
async fn record(db: &Db, provider: &str, bill_date: &str, found: &Found, now: Timestamp) -> Result<bool> {
    let mut tx = db.begin_write().await?;
    let inserted = sqlx::query(
        "INSERT INTO reconcile_differences (provider, bill_date, kind, number, our_fen, their_fen, detail, found_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (provider, bill_date, kind, number) DO NOTHING",
    )
    .bind(provider)
    .bind(bill_date)
    .bind(found.kind.as_str())
    .bind(&found.number)
    .bind(found.our_fen)
    .bind(found.their_fen)
    .bind(matching::stored(&found.detail))
    .bind(now.millis())
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    if inserted {
        let subject = match found.kind {
            Kind::RefundMismatch => format!("refund:{}", found.number),
            _ => format!("payment:{}", found.number),
        };
        let entry = Entry::new(&Actor::System, "reconcile.difference")
            .subject(subject)
            .amount(found.their_fen.or(found.our_fen).unwrap_or(0))
            .details(format!("{provider} {bill_date} {}: {}", found.kind.as_str(), found.detail.english()));
        audit::append(&mut tx, entry, now).await?;
    }
    tx.commit().await?;
    Ok(inserted)
}

/// A payment the provider collected and we do not have as paid: the provider's query decides,
/// and the completion command completes it (once, however often this runs). Returns whether
/// this call completed it.
async fn settle_missed(
    db: &Db,
    provider: &dyn PaymentProvider,
    bill_date: &str,
    found: &Found,
    now: Timestamp,
) -> Result<bool> {
    let open: Option<(String,)> = sqlx::query_as(
        "SELECT resolution FROM reconcile_differences \
         WHERE provider = $1 AND bill_date = $2 AND kind = 'missing_here' AND number = $3 AND resolution = 'open'",
    )
    .bind(provider.name())
    .bind(bill_date)
    .bind(&found.number)
    .fetch_optional(db.pool())
    .await?;
    if open.is_none() {
        return Ok(false);
    }
    let resolution = if found.our_fen.is_none() {
        // Not one of our payment numbers: nothing to complete; a person must look.
        "unknown_payment".to_string()
    } else {
        match provider.query(db, &found.number).await? {
            ProviderStatus::Paid { transaction_id, amount, paid_at } => {
                let confirmation =
                    Confirmation { provider: Some(provider.name().to_string()), transaction_id, amount, paid_at };
                match complete(db, &found.number, &confirmation, now).await? {
                    Completion::Completed { .. } => "completed".into(),
                    Completion::AlreadyComplete => "already_complete".into(),
                    Completion::PaidAfterClose => "refunding_late_money".into(),
                    Completion::Rejected(_) => "rejected".into(),
                }
            }
            other => format!("query_says_{}", status_word(&other)),
        }
    };
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE reconcile_differences SET resolution = $1, resolved_at = $2 \
         WHERE provider = $3 AND bill_date = $4 AND kind = 'missing_here' AND number = $5 AND resolution = 'open'",
    )
    .bind(&resolution)
    .bind(now.millis())
    .bind(provider.name())
    .bind(bill_date)
    .bind(&found.number)
    .execute(&mut **tx)
    .await?;
    tx.commit().await?;
    Ok(resolution == "completed")
}

fn status_word(status: &ProviderStatus) -> &'static str {
    match status {
        ProviderStatus::Open => "open",
        ProviderStatus::Paid { .. } => "paid",
        ProviderStatus::Closed => "closed",
        ProviderStatus::Unknown => "unknown",
    }
}

async fn save_run(
    db: &Db,
    provider: &str,
    s: &RunSummary,
    bill: &DailyBill,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO reconcile_runs (provider, bill_date, state, error, their_payments, their_paid_fen, their_refunds, \
         their_refunded_fen, their_fee_fen, fund_income_fen, fund_expense_fen, our_payments, our_paid_fen, our_refunds, \
         our_refunded_fen, differences, started_by, finished_at) \
         VALUES ($1, $2, 'done', '', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
         ON CONFLICT (provider, bill_date) DO UPDATE SET state = 'done', error = '', \
         their_payments = excluded.their_payments, their_paid_fen = excluded.their_paid_fen, \
         their_refunds = excluded.their_refunds, their_refunded_fen = excluded.their_refunded_fen, \
         their_fee_fen = excluded.their_fee_fen, fund_income_fen = excluded.fund_income_fen, \
         fund_expense_fen = excluded.fund_expense_fen, our_payments = excluded.our_payments, \
         our_paid_fen = excluded.our_paid_fen, our_refunds = excluded.our_refunds, \
         our_refunded_fen = excluded.our_refunded_fen, differences = excluded.differences, \
         started_by = excluded.started_by, finished_at = excluded.finished_at, attempts = reconcile_runs.attempts + 1",
    )
    .bind(provider)
    .bind(&s.bill_date)
    .bind(s.their_payments)
    .bind(s.their_paid_fen)
    .bind(s.their_refunds)
    .bind(s.their_refunded_fen)
    .bind(s.their_fee_fen)
    .bind(bill.fund_income_fen)
    .bind(bill.fund_expense_fen)
    .bind(s.our_payments)
    .bind(s.our_paid_fen)
    .bind(s.our_refunds)
    .bind(s.our_refunded_fen)
    .bind(s.differences)
    .bind(actor.label())
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    let entry =
        Entry::new(actor, "reconcile.run").subject(format!("reconcile:{provider}:{}", s.bill_date)).details(format!(
            "theirs {} payments {} fen, {} refunds {} fen, fees {} fen; ours {} payments {} fen, {} refunds {} fen; \
             {} differences ({} new), {} completed",
            s.their_payments,
            s.their_paid_fen,
            s.their_refunds,
            s.their_refunded_fen,
            s.their_fee_fen,
            s.our_payments,
            s.our_paid_fen,
            s.our_refunds,
            s.our_refunded_fen,
            s.differences,
            s.new_differences,
            s.completed
        ));
    audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(())
}

async fn record_failure(
    db: &Db,
    provider: &str,
    bill_date: &str,
    error: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO reconcile_runs (provider, bill_date, state, error, started_by, finished_at) \
         VALUES ($1, $2, 'failed', $3, $4, $5) \
         ON CONFLICT (provider, bill_date) DO UPDATE SET state = 'failed', error = excluded.error, \
         started_by = excluded.started_by, finished_at = excluded.finished_at, attempts = reconcile_runs.attempts + 1",
    )
    .bind(provider)
    .bind(bill_date)
    .bind(error)
    .bind(actor.label())
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    let entry = Entry::new(actor, "reconcile.run")
        .subject(format!("reconcile:{provider}:{bill_date}"))
        .details(format!("failed: {error}"));
    audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(())
}
