//! The real `plaza` binary killed (SIGKILL) in the middle of a payment load, then restarted: every
//! payment ends either paid with all of its effects, or closed with every reservation given back;
//! the notifications left pending are delivered by the retry job after the restart; and
//! `plaza audit verify` passes. On SQLite (a temporary file), and on PostgreSQL (a fresh
//! database) when `TEST_DATABASE_URL` is set.
//!
//! The load runs in this process through the same core calls the pay pages make (plate payment
//! started, confirmed or cancelled at the sandbox); the server does what a server does with it:
//! its worker delivers the sandbox's signed notifications (three copies each, out of order) to
//! its own `/notify/wechat`, which completes the payments — and that is where it is killed.

use plaza_core::audit::Actor;
use plaza_core::coupons::{self, NewTemplate, Validity};
use plaza_core::payments::plate_pay::{self, PlateOrder};
use plaza_core::payments::sandbox::{self, Delivery, Sandbox};
use plaza_core::payments::{self, views, Choice, Payment};
use plaza_core::points::{self, Credit};
use plaza_core::testing::{seed_member, seed_tenant, test_db, TestDb};
use plaza_core::{jobs, plates, stored_value, Db, Timestamp};
use plaza_types::dto::{CouponKind, Localized};
use plaza_types::PaymentState;
use plaza_types::{AppError, Fen, MemberId};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const MEMBERS: usize = 8;
const POINTS: i64 = 3_000;
const STORED_VALUE: i64 = 30_000;
/// Payments confirmed while the server is down: their notifications wait in the job table.
const WHILE_DOWN: usize = 16;
const SECRET: &str = "kill-restart-test-secret-key-32-bytes-at-least";

/// One `plaza` process on the test's database.
struct Plaza {
    db_url: String,
    data_dir: PathBuf,
    port: u16,
    log: PathBuf,
}

