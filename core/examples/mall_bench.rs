//! Mall checkout end to end, and the oversell race, on the database named by the first argument
//! (a `sqlite://` file or a `postgres://` server URL; for PostgreSQL a fresh database
//! `plaza_mallbench_<pid>` is created next to the one named and dropped afterwards).
//!
//! Checkout: three shops' goods in one cart (one line each) → `checkout::place` (the cart priced,
//! split into three orders under one payment, each line's unit taken from stock, the provider's
//! share started in the sandbox) → the sandbox confirms → `payments::complete` as the provider's
//! notification would (the three orders paid, their sale lines). Throughput counts all of it, in
//! checkouts and in orders; the latency is ours (cart, place, complete), not the sandbox's.
//!
//! The race: `racers` shoppers with the last five units of one SKU in their carts press pay at
//! once (stored value, so the five winners are paid inside their request), `races` times over;
//! presses answered per second (five paid, the rest told the stock ran short) and the p99 of a
//! press. Every race is checked: exactly five paid, the stock at zero.
//!
//! `cargo run --release -p plaza-core --example mall_bench -- <url> [checkouts] [concurrency] [members] [racers] [races]`
//! prints two lines, `backend per_second p50_ms p99_ms`: checkouts (three orders each), then
//! race presses.

#[path = "support/mod.rs"]
mod support;

use plaza_core::audit::Actor;
use plaza_core::auth::staff::{self, NewStaff};
use plaza_core::mall_orders::cart;
use plaza_core::mall_orders::checkout::{self, PlaceMallOrder};
use plaza_core::payments::sandbox::{self, Delivery, Sandbox};
use plaza_core::payments::{self, Choice, Confirmation, PaymentProvider, PaymentState, ProviderStatus};
use plaza_core::shop::categories::{self, CategoryInput};
use plaza_core::shop::products::{self, NewProduct};
use plaza_core::{members, purposes, stored_value, tenants, Db, Timestamp};
use plaza_types::dto::{Localized, SkuId, TenantKind};
use plaza_types::{Fen, MemberId, PhoneNumber, StaffRole};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{fresh_database, throughput_line, BoxError};

const LAST_UNITS: i64 = 5;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let url = args.first().cloned().unwrap_or_else(|| "sqlite:///tmp/plaza-mall-bench.db".into());
    let arg = |n: usize, default: usize| args.get(n).and_then(|a| a.parse().ok()).unwrap_or(default);
    let (checkouts, concurrency, member_count, racers, races) =
        (arg(1, 600), arg(2, 16), arg(3, 200).max(1), arg(4, 200), arg(5, 5));

    let (db, cleanup) = fresh_database(&url, "plaza_mallbench").await?;
    db.migrate().await?;
    purposes::install();
    let now = Timestamp::now();
    let skus = Arc::new(seed_shops(&db, now).await?);
    let mut ids = Vec::new();
    for i in 0..member_count.max(racers) {
        let mut tx = db.begin_write().await?;
        let phone = PhoneNumber::parse(&format!("1360{:07}", i)).map_err(|_| "phone")?;
        let (member, _) = members::find_or_create_by_phone(&mut tx, &phone, now).await?;
        stored_value::credit(&mut tx, member, Fen(1_000_000), "topup", &format!("bench{i}"), "", &Actor::System, now)
            .await?;
        tx.commit().await?;
        ids.push(member);
    }
    let ids = Arc::new(ids);
    let sandbox =
        Arc::new(Sandbox { notify_url: "http://127.0.0.1:9/notify/wechat".into(), delivery: Delivery::Normal });

    // Checkouts of a three-shop cart.
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let (db, ids, skus, sandbox) = (db.clone(), ids.clone(), skus.clone(), sandbox.clone());
        let members = ids.len().min(member_count);
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut i = worker;
            while i < checkouts {
                // One member's carts never overlap: each worker owns the members i ≡ worker.
                latencies.push(checkout(&db, &sandbox, ids[i % members], &skus.goods, i).await?);
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
        sqlx::query_as("SELECT COUNT(*) FROM mall_orders WHERE state = 'paid'").fetch_one(db.pool()).await?;
    if paid as usize != checkouts * 3 {
        return Err(format!("{paid} of {} orders paid", checkouts * 3).into());
    }
    println!("{}", throughput_line(&url, checkouts, elapsed, &latencies));

    // The oversell race.
    let mut presses = Vec::new();
    let mut racing = Duration::ZERO;
    for race in 0..races {
        let (took, mut latencies) = oversell_race(&db, &ids[..racers], skus.last_units, race).await?;
        racing += took;
        presses.append(&mut latencies);
    }
    println!("{}", throughput_line(&url, presses.len(), racing, &presses));
    db.close().await;
    cleanup.await;
    Ok(())
}

