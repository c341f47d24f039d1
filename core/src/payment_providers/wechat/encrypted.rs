//! The notification envelope and its encrypted `resource` (证书和回调报文解密).
//!
//! WeChat encrypts the interesting part of every notification with AEAD_AES_256_GCM (RFC 5116)
//! under the merchant's 32-byte API v3 key: the nonce is a 12-character string used as its bytes,
//! the associated data is a string (possibly empty), and the base64 ciphertext carries the 16-byte
//! tag at its end. The signature only proves WeChat sent the envelope; the tag proves the resource
//! was encrypted by someone holding our key.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub const ALGORITHM: &str = "AEAD_AES_256_GCM";
pub const NONCE_LEN: usize = 12;
pub const TAG_LEN: usize = 16;

/// The JSON body of a notification, fields in the order WeChat sends them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: String,
    pub create_time: String,
    pub resource_type: String,
    pub event_type: String,
    #[serde(default)]
    pub summary: String,
    pub resource: EncryptedResource,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncryptedResource {
    pub original_type: String,
    pub algorithm: String,
    pub ciphertext: String,
    #[serde(default)]
    pub associated_data: String,
    pub nonce: String,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ResourceError {
    #[error("the notification body is not the expected JSON: {0}")]
    Json(String),
    #[error("resource algorithm {0:?} is not {ALGORITHM}")]
    UnsupportedAlgorithm(String),
    #[error("the nonce must be {NONCE_LEN} bytes, this one has {0}")]
    NonceLength(usize),
    #[error("the ciphertext is not base64")]
    Base64,
    #[error("the ciphertext is shorter than its {TAG_LEN}-byte tag")]
    TooShort,
    #[error("the tag does not match: wrong key, changed ciphertext or associated data")]
    Authentication,
    #[error("expected a {expected:?} resource, got {found:?}")]
    UnexpectedType { expected: &'static str, found: String },
}

/// Parses a notification body. Call only after [`super::verify_notification`] accepted these bytes.
pub fn parse_notification(raw_body: &[u8]) -> Result<Notification, ResourceError> {
    serde_json::from_slice(raw_body).map_err(|e| ResourceError::Json(e.to_string()))
}

/// The plaintext of `resource`, authenticated by its tag and associated data.
pub fn decrypt_resource(api_v3_key: &[u8; 32], resource: &EncryptedResource) -> Result<Vec<u8>, ResourceError> {
    if resource.algorithm != ALGORITHM {
        return Err(ResourceError::UnsupportedAlgorithm(resource.algorithm.clone()));
    }
    let nonce = nonce_bytes(&resource.nonce)?;
    let sealed = BASE64.decode(resource.ciphertext.trim()).map_err(|_| ResourceError::Base64)?;
    open(api_v3_key, nonce, resource.associated_data.as_bytes(), &sealed)
}

/// What WeChat does to build `resource.ciphertext`; used by the sandbox.
pub fn encrypt_resource(
    api_v3_key: &[u8; 32],
    plaintext: &[u8],
    nonce: &str,
    associated_data: &str,
) -> Result<String, ResourceError> {
    let sealed = seal(api_v3_key, nonce_bytes(nonce)?, associated_data.as_bytes(), plaintext);
    Ok(BASE64.encode(sealed))
}

/// Decrypts and decodes a resource, first checking it is the kind the caller expects, so a refund
/// can never be read as a payment.
pub fn decrypt_as<T: DeserializeOwned>(
    api_v3_key: &[u8; 32],
    notification: &Notification,
    original_type: &'static str,
) -> Result<T, ResourceError> {
    if notification.resource.original_type != original_type {
        return Err(ResourceError::UnexpectedType {
            expected: original_type,
            found: notification.resource.original_type.clone(),
        });
    }
    let plaintext = decrypt_resource(api_v3_key, &notification.resource)?;
    serde_json::from_slice(&plaintext).map_err(|e| ResourceError::Json(e.to_string()))
}

fn nonce_bytes(nonce: &str) -> Result<&[u8; NONCE_LEN], ResourceError> {
    nonce.as_bytes().try_into().map_err(|_| ResourceError::NonceLength(nonce.len()))
}

/// AES-256-GCM decryption of `ciphertext || tag`.
pub(crate) fn open(
    key: &[u8; 32],
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    sealed: &[u8],
) -> Result<Vec<u8>, ResourceError> {
    if sealed.len() < TAG_LEN {
        return Err(ResourceError::TooShort);
    }
    let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key));
    cipher.decrypt(Nonce::from_slice(nonce), Payload { msg: sealed, aad }).map_err(|_| ResourceError::Authentication)
}