impl Plaza {
    fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_plaza"));
        command
            .env("PLAZA_ENV", "demo")
            .env("DATABASE_URL", &self.db_url)
            .env("PLAZA_DATA_DIR", &self.data_dir)
            .env("PLAZA_SECRET_KEY", SECRET)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{}", self.port))
            .env("LEPTOS_OUTPUT_NAME", "plaza")
            .env("PLAZA_WORKER_TICK_MS", "100")
            .env("PLAZA_SANDBOX_CHAOS", "3")
            .env("RUST_LOG", "warn");
        command
    }

    /// Starts `plaza serve` and waits until it accepts connections.
    fn serve(&self) -> Child {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(&self.log).unwrap();
        let mut child =
            self.command().arg("serve").stdout(Stdio::null()).stderr(Stdio::from(log)).spawn().expect("plaza starts");
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if let Some(status) = child.try_wait().unwrap() {
                panic!("plaza exited with {status}: {}", self.log_text());
            }
            assert!(Instant::now() < deadline, "plaza did not listen within 30 s: {}", self.log_text());
            std::thread::sleep(Duration::from_millis(50));
        }
        child
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Members with points, stored value and two "¥20 off ¥100" coupons each, and a plate.
async fn seed(db: &Db) -> (Vec<(MemberId, Vec<i64>)>, String) {
    let now = Timestamp::now();
    let tenant = seed_tenant(db, "kill").await;
    let plate = plates::issue(db, tenant, "收银台", &Actor::System, now).await.unwrap().code;
    let mut members = Vec::new();
    let mut tx = db.begin_write().await.unwrap();
    let template = coupons::create_template(
        &mut tx,
        &NewTemplate {
            code: "kill-20".into(),
            name: Localized::new("满100减20", "¥20 off ¥100"),
            kind: CouponKind::ThresholdOff,
            value: Fen(2_000),
            percent_off: 0,
            threshold: Fen(10_000),
            parking_minutes: 0,
            scope_kind: "mall".into(),
            scope_ids: vec![],
            validity: Validity::DaysAfterIssue(30),
            per_member_limit: 5,
            total_stock: None,
            claimable: true,
            description: Localized::default(),
        },
        &Actor::System,
        now,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    for i in 0..MEMBERS {
        let member = seed_member(db, &format!("1350000{:04}", i)).await;
        let mut tx = db.begin_write().await.unwrap();
        let grant = Credit { member, points: POINTS, source: "checkin", reference: "", reason: "" };
        points::credit(&mut tx, &grant, &Actor::System, now).await.unwrap();
        stored_value::credit(
            &mut tx,
            member,
            Fen(STORED_VALUE),
            "topup",
            &format!("seed-{i}"),
            "",
            &Actor::System,
            now,
        )
        .await
        .unwrap();
        let mut own = Vec::new();
        for _ in 0..2 {
            own.push(coupons::issue(&mut tx, template, member, "claim", &Actor::System, now).await.unwrap());
        }
        tx.commit().await.unwrap();
        members.push((member, own));
    }
    (members, plate)
}

/// One shopper at the plate: pays ¥80–¥150 with a coupon now and then, points and stored value,
/// and then confirms at the sandbox, cancels, or walks away (`n` picks which).
async fn one_payment(
    db: &Db,
    sandbox: &Sandbox,
    members: &[(MemberId, Vec<i64>)],
    plate: &str,
    n: usize,
) -> Option<(String, &'static str)> {
    let (member, coupons) = &members[n % members.len()];
    let now = Timestamp::now();
    let order = PlateOrder {
        code: plate.to_string(),
        amount: Fen(8_000 + (n as i64 * 731) % 7_000),
        choice: Choice {
            coupon: n.is_multiple_of(3).then(|| coupons[n % 2]),
            use_points: true,
            use_stored_value: n % 4 != 1,
        },
        expected_to_pay: None,
        request_key: format!("load-{n}"),
    };
    let created = match plate_pay::start(db, sandbox, *member, &order, now).await {
        Ok(created) => created,
        // The coupon is held by another of this member's open payments.
        Err(plaza_core::Error::User(AppError::NotUsable)) => return None,
        Err(other) => panic!("payment {n}: {other:?}"),
    };
    let what = match n % 8 {
        _ if created.pay_url.is_none() => "internal",
        6 => {
            views::cancel(db, sandbox, *member, &created.payment_no, now).await.unwrap();
            "cancelled"
        }
        7 => "abandoned",
        _ => {
            assert!(sandbox::confirm(db, sandbox, &created.payment_no, now).await.unwrap());
            "confirmed"
        }
    };
    Some((created.payment_no.to_string(), what))
}

async fn count(db: &Db, sql: &str, payment_no: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).bind(payment_no).fetch_one(db.pool()).await.unwrap();
    n
}

