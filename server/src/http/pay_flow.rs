//! The cashier (`GET /pay/go/<no>`): every provider sends the shopper here first, and the way to
//! pay is chosen from the browser (see `plaza_core::payments::checkout`): inside WeChat, JSAPI
//! after the official account's silent OAuth (`GET /pay/wechat/oauth`); in other phone browsers
//! WeChat's H5 page or Alipay's WAP form, after asking which where both are offered
//! (`pay_choose`); on a desktop the code to scan. `?method=alipay` asks for Alipay. The
//! sandbox's stand-ins of WeChat's authorize page, its JSAPI cashier and H5 page, and Alipay's
//! gateway live here too (`/sandbox/…`), each checking what the real one checks before showing
//! the sandbox's cashier. Plain HTML; only the payer.

use axum::extract::{Query, Request};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use plaza_app::server::{principal_of, AppContext};
use plaza_core::auth::Principal;
use plaza_core::payments::checkout::{self, Browser, Launch, LaunchRequest, Method};
use plaza_core::payments::sandbox::phone;
use plaza_core::secrets::KeyPurpose;
use plaza_core::Timestamp;
use plaza_types::{AppError, MemberId};
use std::collections::HashMap;

type Params = Query<HashMap<String, String>>;

fn valid_no(no: &str) -> bool {
    !no.is_empty() && no.len() <= 32 && no.bytes().all(|b| b.is_ascii_alphanumeric())
}

async fn member(ctx: &AppContext, headers: &HeaderMap, here: &str) -> Result<MemberId, Response> {
    match principal_of(ctx, headers).await {
        Ok(Some(Principal::Member(member))) => Ok(member),
        Ok(_) => {
            let next: String = url::form_urlencoded::byte_serialize(here.as_bytes()).collect();
            Err(Redirect::to(&format!("/login?next={next}")).into_response())
        }
        Err(error) => {
            tracing::error!(?error, "authenticating a payment page");
            Err(StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
    }
}

/// `state` for WeChat's OAuth: the payment and a MAC binding it to the member, so a code fetched
/// for someone else cannot be planted on this member.
fn oauth_state(ctx: &AppContext, member: MemberId, payment_no: &str) -> String {
    let mac = ctx.secrets.mac_hex(KeyPurpose::PayOAuthState, format!("{}|{payment_no}", member.0).as_bytes());
    format!("{payment_no}.{}", &mac[..24])
}

pub async fn go(ctx: AppContext, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    let Some(no) = parts.uri.path().strip_prefix("/pay/go/").filter(|n| valid_no(n)).map(str::to_string) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let method = parts.uri.query().and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "method").and_then(|(_, v)| Method::parse(&v))
    });
    cashier(&ctx, &parts.headers, &parts.extensions, &no, method).await
}

