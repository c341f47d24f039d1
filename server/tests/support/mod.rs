//! An in-process Plaza: the real router over a fresh, seeded database, driven with plain HTTP
//! requests (no socket, no browser).

#![allow(dead_code)]

use axum::body::Body;
use axum::Router;
use http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use plaza_app::server::AppContext;
use plaza_core::auth::{sessions, staff, ClientInfo};
use plaza_core::sms::OutboxSms;
use plaza_core::testing::{test_db, test_secrets, TestDb};
use plaza_core::{demo, Timestamp};
use plaza_types::PhoneNumber;
use std::sync::Arc;
use tower::ServiceExt;

pub mod mall;
pub mod sse;

pub struct TestApp {
    pub db: TestDb,
    pub ctx: AppContext,
    pub router: Router,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub body: String,
}

impl TestApp {
    pub async fn start() -> TestApp {
        let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter("warn").try_init();
        let db = test_db().await;
        demo::seed(&db, Timestamp::now()).await.expect("demo seeds");
        let payments = plaza_core::payments::Gateway::sandbox(
            &db,
            &test_secrets(),
            "http://127.0.0.1:9/notify/wechat".to_string(),
            plaza_core::payments::sandbox::Delivery::Normal,
        )
        .await
        .expect("the sandbox gateway");
        let ctx = AppContext {
            payments,
            db: db.db(),
            secrets: test_secrets(),
            sms: Arc::new(OutboxSms),
            dev_mode: true,
            secure_cookies: false,
            trust_proxy: Default::default(),
            public_url: "http://127.0.0.1:3000".to_string(),
            // Photos in a folder of this test's own; no OCR models (upload tests need none).
            receipts: plaza_core::receipts::ReceiptServices {
                store: Arc::new(
                    plaza_core::storage::Storage::local(std::env::temp_dir().join(format!(
                        "plaza-photos-{}-{}",
                        std::process::id(),
                        rand::random::<u64>()
                    )))
                    .expect("a photo folder"),
                ),
                reader: None,
            },
        };
        let options = LeptosOptions::builder().output_name("plaza").site_root("target/site").build();
        let router = plaza_server::http::router(ctx.clone(), options);
        TestApp { db, ctx, router }
    }

    /// A session cookie value for a demo staff account.
    pub async fn staff_session(&self, username: &str) -> String {
        let signed = staff::sign_in(&self.db, username, demo::DEMO_PASSWORD, &ClientInfo::default(), Timestamp::now())
            .await
            .unwrap_or_else(|e| panic!("{username} signs in: {e:?}"));
        signed.session.token
    }

    /// A session cookie value for the member with this phone (created if new).
    pub async fn member_session(&self, phone: &str) -> String {
        let now = Timestamp::now();
        let mut tx = self.db.begin_write().await.unwrap();
        let (member, _) =
            plaza_core::members::find_or_create_by_phone(&mut tx, &PhoneNumber::parse(phone).unwrap(), now)
                .await
                .unwrap();
        let session = sessions::create_for_member(&mut tx, member, &ClientInfo::default(), now).await.unwrap();
        tx.commit().await.unwrap();
        session.token
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.expect("the router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.expect("a body").to_bytes();
        Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    /// Calls a server function the way the browser's WebAssembly does.
    pub async fn call(&self, path: &str, form: &str, session: Option<&str>) -> Reply {
        let mut request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        if let Some(token) = session {
            request = request.header(header::COOKIE, format!("{}={token}", sessions::COOKIE));
        }
        self.send(request.body(Body::from(form.to_string())).unwrap()).await
    }

    /// Follows a form post's redirect the way a browser does: the page it names, with the session
    /// and the flash cookie (a refused form's error) the reply set.
    pub async fn follow(&self, reply: &Reply, session: Option<&str>) -> Reply {
        let location = reply.headers[header::LOCATION].to_str().expect("a location");
        let path = location.trim_start_matches("http://plaza.example");
        let mut cookies: Vec<String> = session.map(|t| format!("{}={t}", sessions::COOKIE)).into_iter().collect();
        for set in reply.headers.get_all(header::SET_COOKIE) {
            let pair = set.to_str().unwrap_or_default().split(';').next().unwrap_or_default();
            if pair.starts_with(&format!("{}=", plaza_app::components::flash::FLASH_COOKIE)) {
                cookies.push(pair.to_string());
            }
        }
        let mut request = Request::get(path).header(header::ACCEPT, "text/html");
        if !cookies.is_empty() {
            request = request.header(header::COOKIE, cookies.join("; "));
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// Whether a form post's reply carries a refused form's error for the next page.
    pub fn has_flash(reply: &Reply) -> bool {
        let name = format!("{}=", plaza_app::components::flash::FLASH_COOKIE);
        reply.headers.get_all(header::SET_COOKIE).iter().any(|v| v.to_str().unwrap_or_default().starts_with(&name))
    }

    pub async fn get(&self, path: &str, session: Option<&str>) -> Reply {
        let mut request = Request::get(path).header(header::ACCEPT, "text/html");
        if let Some(token) = session {
            request = request.header(header::COOKIE, format!("{}={token}", sessions::COOKIE));
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }
}
