//! Two `plaza serve` processes on one PostgreSQL database, as behind a load balancer: a sale
//! completed through instance A reaches a counter screen connected to instance B (LISTEN/NOTIFY
//! wakes B's stream; nothing polls), a reconnect with `Last-Event-ID` gets exactly what it missed,
//! and a stream whose staff member signed out delivers nothing more and ends.
//!
//! PostgreSQL only (`TEST_DATABASE_URL`): several instances on one SQLite file is not a supported
//! deployment. On SQLite the test says so and returns.

use crate::instances::{cookie, member_session, pay_with_stored_value, staff_session, Instance, Stream};
use plaza_core::audit::Actor;
use plaza_core::testing::test_db;
use plaza_core::{stored_value, Backend, Timestamp};
use plaza_types::dto::SaleLine;
use plaza_types::Fen;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(15);

fn sale(event: &crate::instances::Sse) -> SaleLine {
    serde_json::from_str(&event.data).expect("a sale line")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sale_through_one_instance_reaches_the_counter_on_the_other() {
    let db = test_db().await;
    if db.backend() != Backend::Postgres {
        eprintln!("two instances need PostgreSQL: set TEST_DATABASE_URL to run this test");
        return;
    }
    let now = Timestamp::now();
    plaza_core::demo::seed(&db, now).await.expect("the demo mall");
    let (member, shopper) = member_session(&db, "13800138000").await;
    let mut tx = db.begin_write().await.unwrap();
    stored_value::credit(&mut tx, member, Fen(100_000), "adjust", "two-instances", "test", &Actor::System, now)
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

    let binary = env!("CARGO_BIN_EXE_plaza");
    let a = Instance::start(binary, db.url(), "a");
    let b = Instance::start(binary, db.url(), "b");
    let client = reqwest::Client::new();
    let shopper = cookie(&shopper);

    // The counter screen on B; a sale paid through A appears on it.
    let mut counter = Stream::open(&client, &b.url("/events/sales"), &cookie(&cashier), None).await;
    let first = pay_with_stored_value(&client, &a, &shopper, &plate, "12.30", "two-1").await;
    let seen = counter.next_sale(WAIT).await.expect("the sale arrives on B").expect("the stream stays open");
    assert_eq!(sale(&seen).payment_no, first, "A's sale on B's screen: {}", a.log());
    assert_eq!(sale(&seen).amount, Fen(1_230));
    let resume_after = seen.id.clone().expect("sale events carry their outbox position");
    drop(counter);

    // Two sales while the screen is away; reconnecting after the last one seen gets exactly them.
    let missed = [
        pay_with_stored_value(&client, &a, &shopper, &plate, "20", "two-2").await,
        pay_with_stored_value(&client, &a, &shopper, &plate, "30", "two-3").await,
    ];
    let mut counter = Stream::open(&client, &b.url("/events/sales"), &cookie(&cashier), Some(&resume_after)).await;
    for expected in &missed {
        let got = counter.next_sale(WAIT).await.expect("a missed sale").expect("open");
        assert_eq!(&sale(&got).payment_no, expected);
    }
    assert_eq!(counter.next_sale(Duration::from_millis(1_500)).await, Err(()), "nothing twice, nothing extra");

    // Signed out (through A): B's stream delivers nothing more and ends.
    let signed_out = client
        .post(a.url("/api/auth/sign-out"))
        .header("cookie", cookie(&cashier))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert!(signed_out.status().is_success() || signed_out.status().is_redirection(), "{}", signed_out.status());
    pay_with_stored_value(&client, &a, &shopper, &plate, "40", "two-4").await;
    assert_eq!(counter.next_sale(WAIT).await, Ok(None), "the stream ends without the sale: {}", b.log());
}
