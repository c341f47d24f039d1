//! `plaza seed-scale`: a mall the size of a big city's — a million members with three years of
//! history — on top of the demo mall, for measuring what the features cost at that size. Rows are
//! written in bulk (see [`write`]), never through the business functions one at a time, but they
//! are the rows those functions would have written: each member's history is simulated with the
//! ledger's rules ([`generate`]), so the cached balances equal the lots and the last ledger line,
//! awards match their payments, and the jobs find real work (lots expiring at the new year).
//! Nothing is audited: the audit chain stays as the demo left it.

pub mod generate;
pub mod people;
pub mod write;

use crate::points::policy::PointsPolicy;
use crate::{settings, Backend, Db, Result, Timestamp};
use generate::{Ids, Mall, Quota, Tables};
use std::time::Instant;
use write::Loader;

/// The settings key marking a mall as seeded (or being seeded).
pub const MARKER: &str = "scale.seed";

/// How big a mall to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counts {
    pub members: u64,
    /// Points-ledger lines, roughly: check-ins fill up what payments leave, expiries add a few.
    pub ledger: u64,
    /// At most one seeded coupon per member.
    pub coupons: u64,
    pub payments: u64,
}

impl Default for Counts {
    fn default() -> Counts {
        Counts { members: 1_000_000, ledger: 10_000_000, coupons: 200_000, payments: 2_000_000 }
    }
}

/// Where the load is, for the caller to show.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    pub members_done: u64,
    pub members: u64,
    pub rows: u64,
    pub elapsed_secs: f64,
}

impl Progress {
    pub fn rows_per_sec(&self) -> f64 {
        self.rows as f64 / self.elapsed_secs.max(0.001)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Seeded(Summary),
    /// Refused, with the reason in words (already seeded, no demo mall, numbers taken).
    Refused(String),
}

/// What was written, counted from the database afterwards.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub members: i64,
    pub ledger: i64,
    pub lots: i64,
    pub payments: i64,
    pub coupons: i64,
    pub rows: u64,
    pub millis: u64,
}

/// Members per transaction: about 20 rows each, so a few hundred thousand rows per commit.
const CHUNK: u64 = 10_000;

/// Seeds `counts` onto the demo mall at `url` (the same database as `db`), reporting progress
/// after every chunk. Refuses a mall without the demo, or one seeded (or half seeded) before.
pub async fn seed(
    db: &Db,
    url: &str,
    counts: Counts,
    seed: u64,
    now: Timestamp,
    progress: &mut dyn FnMut(Progress),
) -> Result<Outcome> {
    if let Some(refusal) = refusal(db, counts).await? {
        return Ok(Outcome::Refused(refusal));
    }
    let marker =
        serde_json::json!({"state": "running", "seed": seed, "members": counts.members, "started_at": now.millis()});
    let mut tx = db.begin_write().await?;
    let claimed =
        sqlx::query("INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING")
            .bind(MARKER)
            .bind(marker.to_string())
            .bind(now.millis())
            .execute(&mut **tx)
            .await?
            .rows_affected();
    tx.commit().await?;
    if claimed == 0 {
        return Ok(Outcome::Refused(already(db).await?));
    }

    let mall = read_mall(db, now).await?;
    let mut ids = next_ids(db).await?;
    let mut loader = Loader::open(url).await?;
    let started = Instant::now();
    let mut tables = Tables::new();
    let mut rows = 0;
    let mut index = 0;
    while index < counts.members {
        let end = (index + CHUNK).min(counts.members);
        for i in index..end {
            let quota = quota(counts, i);
            generate::member(&mall, seed, i, &quota, now, &mut ids, &mut tables);
        }
        rows += loader.write(&mut tables.in_order()).await?;
        index = end;
        progress(Progress {
            members_done: index,
            members: counts.members,
            rows,
            elapsed_secs: started.elapsed().as_secs_f64(),
        });
    }
    // What the loaded rows imply elsewhere: templates' issued counts, PostgreSQL's id sequences.
    loader
        .execute(
            "UPDATE coupon_templates SET issued_count = (SELECT COALESCE(SUM(c.issued), 0) FROM coupon_member_counts c \
             WHERE c.template_id = coupon_templates.id)",
        )
        .await?;
    if db.backend() == Backend::Postgres {
        for table in SEQUENCED {
            loader
                .execute(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
                ))
                .await?;
        }
        loader.execute("ANALYZE").await?;
    } else {
        loader.execute("ANALYZE").await?;
    }
    loader.close().await?;

    let done = serde_json::json!({"state": "done", "seed": seed, "members": counts.members, "started_at": now.millis(),
        "seconds": started.elapsed().as_secs()});
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE settings SET value = $1, updated_at = $2 WHERE key = $3")
        .bind(done.to_string())
        .bind(now.millis())
        .bind(MARKER)
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    let mut summary = count(db).await?;
    summary.rows = rows;
    summary.millis = started.elapsed().as_millis() as u64;
    Ok(Outcome::Seeded(summary))
}

const SEQUENCED: [&str; 10] = [
    "members",
    "points_awards",
    "points_lots",
    "points_movements",
    "payments",
    "payment_events",
    "tenant_sales",
    "level_spend",
    "coupons",
    "coupon_events",
];

