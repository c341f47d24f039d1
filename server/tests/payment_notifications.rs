//! WeChat Pay notifications over HTTP: genuine ones, built, encrypted and signed by the sandbox
//! exactly as WeChat does, POSTed to `/notify/wechat` of the in-process app — once, repeatedly,
//! out of order with other payments', after the browser's return and late after a refund — and
//! forged or stale ones, which are refused as WeChat's contract requires and change nothing.
//! Runs on SQLite, and on PostgreSQL when `TEST_DATABASE_URL` is set.

use crate::support::{Reply, TestApp};
use axum::body::Body;
use http::{header, Request, StatusCode};
use plaza_core::audit::{self, Actor};
use plaza_core::coupons::{self, NewTemplate, Validity};
use plaza_core::payment_providers::wechat::{
    self, decrypt_resource, parse_notification, sign_notification, NotificationHeaders, PlatformSigner,
    SignedNotification,
};
use plaza_core::payment_providers::RsaSigningKey;
use plaza_core::payments::plate_pay::{self, PlateOrder};
use plaza_core::payments::sandbox::{self, notify};
use plaza_core::payments::{self, views, Choice, RefundRequest};
use plaza_core::points::{self, Credit};
use plaza_core::testing::seed_member;
use plaza_core::{plates, stored_value, Timestamp};
use plaza_types::dto::{CouponKind, Localized};
use plaza_types::{Fen, MemberId, StaffId, TenantId};
use rand::seq::SliceRandom;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A shopper, a "¥20 off ¥100" coupon template, and a plate at a demo shop.
struct Counter {
    app: TestApp,
    member: MemberId,
    plate: String,
    template: i64,
}

