use super::AppContext;
use http::header::SET_COOKIE;
use http::HeaderValue;
use leptos::prelude::*;
use plaza_core::auth::sessions::{NewSession, COOKIE as SESSION_COOKIE};

/// A cookie of the current request.
pub fn request_cookie(name: &str) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    super::cookie_in(&parts.headers, name)
}

fn set_cookie(value: String) {
    if let (Some(response), Ok(value)) = (use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(&value))
    {
        response.append_header(SET_COOKIE, value);
    }
}

/// HttpOnly (no script can read it), SameSite=Lax (no cross-site form can use it), and Secure in production.
pub fn set_session_cookie(ctx: &AppContext, session: &NewSession) {
    let secure = if ctx.secure_cookies { "; Secure" } else { "" };
    set_cookie(format!(
        "{SESSION_COOKIE}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{secure}",
        session.token, session.max_age_secs
    ));
}

pub fn clear_session_cookie(ctx: &AppContext) {
    let secure = if ctx.secure_cookies { "; Secure" } else { "" };
    set_cookie(format!("{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}"));
}

/// The invite code a newcomer arrived with, kept until they sign up.
pub const INVITE_COOKIE: &str = "plaza_invite";

pub fn set_invite_cookie(code: &str) {
    let safe: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).take(16).collect();
    set_cookie(format!("{INVITE_COOKIE}={safe}; Path=/; Max-Age=604800; HttpOnly; SameSite=Lax"));
}

pub fn clear_cookie(name: &str) {
    set_cookie(format!("{name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"));
}