/// AES-256-GCM encryption, returning `ciphertext || tag`.
pub(crate) fn seal(key: &[u8; 32], nonce: &[u8; NONCE_LEN], aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key));
    cipher.encrypt(Nonce::from_slice(nonce), Payload { msg: plaintext, aad }).expect("GCM encrypts any length we send")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    // "The Galois/Counter Mode of Operation" (McGrew & Viega), the 256-bit-key cases that NIST's
    // GCM validation files repeat: test case 14 (zero key and block) and 16 (associated data).
    const KEY_16: &str = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
    const IV_16: &str = "cafebabefacedbaddecaf888";
    const AAD_16: &str = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
    const PT_16: &str = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72\
                         1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
    const CT_16: &str = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa\
                         8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662";
    const TAG_16: &str = "76fc6ece0f4e1768cddf8853bb2d551b";

    fn key16() -> [u8; 32] {
        unhex(KEY_16).try_into().unwrap()
    }

    fn iv16() -> [u8; 12] {
        unhex(IV_16).try_into().unwrap()
    }

    #[test]
    fn matches_the_gcm_specification_with_associated_data() {
        let sealed = seal(&key16(), &iv16(), &unhex(AAD_16), &unhex(PT_16));
        assert_eq!(hex::encode(&sealed), format!("{CT_16}{TAG_16}"));
        assert_eq!(open(&key16(), &iv16(), &unhex(AAD_16), &sealed).unwrap(), unhex(PT_16));
    }

    #[test]
    fn matches_the_gcm_specification_for_a_zero_key() {
        let sealed = seal(&[0; 32], &[0; 12], b"", &[0; 16]);
        assert_eq!(hex::encode(sealed), "cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919");
    }

    #[test]
    fn any_change_to_ciphertext_tag_or_associated_data_is_refused() {
        let sealed = seal(&key16(), &iv16(), &unhex(AAD_16), &unhex(PT_16));
        for i in [0, sealed.len() - TAG_LEN - 1, sealed.len() - TAG_LEN, sealed.len() - 1] {
            let mut changed = sealed.clone();
            changed[i] ^= 0x01;
            assert_eq!(
                open(&key16(), &iv16(), &unhex(AAD_16), &changed),
                Err(ResourceError::Authentication),
                "byte {i}"
            );
        }
        assert_eq!(open(&key16(), &iv16(), b"", &sealed), Err(ResourceError::Authentication));
        assert_eq!(open(&key16(), &iv16(), &unhex(AAD_16), &sealed[..TAG_LEN - 1]), Err(ResourceError::TooShort));
    }

    #[test]
    fn resources_round_trip_with_associated_data_and_text_nonces() {
        let key = *b"0123456789abcdef0123456789abcdef";
        let ciphertext = encrypt_resource(&key, br#"{"out_trade_no":"P1"}"#, "PF96HFvp29mV", "transaction").unwrap();
        let mut resource = EncryptedResource {
            original_type: "transaction".into(),
            algorithm: ALGORITHM.into(),
            ciphertext,
            associated_data: "transaction".into(),
            nonce: "PF96HFvp29mV".into(),
        };
        assert_eq!(decrypt_resource(&key, &resource).unwrap(), br#"{"out_trade_no":"P1"}"#);
        let other_key = *b"0123456789abcdef0123456789abcdeF";
        assert_eq!(decrypt_resource(&other_key, &resource), Err(ResourceError::Authentication));
        resource.associated_data = "refund".into();
        assert_eq!(decrypt_resource(&key, &resource), Err(ResourceError::Authentication));
        resource.nonce = "short".into();
        assert_eq!(decrypt_resource(&key, &resource), Err(ResourceError::NonceLength(5)));
        resource.algorithm = "AEAD_AES_128_GCM".into();
        assert!(matches!(decrypt_resource(&key, &resource), Err(ResourceError::UnsupportedAlgorithm(_))));
    }

    #[test]
    fn parses_the_documented_notification_envelope() {
        let body = r#"{"id":"EV-2018022511223320873","create_time":"2015-05-20T13:29:35+08:00",
            "resource_type":"encrypt-resource","event_type":"TRANSACTION.SUCCESS","summary":"支付成功",
            "resource":{"original_type":"transaction","algorithm":"AEAD_AES_256_GCM","ciphertext":"",
            "associated_data":"","nonce":""}}"#;
        let notification = parse_notification(body.as_bytes()).unwrap();
        assert_eq!(notification.event_type, "TRANSACTION.SUCCESS");
        assert_eq!(notification.resource.original_type, "transaction");
        assert!(matches!(parse_notification(b"{}"), Err(ResourceError::Json(_))));
    }
}
