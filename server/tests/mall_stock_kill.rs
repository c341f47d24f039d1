//! The last five units of a SKU, two hundred shoppers pressing pay over HTTP at a real `plaza
//! serve`, and the server killed (SIGKILL) in the middle of it. After the restart nothing stays
//! reserved past the payment timeout: the units of orders never paid come back through the
//! timeout job the restarted server runs from the job table, the units of paid orders are sold,
//! nothing goes negative, and in the end exactly five orders are paid. On SQLite (a temporary
//! file), and on PostgreSQL (a fresh database) when `TEST_DATABASE_URL` is set.
//!
//! A third of the shoppers pay from stored value (paid inside the request), a third at the
//! provider (the sandbox, confirmed by the shopper; its signed notification delivered by the
//! server's worker), and a third walk away from the pay page. A request cut off by the kill is
//! sent again after the restart with the same form (its request key), as a shopper would.

use plaza_core::audit::Actor;
use plaza_core::auth::{sessions, ClientInfo};
use plaza_core::mall_orders::cart;
use plaza_core::payments::sandbox::{self, Delivery, Sandbox};
use plaza_core::payments::PaymentTimeout;
use plaza_core::testing::{test_db, TestDb};
use plaza_core::{settings, stored_value, Db, Timestamp};
use plaza_types::dto::SkuId;
use plaza_types::{Fen, MemberId, PhoneNumber};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const BUYERS: usize = 200;
const UNITS: i64 = 5;
/// The payment timeout on this server (seconds): the timeout job runs every minute on top.
const TIMEOUT_SECS: i64 = 8;
const SECRET: &str = "mall-stock-kill-test-secret-key-32-bytes-long";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Buyer {
    StoredValue,
    Provider,
    WalksAway,
}

/// What one press of the pay button came to.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Press {
    Placed(String),
    Refused(String),
    /// The server went away before answering.
    CutOff,
}

/// `plaza serve` on the test's database, always on one port (the sandbox's notifications name it).
struct Plaza {
    db_url: String,
    data_dir: PathBuf,
    port: u16,
    log: PathBuf,
}

