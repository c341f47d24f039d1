//! `POST /notify/wechat`: WeChat Pay's notifications (the sandbox's in development), verified on
//! the raw body and headers exactly as they arrived, then handed to the one completion command;
//! `POST /notify/alipay` likewise for Alipay's.

use axum::body::Bytes;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use plaza_app::server::AppContext;
use plaza_core::payment_providers::alipay;
use plaza_core::payments::alipay_notifications::{form_pairs, handle_alipay};
use plaza_core::payments::notifications::handle_wechat;
use plaza_core::Timestamp;

pub async fn wechat(ctx: AppContext, headers: HeaderMap, body: Bytes) -> Response {
    let pairs: Vec<(&str, &str)> =
        headers.iter().filter_map(|(name, value)| value.to_str().ok().map(|v| (name.as_str(), v))).collect();
    let answer = handle_wechat(&ctx.db, &ctx.payments.verifier, pairs, &body, Timestamp::now()).await;
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match answer.body {
        Some(body) => (status, [(header::CONTENT_TYPE, "application/json")], body).into_response(),
        None => status.into_response(),
    }
}

/// `POST /notify/alipay`: Alipay's form-encoded notifications. The answer is the whole plain-text
/// body: `success` stops Alipay's resends. Without Alipay as the provider nothing is trusted.
pub async fn alipay(ctx: AppContext, body: Bytes) -> Response {
    let Some(verifier) = ctx.payments.alipay_verifier.clone() else {
        return (StatusCode::NOT_FOUND, "not accepting Alipay notifications").into_response();
    };
    let form = form_pairs(&body);
    let answer = handle_alipay(&ctx.db, &verifier, &form, Timestamp::now()).await;
    ([(header::CONTENT_TYPE, alipay::REPLY_CONTENT_TYPE)], answer).into_response()
}