impl Counter {
    async fn open(phone: &str) -> Counter {
        let app = TestApp::start().await;
        let now = Timestamp::now();
        let member = seed_member(&app.db, phone).await;
        let (tenant,): (i64,) = sqlx::query_as("SELECT id FROM tenants WHERE code = 'yishang'")
            .fetch_one(app.db.pool())
            .await
            .expect("the demo plate-pay shop");
        let plate = plates::issue(&app.db, TenantId(tenant), "收银台", &Actor::System, now).await.unwrap().code;
        let mut tx = app.db.begin_write().await.unwrap();
        let template = coupons::create_template(
            &mut tx,
            &NewTemplate {
                code: "notify-20".into(),
                name: Localized::new("满100减20", "¥20 off ¥100"),
                kind: CouponKind::ThresholdOff,
                value: Fen(2_000),
                percent_off: 0,
                threshold: Fen(10_000),
                parking_minutes: 0,
                scope_kind: "mall".into(),
                scope_ids: vec![],
                validity: Validity::DaysAfterIssue(30),
                per_member_limit: 50,
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
        Counter { app, member, plate, template }
    }

    /// ¥120 at the plate: a fresh coupon (¥20), all of the 1,000 points (¥10) and ¥30 of stored
    /// value the shopper is given first, and ¥60 left to the provider, which the shopper confirms
    /// on the sandbox's page.
    async fn pay(&self, key: &str) -> String {
        let now = Timestamp::now();
        let mut tx = self.app.db.begin_write().await.unwrap();
        let coupon = coupons::issue(&mut tx, self.template, self.member, "claim", &Actor::System, now).await.unwrap();
        let grant = Credit { member: self.member, points: 1_000, source: "checkin", reference: "", reason: "" };
        points::credit(&mut tx, &grant, &Actor::System, now).await.unwrap();
        stored_value::credit(&mut tx, self.member, Fen(3_000), "topup", key, "", &Actor::System, now).await.unwrap();
        tx.commit().await.unwrap();
        let order = PlateOrder {
            code: self.plate.clone(),
            amount: Fen(12_000),
            choice: Choice { coupon: Some(coupon), use_points: true, use_stored_value: true },
            expected_to_pay: None,
            request_key: key.to_string(),
        };
        let created = plate_pay::start(&self.app.db, self.app.ctx.payments.provider.as_ref(), self.member, &order, now)
            .await
            .unwrap();
        assert_eq!(created.state.as_str(), "paying", "the provider has a remainder to collect");
        assert_eq!(
            (created.split.coupon, created.split.points_used, created.split.stored_value, created.split.external),
            (Fen(2_000), 1_000, Fen(3_000), Fen(6_000))
        );
        let sandbox = self.app.ctx.payments.sandbox.as_ref().expect("the sandbox is the provider");
        assert!(sandbox::confirm(&self.app.db, sandbox, &created.payment_no, now).await.unwrap());
        created.payment_no.to_string()
    }

    /// The notification WeChat (here the sandbox) would send for this payment now.
    async fn notification(&self, payment_no: &str) -> SignedNotification {
        self.notification_at(payment_no, Timestamp::now()).await
    }

    async fn notification_at(&self, payment_no: &str, at: Timestamp) -> SignedNotification {
        let keys = self.app.ctx.payments.sandbox_keys.as_ref().expect("sandbox keys");
        notify::signed_notification(&self.app.db, keys, payment_no, at).await.unwrap().expect("the order is paid")
    }

    async fn post(&self, headers: &NotificationHeaders, body: &str) -> Reply {
        let request = Request::post("/notify/wechat")
            .header(header::CONTENT_TYPE, "application/json")
            .header(wechat::HEADER_SERIAL, &headers.serial)
            .header(wechat::HEADER_SIGNATURE, &headers.signature)
            .header(wechat::HEADER_TIMESTAMP, &headers.timestamp)
            .header(wechat::HEADER_NONCE, &headers.nonce)
            .body(Body::from(body.to_string()))
            .unwrap();
        self.app.send(request).await
    }

    async fn deliver(&self, n: &SignedNotification) -> Reply {
        self.post(&n.headers, &n.body).await
    }

    async fn refund(&self, payment_no: &str, refund_no: &str, amount: Fen) -> payments::RefundDone {
        let request = RefundRequest { payment_no, refund_no, amount, reason: "顾客退货" };
        payments::refund(
            &self.app.db,
            self.app.ctx.payments.provider.as_ref(),
            request,
            &Actor::Staff(StaffId(1)),
            Timestamp::now(),
        )
        .await
        .unwrap()
    }

    /// A count (or sum) about one payment: `$1` is its number.
    async fn count(&self, sql: &str, payment_no: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sql).bind(payment_no).fetch_one(self.app.db.pool()).await.unwrap();
        n
    }

    /// How many of the payment's notifications were logged with this outcome.
    async fn logged(&self, payment_no: &str, outcome: &str) -> i64 {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM payment_notifications WHERE payment_no = $1 AND outcome = $2")
                .bind(payment_no)
                .bind(outcome)
                .fetch_one(self.app.db.pool())
                .await
                .unwrap();
        n
    }

    async fn rows(&self, table: &str) -> i64 {
        let (n,): (i64,) =
            sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(self.app.db.pool()).await.unwrap();
        n
    }

    async fn state(&self, payment_no: &str) -> String {
        payments::find(self.app.db.pool(), payment_no).await.unwrap().expect("the payment").state.to_string()
    }

    /// What the payment's completion left behind, counted in the ledgers themselves.
    async fn effects(&self, no: &str) -> Effects {
        const PAYMENT: &str = "(SELECT id FROM payments WHERE payment_no = $1)";
        Effects {
            paid_events: self
                .count(&format!("SELECT COUNT(*) FROM payment_events WHERE payment_id = {PAYMENT} AND event = 'paid'"), no)
                .await,
            awards: self.count("SELECT COUNT(*) FROM points_awards WHERE source = 'plate_pay' AND external_ref = $1", no).await,
            earn_movements: self.count("SELECT COUNT(*) FROM points_movements WHERE kind = 'earn' AND ref = $1", no).await,
            earned: self
                .count(
                    "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM points_movements WHERE kind = 'earn' AND ref = $1",
                    no,
                )
                .await,
            sales: self
                .count(&format!("SELECT COUNT(*) FROM tenant_sales WHERE payment_id = {PAYMENT} AND kind = 'sale'"), no)
                .await,
            sale_refunds: self
                .count(&format!("SELECT COUNT(*) FROM tenant_sales WHERE payment_id = {PAYMENT} AND kind = 'refund'"), no)
                .await,
            paid_audits: self
                .count("SELECT COUNT(*) FROM audit_log WHERE action = 'payment.paid' AND subject = 'payment:' || $1", no)
                .await,
            coupons_redeemed: self
                .count("SELECT COUNT(*) FROM coupons WHERE state = 'redeemed' AND redeemed_ref = $1", no)
                .await,
        }
    }

    async fn assert_chain_intact(&self) {
        let verified = audit::verify(&self.app.db).await.unwrap();
        assert_eq!(verified.first_broken, None, "the audit chain verifies");
        assert!(verified.entries > 0);
    }
}

#[derive(Debug, PartialEq, Eq)]
struct Effects {
    paid_events: i64,
    awards: i64,
    earn_movements: i64,
    earned: i64,
    sales: i64,
    sale_refunds: i64,
    paid_audits: i64,
    coupons_redeemed: i64,
}

impl Effects {
    /// Completed exactly once: one of everything, with points actually earned.
    fn assert_once(&self, payment_no: &str) {
        assert_eq!(
            (self.paid_events, self.awards, self.earn_movements, self.sales, self.paid_audits),
            (1, 1, 1, 1, 1),
            "{payment_no} completed exactly once: {self:?}"
        );
        assert!(self.earned > 0, "{payment_no} earned points: {self:?}");
    }
}

fn rank(state: &str) -> u8 {
    match state {
        "created" => 0,
        "paying" => 1,
        "paid" => 2,
        "partially_refunded" => 3,
        "refunded" => 4,
        "closed" => 5,
        other => panic!("unknown state {other}"),
    }
}

/// Records every state the payments pass through while deliveries run, from a second
/// connection, so a step backwards (paid → paying, refunded → paid) would be seen.
struct Watcher {
    stop: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<Vec<Vec<String>>>,
}

impl Watcher {
    async fn start(counter: &Counter, payments: &[String]) -> Watcher {
        let stop = Arc::new(AtomicBool::new(false));
        let (db, nos, flag) = (counter.app.db.db(), payments.to_vec(), stop.clone());
        // The states before anything runs, so the first step is never missed by a late first poll.
        let mut seen: Vec<Vec<String>> = Vec::new();
        for no in &nos {
            seen.push(vec![payments::find(db.pool(), no).await.unwrap().unwrap().state.to_string()]);
        }
        let task = tokio::spawn(async move {
            loop {
                let last_round = flag.load(Ordering::SeqCst);
                for (i, no) in nos.iter().enumerate() {
                    let state = payments::find(db.pool(), no).await.unwrap().unwrap().state.to_string();
                    if seen[i].last() != Some(&state) {
                        seen[i].push(state);
                    }
                }
                if last_round {
                    return seen;
                }
                tokio::task::yield_now().await;
            }
        });
        Watcher { stop, task }
    }

