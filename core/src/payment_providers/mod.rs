//! Cryptographic adapters for the external payment providers, as pure functions: no database, no
//! HTTP. The payment engine feeds them raw request bytes and headers and gets typed, verified
//! results back; the sandbox uses the platform side to sign exactly as the provider would, so the
//! production verifiers run unchanged in tests.

pub mod alipay;
pub mod keys;
pub mod wechat;

#[cfg(test)]
mod test_keys;

pub use keys::{KeyError, RsaSigningKey, RsaVerifyingKey, SignError};
