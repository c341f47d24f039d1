//! Server-side plumbing shared by every server function: the context the server provides, who
//! is calling, and cookies. Compiled only with the `ssr` feature.

mod caller;
mod context;
mod cookies;
pub mod csp;
mod guards;

pub use caller::{cookie_in, member_of, principal_of, session_principal};
pub use context::{app, AppContext};
pub use cookies::{
    clear_cookie, clear_session_cookie, request_cookie, set_invite_cookie, set_session_cookie, INVITE_COOKIE,
};
pub use csp::set_content_security_policy;
pub use guards::{
    caller, client_info, client_info_from, provide_request_caller, require_member, require_operator, require_staff,
    require_tenant_staff,
};

/// Reduces a business error to what the user may see (faults are logged on the way).
pub fn user_error(error: plaza_core::Error) -> plaza_types::AppError {
    error.into_app_error()
}