/// Chooses the flow and starts it; `pay_code::page` comes here for a payment with no code yet.
pub async fn cashier(
    ctx: &AppContext,
    headers: &HeaderMap,
    extensions: &axum::http::Extensions,
    no: &str,
    method: Option<Method>,
) -> Response {
    let member = match member(ctx, headers, &format!("/pay/go/{no}")).await {
        Ok(member) => member,
        Err(response) => return response,
    };
    let provider = ctx.payments.provider.clone();
    let client = plaza_app::server::client_info_from(&ctx.trust_proxy, headers, extensions);
    let browser = Browser::from_user_agent(&client.user_agent);
    let appid = provider.jsapi_appid();
    let offered = provider.methods();
    if method.is_none() && browser == Browser::Phone && offered.len() > 1 {
        let payment = match plaza_core::payments::find(ctx.db.pool(), no).await {
            Ok(payment) => payment,
            Err(error) => return failed(no, &error),
        };
        return super::pay_choose::page(payment, member, &offered, super::pay_choose::lang_of(headers));
    }
    let Some(flow) = checkout::choose(&offered, method, browser, appid.is_some()) else {
        return Redirect::to(&format!("/pay/result/{no}")).into_response();
    };
    let openid = match (&appid, flow) {
        (Some(appid), checkout::Flow::WechatJsapi) => match checkout::openid(&ctx.db, member, appid).await {
            Ok(openid) => openid,
            Err(error) => return failed(no, &error),
        },
        _ => None,
    };
    let request =
        LaunchRequest { flow, openid, return_url: ctx.public_link(&format!("/pay/result/{no}")), client_ip: client.ip };
    let launched = checkout::launch(&ctx.db, provider.as_ref(), member, no, &request, Timestamp::now()).await;
    // What the page says is being paid (the launch found the payer's open payment).
    let paying = match plaza_core::payments::find(ctx.db.pool(), no).await {
        Ok(Some(p)) => (p.subject, plaza_types::Fen(p.external_fen)),
        _ => (String::new(), plaza_types::Fen::ZERO),
    };
    match launched {
        Ok(Launch::Redirect(url)) => Redirect::to(&url).into_response(),
        Ok(Launch::NeedOpenid) => {
            let back = ctx.public_link("/pay/wechat/oauth");
            match provider.oauth_authorize_url(&back, &oauth_state(ctx, member, no)) {
                Some(url) => Redirect::to(&url).into_response(),
                None => Redirect::to(&format!("/pay/result/{no}")).into_response(),
            }
        }
        Ok(Launch::Bridge { params, action }) => {
            let fields = [
                ("appId", params.app_id),
                ("timeStamp", params.time_stamp),
                ("nonceStr", params.nonce_str),
                ("package", params.package),
                ("signType", params.sign_type),
                ("paySign", params.pay_sign),
            ];
            let form = fields.map(|(k, v)| (k.to_string(), v));
            let hint = "微信会弹出付款窗口；没有弹出时请点“继续支付”。 · WeChat shows its payment sheet; if it does not, tap Continue.";
            page(no, "微信支付 · WeChat Pay", &paying, hint, &action, &form, "wxpay-bridge")
        }
        Ok(Launch::Form(form)) => {
            let hint = "正在前往支付宝… · Opening Alipay…";
            page(no, "支付宝 · Alipay", &paying, hint, &form.action, &form.fields, "autosubmit")
        }
        Err(plaza_core::Error::User(AppError::NotFound)) => StatusCode::NOT_FOUND.into_response(),
        Err(plaza_core::Error::User(_)) => Redirect::to(&format!("/pay/result/{no}")).into_response(),
        Err(error) => failed(no, &error),
    }
}

fn failed(no: &str, error: &plaza_core::Error) -> Response {
    tracing::warn!(%error, payment = %no, "the provider could not start the payment");
    Redirect::to(&format!("/pay/result/{no}?error=unavailable")).into_response()
}

/// A form the browser posts (or `WeixinJSBridge` takes over): works without JavaScript by its
/// button; `/pay-flow.js` submits or hands it to the bridge at once.
fn page(
    no: &str,
    title: &str,
    (subject, amount): &(String, plaza_types::Fen),
    hint: &str,
    action: &str,
    fields: &[(String, String)],
    kind: &str,
) -> Response {
    let inputs: String = fields
        .iter()
        .map(|(k, v)| format!("<input type=\"hidden\" name=\"{}\" value=\"{}\">", escape(k), escape(v)))
        .collect();
    let body = format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>\
         <link rel=\"stylesheet\" href=\"/pkg/plaza.css\"></head><body><main class=\"page\">\
         <h1>{title}</h1>\
         <section class=\"panel sandbox-order\"><p class=\"muted\">{subject}</p>\
         <p class=\"pay-amount\" data-testid=\"flow-amount\">{amount}</p></section>\
         <p class=\"muted small\">{hint}</p>\
         <form method=\"post\" action=\"{action}\" data-flow=\"{kind}\" data-result=\"/pay/result/{no}\" accept-charset=\"utf-8\">{inputs}\
         <button type=\"submit\" class=\"button button-pay button-block\" data-testid=\"flow-continue\">继续支付 · Continue</button></form>\
         <p><a class=\"button button-block\" href=\"/pay/result/{no}\">返回 · Back</a></p>\
         <script src=\"/pay-flow.js\" defer></script></main></body></html>",
        action = escape(action),
        subject = escape(subject),
    );
    let mut response = Html(body).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    response
}

