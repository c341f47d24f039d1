//! `GET /pay/code/<no>`: where a shopper paying by WeChat Pay (Native) or Alipay (precreate) is
//! sent — the provider's code as a QR (and, for Alipay's `https://qr.alipay.com/…`, a link that
//! opens the app on this phone). Plain HTML that refreshes itself until the payment leaves
//! `paying`, then goes to the result page; it works without JavaScript. Only the payer sees it.

use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use plaza_app::server::{principal_of, AppContext};
use plaza_core::auth::Principal;
use plaza_core::codes::qr_svg;
use plaza_core::payments::provider::stored_code;
use plaza_types::Fen;

pub async fn page(ctx: AppContext, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    let headers = &parts.headers;
    let payment_no = parts.uri.path().trim_start_matches("/pay/code/").to_string();
    // Payment numbers are letters and digits; anything else is no payment (and never goes into a
    // Location header).
    if payment_no.is_empty() || !payment_no.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let member = match principal_of(&ctx, headers).await {
        Ok(Some(Principal::Member(member))) => member,
        Ok(_) => return Redirect::to(&format!("/login?next=%2Fpay%2Fcode%2F{payment_no}")).into_response(),
        Err(error) => {
            tracing::error!(%error, "authenticating a pay-code page");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let payment = match plaza_core::payments::find(ctx.db.pool(), &payment_no).await {
        Ok(Some(p)) if p.member_id == member.0 => p,
        Ok(_) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "reading a payment for its pay-code page");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let code = match stored_code(&ctx.db, &payment_no).await {
        Ok(code) => code,
        Err(error) => {
            tracing::error!(%error, "reading a payment's code");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if code.is_none() && payment.state.as_str() == "paying" {
        // Not placed yet (the cashier places it once it knows the browser): place it now.
        return super::pay_flow::cashier(&ctx, headers, &parts.extensions, &payment_no, None).await;
    }
    let (Some(code), "paying") = (code, payment.state.as_str()) else {
        return Redirect::to(&format!("/pay/result/{payment_no}")).into_response();
    };
    let result = format!("/pay/result/{payment_no}");
    let nonce = plaza_core::codes::random_key();
    let open_app = match code.starts_with("https://") {
        true => format!("<p><a class=\"button\" href=\"{}\">打开支付宝 · Open Alipay</a></p>", escape(&code)),
        false => String::new(),
    };
    let body = format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"refresh\" content=\"5\"><title>扫码支付 · Scan to pay</title>\
         <style nonce=\"{nonce}\">body{{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;text-align:center}}\
         .qr svg{{width:16rem;height:16rem}}.amount{{font-size:2rem;font-weight:600}}</style></head><body>\
         <h1>扫码支付 · Scan to pay</h1><p>{subject}</p><p class=\"amount\">{amount}</p>\
         <div class=\"qr\">{qr}</div>{open_app}\
         <p><a href=\"{result}\">我已支付 · I have paid</a></p></body></html>",
        subject = escape(&payment.subject),
        amount = Fen(payment.external_fen),
        qr = qr_svg(&code),
    );
    let mut response = Html(body).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    // The page's one inline style runs by this response's nonce; nothing else inline does.
    if let Ok(policy) = header::HeaderValue::from_str(&plaza_app::server::csp::policy(Some(&nonce))) {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    response
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
