use leptos::prelude::*;
use plaza_core::payments::Gateway;
use plaza_core::sms::SharedSms;
use plaza_core::{Db, Secrets};
use plaza_types::AppError;

/// What the server hands every request: the database, keys, providers and mode switches.
#[derive(Clone)]
pub struct AppContext {
    pub db: Db,
    /// The payment provider, its notification verifier, the sandbox.
    pub payments: Gateway,
    pub secrets: Secrets,
    pub sms: SharedSms,
    /// Demo mode (`PLAZA_ENV=demo`, loopback only): the sign-in page may show the code from the
    /// SMS outbox.
    pub dev_mode: bool,
    /// Mark cookies `Secure` (production behind https).
    pub secure_cookies: bool,
    /// Our own proxies, whose `X-Forwarded-For` entries are believed (right-most untrusted hop).
    pub trust_proxy: plaza_core::auth::client_address::TrustedProxies,
    /// The site's public address for links printed or shared (QR codes, invites), e.g.
    /// `https://plaza.example.com`: from the configuration only, never from a request's `Host`.
    pub public_url: String,
    /// Receipt photos: their store and the OCR reader.
    pub receipts: plaza_core::receipts::ReceiptServices,
}

impl AppContext {
    /// The absolute URL of `path` as people outside reach it.
    pub fn public_link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url.trim_end_matches('/'))
    }
}

/// The context of the current request.
///
/// Without one, either the server is misconfigured (the request is there, its context is not:
/// an error), or the request is gone: a client that gives up drops its request, the request's
/// owner with its contexts goes first, and a page fetch still in flight may wake under a child
/// owner that no longer reaches them (components::page_resource stops such fetches when it can
/// see it, but the drop can land between its look and the call here). Nobody reads that answer.
pub fn app() -> Result<AppContext, AppError> {
    use_context::<AppContext>().ok_or_else(|| {
        if use_context::<http::request::Parts>().is_some() {
            tracing::error!("AppContext missing from the request context");
        } else {
            tracing::debug!("a server function ran after its request was dropped");
        }
        AppError::Internal
    })
}