/// Everything a paid payment must have left, or a closed one must have given back.
async fn assert_whole(db: &Db, p: &Payment) {
    let no = p.payment_no.as_str();
    let payment = "(SELECT id FROM payments WHERE payment_no = $1)";
    let paid_events =
        count(db, &format!("SELECT COUNT(*) FROM payment_events WHERE payment_id = {payment} AND event = 'paid'"), no)
            .await;
    let awards = count(db, "SELECT COUNT(*) FROM points_awards WHERE external_ref = $1", no).await;
    let sales = count(db, &format!("SELECT COUNT(*) FROM tenant_sales WHERE payment_id = {payment}"), no).await;
    let paid_audit =
        count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'payment.paid' AND subject = 'payment:' || $1", no)
            .await;
    let spent =
        count(db, "SELECT COUNT(*) FROM points_movements WHERE kind = 'spend' AND source = 'payment' AND ref = $1", no)
            .await;
    let restored = count(
        db,
        "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM points_movements WHERE kind = 'restore' AND ref = $1",
        no,
    )
    .await;
    let sv_spent = count(db, "SELECT COUNT(*) FROM sv_movements WHERE kind = 'spend' AND ref = $1", no).await;
    let sv_released = count(
        db,
        "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM sv_movements WHERE kind = 'refund' AND ref = 'release:' || $1",
        no,
    )
    .await;
    let coupon_by_it = count(db, "SELECT COUNT(*) FROM coupons WHERE reserved_by = $1 OR redeemed_ref = $1", no).await;
    let (sandbox_state,): (Option<String>,) =
        sqlx::query_as("SELECT (SELECT state FROM sandbox_orders WHERE payment_no = $1)")
            .bind(no)
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert_eq!(spent, i64::from(p.points_used > 0), "{no}: the points were taken once");
    assert_eq!(sv_spent, i64::from(p.sv_fen > 0), "{no}: the stored value was taken once");
    match p.state.as_str() {
        "paid" => {
            assert_eq!((paid_events, awards, sales, paid_audit), (1, 1, 1, 1), "{no}: paid with all its effects, once");
            assert_eq!((restored, sv_released), (0, 0), "{no}: nothing of a paid payment given back");
            assert_eq!(coupon_by_it, i64::from(p.coupon_id.is_some()), "{no}: its coupon redeemed");
            if p.external_fen > 0 {
                assert_eq!(sandbox_state.as_deref(), Some("paid"), "{no}: the provider took the money");
            }
        }
        "closed" => {
            assert_eq!((paid_events, awards, sales, paid_audit), (0, 0, 0, 0), "{no}: a closed payment has no effects");
            assert_eq!(restored, p.points_used, "{no}: its points given back");
            assert_eq!(sv_released, p.sv_fen, "{no}: its stored value given back");
            assert_eq!(coupon_by_it, 0, "{no}: its coupon released");
            assert_ne!(sandbox_state.as_deref(), Some("paid"), "{no}: no money taken for a closed payment");
        }
        other => panic!("{no} left {other} after restart and the timeout job"),
    }
}

/// What the members hold adds up: balances equal their ledgers' running totals and what the
/// paid payments took.
async fn assert_balances(db: &Db, members: &[(MemberId, Vec<i64>)]) {
    for (member, _) in members {
        let (points_paid, sv_paid): (i64, i64) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(points_used), 0) AS BIGINT), CAST(COALESCE(SUM(sv_fen), 0) AS BIGINT) \
             FROM payments WHERE member_id = $1 AND state = 'paid'",
        )
        .bind(member.0)
        .fetch_one(db.pool())
        .await
        .unwrap();
        let balance = points::account::balance(db.pool(), *member).await.unwrap();
        assert_eq!(balance.available, POINTS - points_paid, "member {}: points", member.0);
        let (available_after, pending_after): (i64, i64) = sqlx::query_as(
            "SELECT available_after, pending_after FROM points_movements WHERE member_id = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(member.0)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(
            (balance.available, balance.pending),
            (available_after, pending_after),
            "the ledger's running total"
        );
        let sv = stored_value::balance(db.pool(), *member).await.unwrap();
        assert_eq!(sv, Fen(STORED_VALUE - sv_paid), "member {}: stored value", member.0);
        let (sv_ledger,): (i64,) =
            sqlx::query_as("SELECT CAST(SUM(amount_fen) AS BIGINT) FROM sv_movements WHERE member_id = $1")
                .bind(member.0)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(sv_ledger, sv.0);
    }
}

