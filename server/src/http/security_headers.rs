//! Headers every response carries: a Content-Security-Policy (pages set their own, with the
//! nonce of their inline scripts; anything else gets one that runs no inline script at all) and,
//! on a site served over https, Strict-Transport-Security, so a browser that has seen it once
//! never tries plain http again.

use axum::extract::Request;
use axum::http::header::{CONTENT_SECURITY_POLICY, STRICT_TRANSPORT_SECURITY};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

/// A year, as browsers' preload lists expect.
const HSTS: &str = "max-age=31536000";

pub async fn add(https: bool, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !headers.contains_key(CONTENT_SECURITY_POLICY) {
        if let Ok(value) = HeaderValue::from_str(&plaza_app::server::csp::policy(None)) {
            headers.insert(CONTENT_SECURITY_POLICY, value);
        }
    }
    if https {
        headers.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    response
}
