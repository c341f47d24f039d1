//! WeChat Pay API v3: verifying and decrypting what WeChat sends us, signing what we send it, and
//! the platform side of both for the sandbox.
//!
//! A notification handler runs, in order: [`NotificationHeaders::from_pairs`] on the request
//! headers, [`verify_notification`] on the raw body bytes, [`parse_notification`], then
//! [`decrypt_transaction`] or [`decrypt_refund`], and answers with [`acknowledge`] or a refusal.
//! The caller still checks `mchid`, `appid`, `out_trade_no` and the amount against its own order.

mod answer;
mod bill;
mod certificates;
mod client;
mod encrypted;
mod merchant;
mod phone;
mod platform;
mod platform_keys;
mod resources;
mod signature;

#[cfg(test)]
mod certificates_tests;
#[cfg(test)]
pub(crate) mod client_tests;
#[cfg(any(test, feature = "standins"))]
pub mod mock_bill;
#[cfg(any(test, feature = "standins"))]
pub mod mock_certificates;
#[cfg(any(test, feature = "standins"))]
pub mod mock_server;
#[cfg(test)]
mod phone_tests;
#[cfg(test)]
mod tests;

pub use answer::{acknowledge, refuse, refuse_unverified, retry_later, Answer};
pub use bill::{parse_fund_flow_bill, parse_trade_bill};
pub use certificates::{
    keep_certificates_fresh, read_certificates, CertificateError, CERTIFICATES_PATH, CERTIFICATE_ASSOCIATED_DATA,
    REFRESH_EVERY_SECS, UNKNOWN_SERIAL_PAUSE_SECS,
};
pub use client::{NativeOrder, RefundAnswer, RefundAnswerAmount, WechatClient, WechatClientConfig, DEFAULT_BASE_URL};
pub use encrypted::{
    decrypt_as, decrypt_resource, encrypt_resource, parse_notification, EncryptedResource, Notification, ResourceError,
    ALGORITHM,
};
pub use merchant::{
    parse_authorization, request_message, verify_request, AuthorizationError, AuthorizationFields, MerchantSigner,
    RequestSignError, AUTHORIZATION_SCHEME,
};
pub use phone::{
    authorize_url, bridge_message, verify_bridge, BridgeParams, OAuthConfig, DEFAULT_API_BASE_URL,
    DEFAULT_AUTHORIZE_URL,
};
pub use platform::{beijing_time, sign_notification, PlatformError, PlatformSigner, SignedNotification};
pub use platform_keys::{PlatformKeys, Unusable};
pub use resources::{
    decrypt_refund, decrypt_transaction, Payer, RefundAmount, RefundResource, RefundStatus, TradeState,
    TransactionAmount, TransactionResource, REFUND_TYPE, TRANSACTION_TYPE,
};
pub use signature::{
    notification_message, verify_notification, verify_response, NotificationHeaders, VerifyError, HEADER_NONCE,
    HEADER_SERIAL, HEADER_SIGNATURE, HEADER_TIMESTAMP, MAX_CLOCK_SKEW_SECS, SIGNATURE_PROBE_PREFIX,
};
