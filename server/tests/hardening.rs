//! The security review of issue 14, over HTTP: each test here failed before its fix.

use crate::support::TestApp;
use axum::body::Body;
use http::{header, Request, StatusCode};
use plaza_core::auth::client_address::TrustedProxies;

/// The app rebuilt after its context changed (as a deployment would configure it).
fn rebuilt(mut app: TestApp, change: impl FnOnce(&mut plaza_app::server::AppContext)) -> TestApp {
    change(&mut app.ctx);
    let options = leptos::config::LeptosOptions::builder().output_name("plaza").site_root("target/site").build();
    app.router = plaza_server::http::router(app.ctx.clone(), options);
    app
}

/// Finding 9: without `PLAZA_PUBLIC_URL` the request's Host went into shared invite links. The
/// test app, like demo mode without the setting, has the listening address as its public one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_links_use_the_configured_address_never_the_host_header() {
    let invite = |session: &str| {
        Request::get("/invite")
            .header(header::HOST, "evil.example")
            .header(header::COOKIE, format!("plaza_session={session}"))
            .body(Body::empty())
            .unwrap()
    };
    let app = TestApp::start().await;
    let session = app.member_session("13600000031").await;
    let reply = app.send(invite(&session)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(!reply.body.contains("evil.example"), "the Host header never reaches a link");
    assert!(reply.body.contains("http://127.0.0.1:3000/i/"), "{}", reply.body);
    let app = rebuilt(app, |ctx| ctx.public_url = "https://plaza.example.com".into());
    let reply = app.send(invite(&session)).await;
    assert!(reply.body.contains("https://plaza.example.com/i/") && !reply.body.contains("evil.example"));
}

/// Finding 10: with `PLAZA_TRUST_PROXY` the first `X-Forwarded-For` entry — the one the client
/// writes — was taken as its address, so per-address limits could be dodged at will.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_address_is_the_right_most_entry_our_proxy_added() {
    let app = rebuilt(TestApp::start().await, |ctx| ctx.trust_proxy = TrustedProxies::Peer);
    let request = Request::post("/api/auth/staff-sign-in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        // The client wrote 6.6.6.6; our proxy appended the address it saw.
        .header("x-forwarded-for", "6.6.6.6, 198.51.100.23")
        .body(Body::from("username=admin&password=plaza2026&next=%2Fops"))
        .unwrap();
    let reply = app.send(request).await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{} {}", reply.status, reply.body);
    let (ip,): (String,) = sqlx::query_as("SELECT ip FROM sessions ORDER BY created_at DESC LIMIT 1")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(ip, "198.51.100.23");
}

/// A receipt uploaded by a member through the page's route; its id.
async fn uploaded_receipt(app: &TestApp, session: &str) -> i64 {
    let photo =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../ocr/fixtures/receipts/noodle-sans.jpg")).unwrap();
    let request = Request::post("/receipts/upload")
        .header(header::CONTENT_TYPE, "image/jpeg")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, format!("plaza_session={session}"))
        .body(Body::from(photo))
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    serde_json::from_str::<serde_json::Value>(&reply.body).unwrap()["id"].as_i64().unwrap()
}

/// Finding 8: `/receipts/<id>/photo` answered 401 for ids that exist and 404 for others, to
/// anyone, so a stranger could count the receipts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receipt_photo_tells_a_stranger_nothing_about_which_ids_exist() {
    let app = TestApp::start().await;
    let owner = app.member_session("13600000032").await;
    let id = uploaded_receipt(&app, &owner).await;
    for path in
        [format!("/receipts/{id}/photo"), format!("/receipts/{}/photo", id + 1000), format!("/receipts/{id}/thumb")]
    {
        assert_eq!(app.get(&path, None).await.status, StatusCode::UNAUTHORIZED, "{path}");
    }
    // Another member: the same 404 for theirs and for none.
    let other = app.member_session("13600000033").await;
    assert_eq!(app.get(&format!("/receipts/{id}/photo"), Some(&other)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/receipts/{}/photo", id + 1000), Some(&other)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/receipts/{id}/photo"), Some(&owner)).await.status, StatusCode::OK);
}

/// Finding 10: no Content-Security-Policy and no HSTS. Pages now allow only our files and the
/// inline scripts carrying this response's nonce; https deployments add HSTS.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_a_nonce_policy_and_https_sites_hsts() {
    let app = TestApp::start().await;
    let reply = app.get("/login", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    let policy = reply.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_string();
    let nonce = policy.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce").to_string();
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert!(reply.body.contains(&format!("nonce=\"{nonce}\"")), "the page's inline scripts carry it");
    let again = app.get("/login", None).await;
    assert!(!again.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().contains(&nonce), "one per response");
    assert!(!reply.headers.contains_key(header::STRICT_TRANSPORT_SECURITY), "plain http: no HSTS");
    // A page of the online mall loads no WebAssembly; the shell's meta still names the nonce first
    // in <head>, for the policy to be set from if rendering lost it.
    let mall = app.get("/mall", None).await;
    let policy = mall.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_string();
    let nonce = policy.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce").to_string();
    assert!(mall.body.contains(&format!("<meta name=\"csp-nonce\" nonce=\"{nonce}\"")), "{}", mall.body);
    // What is not a page (here a photo refused) gets a policy without inline scripts.
    let other = app.get("/receipts/1/photo", None).await;
    assert!(other.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().contains("script-src 'self' 'wasm"));

    let https = rebuilt(app, |ctx| ctx.secure_cookies = true);
    let reply = https.get("/login", None).await;
    assert_eq!(reply.headers[header::STRICT_TRANSPORT_SECURITY], "max-age=31536000");
}

