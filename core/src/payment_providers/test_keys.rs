//! Key pairs shared by the tests: generating RSA keys is the slowest part of the suite.

use super::keys::RsaSigningKey;
use std::sync::OnceLock;

pub fn key_a() -> &'static RsaSigningKey {
    static KEY: OnceLock<RsaSigningKey> = OnceLock::new();
    KEY.get_or_init(|| RsaSigningKey::generate().expect("key generation"))
}

pub fn key_b() -> &'static RsaSigningKey {
    static KEY: OnceLock<RsaSigningKey> = OnceLock::new();
    KEY.get_or_init(|| RsaSigningKey::generate().expect("key generation"))
}

/// An owned copy, for types that take their key by value.
pub fn owned(key: &RsaSigningKey) -> RsaSigningKey {
    RsaSigningKey::from_pem(&key.to_pkcs8_pem()).expect("a key reads back")
}