/// Spreads the totals over the members exactly: member `i` gets the difference of the running
/// shares, so every total adds up to what was asked.
fn share(total: u64, members: u64, i: u64) -> u64 {
    let (total, members, i) = (total as u128, members as u128, i as u128);
    ((i + 1) * total / members - i * total / members) as u64
}

fn quota(counts: Counts, i: u64) -> Quota {
    Quota {
        payments: share(counts.payments, counts.members, i),
        ledger: share(counts.ledger, counts.members, i),
        coupon: share(counts.coupons.min(counts.members), counts.members, i) > 0,
    }
}

async fn refusal(db: &Db, counts: Counts) -> Result<Option<String>> {
    if counts.members == 0 {
        return Ok(Some("nothing to seed: --members is 0".into()));
    }
    let marker: Option<(String,)> =
        sqlx::query_as("SELECT value FROM settings WHERE key = $1").bind(MARKER).fetch_optional(db.pool()).await?;
    if marker.is_some() {
        return Ok(Some(already(db).await?));
    }
    let (plates,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM payment_plates WHERE status = 'active'").fetch_one(db.pool()).await?;
    if plates == 0 {
        return Ok(Some("no demo mall here (no payment plates): run `plaza seed-demo` first".into()));
    }
    let prefixes: Vec<String> = people::prefixes().map(|p| format!("'{p}'")).collect();
    let (taken,): (i64,) =
        sqlx::query_as(&format!("SELECT COUNT(*) FROM members WHERE substr(phone, 1, 3) IN ({})", prefixes.join(", ")))
            .fetch_one(db.pool())
            .await?;
    if taken > 0 {
        return Ok(Some(format!(
            "{taken} members already have numbers in the seeded ranges: seed-scale is for a fresh demo mall"
        )));
    }
    Ok(None)
}

async fn already(db: &Db) -> Result<String> {
    let (value,): (String,) =
        sqlx::query_as("SELECT value FROM settings WHERE key = $1").bind(MARKER).fetch_one(db.pool()).await?;
    let state: serde_json::Value = serde_json::from_str(&value).unwrap_or_default();
    Ok(if state["state"] == "done" {
        format!(
            "this mall was seeded at scale already ({} members, seed {}); it is not seeded twice",
            state["members"], state["seed"]
        )
    } else {
        "a seed-scale run started here and did not finish: start again from a fresh database (seed-demo, then seed-scale)"
            .to_string()
    })
}

async fn read_mall(db: &Db, now: Timestamp) -> Result<Mall> {
    let tz = crate::mall::timezone(db).await?;
    let plates: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT p.id, p.tenant_id, t.name_zh FROM payment_plates p JOIN tenants t ON t.id = p.tenant_id \
         WHERE p.status = 'active' AND t.status = 'active' ORDER BY p.id",
    )
    .fetch_all(db.pool())
    .await?;
    let templates: Vec<(i64, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT id, valid_days, valid_until FROM coupon_templates WHERE status = 'active' AND total_stock IS NULL \
         AND kind <> 'birthday' ORDER BY id",
    )
    .fetch_all(db.pool())
    .await?;
    let levels: Vec<(String, i64)> =
        sqlx::query_as("SELECT code, min_spend_fen FROM levels ORDER BY rank").fetch_all(db.pool()).await?;
    let policy: PointsPolicy = settings::get(db.pool()).await?;
    let this_year = tz.zoned(now).year();
    let mut years = Vec::new();
    for year in this_year - 6..=this_year + 3 {
        let start = jiff::civil::date(year, 1, 1)
            .to_zoned(tz.jiff_tz())
            .map(|z| z.timestamp().as_millisecond())
            .map_err(|e| crate::Error::internal(format!("start of {year}: {e}")))?;
        years.push((year, start));
    }
    years.pop();
    let years = years.into_iter().filter(|(_, start)| *start <= now.millis() + 3 * 366 * 86_400_000).collect();
    Ok(Mall {
        plates,
        templates,
        levels,
        tz,
        points_per_yuan_milli: policy.points_per_yuan_milli,
        refund_window_days: policy.refund_window_days,
        years,
    })
}

async fn next_ids(db: &Db) -> Result<Ids> {
    async fn next(db: &Db, table: &str) -> Result<i64> {
        let (max,): (i64,) = sqlx::query_as(&format!("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM {table}"))
            .fetch_one(db.pool())
            .await?;
        Ok(max + 1)
    }
    Ok(Ids {
        member: next(db, "members").await?,
        award: next(db, "points_awards").await?,
        lot: next(db, "points_lots").await?,
        movement: next(db, "points_movements").await?,
        payment: next(db, "payments").await?,
        payment_event: next(db, "payment_events").await?,
        sale: next(db, "tenant_sales").await?,
        level_spend: next(db, "level_spend").await?,
        coupon: next(db, "coupons").await?,
        coupon_event: next(db, "coupon_events").await?,
    })
}

async fn count(db: &Db) -> Result<Summary> {
    async fn rows(db: &Db, table: &str) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(db.pool()).await?;
        Ok(n)
    }
    Ok(Summary {
        members: rows(db, "members").await?,
        ledger: rows(db, "points_movements").await?,
        lots: rows(db, "points_lots").await?,
        payments: rows(db, "payments").await?,
        coupons: rows(db, "coupons").await?,
        rows: 0,
        millis: 0,
    })
}

#[cfg(test)]
mod tests;