/// One three-shop cart from empty to paid; returns the time spent on our side.
async fn checkout(
    db: &Db,
    sandbox: &Sandbox,
    member: MemberId,
    goods: &[SkuId],
    i: usize,
) -> Result<Duration, BoxError> {
    let now = Timestamp::now();
    let ours = Instant::now();
    for sku in goods {
        cart::add(db, member, *sku, 1, now).await?;
    }
    let place = PlaceMallOrder {
        choice: Choice { coupon: None, use_points: false, use_stored_value: false },
        shops: Vec::new(),
        expected_total: None,
        expected_to_pay: None,
        request_key: format!("bench-{i}"),
    };
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

/// Every racer with the SKU in the cart, its stock set to five, then all press pay at once:
/// (how long until every press was answered, each press's latency).
async fn oversell_race(
    db: &Db,
    racers: &[MemberId],
    sku: SkuId,
    race: usize,
) -> Result<(Duration, Vec<Duration>), BoxError> {
    let now = Timestamp::now();
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE shop_skus SET stock = $1 WHERE id = $2")
        .bind(LAST_UNITS)
        .bind(sku.0)
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    for member in racers {
        // The winners' lines left with their orders; the losers' stay (a missing line is fine).
        let _ = cart::remove(db, *member, sku).await;
        cart::add(db, *member, sku, 1, now).await?;
    }
    let sandbox = Sandbox { notify_url: "http://127.0.0.1:9/notify/wechat".into(), delivery: Delivery::Normal };
    let started = Instant::now();
    let tasks: Vec<_> = racers
        .iter()
        .map(|member| {
            let (db, member, sandbox) = (db.clone(), *member, sandbox.clone());
            tokio::spawn(async move {
                let place = PlaceMallOrder {
                    choice: Choice { coupon: None, use_points: false, use_stored_value: true },
                    request_key: format!("race-{race}-{}", member.0),
                    ..Default::default()
                };
                let pressed = Instant::now();
                let paid = match checkout::place(&db, &sandbox, member, &place, Timestamp::now()).await {
                    Ok(created) => created.state == PaymentState::Paid,
                    Err(e) if e.user().is_some() => false,
                    Err(e) => return Err(BoxError::from(format!("{e:?}"))),
                };
                Ok::<_, BoxError>((paid, pressed.elapsed()))
            })
        })
        .collect();
    let (mut paid, mut latencies) = (0, Vec::new());
    for task in tasks {
        let (won, latency) = task.await??;
        paid += i64::from(won);
        latencies.push(latency);
    }
    let took = started.elapsed();
    let (stock,): (i64,) =
        sqlx::query_as("SELECT stock FROM shop_skus WHERE id = $1").bind(sku.0).fetch_one(db.pool()).await?;
    if paid != LAST_UNITS || stock != 0 {
        return Err(format!("race {race}: {paid} paid, stock {stock}").into());
    }
    Ok((took, latencies))
}

struct Skus {
    /// One product of each of three shops, with all the stock a checkout run needs.
    goods: Vec<SkuId>,
    /// The SKU the racers fight over.
    last_units: SkuId,
}

/// Three storefronts, each with one product on sale; the first also sells the raced SKU.
async fn seed_shops(db: &Db, now: Timestamp) -> Result<Skus, BoxError> {
    let mut tx = db.begin_write().await?;
    tenants::create_category(&mut tx, "bench", &Localized::new("测试", "Bench"), 0).await?;
    let mut shops = Vec::new();
    for code in ["bench1", "bench2", "bench3"] {
        let new = tenants::NewTenant {
            code,
            name: Localized::new(format!("测试店{code}"), code),
            unit_no: "L1-01",
            floor: "L1",
            category_code: "bench",
            kind: TenantKind::Store,
            aliases: &[],
        };
        let tenant = tenants::create(&mut tx, &new, now).await?;
        let owner = NewStaff {
            username: &format!("{code}.owner"),
            display_name: code,
            password: "plaza2026",
            role: StaffRole::TenantOwner,
            tenant_id: Some(tenant),
        };
        let owner = staff::create(&mut tx, owner, now).await?;
        sqlx::query(
            "INSERT INTO shop_storefronts (tenant_id, name, pickup_unit, delivers, updated_at) VALUES ($1, $2, 'L1-01', 1, 0)",
        )
        .bind(tenant.0)
        .bind(code)
        .execute(&mut **tx)
        .await?;
        shops.push((tenant, owner));
    }
    tx.commit().await?;
    let top =
        CategoryInput { parent: None, name_zh: "百货".into(), name_en: String::new(), icon: "box".into(), sort: 0 };
    let top = categories::create(db, &top, &Actor::System, now).await?;
    let leaf = CategoryInput {
        parent: Some(top),
        name_zh: "杂货".into(),
        name_en: String::new(),
        icon: "box".into(),
        sort: 0,
    };
    let leaf = categories::create(db, &leaf, &Actor::System, now).await?;
    let mut listed = Vec::new();
    for (n, (tenant, owner)) in shops.iter().chain(shops.first()).enumerate() {
        let new = NewProduct {
            title: format!("商品{n}"),
            code: String::new(),
            category: leaf,
            specs: Vec::new(),
            price: format!("{}", 19 + n * 10),
            stock: "1000000".into(),
        };
        let id = products::create(db, *tenant, &new, *owner, now).await?;
        let mut tx = db.begin_write().await?;
        sqlx::query(
            "INSERT INTO shop_product_photos (product_id, kind, position, photo_key, thumb_key, width, height, created_at) \
             VALUES ($1, 'gallery', 0, $2, $3, 400, 400, 0)",
        )
        .bind(id.0)
        .bind(format!("products/p/{}/x.jpg", id.0))
        .bind(format!("products/p/{}/x-thumb.jpg", id.0))
        .execute(&mut **tx)
        .await?;
        tx.commit().await?;
        products::publish(db, *tenant, id, now).await?;
        let (sku,): (i64,) = sqlx::query_as("SELECT id FROM shop_skus WHERE product_id = $1 ORDER BY id LIMIT 1")
            .bind(id.0)
            .fetch_one(db.pool())
            .await?;
        listed.push(SkuId(sku));
    }
    let last_units = listed.pop().ok_or("four products")?;
    Ok(Skus { goods: listed, last_units })
}