impl Plaza {
    fn serve(&self) -> Child {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(&self.log).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_plaza"))
            .arg("serve")
            .env("PLAZA_ENV", "demo")
            .env("DATABASE_URL", &self.db_url)
            .env("PLAZA_DATA_DIR", &self.data_dir)
            .env("PLAZA_SECRET_KEY", SECRET)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{}", self.port))
            .env("LEPTOS_OUTPUT_NAME", "plaza")
            .env("PLAZA_WORKER_TICK_MS", "200")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::from(log))
            .spawn()
            .expect("plaza starts");
        let deadline = Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if let Some(status) = child.try_wait().unwrap() {
                panic!("plaza exited with {status}: {}", self.log_text());
            }
            assert!(Instant::now() < deadline, "plaza did not listen within 60 s: {}", self.log_text());
            std::thread::sleep(Duration::from_millis(50));
        }
        child
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The demo mall with one homegoods SKU on sale down to its last five units; the shop's id.
async fn last_units(db: &Db) -> (SkuId, i64) {
    let now = Timestamp::now();
    plaza_core::demo::seed(db, now).await.expect("the demo mall");
    let (sku, product, tenant): (i64, i64, i64) = sqlx::query_as(
        "SELECT k.id, k.product_id, k.tenant_id FROM shop_skus k JOIN tenants t ON t.id = k.tenant_id \
         WHERE t.code = 'homegoods' AND k.enabled = 1 ORDER BY k.id LIMIT 1",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    let mut tx = db.begin_write().await.unwrap();
    // The seeding command publishes products once their pictures are drawn; here directly.
    sqlx::query("UPDATE shop_products SET status = 'published' WHERE id = $1")
        .bind(product)
        .execute(&mut **tx)
        .await
        .unwrap();
    sqlx::query("UPDATE shop_skus SET stock = $1 WHERE id = $2")
        .bind(UNITS)
        .bind(sku)
        .execute(&mut **tx)
        .await
        .unwrap();
    settings::put(&mut **tx, &PaymentTimeout { secs: TIMEOUT_SECS }, now).await.unwrap();
    tx.commit().await.unwrap();
    (SkuId(sku), tenant)
}

/// A signed-in shopper with ¥100 of stored value and the SKU in the cart: (member, cookie).
async fn buyer(db: &Db, i: usize, sku: SkuId) -> (MemberId, String) {
    let now = Timestamp::now();
    let mut tx = db.begin_write().await.unwrap();
    let phone = PhoneNumber::parse(&format!("1390000{i:04}")).unwrap();
    let (member, _) = plaza_core::members::find_or_create_by_phone(&mut tx, &phone, now).await.unwrap();
    stored_value::credit(&mut tx, member, Fen(10_000), "topup", &format!("kill{i}"), "", &Actor::System, now)
        .await
        .unwrap();
    let session = sessions::create_for_member(&mut tx, member, &ClientInfo::default(), now).await.unwrap();
    tx.commit().await.unwrap();
    cart::add(db, member, sku, 1, now).await.unwrap();
    (member, format!("{}={}", sessions::COOKIE, session.token))
}

/// One press of the checkout page's pay button, for pickup, with or without stored value.
async fn press(client: &reqwest::Client, plaza: &Plaza, cookie: &str, tenant: i64, key: &str, sv: bool) -> Press {
    let mut form = vec![(format!("fulfil[{tenant}]"), "pickup".to_string()), ("request_key".into(), key.into())];
    if sv {
        form.push(("sv".into(), "on".into()));
    }
    let sent = client
        .post(plaza.url("/api/mall/order/place"))
        .header("cookie", cookie)
        .header("accept", "application/json")
        .form(&form)
        .send()
        .await;
    let Ok(reply) = sent else { return Press::CutOff };
    let status = reply.status();
    let Ok(body) = reply.text().await else { return Press::CutOff };
    match (status.is_success(), serde_json::from_str::<String>(&body)) {
        (true, Ok(payment_no)) => Press::Placed(payment_no),
        _ => Press::Refused(format!("{status} {body}")),
    }
}

/// (stock, units held by orders waiting for payment, units of paid orders, paid orders), read in
/// one statement.
async fn shelf(db: &Db, sku: SkuId) -> (i64, i64, i64, i64) {
    sqlx::query_as(
        "SELECT (SELECT stock FROM shop_skus WHERE id = $1), \
         (SELECT CAST(COALESCE(SUM(l.quantity), 0) AS BIGINT) FROM shop_order_lines l JOIN mall_orders o ON o.id = l.order_id \
          WHERE l.sku_id = $1 AND o.state = 'pending'), \
         (SELECT CAST(COALESCE(SUM(l.quantity), 0) AS BIGINT) FROM shop_order_lines l JOIN mall_orders o ON o.id = l.order_id \
          WHERE l.sku_id = $1 AND o.state = 'paid'), \
         (SELECT COUNT(*) FROM mall_orders WHERE state = 'paid')",
    )
    .bind(sku.0)
    .fetch_one(db.pool())
    .await
    .unwrap()
}

/// Payments the provider collected after our timeout closed them (each refunded by a job).
async fn paid_after_close(db: &Db) -> i64 {
    let (late,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM payment_events WHERE event = 'paid_after_close'")
        .fetch_one(db.pool())
        .await
        .unwrap();
    late
}

async fn open_payments(db: &Db) -> i64 {
    let (open,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM payments WHERE state IN ('created', 'paying')")
        .fetch_one(db.pool())
        .await
        .unwrap();
    open
}

/// Every buyer of `who` presses pay at once; each press is sent `delay(i)` after the start.
async fn race(
    client: &reqwest::Client,
    plaza: &Arc<Plaza>,
    who: &[(usize, String, Buyer)],
    tenant: i64,
    round: usize,
    spread_ms: u64,
) -> Vec<tokio::task::JoinHandle<(usize, Press)>> {
    who.iter()
        .map(|(i, cookie, kind)| {
            let (client, plaza, cookie, i, kind) = (client.clone(), plaza.clone(), cookie.clone(), *i, *kind);
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(spread_ms * i as u64 / BUYERS as u64)).await;
                let key = format!("kill-{i}-{round}");
                (i, press(&client, &plaza, &cookie, tenant, &key, kind == Buyer::StoredValue).await)
            })
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_server_killed_mid_race_leaves_no_unit_reserved_past_the_timeout() {
    let db: TestDb = test_db().await;
    let (sku, tenant) = last_units(&db).await;
    let kinds = [Buyer::StoredValue, Buyer::Provider, Buyer::WalksAway];
    let mut shoppers = Vec::new();
    for i in 0..BUYERS {
        let (_, cookie) = buyer(&db, i, sku).await;
        shoppers.push((i, cookie, kinds[i % 3]));
    }
    let dir = std::env::temp_dir().join(format!("plaza-mall-kill-{}-{}", std::process::id(), free_port()));
    std::fs::create_dir_all(&dir).unwrap();
    let plaza = Arc::new(Plaza {
        db_url: db.url().to_string(),
        data_dir: dir.clone(),
        port: free_port(),
        log: dir.join("plaza.log"),
    });
    let sandbox =
        Sandbox { notify_url: format!("http://127.0.0.1:{}/notify/wechat", plaza.port), delivery: Delivery::Normal };
    let client = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
    let mut server = plaza.serve();

    // Round one: the presses spread over two seconds; the server is killed once the first order
    // is written, with most presses still to come or in flight.
    let presses = race(&client, &plaza, &shoppers, tenant, 1, 2_000).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    while shelf(&db, sku).await.0 == UNITS {
        assert!(Instant::now() < deadline, "no order within 60 s: {}", plaza.log_text());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().expect("SIGKILL");
    server.wait().unwrap();
    let mut outcome = vec![Press::CutOff; BUYERS];
    for task in presses {
        let (i, press) = task.await.unwrap();
        outcome[i] = press;
    }
    let (stock, pending, sold, _) = shelf(&db, sku).await;
    assert!(stock >= 0 && stock + pending + sold == UNITS, "at the kill: {stock} + {pending} + {sold}");
    let cut = outcome.iter().filter(|p| **p == Press::CutOff).count();
    eprintln!("killed with {stock} on the shelf, {pending} reserved, {sold} sold; {cut} presses cut off");

    // The server comes back; the cut-off presses are sent again with the same form.
    let mut server = plaza.serve();
    let again: Vec<_> = shoppers.iter().filter(|(i, _, _)| outcome[*i] == Press::CutOff).cloned().collect();
    for task in race(&client, &plaza, &again, tenant, 1, 0).await {
        let (i, press) = task.await.unwrap();
        assert_ne!(press, Press::CutOff, "buyer {i} after the restart: {}", plaza.log_text());
        outcome[i] = press;
    }
    // Who placed an order pays at the provider now, or walks away.
    let mut placed = Vec::new();
    for (i, _, kind) in &shoppers {
        match &outcome[*i] {
            Press::Placed(no) => {
                // A press cut off between writing the order and opening the provider's order
                // leaves nothing to confirm at the provider: that shopper has walked away too.
                let paying =
                    *kind == Buyer::Provider && sandbox::confirm(&db, &sandbox, no, Timestamp::now()).await.unwrap();
                let kind = if *kind == Buyer::Provider && !paying { Buyer::WalksAway } else { *kind };
                placed.push((*i, kind, no.clone()));
            }
            Press::Refused(why) => assert!(why.contains("stock_short"), "buyer {i} refused: {why}"),
            Press::CutOff => unreachable!(),
        }
    }
    assert!(!placed.is_empty() && placed.len() as i64 <= UNITS, "{placed:?}");

    // The timeout job (every minute, on top of the timeout) closes what nobody paid and puts its
    // units back; the provider's notifications complete the rest.
    let deadline = Instant::now() + Duration::from_secs(TIMEOUT_SECS as u64 + 150);
    while open_payments(&db).await > 0 {
        assert!(Instant::now() < deadline, "payments still open past the timeout: {}", plaza.log_text());
        let (stock, pending, sold, _) = shelf(&db, sku).await;
        assert!(stock >= 0 && stock + pending + sold == UNITS, "{stock} + {pending} + {sold}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let (stock, pending, sold, paid_orders) = shelf(&db, sku).await;
    let walked = placed.iter().filter(|(_, kind, _)| *kind == Buyer::WalksAway).count() as i64;
    // A shopper who paid at the provider only after the timeout had closed the payment (a slow
    // restart on a busy machine) gets the money back, not the goods.
    let late = paid_after_close(&db).await;
    assert_eq!((pending, sold, paid_orders), (0, placed.len() as i64 - walked - late, sold), "nothing stuck reserved");
    assert_eq!(stock, UNITS - sold, "the walked-away units are back on the shelf");
    eprintln!("after the timeout: {sold} sold, {walked} released, {stock} back on the shelf");

    // Round two: the stored-value shoppers still waiting race for what came back; no kill.
    let rest: Vec<_> = shoppers
        .iter()
        .filter(|(i, _, kind)| *kind == Buyer::StoredValue && matches!(outcome[*i], Press::Refused(_)))
        .cloned()
        .collect();
    let mut second = 0;
    for task in race(&client, &plaza, &rest, tenant, 2, 0).await {
        match task.await.unwrap() {
            (_, Press::Placed(_)) => second += 1,
            (i, Press::Refused(why)) => assert!(why.contains("stock_short"), "buyer {i}: {why}"),
            (i, Press::CutOff) => panic!("buyer {i} cut off: {}", plaza.log_text()),
        }
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(second, stock, "each unit that came back sold once");
    assert_eq!(shelf(&db, sku).await, (0, 0, UNITS, UNITS), "five orders paid, five units sold, none left");
    let (open, negative): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM payments WHERE state IN ('created', 'paying')), \
         (SELECT COUNT(*) FROM shop_skus WHERE stock < 0)",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!((open, negative), (0, 0));
    // Stored value went only to paid orders; every closed payment gave its share back.
    let (balances, paid_sv): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT CAST(SUM(balance_fen) AS BIGINT) FROM sv_accounts a JOIN members m ON m.id = a.member_id \
          WHERE m.phone LIKE '1390000%'), \
         (SELECT CAST(COALESCE(SUM(sv_fen), 0) AS BIGINT) FROM payments WHERE state = 'paid')",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(balances, BUYERS as i64 * 10_000 - paid_sv);
    let _ = std::fs::remove_dir_all(&dir);
}
