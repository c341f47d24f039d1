//! Points ledger throughput: awards per second and spends per second, on the database named by
//! the first argument (a `sqlite://` file or a `postgres://` server URL; for PostgreSQL a fresh
//! database `plaza_bench_<pid>` is created next to the one named and dropped afterwards).
//!
//! `cargo run --release -p plaza-core --example ledger_bench -- <url> [members] [operations] [concurrency]`
//! prints one line: `backend awards/s spends/s`.

#[path = "support/fresh_database.rs"]
mod fresh_database;

use fresh_database::{fresh_database, BoxError};
use plaza_core::audit::Actor;
use plaza_core::points::{award_for_purchase, spend, Award};
use plaza_core::{Db, Timestamp};
use plaza_types::{Fen, MemberId, PhoneNumber};
use std::sync::Arc;
use std::time::Instant;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let url = args.first().cloned().unwrap_or_else(|| "sqlite:///tmp/plaza-ledger-bench.db".into());
    let members: i64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let operations: i64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(4000);
    let concurrency: i64 = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(16);

    let (db, cleanup) = fresh_database(&url, "plaza_bench").await?;
    db.migrate().await?;
    let now = Timestamp::now();
    let mut ids = Vec::new();
    for i in 0..members {
        let mut tx = db.begin_write().await?;
        let phone = PhoneNumber::parse(&format!("1370{:07}", i)).map_err(|_| "phone")?;
        let (id, _) = plaza_core::members::find_or_create_by_phone(&mut tx, &phone, now).await?;
        tx.commit().await?;
        ids.push(id);
    }
    let ids = Arc::new(ids);

    let awards = run(&db, &ids, operations, concurrency, move |db, member, i| async move {
        let mut tx = db.begin_write().await?;
        let award = Award { member, tenant: None, amount: Fen(12_345), source: "bench", external_ref: format!("b{i}") };
        award_for_purchase(&mut tx, &award, now).await?;
        tx.commit().await
    })
    .await?;
    // Make the awarded points spendable.
    plaza_core::points::maintenance::mature_due(&db, now.plus_secs(8 * 86_400)).await?;
    let spends = run(&db, &ids, operations, concurrency, move |db, member, i| async move {
        let mut tx = db.begin_write().await?;
        spend(&mut tx, member, 1, None, "bench", &format!("s{i}"), &Actor::Member(member), now).await?;
        tx.commit().await
    })
    .await?;
    let backend = if url.starts_with("sqlite") { "sqlite" } else { "postgres" };
    println!("{backend} {awards:.0} {spends:.0}");
    db.close().await;
    cleanup.await;
    Ok(())
}

/// Runs `operations` calls of `op` across `concurrency` tasks, round-robin over members; ops/s.
async fn run<F, Fut>(
    db: &Db,
    ids: &Arc<Vec<MemberId>>,
    operations: i64,
    concurrency: i64,
    op: F,
) -> Result<f64, BoxError>
where
    F: Fn(Db, MemberId, i64) -> Fut + Send + Sync + Copy + 'static,
    Fut: std::future::Future<Output = plaza_core::Result<()>> + Send,
{
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let (db, ids) = (db.clone(), ids.clone());
        tasks.push(tokio::spawn(async move {
            let mut i = worker;
            while i < operations {
                op(db.clone(), ids[(i as usize) % ids.len()], i).await?;
                i += concurrency;
            }
            Ok::<(), plaza_core::Error>(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(operations as f64 / started.elapsed().as_secs_f64())
}
