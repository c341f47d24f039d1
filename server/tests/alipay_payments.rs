//! Alipay as the provider, over HTTP: `/notify/alipay` answers the plain text `success` to a
//! genuine notification (completing the payment once, however often it comes) and anything else
//! to a forged one; `/pay/code/<no>` shows the payer — and only the payer — the code to scan.

use crate::support::TestApp;
use axum::body::Body;
use http::{header, Request, StatusCode};
use plaza_core::payment_providers::alipay::{self, AlipayClientConfig};
use plaza_core::payment_providers::RsaSigningKey;
use plaza_core::payments::provider::code_page_url;
use plaza_core::payments::{self, Gateway, NewPayment};
use plaza_core::testing::seed_member;
use plaza_core::Timestamp;
use plaza_types::{Fen, TenantId};
use std::time::Duration;

const APP_ID: &str = "2021000117650001";

/// The app with Alipay as its provider, and one plate payment of ¥30 waiting for Alipay.
async fn paying(alipay_key: &RsaSigningKey) -> (TestApp, String, String) {
    let mut app = TestApp::start().await;
    let member = seed_member(&app.db, "13300000077").await;
    let (tenant,): (i64,) =
        sqlx::query_as("SELECT id FROM tenants WHERE code = 'yishang'").fetch_one(app.db.pool()).await.unwrap();
    let new = NewPayment {
        member,
        details: plaza_core::testing::plate_details(&app.db, TenantId(tenant)).await,
        subject: "plate".into(),
        amount: Fen(3_000),
        coupon: None,
        use_points: false,
        use_stored_value: false,
        request_key: "alipay-1".into(),
    };
    // Made through the sandbox, then handed to "Alipay" as precreate would have left it.
    let no = payments::create(&app.db, app.ctx.payments.provider.as_ref(), &new, Timestamp::now())
        .await
        .unwrap()
        .payment_no
        .to_string();
    let mut tx = app.db.begin_write().await.unwrap();
    sqlx::query("UPDATE payments SET provider = 'alipay', pay_url = $1 WHERE payment_no = $2")
        .bind(code_page_url(&no, "https://qr.alipay.com/bax01234"))
        .bind(&no)
        .execute(&mut **tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let gateway = Gateway::alipay(AlipayClientConfig {
        app_id: APP_ID.into(),
        private_key: RsaSigningKey::generate().unwrap(),
        alipay_public_key: alipay_key.verifying_key(),
        gateway_url: "http://127.0.0.1:9/gateway.do".into(),
        notify_url: "https://plaza.example/notify/alipay".into(),
        timeout: Duration::from_secs(1),
    })
    .unwrap();
    app.ctx.payments = gateway;
    let options = leptos::config::LeptosOptions::builder().output_name("plaza").site_root("target/site").build();
    app.router = plaza_server::http::router(app.ctx.clone(), options);
    let session = app.member_session("13300000077").await;
    (app, no, session)
}

fn form(pairs: &[(String, String)]) -> String {
    let encode = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    pairs.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&")
}

fn notification(key: &RsaSigningKey, no: &str) -> String {
    let pairs = [
        ("notify_id", "ac05099524730693a8b330c5ecf72da9786"),
        ("notify_type", "trade_status_sync"),
        ("notify_time", "2026-11-22 10:00:05"),
        ("charset", "utf-8"),
        ("version", "1.0"),
        ("app_id", APP_ID),
        ("out_trade_no", no),
        ("trade_no", "2026112222001400001234567890"),
        ("trade_status", "TRADE_SUCCESS"),
        ("total_amount", "30.00"),
        ("subject", "星汇 · 码牌支付"),
        ("gmt_payment", "2026-11-22 10:00:04"),
    ];
    let pairs = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    form(&alipay::sign_notification(key, pairs).unwrap())
}

async fn notify(app: &TestApp, body: String) -> (StatusCode, String) {
    let request = Request::post("/notify/alipay")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded; charset=utf-8")
        .body(Body::from(body))
        .unwrap();
    let reply = app.send(request).await;
    (reply.status, reply.body)
}

async fn state(app: &TestApp, no: &str) -> String {
    payments::find(app.db.pool(), no).await.unwrap().unwrap().state.to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_genuine_notification_completes_once_and_a_forged_one_nothing() {
    let alipay_key = RsaSigningKey::generate().unwrap();
    let (app, no, _) = paying(&alipay_key).await;
    let forged = notification(&RsaSigningKey::generate().unwrap(), &no);
    assert_eq!(notify(&app, forged).await, (StatusCode::OK, alipay::RETRY.to_string()));
    assert_eq!(state(&app, &no).await, "paying");
    for _ in 0..3 {
        let (status, body) = notify(&app, notification(&alipay_key, &no)).await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "success"));
    }
    assert_eq!(state(&app, &no).await, "paid");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_code_page_is_the_payers_own_and_leaves_once_paid() {
    let alipay_key = RsaSigningKey::generate().unwrap();
    let (app, no, session) = paying(&alipay_key).await;
    let page = app.get(&format!("/pay/code/{no}"), Some(&session)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("<svg") && page.body.contains("https://qr.alipay.com/bax01234"), "{}", page.body);
    let stranger = app.member_session("13300000078").await;
    assert_eq!(app.get(&format!("/pay/code/{no}"), Some(&stranger)).await.status, StatusCode::NOT_FOUND);
    let signed_out = app.get(&format!("/pay/code/{no}"), None).await;
    assert_eq!(signed_out.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get("/pay/code/P1%0Aevil", Some(&session)).await.status, StatusCode::NOT_FOUND);
    notify(&app, notification(&alipay_key, &no)).await;
    let after = app.get(&format!("/pay/code/{no}"), Some(&session)).await;
    assert_eq!(after.headers.get(header::LOCATION).unwrap(), &format!("/pay/result/{no}"));
}
