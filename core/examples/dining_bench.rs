//! Scan-to-order end to end: food orders placed and paid per second at one restaurant, and the
//! latency of our side of each, on the database named by the first argument (a `sqlite://` file
//! or a `postgres://` server URL; for PostgreSQL a fresh database `plaza_dinebench_<pid>` is
//! created next to the one named and dropped afterwards).
//!
//! Each order: two dishes into the shopper's cart (one with options), `checkout::place` (the cart
//! priced from the menu, the order written with its payment, the provider's share started in the
//! sandbox) → the sandbox confirms → `payments::complete` as the provider's notification would
//! (the day's pickup number, the kitchen ticket in the outbox, the sale line and points). Every
//! order lands on one restaurant, so the pickup-number counter is as contended as it gets.
//! Throughput counts all of it; the latency is ours (cart, place, complete), not the sandbox's.
//!
//! `cargo run --release -p plaza-core --example dining_bench -- <url> [orders] [concurrency] [members]`
//! prints one line: `backend orders/s p50_ms p99_ms`.

#[path = "support/mod.rs"]
mod support;

use plaza_core::audit::Actor;
use plaza_core::dining::cart::{self, AddDish};
use plaza_core::dining::checkout::{self, PlaceOrder};
use plaza_core::dining::menu_admin::{self, DishInput};
use plaza_core::dining::tables::{self, AreaOwner};
use plaza_core::payments::sandbox::{self, Delivery, Sandbox};
use plaza_core::payments::{self, Choice, Confirmation, PaymentProvider, ProviderStatus};
use plaza_core::{members, purposes, tenants, Db, Timestamp};
use plaza_types::dto::{Localized, TenantKind};
use plaza_types::{Fen, MemberId, PhoneNumber};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{fresh_database, throughput_line, BoxError};

/// What every order is made of.
struct Menu {
    table: String,
    noodles: i64,
    large: i64,
    tea: i64,
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let url = args.first().cloned().unwrap_or_else(|| "sqlite:///tmp/plaza-dining-bench.db".into());
    let orders: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let concurrency: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(16);
    let member_count: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(200);

    let (db, cleanup) = fresh_database(&url, "plaza_dinebench").await?;
    db.migrate().await?;
    purposes::install();
    let now = Timestamp::now();
    let menu = Arc::new(seed_restaurant(&db, now).await?);
    let mut ids = Vec::new();
    for i in 0..member_count {
        let mut tx = db.begin_write().await?;
        let phone = PhoneNumber::parse(&format!("1370{:07}", i)).map_err(|_| "phone")?;
        let (member, _) = members::find_or_create_by_phone(&mut tx, &phone, now).await?;
        tx.commit().await?;
        ids.push(member);
    }
    let ids = Arc::new(ids);
    let sandbox =
        Arc::new(Sandbox { notify_url: "http://127.0.0.1:9/notify/wechat".into(), delivery: Delivery::Normal });

    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let (db, ids, menu, sandbox) = (db.clone(), ids.clone(), menu.clone(), sandbox.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut i = worker;
            while i < orders {
                // One member's orders never overlap: each worker owns the members i ≡ worker.
                latencies.push(order(&db, &sandbox, ids[i % ids.len()], &menu, i).await?);
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
    let (paid, numbers): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(DISTINCT pickup_no) FROM dining_orders WHERE state = 'paid' AND pickup_no IS NOT NULL",
    )
    .fetch_one(db.pool())
    .await?;
    if paid as usize != orders || numbers != paid {
        return Err(format!("{paid} of {orders} orders paid, {numbers} distinct numbers").into());
    }
    println!("{}", throughput_line(&url, orders, elapsed, &latencies));
    db.close().await;
    cleanup.await;
    Ok(())
}

/// One order from the cart to paid; returns the time spent on our side.
async fn order(db: &Db, sandbox: &Sandbox, member: MemberId, menu: &Menu, i: usize) -> Result<Duration, BoxError> {
    let now = Timestamp::now();
    let add = |dish: i64, options: Vec<i64>| AddDish {
        table_code: menu.table.clone(),
        restaurant_code: "bench".into(),
        dish,
        options,
        quantity: 1,
        remark: String::new(),
    };
    let place = PlaceOrder {
        table_code: menu.table.clone(),
        restaurant_code: "bench".into(),
        choice: Choice { coupon: None, use_points: false, use_stored_value: false },
        expected_total: None,
        expected_to_pay: None,
        request_key: format!("bench-{i}"),
    };
    let ours = Instant::now();
    cart::add(db, member, &add(menu.noodles, vec![menu.large]), now).await?;
    cart::add(db, member, &add(menu.tea, Vec::new()), now).await?;
    let created = checkout::place(db, sandbox, member, &place, now).await?;
    let mut spent = ours.elapsed();
    // The provider's side: the shopper pays.
    sandbox::confirm(db, sandbox, &created.payment_no, now).await?;
    let confirmation = match sandbox.query(db, &created.payment_no).await? {
        ProviderStatus::Paid { transaction_id, amount, paid_at } => {
            Confirmation { provider: Some("sandbox".into()), transaction_id, amount, paid_at }
        }
        other => return Err(format!("not paid: {other:?}").into()),
    };
    let ours = Instant::now();
    payments::complete(db, &created.payment_no, &confirmation, Timestamp::now()).await?;
    spent += ours.elapsed();
    Ok(spent)
}

/// A call-number restaurant with noodles (a required size) and tea, and one table.
async fn seed_restaurant(db: &Db, now: Timestamp) -> Result<Menu, BoxError> {
    let mut tx = db.begin_write().await?;
    tenants::create_category(&mut tx, "dining", &Localized::new("餐饮", "Dining"), 0).await?;
    let new = tenants::NewTenant {
        code: "bench",
        name: Localized::new("测试餐厅", "Bench kitchen"),
        unit_no: "B1-01",
        floor: "B1",
        category_code: "dining",
        kind: TenantKind::Restaurant,
        aliases: &[],
    };
    let tenant = tenants::create(&mut tx, &new, now).await?;
    tx.commit().await?;
    let name = |zh: &str| Localized::new(zh, "");
    let mains = menu_admin::add_category(db, tenant, &name("面"), None, now).await?;
    let dish = |zh: &str, price: i64| DishInput {
        category_id: mains,
        name: name(zh),
        price: Fen(price),
        ..Default::default()
    };
    let noodles = menu_admin::save_dish(db, tenant, None, &dish("牛肉面", 2_800), now).await?;
    let size = menu_admin::add_group(db, tenant, noodles, &name("份量"), 1, 1, now).await?;
    menu_admin::add_option(db, tenant, size, &name("小份"), Fen(0), now).await?;
    let large = menu_admin::add_option(db, tenant, size, &name("大份"), Fen(600), now).await?;
    let tea = menu_admin::save_dish(db, tenant, None, &dish("柠檬茶", 800), now).await?;
    let owner = AreaOwner::Restaurant(tenant);
    let area = tables::create_area(db, owner, &name("大堂"), "", &Actor::System, now).await?;
    tables::add_tables(db, owner, area, "1", &Actor::System, now).await?;
    let (table,): (String,) =
        sqlx::query_as("SELECT code FROM dining_tables WHERE area_id = $1").bind(area).fetch_one(db.pool()).await?;
    Ok(Menu { table, noodles, large, tea })
}
