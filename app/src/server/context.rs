use leptos::prelude::*;
use plaza_core::payments::Gateway;
use plaza_core::sms::SharedSms;
use plaza_core::{Db, Secrets};
use plaza_types::AppError;

/// What the server hands every request: the database, keys, providers and mode switches.
#[derive(Clone)]
pub struct AppContext {
    pub db: Db,
    /// The payment provider, its notification verifier, the sandbox, the sales ticker.
    pub payments: Gateway,
    pub secrets: Secrets,
    pub sms: SharedSms,
    /// Development mode: the sign-in page may show the code from the SMS outbox.
    pub dev_mode: bool,
    /// Mark cookies `Secure` (production behind https).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy: bool,
    /// The site's public address for links printed or shared (QR codes, invites), e.g.
    /// `https://plaza.example.com`; `None`: taken from the request's Host.
    pub public_url: Option<String>,
    /// Receipt photos: their store and the OCR reader.
    pub receipts: plaza_core::receipts::ReceiptServices,
}

impl AppContext {
    /// The absolute URL of `path` as people outside reach it.
    pub fn public_link(&self, path: &str) -> String {
        let base = self.public_url.clone().unwrap_or_else(|| {
            let host = use_context::<http::request::Parts>()
                .and_then(|p| p.headers.get(http::header::HOST).and_then(|h| h.to_str().ok()).map(str::to_string))
                .unwrap_or_else(|| "127.0.0.1:3000".to_string());
            format!("http://{host}")
        });
        format!("{}{path}", base.trim_end_matches('/'))
    }
}

/// The context of the current request.
pub fn app() -> Result<AppContext, AppError> {
    use_context::<AppContext>().ok_or_else(|| {
        tracing::error!("AppContext missing from the request context");
        AppError::Internal
    })
}
