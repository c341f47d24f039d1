//! A paid order on the kitchen screen of another instance: two `plaza serve` processes (the
//! release binary) on one PostgreSQL database; sichuan's kitchen screen follows `/events/kitchen`
//! on instance B (signed in as `sichuan.kitchen`) while a shopper orders a bowl of rice at table 1
//! through instance A and pays it with the sandbox provider, one order at a time.
//!
//! For each order the bench plays WeChat: the sandbox confirms the payment and the bench POSTs its
//! signed, encrypted notification to A's `/notify/wechat` itself (the sandbox's own delivery job
//! is pointed at a closed port, so the bench's copy is the one that completes the order). Measured:
//! from the notification leaving to the ticket arriving on B, and from A's answer (the completion
//! committed) to the ticket on B.
//!
//! `TEST_DATABASE_URL=postgres://… cargo run --release -p plaza-server --example kitchen_bench -- [orders]`
//! (after `cargo build --release -p plaza-server`) prints one line:
//! `orders notified_p50_ms notified_p99_ms committed_p50_ms committed_p99_ms`.

// The plate-payment helpers there are the live bench's, not this one's.
#[allow(dead_code)]
#[path = "../tests/support/instances.rs"]
mod instances;
#[path = "../../core/examples/support/latencies.rs"]
mod latencies;

use instances::{cookie, member_session, staff_session, Instance, Stream, SECRET};
use latencies::Percentiles;
use plaza_core::payment_providers::wechat;
use plaza_core::payments::sandbox::notify::{signed_notification, SandboxKeys};
use plaza_core::payments::sandbox::{self, Delivery, Sandbox};
use plaza_core::{Backend, Secrets, Timestamp};
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let orders: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(300);
    let db = plaza_core::testing::test_db().await;
    assert_eq!(db.backend(), Backend::Postgres, "set TEST_DATABASE_URL to a PostgreSQL server");
    plaza_core::demo::seed(&db, Timestamp::now()).await.expect("the demo mall");
    let (_, shopper) = member_session(&db, "13800138000").await;
    let kitchen = staff_session(&db, "sichuan.kitchen").await;
    let (table, dish): (String, i64) = sqlx::query_as(
        "SELECT t.code, d.id FROM dining_tables t JOIN dining_areas a ON a.id = t.area_id \
         JOIN tenants r ON r.id = a.tenant_id JOIN dishes d ON d.tenant_id = r.id \
         WHERE r.code = 'sichuan' AND t.label = '1' AND d.name_zh = '米饭'",
    )
    .fetch_one(db.pool())
    .await
    .expect("sichuan's table 1 and its rice");

    let binary = std::env::var("PLAZA_BIN").unwrap_or_else(|_| "target/release/plaza".into());
    let a = Instance::start(&binary, db.url(), "a");
    let b = Instance::start(&binary, db.url(), "b");
    // The instances made the sandbox's signing key at start; the bench signs with the same.
    let secrets = Secrets::new(SECRET.as_bytes().to_vec()).expect("the instances' secret");
    let keys = SandboxKeys::load(&db, &secrets).await.expect("the sandbox's keys");
    let provider = Sandbox { notify_url: "http://127.0.0.1:9/notify/wechat".into(), delivery: Delivery::Normal };
    let client = reqwest::Client::new();
    let shopper = cookie(&shopper);
    let mut screen = Stream::open(&client, &b.url("/events/kitchen"), &cookie(&kitchen), None).await;

    let (mut from_notification, mut from_commit) = (Vec::new(), Vec::new());
    for i in 0..orders {
        let post = |path: &str, form: String| {
            client
                .post(a.url(path))
                .header("cookie", &shopper)
                .header("accept", "application/json")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form)
        };
        let added = post("/api/dining/cart/add", format!("code={table}&shop=sichuan&dish={dish}"))
            .send()
            .await
            .expect("the cart answers");
        assert!(added.status().is_success(), "add: {}", added.text().await.unwrap_or_default());
        let placed = post("/api/dining/order/place", format!("code={table}&shop=sichuan&request_key=kitchen-{i}"))
            .send()
            .await
            .expect("the checkout answers");
        let body = placed.text().await.unwrap_or_default();
        let no: String = serde_json::from_str(&body).unwrap_or_else(|_| panic!("a payment number: {body}"));

        // WeChat's side: the shopper pays, WeChat signs its notification.
        assert!(sandbox::confirm(&db, &provider, &no, Timestamp::now()).await.expect("the sandbox confirms"));
        let signed = signed_notification(&db, &keys, &no, Timestamp::now()).await.expect("signed").expect("paid");
        let notify = client
            .post(a.url("/notify/wechat"))
            .header("content-type", "application/json")
            .header(wechat::HEADER_SERIAL, &signed.headers.serial)
            .header(wechat::HEADER_SIGNATURE, &signed.headers.signature)
            .header(wechat::HEADER_TIMESTAMP, &signed.headers.timestamp)
            .header(wechat::HEADER_NONCE, &signed.headers.nonce)
            .body(signed.body);
        let sent = Instant::now();
        let answered = async {
            let reply = notify.send().await.expect("A answers the notification");
            assert!(reply.status().is_success(), "notification: {}", reply.status());
            Instant::now()
        };
        let arrived = async {
            // Tickets of earlier orders (accepted by the screen) may come first.
            loop {
                let event = screen.next(Duration::from_secs(10)).await.expect("a ticket on B").expect("open");
                if event.event != "ticket" {
                    continue;
                }
                let ticket: serde_json::Value = serde_json::from_str(&event.data).expect("a ticket");
                if ticket["order_no"] == no.as_str() && ticket["state"] == "paid" {
                    return Instant::now();
                }
            }
        };
        let (answered, arrived) = tokio::join!(answered, arrived);
        from_notification.push(arrived - sent);
        from_commit.push(arrived.saturating_duration_since(answered));
    }
    let (notified, committed) = (Percentiles::of(&from_notification), Percentiles::of(&from_commit));
    println!(
        "{orders} {:.1} {:.1} {:.1} {:.1}",
        notified.ms(0.5),
        notified.ms(0.99),
        committed.ms(0.5),
        committed.ms(0.99)
    );
}
