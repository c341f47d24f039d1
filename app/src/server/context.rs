use leptos::prelude::*;
use plaza_core::sms::SharedSms;
use plaza_core::{Db, Secrets};
use plaza_types::AppError;

/// What the server hands every request: the database, keys, providers and mode switches.
#[derive(Clone)]
pub struct AppContext {
    pub db: Db,
    pub secrets: Secrets,
    pub sms: SharedSms,
    /// Development mode: the sign-in page may show the code from the SMS outbox.
    pub dev_mode: bool,
    /// Mark cookies `Secure` (production behind https).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy: bool,
}

/// The context of the current request.
pub fn app() -> Result<AppContext, AppError> {
    use_context::<AppContext>().ok_or_else(|| {
        tracing::error!("AppContext missing from the request context");
        AppError::Internal
    })
}
