//! Server-rendered pages and plain form posts: what a browser without JavaScript gets.

use crate::support::TestApp;
use axum::body::Body;
use http::{header, Request, StatusCode};
use plaza_core::members::code;
use plaza_core::Timestamp;

fn attribute<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let start = html.find(&format!("{name}=\""))? + name.len() + 2;
    let end = html[start..].find('"')? + start;
    Some(&html[start..end])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_card_page_needs_a_member_and_shows_a_valid_code() {
    let app = TestApp::start().await;
    let reply = app.get("/card", None).await;
    assert_eq!(reply.status, StatusCode::FOUND);
    assert_eq!(reply.headers[header::LOCATION], "/login?next=%2Fcard");

    let session = app.member_session("13600000010").await;
    let reply = app.get("/card", Some(&session)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let digits = attribute(&reply.body, "data-code").expect("the page carries the code");
    let member = code::verify(&app.ctx.secrets, digits, Timestamp::now()).expect("the code verifies");
    let card = plaza_core::members::card(&app.db, member, Timestamp::now()).await.unwrap();
    assert_eq!(card.masked_phone, "136****0010");
    assert!(reply.body.contains("<svg"), "QR and barcode are rendered on the server");
    assert!(reply.body.contains("http-equiv=\"refresh\""), "without JavaScript the page refreshes itself");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_lang_follows_the_device_cookie() {
    let app = TestApp::start().await;
    let reply = app.get("/", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("<html lang=\"zh-CN\""));
    assert!(reply.body.contains("星汇广场"));

    let request = Request::get("/").header(header::COOKIE, "plaza_lang=en").body(Body::empty()).unwrap();
    let reply = app.send(request).await;
    assert!(reply.body.contains("<html lang=\"en\""));
    assert!(reply.body.contains("Star Plaza") && reply.body.contains("Shop directory"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_form_sets_the_cookie_and_returns_only_to_local_pages() {
    let app = TestApp::start().await;
    for (back, location) in [("/card", "/card"), ("https://evil.example/", "/"), ("//evil.example", "/")] {
        let form = format!("lang=en&back={}", plaza_app::auth::encode_component(back));
        let request = Request::post("/lang")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap();
        let reply = app.send(request).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        assert_eq!(reply.headers[header::LOCATION], location);
        assert!(reply.headers[header::SET_COOKIE].to_str().unwrap().starts_with("plaza_lang=en;"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_are_refused() {
    let app = TestApp::start().await;
    let request = Request::post("/api/auth/request-code")
        .header(header::HOST, "plaza.example")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("phone=13800138000&next="))
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::FORBIDDEN);
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sms_outbox").fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(count, 0, "nothing was sent");
}

/// A form post without JavaScript: the browser accepts HTML and sends a Referer.
async fn form_post(app: &TestApp, path: &str, form: &str, referer: &str) -> crate::support::Reply {
    let request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, referer)
        .body(Body::from(form.to_string()))
        .unwrap();
    app.send(request).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_works_with_plain_form_posts() {
    let app = TestApp::start().await;
    let referer = "http://plaza.example/login?next=%2Fcard";

    // A bad number comes back to the form with the error in the URL, for the page to show.
    let reply = form_post(&app, "/api/auth/request-code", "phone=123&next=%2Fcard", referer).await;
    assert_eq!(reply.status, StatusCode::FOUND);
    assert!(TestApp::has_flash(&reply), "the error goes to the next page");
    assert!(!reply.headers[header::LOCATION].to_str().unwrap().contains("__err="), "and not into the address");
    let page = app.follow(&reply, None).await;
    assert!(page.body.contains("请输入正确的 11 位手机号"), "the page shows the error");

    let reply = form_post(&app, "/api/auth/request-code", "phone=13600000020&next=%2Fcard", referer).await;
    assert_eq!(reply.status, StatusCode::FOUND);
    assert_eq!(reply.headers[header::LOCATION], "/login?phone=13600000020&sent=1&next=%2Fcard");
    let page = app.get("/login?phone=13600000020&sent=1&next=%2Fcard", None).await;
    let body = plaza_core::sms::latest_to(&app.db, &plaza_types::PhoneNumber::parse("13600000020").unwrap())
        .await
        .unwrap()
        .unwrap();
    let code = plaza_core::sms::code_in(&body).unwrap();
    assert!(page.body.contains(&code), "development mode shows the outbox code");

    let reply =
        form_post(&app, "/api/auth/sign-in", &format!("phone=13600000020&code={code}&next=%2Fcard"), referer).await;
    assert_eq!(reply.status, StatusCode::FOUND, "{}", reply.body);
    assert_eq!(reply.headers[header::LOCATION], "/card");
    let cookie = reply.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let token = cookie.split(';').next().unwrap().split_once('=').unwrap().1;
    assert_eq!(app.get("/card", Some(token)).await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cashier_identifies_a_member_without_javascript() {
    let app = TestApp::start().await;
    let member_session = app.member_session("13600000030").await;
    let card = app.get("/card", Some(&member_session)).await;
    let digits = attribute(&card.body, "data-code").unwrap().to_string();
    let cashier = app.staff_session("yishang.cashier").await;
    let tenant =
        plaza_core::tenants::list(&app.db).await.unwrap().into_iter().find(|t| t.code == "yishang").unwrap().id;
    let till = "http://plaza.example/tenant/cashier";
    // The code is posted, never put in the address; the page then shows the member by the check.
    let reply = staff_form_post(
        &app,
        &cashier,
        "/api/tenant/member-check",
        &format!("tenant_id={}&code={digits}", tenant.0),
        till,
    )
    .await;
    assert_eq!(reply.status, StatusCode::FOUND, "{}", reply.body);
    let location = reply.headers[header::LOCATION].to_str().unwrap().to_string();
    assert!(location.starts_with("/tenant/cashier?check=") && !location.contains(&digits), "{location}");
    let page = app.follow(&reply, Some(&cashier)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("136****0030"),
        "the member is shown: {}",
        &page.body[page.body.len().saturating_sub(2500)..]
    );

    let forged = format!("8{:010}{}", 1, &digits[11..]);
    let reply = staff_form_post(
        &app,
        &cashier,
        "/api/tenant/member-check",
        &format!("tenant_id={}&code={forged}", tenant.0),
        till,
    )
    .await;
    let page = app.follow(&reply, Some(&cashier)).await;
    assert!(
        page.body.contains("无效的会员码"),
        "a forged code is refused with a reason: {}",
        &page.body[page.body.len().saturating_sub(3000)..]
    );
}

async fn staff_form_post(app: &TestApp, session: &str, path: &str, form: &str, referer: &str) -> crate::support::Reply {
    let request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, referer)
        .header(header::COOKIE, format!("{}={session}", plaza_core::auth::sessions::COOKIE))
        .body(Body::from(form.to_string()))
        .unwrap();
    app.send(request).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_pages_answer_404() {
    let app = TestApp::start().await;
    let reply = app.get("/no-such-page", None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.body.contains("页面未找到"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_function_errors_carry_their_status() {
    let app = TestApp::start().await;
    let reply = app.call("/api/auth/request-code", "phone=12&next=", None).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("\"error\":\"invalid\""), "{}", reply.body);
    assert_eq!(app.call("/api/member/card", "", None).await.status, StatusCode::UNAUTHORIZED);
}

/// A page loads the WebAssembly bundle exactly when it has an island to hydrate (issue 10).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_pages_with_islands_load_webassembly() {
    let app = TestApp::start().await;
    let session = app.member_session("13600000040").await;
    let mut without = 0;
    for path in ["/", "/card", "/levels", "/login", "/mall", "/points", "/coupons", "/no-such-page"] {
        let page = app.get(path, Some(&session)).await;
        let islands = page.body.contains("<leptos-island");
        let wasm = page.body.contains("type=\"application/wasm\"") || page.body.contains("rel=\"modulepreload\"");
        assert_eq!(islands, wasm, "{path}: islands {islands}, loads the bundle {wasm}");
        without += usize::from(!islands);
    }
    assert!(without >= 2, "some of these pages have no island");
    let card = app.get("/card", Some(&session)).await;
    // Its own bundle, with the one island it needs (docs/decisions/0024-bundles-by-area.md).
    assert!(
        card.body.contains("<leptos-island") && card.body.contains("/pkg/plaza-card.wasm"),
        "the card refreshes its code"
    );
}