async fn wait_for(what: &str, plaza: &Plaza, mut done: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(40);
    while !done().await {
        assert!(Instant::now() < deadline, "{what} did not happen within 40 s: {}", plaza.log_text());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_load_leaves_every_payment_whole_or_given_back() {
    let db: TestDb = test_db().await;
    let (members, plate) = seed(&db).await;
    let dir = tempdir();
    let plaza =
        Plaza { db_url: db.url().to_string(), data_dir: dir.clone(), port: free_port(), log: dir.join("plaza.log") };
    let sandbox = Sandbox {
        notify_url: format!("http://127.0.0.1:{}/notify/wechat", plaza.port),
        delivery: Delivery::Chaos { copies: 3 },
    };
    let mut server = plaza.serve();

    // The load: three shoppers at a time until the server is killed.
    let killed = Arc::new(AtomicBool::new(false));
    let mut load = Vec::new();
    for worker in 0..3 {
        let (db, sandbox, members, plate, killed) =
            (db.db(), sandbox.clone(), members.clone(), plate.clone(), killed.clone());
        load.push(tokio::spawn(async move {
            let mut made = Vec::new();
            let mut n = worker;
            while !killed.load(Ordering::SeqCst) {
                made.extend(one_payment(&db, &sandbox, &members, &plate, n).await);
                n += 3;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            made
        }));
    }
    // Kill it while it is completing payments from the notifications it delivers to itself.
    wait_for("ten completions", &plaza, async || {
        let (paid,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM payments WHERE state = 'paid' AND external_fen > 0")
            .fetch_one(db.pool())
            .await
            .unwrap();
        paid >= 10
    })
    .await;
    server.kill().expect("SIGKILL");
    killed.store(true, Ordering::SeqCst);
    server.wait().unwrap();
    let (queued, running): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN state = 'queued' THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN state = 'running' THEN 1 ELSE 0 END), 0) AS BIGINT) FROM jobs WHERE kind = $1",
    )
    .bind(sandbox::NOTIFY_JOB)
    .fetch_one(db.pool())
    .await
    .unwrap();
    let mut made = Vec::new();
    for worker in load {
        made.extend(worker.await.unwrap());
    }
    eprintln!(
        "killed with {queued} notifications queued and {running} being delivered; {} payments made before",
        made.len()
    );
    // Shoppers keep paying while it is down: their notifications wait in the job table.
    let mut while_down = Vec::new();
    for n in 0..WHILE_DOWN {
        // n ≡ 1 (mod 8): confirmed, without stored value, so the provider always has a share.
        if let Some((no, what)) = one_payment(&db, &sandbox, &members, &plate, 10_001 + n * 8).await {
            assert_eq!(what, "confirmed");
            while_down.push(no);
        }
    }
    assert!(while_down.len() >= WHILE_DOWN / 2);

    // The dead worker's leases run out (5 minutes; here at once), then the server comes back.
    jobs::requeue_abandoned(&db, Timestamp::now().plus_secs(301)).await.unwrap();
    let mut server = plaza.serve();
    wait_for("the pending notifications delivered by the retry job", &plaza, async || {
        for no in &while_down {
            if payments::find(db.pool(), no).await.unwrap().unwrap().state != PaymentState::Paid {
                return false;
            }
        }
        true
    })
    .await;
    // The timeout job, 16 minutes on: what was paid at the provider completes, the rest closes.
    let later = Timestamp::now().plus_secs(16 * 60);
    payments::expire_due(&db, &sandbox, later).await.unwrap();
    server.kill().unwrap();
    server.wait().unwrap();

    let all: Vec<Payment> = sqlx::query_as(&format!(
        "SELECT {} FROM payments ORDER BY id",
        "id, payment_no, purpose, member_id, tenant_id, subject, amount_fen, coupon_id, coupon_fen, points_used, \
         points_fen, sv_fen, external_fen, provider, provider_txn, state, refunded_fen, created_at, expires_at, paid_at"
    ))
    .fetch_all(db.pool())
    .await
    .unwrap();
    assert!(all.len() >= made.len() + while_down.len() && made.len() >= 10, "a real load: {} payments", all.len());
    for p in &all {
        assert_whole(&db, p).await;
    }
    for (no, what) in &made {
        let state = payments::find(db.pool(), no).await.unwrap().unwrap().state;
        let expected = match *what {
            "confirmed" | "internal" => PaymentState::Paid,
            _ => PaymentState::Closed,
        };
        assert_eq!(state, expected, "{no} was {what}");
    }
    assert_balances(&db, &members).await;

    let verify = plaza.command().args(["audit", "verify"]).output().expect("plaza audit verify runs");
    assert!(
        verify.status.success(),
        "plaza audit verify: {}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempdir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("plaza-kill-{}-{}", std::process::id(), free_port()));
    std::fs::create_dir_all(&dir).unwrap();
    assert!(Path::new(&dir).is_dir());
    dir
}
