//! Calls to outside services (payment providers now; SMS and storage alike). What can go wrong
//! when we call a provider's API. The payment engine treats every one of these
//! as "the provider cannot be asked right now" (the shopper sees a temporary failure, jobs retry),
//! but the kind says what happened, for the log and for callers that branch on a refusal.

use std::time::Duration;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    #[error("{provider} did not answer within {:.1} s", .after.as_secs_f32())]
    Timeout { provider: &'static str, after: Duration },
    #[error("{provider} could not be reached: {message}")]
    Network { provider: &'static str, message: String },
    /// The provider understood the request and said no (a 4xx from WeChat, a business failure
    /// from Alipay). `code` is the provider's own (`ORDER_NOT_EXIST`, `ACQ.TRADE_NOT_EXIST`).
    #[error("{provider} refused ({status} {code}): {message}")]
    Refused { provider: &'static str, status: u16, code: String, message: String },
    /// A 5xx, or Alipay's "service unavailable": try again later.
    #[error("{provider} failed on its side ({status} {code})")]
    Unavailable { provider: &'static str, status: u16, code: String },
    /// A success whose signature is missing or wrong: nothing in it is believed.
    #[error("{provider}'s answer is not signed by its key: {reason}")]
    Unverified { provider: &'static str, reason: String },
    /// Signed, but not what the contract says (missing fields, another merchant's order).
    #[error("{provider}'s answer breaks the contract: {reason}")]
    Malformed { provider: &'static str, reason: String },
    /// Our side: a request that cannot be built or signed.
    #[error("{provider} request could not be built: {reason}")]
    Request { provider: &'static str, reason: String },
}

impl ProviderError {
    pub fn from_reqwest(provider: &'static str, after: Duration, error: reqwest::Error) -> ProviderError {
        if error.is_timeout() {
            ProviderError::Timeout { provider, after }
        } else {
            // Without the URL: it can carry query parameters.
            ProviderError::Network { provider, message: error.without_url().to_string() }
        }
    }

    /// The provider's refusal code, when it refused.
    pub fn refusal_code(&self) -> Option<&str> {
        match self {
            ProviderError::Refused { code, .. } => Some(code),
            _ => None,
        }
    }
}

/// The HTTP client both providers use: bounded in time, no redirects (an answer that redirects is
/// not the provider's), TLS by rustls.
pub fn http_client(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(5)))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client with default TLS settings")
}
