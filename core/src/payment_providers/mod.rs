//! Adapters for the external payment providers. The cryptographic halves are pure functions (no
//! database, no HTTP): the payment engine feeds them raw request bytes and headers and gets typed,
//! verified results back; the sandbox uses the platform side to sign exactly as the provider
//! would, so the production verifiers run unchanged in tests. The API clients (`wechat::WechatClient`,
//! `alipay::AlipayClient`) sign our requests and refuse any answer the provider did not sign;
//! their tests run against in-process stand-ins that check what the real services check.

pub mod alipay;
pub mod bill;
use plaza_platform::external as error;
pub mod keys;
pub mod wechat;

#[cfg(test)]
pub(crate) mod test_keys;

pub use error::ProviderError;
pub use keys::{KeyError, RsaSigningKey, RsaVerifyingKey, SignError};
