//! The security review of issue 14, over HTTP: each test here failed before its fix.

mod support;

use axum::body::Body;
use http::{header, Request, StatusCode};
use plaza_core::auth::client_address::TrustedProxies;
use support::TestApp;

/// The app rebuilt after its context changed (as a deployment would configure it).
fn rebuilt(mut app: TestApp, change: impl FnOnce(&mut plaza_app::server::AppContext)) -> TestApp {
    change(&mut app.ctx);
    let options = leptos::config::LeptosOptions::builder().output_name("plaza").site_root("target/site").build();
    app.router = plaza_server::http::router(app.ctx.clone(), options);
    app
}

/// Finding 9: without `PLAZA_PUBLIC_URL` the request's Host went into shared invite links. The
/// test app, like demo mode without the setting, has the listening address as its public one.
#[tokio::test]
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
#[tokio::test]
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
