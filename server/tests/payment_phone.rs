//! The cashier over HTTP with the sandbox as provider: each browser gets its flow — inside WeChat
//! the silent OAuth round trip and the JSAPI bridge form, another phone WeChat's H5 page or (asked)
//! Alipay's WAP form, a desktop the cashier page — and every stand-in refuses what the real
//! provider would. Only the payer's payment.

use crate::support::{Reply, TestApp};
use axum::body::Body;
use http::{header, Request, StatusCode};
use plaza_core::audit::Actor;
use plaza_core::payments::plate_pay::{self, PlateOrder};
use plaza_core::payments::Choice;
use plaza_core::testing::seed_member;
use plaza_core::{plates, Timestamp};
use plaza_types::{Fen, TenantId};

const WECHAT: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN";
const PHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
const DESKTOP: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

async fn get(app: &TestApp, path: &str, token: &str, ua: &str) -> Reply {
    let path = path.trim_start_matches("http://127.0.0.1:3000");
    let request = Request::get(path)
        .header(header::ACCEPT, "text/html")
        .header(header::USER_AGENT, ua)
        .header(header::COOKIE, format!("{}={token}", plaza_core::auth::sessions::COOKIE));
    app.send(request.body(Body::empty()).unwrap()).await
}

async fn post(app: &TestApp, path: &str, form: &[(String, String)], token: &str) -> Reply {
    let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
    let request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, format!("{}={token}", plaza_core::auth::sessions::COOKIE));
    app.send(request.body(Body::from(body)).unwrap()).await
}

fn location(reply: &Reply) -> String {
    assert!(reply.status.is_redirection(), "{} {}", reply.status, reply.body);
    reply.headers[header::LOCATION].to_str().unwrap().to_string()
}

/// The hidden fields of the cashier's form, and its action.
fn form(page: &str) -> (String, Vec<(String, String)>) {
    let action = page.split("action=\"").nth(1).unwrap().split('"').next().unwrap().replace("&amp;", "&");
    let fields = page
        .split("<input type=\"hidden\" name=\"")
        .skip(1)
        .map(|rest| {
            let name = rest.split('"').next().unwrap().to_string();
            let value = rest.split("value=\"").nth(1).unwrap().split('"').next().unwrap();
            let value = value.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
            (name, value)
        })
        .collect();
    (action, fields)
}

