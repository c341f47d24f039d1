//! Who is calling, for server functions and plain HTTP handlers alike: the one place that reads a
//! request's cookies and looks its session up.

use super::AppContext;
use http::header::COOKIE;
use http::HeaderMap;
use plaza_core::auth::{sessions, Principal};
use plaza_core::Timestamp;
use plaza_types::AppError;

/// The value of cookie `name` in `headers`.
pub fn cookie_in(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|header| {
        header.split(';').find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then(|| v.to_string())
        })
    })
}

/// The signed-in principal of a request with these headers, if its session is valid now.
pub async fn principal_of(ctx: &AppContext, headers: &HeaderMap) -> Result<Option<Principal>, AppError> {
    let Some(token) = cookie_in(headers, sessions::COOKIE) else { return Ok(None) };
    session_principal(ctx, &token).await
}

/// The signed-in shopper of a plain HTTP route (an upload, a form with files): staff are refused,
/// and nobody signed in is told to sign in.
pub async fn member_of(ctx: &AppContext, headers: &HeaderMap) -> Result<plaza_types::MemberId, AppError> {
    match principal_of(ctx, headers).await? {
        Some(Principal::Member(member)) => Ok(member),
        Some(Principal::Staff(_)) => Err(AppError::Forbidden),
        None => Err(AppError::Unauthenticated),
    }
}

/// The principal of a session token, if the session is valid now (live streams check again
/// with the token they started with, so a signed-out session stops receiving).
pub async fn session_principal(ctx: &AppContext, token: &str) -> Result<Option<Principal>, AppError> {
    sessions::authenticate(&ctx.db, token, Timestamp::now()).await.map_err(super::user_error)
}
