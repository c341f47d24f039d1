//! WeChat's side of the contract, for the built-in sandbox: sign responses and notifications with
//! a platform key and encrypt resources with the merchant's API v3 key, byte for byte the way
//! WeChat does, so the production verifier and decryptor accept them unchanged.

use super::encrypted::{encrypt_resource, EncryptedResource, Notification, ResourceError, ALGORITHM};
use super::platform_keys::PlatformKeys;
use super::signature::{notification_message, NotificationHeaders};
use crate::payment_providers::keys::{KeyError, RsaSigningKey, RsaVerifyingKey, SignError};
use rand::distributions::{Alphanumeric, DistString};
use rand::RngCore;

/// A platform key pair and the serial it is published under (a certificate serial or a
/// `PUB_KEY_ID_…`).
pub struct PlatformSigner {
    serial: String,
    key: RsaSigningKey,
}

impl std::fmt::Debug for PlatformSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlatformSigner").field("serial", &self.serial).finish_non_exhaustive()
    }
}

/// A notification ready to POST: these headers with exactly this body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedNotification {
    pub headers: NotificationHeaders,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlatformError {
    #[error(transparent)]
    Sign(#[from] SignError),
    #[error(transparent)]
    Resource(#[from] ResourceError),
    #[error("the notification could not be encoded: {0}")]
    Json(String),
}

impl PlatformSigner {
    pub fn new(serial: impl Into<String>, key: RsaSigningKey) -> PlatformSigner {
        PlatformSigner { serial: serial.into(), key }
    }

    /// A fresh 2048-bit key pair under `serial`.
    pub fn generate(serial: impl Into<String>) -> Result<PlatformSigner, KeyError> {
        Ok(PlatformSigner::new(serial, RsaSigningKey::generate()?))
    }

    pub fn serial(&self) -> &str {
        &self.serial
    }

    pub fn verifying_key(&self) -> RsaVerifyingKey {
        self.key.verifying_key()
    }

    /// SPKI PEM, as WeChat publishes a platform public key.
    pub fn public_key_pem(&self) -> String {
        self.verifying_key().to_spki_pem()
    }

    /// PKCS#8 PEM of the private key, so a sandbox can keep its key across restarts.
    pub fn private_key_pem(&self) -> zeroize::Zeroizing<String> {
        self.key.to_pkcs8_pem()
    }

    /// Makes `keys` trust this signer, exactly as a real platform key is registered.
    pub fn register(&self, keys: &mut PlatformKeys) {
        keys.insert(self.serial.clone(), self.verifying_key());
    }

    /// The `Wechatpay-*` headers for `body` (a response or a notification) signed at `now_secs`.
    pub fn sign(&self, body: &[u8], now_secs: i64) -> Result<NotificationHeaders, SignError> {
        let timestamp = now_secs.to_string();
        let nonce = random_text(32);
        let signature = self.key.sign_sha256_base64(&notification_message(&timestamp, &nonce, body))?;
        Ok(NotificationHeaders { serial: self.serial.clone(), signature, timestamp, nonce })
    }
}

/// A complete notification as WeChat would POST it: `resource_plaintext` (the resource JSON)
/// encrypted under `api_v3_key` with a fresh nonce, wrapped in the envelope, and the envelope's
/// exact bytes signed. `original_type` and the associated data follow the event's prefix
/// (`TRANSACTION.SUCCESS` → `transaction`, `REFUND.SUCCESS` → `refund`), as in WeChat's own.
pub fn sign_notification(
    signer: &PlatformSigner,
    api_v3_key: &[u8; 32],
    event_type: &str,
    summary: &str,
    resource_plaintext: &[u8],
    now_secs: i64,
) -> Result<SignedNotification, PlatformError> {
    let original_type = event_type.split('.').next().unwrap_or_default().to_ascii_lowercase();
    let nonce = random_text(12);
    let ciphertext = encrypt_resource(api_v3_key, resource_plaintext, &nonce, &original_type)?;
    let notification = Notification {
        id: random_uuid(),
        create_time: beijing_time(now_secs),
        resource_type: "encrypt-resource".into(),
        event_type: event_type.into(),
        summary: summary.into(),
        resource: EncryptedResource {
            associated_data: original_type.clone(),
            original_type,
            algorithm: ALGORITHM.into(),
            ciphertext,
            nonce,
        },
    };
    let body = serde_json::to_string(&notification).map_err(|e| PlatformError::Json(e.to_string()))?;
    let headers = signer.sign(body.as_bytes(), now_secs)?;
    Ok(SignedNotification { headers, body })
}

fn random_text(len: usize) -> String {
    Alphanumeric.sample_string(&mut rand::rngs::OsRng, len)
}

/// Notification ids look like UUIDs (`7b2b145f-9cda-5573-8be2-d2d9eaaffa25`).
fn random_uuid() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let hex = hex::encode(bytes);
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// RFC 3339 in Beijing time, the form of every WeChat timestamp (`2015-05-20T13:29:35+08:00`).
pub fn beijing_time(secs: i64) -> String {
    let offset = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
    let instant = jiff::Timestamp::from_second(secs).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    instant.to_zoned(offset).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_in_beijing_time_as_wechat_writes_them() {
        // 2015-05-20T05:29:35Z, the documented example instant.
        assert_eq!(beijing_time(1_432_099_775), "2015-05-20T13:29:35+08:00");
    }

    #[test]
    fn ids_and_nonces_have_wechats_shapes() {
        let id = random_uuid();
        assert_eq!(id.len(), 36);
        assert_eq!(id.matches('-').count(), 4);
        let nonce = random_text(12);
        assert_eq!(nonce.len(), 12);
        assert!(nonce.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(random_text(32), random_text(32));
    }
}
