//! Live updates across instances: two `plaza serve` processes (the release binary) on one
//! PostgreSQL database; a counter screen follows `/events/sales` on instance B while a shopper
//! pays at the plate through instance A, one payment at a time. For each payment: from the pay
//! request leaving to the sale arriving on B's screen, and from A's answer (the payment committed)
//! to the sale on B.
//!
//! `TEST_DATABASE_URL=postgres://… cargo run --release -p plaza-server --example live_bench -- [payments]`
//! (after `cargo build --release -p plaza-server`) prints one line:
//! `payments request_p50_ms request_p99_ms committed_p50_ms committed_p99_ms`.

#[path = "../tests/support/instances.rs"]
mod instances;
#[path = "../../core/examples/support/latencies.rs"]
mod latencies;

use instances::{cookie, member_session, pay_with_stored_value, staff_session, Instance, Stream};
use latencies::Percentiles;
use plaza_core::audit::Actor;
use plaza_core::{stored_value, Backend, Timestamp};
use plaza_types::Fen;
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let payments: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let db = plaza_core::testing::test_db().await;
    assert_eq!(db.backend(), Backend::Postgres, "set TEST_DATABASE_URL to a PostgreSQL server");
    let now = Timestamp::now();
    plaza_core::demo::seed(&db, now).await.expect("the demo mall");
    let (member, shopper) = member_session(&db, "13800138000").await;
    let mut tx = db.begin_write().await.unwrap();
    stored_value::credit(&mut tx, member, Fen(10_000_000), "adjust", "live-bench", "bench", &Actor::System, now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let cashier = staff_session(&db, "yishang.cashier").await;
    let (plate,): (String,) = sqlx::query_as(
        "SELECT p.code FROM payment_plates p JOIN tenants t ON t.id = p.tenant_id WHERE t.code = 'yishang' LIMIT 1",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    let binary = std::env::var("PLAZA_BIN").unwrap_or_else(|_| "target/release/plaza".into());
    let a = Instance::start(&binary, db.url(), "a");
    let b = Instance::start(&binary, db.url(), "b");
    let client = reqwest::Client::new();
    let shopper = cookie(&shopper);
    let mut counter = Stream::open(&client, &b.url("/events/sales"), &cookie(&cashier), None).await;
    // The first totals event says the stream is live.
    counter.next(Duration::from_secs(10)).await.expect("the stream opens");

    let (mut from_request, mut from_commit) = (Vec::new(), Vec::new());
    for i in 0..payments {
        let key = format!("live-{i}");
        let sent = Instant::now();
        let pay = pay_with_stored_value(&client, &a, &shopper, &plate, "1", &key);
        let seen = async {
            let event = counter.next_sale(Duration::from_secs(10)).await.expect("the sale").expect("open");
            (Instant::now(), event)
        };
        let ((arrived, event), (no, answered)) = tokio::join!(seen, async { (pay.await, Instant::now()) });
        assert!(event.data.contains(&no), "the sale of {no} on B");
        from_request.push(arrived - sent);
        from_commit.push(arrived.saturating_duration_since(answered));
    }
    let (requested, committed) = (Percentiles::of(&from_request), Percentiles::of(&from_commit));
    println!(
        "{payments} {:.1} {:.1} {:.1} {:.1}",
        requested.ms(0.5),
        requested.ms(0.99),
        committed.ms(0.5),
        committed.ms(0.99)
    );
}