async fn paying(app: &TestApp, phone: &str, key: &str) -> (String, String) {
    let now = Timestamp::now();
    let member = seed_member(&app.db, phone).await;
    let token = app.member_session(phone).await;
    let (tenant,): (i64,) =
        sqlx::query_as("SELECT id FROM tenants WHERE code = 'yishang'").fetch_one(app.db.pool()).await.unwrap();
    let plate = plates::issue(&app.db, TenantId(tenant), "收银台", &Actor::System, now).await.unwrap().code;
    let order = PlateOrder {
        code: plate,
        amount: Fen(2_345),
        choice: Choice::default(),
        expected_to_pay: None,
        request_key: key.into(),
    };
    let created = plate_pay::start(&app.db, app.ctx.payments.provider.as_ref(), member, &order, now).await.unwrap();
    assert_eq!(created.pay_url, Some(format!("/pay/go/{}", created.payment_no)));
    (created.payment_no.to_string(), token)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inside_wechat_the_oauth_round_trip_then_the_bridge_form_the_stand_in_checks() {
    let app = TestApp::start().await;
    let (no, token) = paying(&app, "13600000501", "phone-1").await;
    let to = location(&get(&app, &format!("/pay/go/{no}"), &token, WECHAT).await);
    assert!(to.starts_with("/sandbox/wechat/authorize?appid=") && to.ends_with("#wechat_redirect"), "{to}");
    let back = location(&get(&app, to.trim_end_matches("#wechat_redirect"), &token, WECHAT).await);
    assert!(back.starts_with("http://127.0.0.1:3000/pay/wechat/oauth?code="), "{back}");
    // A state made for another member (or altered) is refused.
    let forged = back.replace("state=P", "state=Q");
    assert_eq!(get(&app, &forged, &token, WECHAT).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(location(&get(&app, &back, &token, WECHAT).await), format!("/pay/go/{no}"));
    let page = get(&app, &format!("/pay/go/{no}"), &token, WECHAT).await;
    assert_eq!(page.status, StatusCode::OK);
    let (action, mut fields) = form(&page.body);
    assert_eq!(action, "/sandbox/wechat/jsapi");
    assert!(fields.iter().any(|(k, v)| k == "package" && v == &format!("prepay_id=wx{no}")), "{fields:?}");
    assert_eq!(location(&post(&app, &action, &fields, &token).await), format!("/sandbox/pay/{no}"));
    fields.iter_mut().find(|(k, _)| k == "timeStamp").unwrap().1.push('1');
    assert_eq!(post(&app, &action, &fields, &token).await.status, StatusCode::BAD_REQUEST, "paySign covers it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_browsers_get_h5_wap_or_the_cashier_and_strangers_nothing() {
    let app = TestApp::start().await;
    let (no, token) = paying(&app, "13600000502", "phone-2").await;
    // The sandbox offers both: a phone browser is asked which, WeChat Pay chosen to begin with.
    let chooser = get(&app, &format!("/pay/go/{no}"), &token, PHONE).await;
    assert_eq!(chooser.status, StatusCode::OK);
    assert!(chooser.body.contains(&format!("action=\"/pay/go/{no}\"")), "{}", chooser.body);
    assert!(chooser.body.contains("value=\"wechat\" checked") && chooser.body.contains("value=\"alipay\""));
    assert!(chooser.body.contains("选择支付方式"), "Chinese first");
    let h5 = location(&get(&app, &format!("/pay/go/{no}?method=wechat"), &token, PHONE).await);
    assert!(h5.starts_with(&format!("/sandbox/wechat/h5?prepay_id=wx{no}&")), "{h5}");
    assert!(h5.ends_with(&format!("redirect_url=http%3A%2F%2F127.0.0.1%3A3000%2Fpay%2Fresult%2F{no}")), "{h5}");
    let back = format!("?back=http%3A%2F%2F127.0.0.1%3A3000%2Fpay%2Fresult%2F{no}");
    assert_eq!(location(&get(&app, &h5, &token, PHONE).await), format!("/sandbox/pay/{no}{back}"));
    let elsewhere = h5.replace("127.0.0.1%3A3000", "evil.example");
    assert_eq!(get(&app, &elsewhere, &token, PHONE).await.status, StatusCode::BAD_REQUEST);
    // The sandbox's cashier sends the shopper back the way WeChat would, never off the site.
    let cashier = get(&app, &format!("/sandbox/pay/{no}{back}"), &token, PHONE).await;
    assert!(cashier.body.contains(&format!("value=\"http://127.0.0.1:3000/pay/result/{no}\"")), "{}", cashier.body);
    let confirm = |back: &str| vec![("payment_no".to_string(), no.clone()), ("back".to_string(), back.to_string())];
    let ours = format!("http://127.0.0.1:3000/pay/result/{no}?from=h5");
    assert_eq!(
        location(&post(&app, "/api/sandbox/confirm", &confirm(&ours), &token).await),
        format!("/pay/result/{no}?from=h5")
    );
    for evil in [
        "https://evil.example/pay/result/x",
        "http://127.0.0.1:3000.evil.example/",
        "http://127.0.0.1:3000//evil.example/",
    ] {
        let reply = post(&app, "/api/sandbox/cancel", &confirm(evil), &token).await;
        assert_eq!(location(&reply), format!("/pay/result/{no}"), "{evil}");
    }

    let (no, token) = paying(&app, "13600000503", "phone-3").await;
    let page = get(&app, &format!("/pay/go/{no}?method=alipay"), &token, PHONE).await;
    let (action, mut fields) = form(&page.body);
    assert_eq!(action, "/sandbox/alipay/gateway");
    assert!(fields.iter().any(|(k, v)| k == "method" && v == "alipay.trade.wap.pay"));
    let back = format!("?back=http%3A%2F%2F127.0.0.1%3A3000%2Fpay%2Fresult%2F{no}");
    assert_eq!(location(&post(&app, &action, &fields, &token).await), format!("/sandbox/pay/{no}{back}"));
    fields.iter_mut().find(|(k, _)| k == "return_url").unwrap().1 = "https://evil.example/".into();
    assert_eq!(post(&app, &action, &fields, &token).await.status, StatusCode::BAD_REQUEST);

    let (no, token) = paying(&app, "13600000504", "phone-4").await;
    assert_eq!(location(&get(&app, &format!("/pay/go/{no}"), &token, DESKTOP).await), format!("/sandbox/pay/{no}"));
    let stranger = app.member_session("13600000505").await;
    for path in [format!("/pay/go/{no}"), format!("/pay/go/{no}?method=alipay")] {
        let reply = get(&app, &path, &stranger, PHONE).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}: another's payment is no chooser");
        assert!(!reply.body.contains(&no));
    }
    let anonymous = app.send(Request::get(format!("/pay/go/{no}")).body(Body::empty()).unwrap()).await;
    assert!(location(&anonymous).starts_with("/login?next="));
}