    /// Stops watching and checks that no payment ever moved backwards.
    async fn assert_never_backwards(self) -> Vec<Vec<String>> {
        self.stop.store(true, Ordering::SeqCst);
        let seen = self.task.await.unwrap();
        for states in &seen {
            assert!(states.windows(2).all(|w| rank(&w[0]) < rank(&w[1])), "a state moved backwards: {states:?}");
        }
        seen
    }
}

fn assert_acknowledged(reply: &Reply) {
    assert!(
        reply.status == StatusCode::NO_CONTENT || reply.status == StatusCode::OK,
        "a genuine notification is acknowledged with 2xx so WeChat stops: {} {}",
        reply.status,
        reply.body
    );
}

/// Four payments notified 1, 2, 5 and 20 times, every copy shuffled together and sent at once:
/// each completes exactly once, and all copies are acknowledged so WeChat stops sending.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_repeated_and_out_of_order_complete_each_payment_once() {
    let c = Counter::open("13600000301").await;
    let copies = [1usize, 2, 5, 20];
    let mut nos = Vec::new();
    for (i, _) in copies.iter().enumerate() {
        nos.push(c.pay(&format!("repeat-{i}")).await);
    }
    let mut deliveries = Vec::new();
    for (no, &n) in nos.iter().zip(&copies) {
        let first = c.notification(no).await;
        for copy in 0..n {
            // WeChat's retries resend the same notification; the sandbox's chaos mode signs
            // fresh ones. Both kinds, mixed.
            deliveries.push(if copy % 2 == 0 { first.clone() } else { c.notification(no).await });
        }
    }
    deliveries.shuffle(&mut rand::thread_rng());
    let watcher = Watcher::start(&c, &nos).await;
    let replies = futures::future::join_all(deliveries.iter().map(|n| c.deliver(n))).await;
    let seen = watcher.assert_never_backwards().await;
    replies.iter().for_each(assert_acknowledged);

