//! 选择支付方式: in a phone browser that is neither WeChat's nor Alipay's, where the provider
//! offers both WeChat Pay and Alipay and the shopper has not said which, the cashier asks first —
//! as the mall's own H5 cashier would — rather than sending everyone to WeChat. A plain form (GET
//! back to `/pay/go/<no>?method=…`), so it works without JavaScript; WeChat Pay is chosen to begin
//! with. Inside WeChat or Alipay's app the app's own way is taken at once, and a desktop gets the
//! code to scan. Only the payer sees the page; nothing is placed with a provider until they choose.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use plaza_core::payments::checkout::Method;
use plaza_core::payments::Payment;
use plaza_types::{Fen, Lang};

use super::pay_flow::escape;

struct Words {
    title: &'static str,
    wechat: &'static str,
    wechat_note: &'static str,
    alipay: &'static str,
    alipay_note: &'static str,
    pay: &'static str,
    back: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::Zh => Words {
            title: "选择支付方式",
            wechat: "微信支付",
            wechat_note: "打开微信完成付款",
            alipay: "支付宝",
            alipay_note: "打开支付宝完成付款",
            pay: "确认支付",
            back: "返回",
        },
        Lang::En => Words {
            title: "Choose how to pay",
            wechat: "WeChat Pay",
            wechat_note: "Finish in the WeChat app",
            alipay: "Alipay",
            alipay_note: "Finish in the Alipay app",
            pay: "Pay",
            back: "Back",
        },
    }
}

/// The device's language, from its `plaza_lang` cookie (Chinese when there is none).
pub fn lang_of(headers: &HeaderMap) -> Lang {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(Lang::from_cookie_header)
        .unwrap_or_default()
}

/// The chooser for the payer's open payment: another member's is not found, a payment no longer
/// open goes to its result.
pub fn page(payment: Option<Payment>, member: plaza_types::MemberId, offered: &[Method], lang: Lang) -> Response {
    let payment = match payment {
        Some(p) if p.member_id == member.0 => p,
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let no = payment.payment_no.to_string();
    if !payment.state.is_open() {
        return Redirect::to(&format!("/pay/result/{no}")).into_response();
    }
    let w = words(lang);
    let amount = Fen(payment.external_fen);
    let options: String = offered
        .iter()
        .enumerate()
        .map(|(i, method)| {
            let (name, note) = match method {
                Method::Wechat => (w.wechat, w.wechat_note),
                Method::Alipay => (w.alipay, w.alipay_note),
            };
            let id = method.as_str();
            let checked = if i == 0 { " checked" } else { "" };
            format!(
                "<label class=\"choice pay-method\" data-testid=\"pay-method-{id}\">\
                 <input type=\"radio\" name=\"method\" value=\"{id}\"{checked}>\
                 <span class=\"pay-method-mark pay-method-{id}\" aria-hidden=\"true\"></span>\
                 <span class=\"choice-text\">{name}<small class=\"muted\">{note}</small></span></label>"
            )
        })
        .collect();
    let body = format!(
        "<!doctype html><html lang=\"{tag}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>\
         <link rel=\"stylesheet\" href=\"/pkg/plaza.css\"></head><body><main class=\"page pay-choose\">\
         <h1>{title}</h1>\
         <section class=\"panel sandbox-order\"><p class=\"muted\">{subject}</p>\
         <p class=\"pay-amount\" data-testid=\"choose-amount\">{amount}</p></section>\
         <form method=\"get\" action=\"/pay/go/{no}\" class=\"stack\">\
         <div class=\"panel\" role=\"radiogroup\" aria-label=\"{title}\">{options}</div>\
         <button type=\"submit\" class=\"button button-pay button-block\" data-testid=\"pay-method-go\">{pay} {amount}</button>\
         </form>\
         <p><a class=\"button button-block\" href=\"/pay/result/{no}\">{back}</a></p></main></body></html>",
        tag = lang.tag(),
        title = w.title,
        subject = escape(&payment.subject),
        pay = w.pay,
        back = w.back,
    );
    let mut response = Html(body).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    response
}
