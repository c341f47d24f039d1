//! Who is calling, and may they. Every protected server function starts with one of these.

use super::{app, request_cookie};
use leptos::prelude::*;
use plaza_core::auth::client_address::TrustedProxies;
use plaza_core::auth::{sessions, ClientInfo, Principal, StaffPrincipal};
use plaza_types::{AppError, MemberId, StaffRole, TenantId};
use std::sync::Arc;

/// The caller of one request, looked up once however many server functions the request runs
/// (the member card's page runs two, each asking who is calling). The server provides one per
/// request ([`provide_request_caller`]); the request's cookie, and so its answer, cannot change
/// while it runs. A failed lookup is not kept.
#[derive(Clone, Default)]
pub struct RequestCaller(Arc<tokio::sync::OnceCell<Option<Principal>>>);

/// Gives this request its [`RequestCaller`] (the server calls this with the request's context).
pub fn provide_request_caller() {
    provide_context(RequestCaller::default());
}

/// The signed-in caller, if any.
pub async fn caller() -> Result<Option<Principal>, AppError> {
    let Some(token) = request_cookie(sessions::COOKIE) else { return Ok(None) };
    let lookup = || async { super::session_principal(&app()?, &token).await };
    match use_context::<RequestCaller>() {
        Some(once) => once.0.get_or_try_init(lookup).await.cloned(),
        None => lookup().await,
    }
}

pub async fn require_member() -> Result<MemberId, AppError> {
    match caller().await? {
        Some(Principal::Member(member)) => Ok(member),
        Some(Principal::Staff(_)) => Err(AppError::Forbidden),
        None => Err(AppError::Unauthenticated),
    }
}

/// A staff member holding one of `roles`.
pub async fn require_staff(roles: &[StaffRole]) -> Result<StaffPrincipal, AppError> {
    match caller().await? {
        Some(Principal::Staff(staff)) if roles.contains(&staff.role) => Ok(staff),
        Some(_) => Err(AppError::Forbidden),
        None => Err(AppError::Unauthenticated),
    }
}

pub async fn require_operator() -> Result<StaffPrincipal, AppError> {
    require_staff(&[StaffRole::OperatorAdmin, StaffRole::OperatorStaff]).await
}

/// A staff member holding one of `roles` who may act for `tenant`: its own staff, or an operator
/// (when `roles` admits operators).
pub async fn require_tenant_staff(tenant: TenantId, roles: &[StaffRole]) -> Result<StaffPrincipal, AppError> {
    let staff = require_staff(roles).await?;
    if staff.may_act_for(tenant) {
        Ok(staff)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The client's address and browser, for rate limits and the session list.
pub fn client_info() -> ClientInfo {
    let Some(parts) = use_context::<http::request::Parts>() else { return ClientInfo::default() };
    let proxies = app().map(|ctx| ctx.trust_proxy).unwrap_or_default();
    client_info_from(&proxies, &parts.headers, &parts.extensions)
}

/// The same from a request's headers and extensions (plain axum handlers call this).
pub fn client_info_from(
    proxies: &TrustedProxies,
    headers: &http::HeaderMap,
    extensions: &http::Extensions,
) -> ClientInfo {
    let peer = extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|info| info.0.ip());
    let forwarded: Vec<&str> = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
    ClientInfo {
        ip: proxies.client_address(peer, &forwarded).unwrap_or_else(|| "unknown".to_string()),
        user_agent: headers.get(http::header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string(),
    }
}