/// Text for an HTML attribute or element of these plain pages.
pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// `GET /pay/wechat/oauth?code=…&state=…`: WeChat's OAuth coming back.
pub async fn oauth(ctx: AppContext, headers: HeaderMap, Query(q): Params) -> Response {
    let state = q.get("state").map(String::as_str).unwrap_or_default();
    let Some((no, _)) = state.split_once('.').filter(|(no, _)| valid_no(no)) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let member = match member(&ctx, &headers, &format!("/pay/go/{no}")).await {
        Ok(member) => member,
        Err(response) => return response,
    };
    if oauth_state(&ctx, member, no) != state {
        return StatusCode::BAD_REQUEST.into_response();
    }
    let provider = ctx.payments.provider.clone();
    let (Some(code), Some(appid)) = (q.get("code"), provider.jsapi_appid()) else {
        // The shopper refused, or JSAPI is not configured: the result page offers the rest.
        return Redirect::to(&format!("/pay/result/{no}")).into_response();
    };
    let now = Timestamp::now();
    let remembered = match provider.oauth_openid(&ctx.db, code, now).await {
        Ok(openid) => checkout::remember_openid(&ctx.db, member, &appid, &openid, now).await,
        Err(error) => Err(error),
    };
    match remembered {
        Ok(()) => Redirect::to(&format!("/pay/go/{no}")).into_response(),
        Err(error) => failed(no, &error),
    }
}

/// The sandbox's stand-ins answer only when the sandbox is the provider.
fn sandbox_off(ctx: &AppContext) -> Option<Response> {
    ctx.payments.sandbox.is_none().then(|| StatusCode::NOT_FOUND.into_response())
}

fn refused() -> Response {
    let body = "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>模拟支付 · Sandbox</title>\
         <link rel=\"stylesheet\" href=\"/pkg/plaza.css\"></head><body><main class=\"page\">\
         <p class=\"notice\" role=\"alert\">模拟支付拒绝了这个请求 · the sandbox refused this request</p>\
         <p><a class=\"button button-block\" href=\"/me/payments\">支付记录 · Payments</a></p></main></body></html>";
    (StatusCode::BAD_REQUEST, Html(body)).into_response()
}

/// `GET /sandbox/wechat/authorize`: WeChat's silent `snsapi_base` authorisation.
pub async fn sandbox_authorize(ctx: AppContext, headers: HeaderMap, request: Request) -> Response {
    if let Some(r) = sandbox_off(&ctx) {
        return r;
    }
    let query: Vec<(String, String)> = request
        .uri()
        .query()
        .map(|q| url::form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let member = match member(&ctx, &headers, "/").await {
        Ok(member) => member,
        Err(response) => return response,
    };
    match phone::authorize(&ctx.db, member, &query, &ctx.public_url, Timestamp::now()).await {
        Ok(back) => Redirect::to(&back).into_response(),
        Err(_) => refused(),
    }
}

/// `GET /sandbox/wechat/h5?prepay_id=…&redirect_url=…`: WeChat's H5 page.
pub async fn sandbox_h5(ctx: AppContext, headers: HeaderMap, Query(q): Params) -> Response {
    if let Some(r) = sandbox_off(&ctx) {
        return r;
    }
    if let Err(response) = member(&ctx, &headers, "/").await {
        return response;
    }
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or_default();
    match phone::open_h5(&ctx.db, get("prepay_id"), get("redirect_url"), &ctx.public_url).await {
        Ok(opened) => Redirect::to(&phone::cashier_with_way_back(&opened)).into_response(),
        Err(_) => refused(),
    }
}

/// `POST /sandbox/wechat/jsapi`: what WeChat's client does with `getBrandWCPayRequest`.
pub async fn sandbox_jsapi(ctx: AppContext, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    if let Some(r) = sandbox_off(&ctx) {
        return r;
    }
    let member = match member(&ctx, &headers, "/").await {
        Ok(member) => member,
        Err(response) => return response,
    };
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let params = plaza_core::payment_providers::wechat::BridgeParams {
        app_id: get("appId"),
        time_stamp: get("timeStamp"),
        nonce_str: get("nonceStr"),
        package: get("package"),
        sign_type: get("signType"),
        pay_sign: get("paySign"),
    };
    match phone::open_bridge(&ctx.db, member, &params).await {
        Ok(no) => Redirect::to(&format!("/sandbox/pay/{no}")).into_response(),
        Err(_) => refused(),
    }
}

/// `POST /sandbox/alipay/gateway`: Alipay's gateway receiving the WAP form.
pub async fn sandbox_alipay(ctx: AppContext, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    if let Some(r) = sandbox_off(&ctx) {
        return r;
    }
    if let Err(response) = member(&ctx, &headers, "/").await {
        return response;
    }
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    match phone::open_wap(&ctx.db, &fields, &ctx.public_url).await {
        Ok(opened) => Redirect::to(&phone::cashier_with_way_back(&opened)).into_response(),
        Err(_) => refused(),
    }
}