    for ((no, &n), states) in nos.iter().zip(&copies).zip(&seen) {
        assert_eq!(c.state(no).await, "paid");
        assert_eq!(states.last().map(String::as_str), Some("paid"), "{no}: {states:?}");
        let effects = c.effects(no).await;
        effects.assert_once(no);
        assert_eq!(effects.coupons_redeemed, 1);
        assert_eq!(c.logged(no, "completed").await, 1, "{no}: one delivery completed it");
        assert_eq!(c.logged(no, "duplicate").await, n as i64 - 1, "{no}: the other {} were duplicates", n - 1);
    }
    // Each payment earned once: the member's pending points are exactly the four awards.
    let earned: i64 = {
        let mut sum = 0;
        for no in &nos {
            sum += c.effects(no).await.earned;
        }
        sum
    };
    assert_eq!(points::account::balance(c.app.db.pool(), c.member).await.unwrap().pending, earned);
    c.assert_chain_intact().await;
}

/// The browser comes back first (the sandbox is asked and the payment completed); the
/// notifications that follow, however many, are duplicates.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_after_the_browser_return_change_nothing() {
    let c = Counter::open("13600000302").await;
    let no = c.pay("return-first").await;
    let provider = c.app.ctx.payments.provider.as_ref();
    views::settle_return(&c.app.db, provider, &no, Timestamp::now()).await.unwrap();
    assert_eq!(c.state(&no).await, "paid");
    let after_return = c.effects(&no).await;
    after_return.assert_once(&no);
    let balance = points::account::balance(c.app.db.pool(), c.member).await.unwrap();

    let watcher = Watcher::start(&c, std::slice::from_ref(&no)).await;
    for _ in 0..5 {
        let n = c.notification(&no).await;
        assert_acknowledged(&c.deliver(&n).await);
    }
    // And the browser once more (a reload of the result page).
    views::settle_return(&c.app.db, provider, &no, Timestamp::now()).await.unwrap();
    assert_eq!(watcher.assert_never_backwards().await, vec![vec!["paid".to_string()]]);

    assert_eq!(c.effects(&no).await, after_return);
    assert_eq!(points::account::balance(c.app.db.pool(), c.member).await.unwrap(), balance);
    assert_eq!(
        c.count("SELECT COUNT(*) FROM payment_notifications WHERE payment_no = $1 AND outcome = 'duplicate'", &no)
            .await,
        5
    );
    c.assert_chain_intact().await;
}

