//! Keys derived from the one master secret in configuration. Each use gets its own key, so a key
//! leaked from one purpose cannot forge another.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

#[derive(Clone)]
pub struct Secrets {
    master: Vec<u8>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets(..)")
    }
}

#[derive(Clone, Copy, Debug)]
pub enum KeyPurpose {
    MemberCode,
    SmsCode,
    IdNumber,
    /// The sandbox payment provider's stand-in for a WeChat Pay API v3 key.
    SandboxApiV3,
    /// Signs the audit chain's checkpoints.
    AuditCheckpoint,
    /// Binds a WeChat OAuth round trip (`state`) to the member and payment that started it.
    PayOAuthState,
}

impl KeyPurpose {
    fn label(self) -> &'static [u8] {
        match self {
            KeyPurpose::MemberCode => b"plaza/member-code/v1",
            KeyPurpose::SmsCode => b"plaza/sms-code/v1",
            KeyPurpose::IdNumber => b"plaza/id-number/v1",
            KeyPurpose::SandboxApiV3 => b"plaza/sandbox-api-v3/v1",
            KeyPurpose::AuditCheckpoint => b"plaza/audit-checkpoint/v1",
            KeyPurpose::PayOAuthState => b"plaza/pay-oauth-state/v1",
        }
    }
}

impl Secrets {
    /// At least 32 bytes of key material.
    pub fn new(master: Vec<u8>) -> Result<Secrets, &'static str> {
        if master.len() < 32 {
            return Err("the secret key must be at least 32 bytes");
        }
        Ok(Secrets { master })
    }

    /// HMAC-SHA256 of `data` under the key for `purpose`.
    pub fn mac(&self, purpose: KeyPurpose, data: &[u8]) -> [u8; 32] {
        let mut derive = HmacSha256::new_from_slice(&self.master).expect("HMAC takes any key length");
        derive.update(purpose.label());
        let key = derive.finalize().into_bytes();
        let mut mac = HmacSha256::new_from_slice(&key).expect("HMAC takes any key length");
        mac.update(data);
        mac.finalize().into_bytes().into()
    }

    pub fn mac_hex(&self, purpose: KeyPurpose, data: &[u8]) -> String {
        hex::encode(self.mac(purpose, data))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_get_different_keys() {
        let secrets = Secrets::new(vec![7; 32]).unwrap();
        assert_ne!(secrets.mac(KeyPurpose::MemberCode, b"x"), secrets.mac(KeyPurpose::SmsCode, b"x"));
        assert_eq!(secrets.mac(KeyPurpose::MemberCode, b"x"), secrets.mac(KeyPurpose::MemberCode, b"x"));
        assert!(Secrets::new(vec![1; 16]).is_err());
    }
}