/// Finding 3: marketing staff (`ops`) credited ¥1,000,000 of stored value, which the member then
/// spent. Credits are now the administrator's alone; `ops` may still correct downwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marketing_staff_cannot_mint_stored_value() {
    let app = TestApp::start().await;
    let member = plaza_core::testing::seed_member(&app.db, "13600000034").await;
    let balance = || async { plaza_core::stored_value::balance(app.db.pool(), member).await.unwrap().0 };
    let ops = app.staff_session("ops").await;
    let form = |amount: &str| format!("member_id={}&amount={amount}&reason=%E8%A1%A5%E5%BD%95", member.0);
    let reply = app.call("/api/ops/members/adjust-stored-value", &form("1000000.00"), Some(&ops)).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    assert_eq!(balance().await, 0);
    // The administrator: a small credit lands; a large one waits for a second administrator.
    let admin = app.staff_session("admin").await;
    let reply = app.call("/api/ops/members/adjust-stored-value", &form("100.00"), Some(&admin)).await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{} {}", reply.status, reply.body);
    assert_eq!(balance().await, 10_000);
    let reply = app.call("/api/ops/members/adjust-stored-value", &form("1000000.00"), Some(&admin)).await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{} {}", reply.status, reply.body);
    assert_eq!(balance().await, 10_000, "waiting for a second administrator");
    let pending = app.call("/api/ops/stored-value/credits", "", Some(&ops)).await;
    assert!(pending.body.contains("100000000"), "{}", pending.body);
    // Operator staff still debit (a correction down).
    let reply = app.call("/api/ops/members/adjust-stored-value", &form("-10.00"), Some(&ops)).await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{} {}", reply.status, reply.body);
    assert_eq!(balance().await, 9_000);
}

/// Finding 2: the day's cap was checked only after decoding (1.26 s of work to say
/// `limit_reached`), and nothing limited the rate. Now both come before the body is decoded: a
/// member at the cap is told so even for a photo that could never be decoded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_caps_and_rates_are_checked_before_any_decoding() {
    let app = TestApp::start().await;
    let member = plaza_core::testing::seed_member(&app.db, "13600000035").await;
    let session = app.member_session("13600000035").await;
    let send = |bytes: Vec<u8>| {
        Request::post("/receipts/upload")
            .header(header::CONTENT_TYPE, "image/jpeg")
            .header(header::ACCEPT, "application/json")
            .header(header::COOKIE, format!("plaza_session={session}"))
            .body(Body::from(bytes))
            .unwrap()
    };
    // A JPEG by its first bytes that no decoder can read.
    let undecodable = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0];
    let reply = app.send(send(undecodable.clone())).await;
    assert!(reply.body.contains("photo_unreadable"), "{}", reply.body);
    let now = plaza_core::Timestamp::now().millis();
    let mut tx = app.db.begin_write().await.unwrap();
    for i in 0..plaza_core::receipts::submit::DAILY_UPLOADS {
        sqlx::query(
            "INSERT INTO receipts (member_id, photo_key, thumb_key, sha256, photo_bytes, status, created_at, updated_at) \
             VALUES ($1, $2, $2, $2, 1, 'review', $3, $3)",
        )
        .bind(member.0)
        .bind(format!("k{i}"))
        .bind(now)
        .execute(&mut **tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let reply = app.send(send(undecodable)).await;
    assert!(reply.body.contains("limit_reached"), "the cap answers before the decoder: {}", reply.body);

    // Ten uploads in ten minutes, then wait (the rate, per member).
    let other = app.member_session("13600000036").await;
    let mut statuses = Vec::new();
    for _ in 0..11 {
        let request = Request::post("/receipts/upload")
            .header(header::CONTENT_TYPE, "image/jpeg")
            .header(header::ACCEPT, "application/json")
            .header(header::COOKIE, format!("plaza_session={other}"))
            .body(Body::from(vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0]))
            .unwrap();
        statuses.push(app.send(request).await.status.as_u16());
    }
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 1, "{statuses:?}");
    assert_eq!(statuses[10], 429);
}

/// Finding 7: every refused notification wrote a row (200 unsigned posts, 204 rows). Now a post
/// that cannot be shown to be the provider's is counted per provider, reason and hour; the log of
/// deliveries does not grow.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_notifications_are_counted_not_stored_one_row_each() {
    let app = TestApp::start().await;
    let rows = |table: &'static str| {
        let db = app.db.clone();
        async move {
            let (n,): (i64,) =
                sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(db.pool()).await.unwrap();
            n
        }
    };
    let logged_before = rows("payment_notifications").await;
    for i in 0..200 {
        let request = Request::post("/notify/wechat")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(format!("{{\"id\":\"forged-{i}\",\"resource\":{{}}}}")))
            .unwrap();
        let reply = app.send(request).await;
        assert!(reply.status.is_client_error(), "an unsigned post is refused: {}", reply.status);
    }
    assert_eq!(rows("payment_notifications").await, logged_before, "no row per refused post");
    let counted =
        plaza_core::payments::refusals::since(&app.db, plaza_core::Timestamp::now().minus_secs(3_600)).await.unwrap();
    let count = |provider: &str| counted.iter().filter(|(p, _, _)| p == provider).map(|(_, _, n)| n).sum::<i64>();
    assert_eq!(count(app.ctx.payments.verifier.provider), 200, "{counted:?}");
    assert!(rows("notification_refusals").await <= 2, "a row per provider, reason and hour");
}