/// Notifications that arrive after a partial and then a full refund: acknowledged, and the
/// payment stays refunded — no second award, no second sale, no step back to `paid`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn late_notifications_after_refunds_change_nothing() {
    let c = Counter::open("13600000303").await;
    let no = c.pay("refund-late").await;
    let first = c.notification(&no).await;
    assert_acknowledged(&c.deliver(&first).await);
    c.effects(&no).await.assert_once(&no);

    let watcher = Watcher::start(&c, std::slice::from_ref(&no)).await;
    let partial = c.refund(&no, "RN-1", Fen(5_000)).await;
    assert_eq!(partial.external, Fen(5_000), "the provider's share comes back first");
    for _ in 0..3 {
        assert_acknowledged(&c.deliver(&first).await);
        assert_acknowledged(&c.deliver(&c.notification(&no).await).await);
    }
    assert_eq!(c.state(&no).await, "partially_refunded");
    let rest = c.refund(&no, "RN-2", Fen(7_000)).await;
    assert_eq!(
        (rest.external, rest.stored_value, rest.points_returned, rest.coupon_returned),
        (Fen(1_000), Fen(3_000), 1_000, true)
    );
    for _ in 0..3 {
        assert_acknowledged(&c.deliver(&first).await);
        assert_acknowledged(&c.deliver(&c.notification(&no).await).await);
    }
    let seen = watcher.assert_never_backwards().await;
    assert_eq!(seen, vec![vec!["paid".to_string(), "partially_refunded".into(), "refunded".into()]]);

    let effects = c.effects(&no).await;
    effects.assert_once(&no);
    assert_eq!(effects.sale_refunds, 2, "one refund line per refund");
    assert_eq!(effects.coupons_redeemed, 0, "the whole refund gave the coupon back");
    assert_eq!(
        c.count("SELECT reversed_points - points FROM points_awards WHERE external_ref = $1", &no).await,
        0,
        "what the purchase earned is taken back, once"
    );
    assert_eq!(
        c.count("SELECT COUNT(*) FROM payment_notifications WHERE payment_no = $1 AND outcome = 'duplicate'", &no)
            .await,
        12
    );
    // The shopper's own points and stored value are back; the earned points are gone again.
    let points = points::account::balance(c.app.db.pool(), c.member).await.unwrap();
    assert_eq!((points.available, points.pending, points.debt), (1_000, 0, 0));
    assert_eq!(stored_value::balance(c.app.db.pool(), c.member).await.unwrap(), Fen(3_000));
    c.assert_chain_intact().await;
}

/// Everything a forged, altered or stale notification could touch.
#[derive(Debug, PartialEq, Eq)]
struct Ledgers {
    state: String,
    payment_events: i64,
    points: (i64, i64, i64),
    points_movements: i64,
    sv_balance: i64,
    sv_movements: i64,
    tenant_sales: i64,
    coupons: Vec<(i64, String)>,
    jobs: i64,
}

async fn ledgers(c: &Counter, payment_no: &str) -> Ledgers {
    let db = c.app.db.pool();
    let b = points::account::balance(db, c.member).await.unwrap();
    Ledgers {
        state: c.state(payment_no).await,
        payment_events: c.rows("payment_events").await,
        points: (b.available, b.pending, b.debt),
        points_movements: c.rows("points_movements").await,
        sv_balance: stored_value::balance(db, c.member).await.unwrap().0,
        sv_movements: c.rows("sv_movements").await,
        tenant_sales: c.rows("tenant_sales").await,
        coupons: sqlx::query_as("SELECT id, state FROM coupons ORDER BY id").fetch_all(db).await.unwrap(),
        jobs: c.rows("jobs").await,
    }
}

