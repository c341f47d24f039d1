//! Plate payments end to end: completed payments per second and the latency of our side, on the
//! database named by the first argument (a `sqlite://` file or a `postgres://` server URL; for
//! PostgreSQL a fresh database `plaza_paybench_<pid>` is created next to the one named and dropped
//! afterwards).
//!
//! Each payment: `create` (¥100 at a tenant, half paid with points, the rest left to the
//! provider) → the sandbox confirms and builds its signed, encrypted WeChat-format notification →
//! `handle_wechat` verifies and decrypts it and runs the completion (coupon, points award, tenant
//! sale, audit). Throughput counts all of it; the latency is our side only (create + handling the
//! notification), not the sandbox's signing, which is WeChat's work in production.
//!
//! `cargo run --release -p plaza-core --example payment_bench -- <url> [payments] [concurrency] [members]`
//! prints one line: `backend payments/s p50_ms p99_ms`.

#[path = "support/mod.rs"]
mod support;

use plaza_core::audit::Actor;
use plaza_core::payments::notifications::handle_wechat;
use plaza_core::payments::plate_pay::PlateDetails;
use plaza_core::payments::sandbox::{self, notify, Delivery};
use plaza_core::payments::{self, Details, Gateway, NewPayment};
use plaza_core::points::{self, Credit};
use plaza_core::{members, plates, purposes, tenants, Db, Secrets, Timestamp};
use plaza_types::dto::{Localized, TenantKind};
use plaza_types::{Fen, MemberId, PhoneNumber, TenantId};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{fresh_database, throughput_line, BoxError};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let url = args.first().cloned().unwrap_or_else(|| "sqlite:///tmp/plaza-payment-bench.db".into());
    let payments: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(2000);
    let concurrency: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(16);
    let member_count: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(200);

    let (db, cleanup) = fresh_database(&url, "plaza_paybench").await?;
    db.migrate().await?;
    purposes::install();
    let now = Timestamp::now();
    let tenant = seed_tenant(&db, now).await?;
    let plate = plates::issue(&db, tenant, "bench", &Actor::System, now).await?;
    let plate: Arc<dyn Details> = Arc::new(PlateDetails { plate_id: plate.id, tenant });
    let mut ids = Vec::new();
    for i in 0..member_count {
        let mut tx = db.begin_write().await?;
        let phone = PhoneNumber::parse(&format!("1380{:07}", i)).map_err(|_| "phone")?;
        let (member, _) = members::find_or_create_by_phone(&mut tx, &phone, now).await?;
        let grant = Credit { member, points: 10_000_000, source: "checkin", reference: "", reason: "" };
        points::credit(&mut tx, &grant, &Actor::System, now).await?;
        tx.commit().await?;
        ids.push(member);
    }
    let secrets = Secrets::new(b"payment-bench-secret-key-32-bytes-long".to_vec()).map_err(BoxError::from)?;
    let gateway = Gateway::sandbox(&db, &secrets, "http://127.0.0.1:9/notify/wechat".into(), Delivery::Normal).await?;
    let (ids, gateway) = (Arc::new(ids), Arc::new(gateway));

    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let (db, ids, gateway, plate) = (db.clone(), ids.clone(), gateway.clone(), plate.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut i = worker;
            while i < payments {
                latencies.push(pay(&db, &gateway, ids[i % ids.len()], &plate, i).await?);
                i += concurrency;
            }
            Ok::<_, BoxError>(latencies)
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await??);
    }
    let elapsed = started.elapsed();
    let (paid,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM payments WHERE state = 'paid'").fetch_one(db.pool()).await?;
    if paid as usize != payments {
        return Err(format!("{paid} of {payments} payments completed").into());
    }
    println!("{}", throughput_line(&url, payments, elapsed, &latencies));
    db.close().await;
    cleanup.await;
    Ok(())
}

/// One payment from start to completion; returns the time spent on our side.
async fn pay(
    db: &Db,
    gateway: &Gateway,
    member: MemberId,
    plate: &Arc<dyn Details>,
    i: usize,
) -> Result<Duration, BoxError> {
    let sandbox = gateway.sandbox.as_ref().ok_or("the sandbox")?;
    let keys = gateway.sandbox_keys.as_ref().ok_or("sandbox keys")?;
    let now = Timestamp::now();
    let new = NewPayment {
        member,
        details: plate.clone(),
        subject: "bench".into(),
        amount: Fen(10_000),
        coupon: None,
        use_points: true,
        use_stored_value: false,
        request_key: format!("bench-{i}"),
    };
    let ours = Instant::now();
    let created = payments::create(db, gateway.provider.as_ref(), &new, now).await?;
    let mut spent = ours.elapsed();
    // The provider's side: the shopper pays, "WeChat" signs its notification.
    sandbox::confirm(db, sandbox, &created.payment_no, now).await?;
    let signed =
        notify::signed_notification(db, keys, &created.payment_no, Timestamp::now()).await?.ok_or("not paid")?;
    let headers = [
        ("Wechatpay-Serial", signed.headers.serial.as_str()),
        ("Wechatpay-Signature", signed.headers.signature.as_str()),
        ("Wechatpay-Timestamp", signed.headers.timestamp.as_str()),
        ("Wechatpay-Nonce", signed.headers.nonce.as_str()),
    ];
    let ours = Instant::now();
    let answer = handle_wechat(db, &gateway.verifier, headers, signed.body.as_bytes(), Timestamp::now()).await;
    spent += ours.elapsed();
    if answer.status / 100 != 2 {
        return Err(format!("notification answered {}: {:?}", answer.status, answer.body).into());
    }
    Ok(spent)
}

async fn seed_tenant(db: &Db, now: Timestamp) -> Result<TenantId, BoxError> {
    let mut tx = db.begin_write().await?;
    tenants::create_category(&mut tx, "bench", &Localized::new("测试", "Bench"), 0).await?;
    let new = tenants::NewTenant {
        code: "bench",
        name: Localized::new("测试店", "Bench shop"),
        unit_no: "L1-01",
        floor: "L1",
        category_code: "bench",
        kind: TenantKind::Plate,
        aliases: &[],
    };
    let tenant = tenants::create(&mut tx, &new, now).await?;
    tx.commit().await?;
    Ok(tenant)
}
