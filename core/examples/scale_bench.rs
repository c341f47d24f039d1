//! The mall at a million members: seeds the demo mall and `scale_seed` into a throw-away database
//! (a `sqlite://` file, or a fresh PostgreSQL database beside the one a `postgres://` URL names),
//! then measures, one at a time: the operator's member search by full number, by last four digits
//! and by name (surname alone, or a whole name), the member card, the ledger check over every
//! account (there is no nightly reconciliation job for the points ledger: this is what one would
//! run), the expiry job at the coming new year, and the database's size.
//!
//! `cargo run --release -p plaza-core --example scale_bench -- <url> [members] [samples]`
//! (payments, ledger lines and coupons scale with members as 2 : 10 : 0.2) prints one line:
//! `backend members seed_s rows_per_s phone_p99 last4_p99 name_p99 card_p99 check_s expired expire_s size_mb`
//! and the p50s and the counts to stderr. Set SCALE_BENCH_KEEP=1 to keep the database.

#[path = "support/mod.rs"]
#[allow(dead_code)]
mod support;

use plaza_core::scale_seed::{self, people, Counts, Outcome};
use plaza_core::{Db, Timestamp};
use plaza_types::MemberId;
use std::time::{Duration, Instant};
use support::latencies::Percentiles;
use support::{fresh_database, BoxError};

/// Runs the call once per input, one at a time; the latencies.
macro_rules! time {
    ($inputs:expr, |$x:ident| $call:expr) => {{
        let mut samples: Vec<Duration> = Vec::with_capacity($inputs.len());
        for $x in $inputs.iter() {
            let started = Instant::now();
            $call.await?;
            samples.push(started.elapsed());
        }
        Percentiles::of(&samples)
    }};
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().collect();
    let url = args.get(1).cloned().unwrap_or_else(|| "sqlite://target/scale.db".into());
    let members: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let samples: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(500);
    plaza_core::purposes::install();
    let (db, cleanup) = fresh_database(&url, "plaza_scale").await?;
    db.migrate().await?;
    let db_url = database_url(&db, &url).await?;
    let now = Timestamp::now();
    // The demo's last steps may fail while the demo is being changed; what seed-scale needs (the
    // mall, shops, plates, templates) comes first.
    if let Err(error) = plaza_core::demo::seed(&db, now).await {
        eprintln!("the demo mall seeded with an error: {error}; going on with what it made");
    }
    let counts = Counts { members, ledger: members * 10, coupons: members / 5, payments: members * 2 };
    let seed = 20_261_203;
    let outcome = scale_seed::seed(&db, &db_url, counts, seed, now, &mut |p| {
        eprintln!("seeded {}/{} members, {} rows, {:.0} rows/s", p.members_done, p.members, p.rows, p.rows_per_sec())
    })
    .await?;
    let Outcome::Seeded(summary) = outcome else { return Err(format!("{outcome:?}").into()) };
    eprintln!("{summary:?}");
    let seed_s = summary.millis as f64 / 1000.0;
    let rows_per_s = summary.rows as f64 / seed_s.max(0.001);

    // Who to look for: members spread over the whole table.
    let mut rng = people::Rng::new(99, 1);
    let picks: Vec<u64> = (0..samples).map(|_| rng.below(members)).collect();
    let phones: Vec<String> = picks.iter().map(|&i| people::phone(seed, i)).collect();
    let mut ids_names = Vec::new();
    for phone in &phones {
        let row: (i64, String) =
            sqlx::query_as("SELECT id, name FROM members WHERE phone = $1").bind(phone).fetch_one(db.pool()).await?;
        ids_names.push(row);
    }

    let phone = time!(phones, |q| search(&db, q));
    let last4: Vec<String> = phones.iter().map(|p| p[7..].to_string()).collect();
    let last4 = time!(last4, |q| search(&db, q));
    // A third of the name searches are a surname alone (the widest), a third a whole name and a
    // third the given name alone (after the surname: one character, or two for 欧阳, 司马, 上官).
    let names: Vec<String> = ids_names
        .iter()
        .enumerate()
        .map(|(i, (_, name))| match i % 3 {
            0 => name.chars().take(1).collect(),
            1 => name.clone(),
            _ => people::given_name(name).to_string(),
        })
        .collect();
    let name = time!(names, |q| search(&db, q));
    let ids: Vec<i64> = ids_names.iter().map(|(id, _)| *id).collect();
    let card = time!(ids, |id| plaza_core::members::card(&db, MemberId(*id), now));

    let started = Instant::now();
    let check = plaza_core::points::check::ledger(&db).await?;
    let check_s = started.elapsed().as_secs_f64();
    eprintln!("ledger check: {check:?}");
    if !check.holds() {
        return Err(format!("the seeded ledger does not hold: {check:?}").into());
    }

    let tz = plaza_core::mall::timezone(&db).await?;
    let next_year = tz.zoned(now).year() + 1;
    let new_year = jiff::civil::date(next_year, 1, 1).to_zoned(tz.jiff_tz())?.timestamp().as_millisecond();
    let started = Instant::now();
    let expired = plaza_core::points::maintenance::expire_due(&db, Timestamp(new_year + 60_000)).await?;
    let expire_s = started.elapsed().as_secs_f64();

    let size_mb = size(&db, &url).await? as f64 / 1_048_576.0;
    for (what, p) in [("phone", &phone), ("last4", &last4), ("name", &name), ("card", &card)] {
        eprintln!("{what}: p50 {:.2} ms, p99 {:.2} ms", p.ms(0.5), p.ms(0.99));
    }
    let backend = if url.starts_with("sqlite") { "sqlite" } else { "postgres" };
    println!(
        "{backend} {members} {seed_s:.0} {rows_per_s:.0} {:.1} {:.1} {:.1} {:.1} {check_s:.1} {expired} {expire_s:.1} {size_mb:.0}",
        phone.ms(0.99).max(last4.ms(0.99)),
        last4.ms(0.99),
        name.ms(0.99),
        card.ms(0.99)
    );
    db.close().await;
    if std::env::var("SCALE_BENCH_KEEP").is_err() {
        cleanup.await;
    }
    Ok(())
}

async fn search(db: &Db, query: &str) -> plaza_core::Result<()> {
    plaza_core::operator::members::search(db, query).await.map(|_| ())
}

/// The URL of the database `fresh_database` made (on PostgreSQL a new one beside `url`'s).
async fn database_url(db: &Db, url: &str) -> Result<String, BoxError> {
    if url.starts_with("sqlite") {
        return Ok(url.to_string());
    }
    let (name,): (String,) = sqlx::query_as("SELECT CAST(current_database() AS TEXT)").fetch_one(db.pool()).await?;
    Ok(plaza_core::db::url_with_database(url, &name))
}

async fn size(db: &Db, url: &str) -> Result<u64, BoxError> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let path = path.split('?').next().unwrap_or(path);
        let mut total = 0;
        for suffix in ["", "-wal"] {
            total += std::fs::metadata(format!("{path}{suffix}")).map(|m| m.len()).unwrap_or(0);
        }
        return Ok(total);
    }
    let (bytes,): (i64,) =
        sqlx::query_as("SELECT CAST(pg_database_size(current_database()) AS BIGINT)").fetch_one(db.pool()).await?;
    Ok(bytes as u64)
}