/// What WeChat's contract asks of a refusal: not 2xx (so WeChat sends again), and a JSON body
/// `{"code": …, "message": …}` for its logs.
fn assert_refused(reply: &Reply, what: &str) {
    assert!(
        reply.status.is_client_error() || reply.status.is_server_error(),
        "{what}: refused with 4xx/5xx, got {} {}",
        reply.status,
        reply.body
    );
    assert_eq!(
        reply.headers.get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap()),
        Some("application/json"),
        "{what}"
    );
    let body: serde_json::Value =
        serde_json::from_str(&reply.body).unwrap_or_else(|e| panic!("{what}: JSON body: {e}"));
    assert!(body["code"].is_string() && body["message"].is_string(), "{what}: {{code, message}}: {body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_altered_stale_and_probing_notifications_are_refused_and_change_nothing() {
    let c = Counter::open("13600000304").await;
    let no = c.pay("forgeries").await;
    let before = ledgers(&c, &no).await;
    let audit_before = audit::verify(&c.app.db).await.unwrap().entries;
    let keys = c.app.ctx.payments.sandbox_keys.as_ref().unwrap();
    let genuine = c.notification(&no).await;
    let now = Timestamp::now();

    // The resource's plaintext, to build notifications that are wrong in one respect only.
    let envelope = parse_notification(genuine.body.as_bytes()).unwrap();
    let plaintext = decrypt_resource(&keys.api_v3_key, &envelope.resource).unwrap();

    // (what, the Wechatpay-* headers if any, the body)
    let mut refusals: Vec<(&str, Option<NotificationHeaders>, String)> = Vec::new();
    // One character of the signed body changed.
    let tampered = genuine.body.replacen("支付成功", "支付成攻", 1);
    assert_ne!(tampered, genuine.body);
    refusals.push(("tampered body", Some(genuine.headers.clone()), tampered));
    // A serial no platform key is registered under.
    let serial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1".to_string();
    refusals.push((
        "wrong serial",
        Some(NotificationHeaders { serial, ..genuine.headers.clone() }),
        genuine.body.clone(),
    ));
    // Genuinely signed, six minutes ago (a captured notification replayed).
    let stale = c.notification_at(&no, now.plus_secs(-360)).await;
    refusals.push(("timestamp older than 5 minutes", Some(stale.headers), stale.body));
    // Signed with another key under the sandbox's own serial.
    let impostor = PlatformSigner::new(keys.signer.serial(), RsaSigningKey::generate().unwrap());
    let forged =
        sign_notification(&impostor, &keys.api_v3_key, "TRANSACTION.SUCCESS", "支付成功", &plaintext, now.secs())
            .unwrap();
    refusals.push(("signed with a wrong key", Some(forged.headers), forged.body));
    // WeChat's own probe: a signature that can never verify.
    let probe = NotificationHeaders { signature: "WECHATPAY/SIGNTEST/dGVzdA==".into(), ..genuine.headers.clone() };
    refusals.push(("signature probe", Some(probe), genuine.body.clone()));
    // Properly signed, but the resource encrypted under another API v3 key.
    let other_v3 =
        sign_notification(&keys.signer, &[7u8; 32], "TRANSACTION.SUCCESS", "支付成功", &plaintext, now.secs()).unwrap();
    refusals.push(("resource under a wrong API v3 key", Some(other_v3.headers), other_v3.body));
    refusals.push(("no signature headers", None, genuine.body.clone()));

    for (what, headers, body) in &refusals {
        let reply = match headers {
            Some(headers) => c.post(headers, body).await,
            None => {
                let request = Request::post("/notify/wechat")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(body.clone()))
                    .unwrap();
                c.app.send(request).await
            }
        };
        assert_refused(&reply, what);
        assert_eq!(ledgers(&c, &no).await, before, "{what} changed nothing");
    }
    assert_eq!(audit::verify(&c.app.db).await.unwrap().entries, audit_before, "no audit entry for a forgery");
    // Refusals are counted per provider, reason and hour (payments::refusals), not stored one row
    // each: a flood of forgeries cannot fill the table.
    assert_eq!(c.rows("payment_notifications").await, 0, "refusals leave the trail as it was");

    // The amount changed inside a properly signed and encrypted resource (someone holding our
    // keys, or a provider bug): verified, but refused by the completion, and nothing moves.
    let mut resource: serde_json::Value = serde_json::from_slice(&plaintext).unwrap();
    resource["amount"]["total"] = serde_json::json!(1);
    resource["amount"]["payer_total"] = serde_json::json!(1);
    let cheap = sign_notification(
        &keys.signer,
        &keys.api_v3_key,
        "TRANSACTION.SUCCESS",
        "支付成功",
        resource.to_string().as_bytes(),
        now.secs(),
    )
    .unwrap();
    assert_refused(&c.deliver(&cheap).await, "another amount");
    let after = ledgers(&c, &no).await;
    assert_eq!(
        Ledgers { payment_events: before.payment_events, ..after },
        before,
        "another amount moved nothing but the payment's own trail"
    );

    // The genuine notification still completes it: the refusals were not a broken setup.
    assert_acknowledged(&c.deliver(&genuine).await);
    assert_eq!(c.state(&no).await, "paid");
    c.effects(&no).await.assert_once(&no);
    c.assert_chain_intact().await;
}
