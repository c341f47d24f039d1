//! A form post refused by a server function comes back with the error in the address
//! (`?__path=…&__err=<base64>`). This moves it into a short-lived cookie the next page reads
//! (`plaza_app::components::flash`), so the address bar stays as the shopper left it.

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use plaza_app::components::flash::{error_to_flash, FLASH_COOKIE, FLASH_MAX_AGE_SECS};

pub async fn errors_to_cookie(secure: bool, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if !response.status().is_redirection() {
        return response;
    }
    let Some(location) = response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()) else {
        return response;
    };
    let Some((clean, value)) = error_to_flash(location) else { return response };
    let secure = if secure { "; Secure" } else { "" };
    let cookie =
        format!("{FLASH_COOKIE}={value}; Path=/; Max-Age={FLASH_MAX_AGE_SECS}; HttpOnly; SameSite=Lax{secure}");
    if let (Ok(clean), Ok(cookie)) = (HeaderValue::from_str(&clean), HeaderValue::from_str(&cookie)) {
        response.headers_mut().insert(header::LOCATION, clean);
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}
