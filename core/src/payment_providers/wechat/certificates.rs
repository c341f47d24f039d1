//! Certificate mode (平台证书): WeChat's platform certificates downloaded from
//! `GET /v3/certificates`, decrypted, checked and kept fresh, as WeChat asks of merchants who have
//! not moved to public-key mode.
//!
//! Each certificate comes encrypted with AEAD_AES_256_GCM under our API v3 key (associated data
//! `certificate`, a 12-character nonce), so a certificate that decrypts was put there by WeChat
//! or someone holding our key: that, not a chain up to Tenpay's CA, is what vouches for it (the
//! official SDKs do the same). The answer itself is signed like every answer; on the very first
//! download no certificate is known yet, so the signature is checked with the certificate it
//! names from the answer itself.
//!
//! The certificates are kept in memory, in the [`PlatformKeys`] the client and the notification
//! verifier share, not in the database: they are public, every instance can download them in one
//! request, and WeChat gives each the same list, so instances agree without coordination, and
//! nothing another process wrote to a table is ever trusted as a key. Each instance refreshes
//! every [`REFRESH_EVERY_SECS`] (WeChat recommends twelve hours; a new certificate overlaps the
//! old one by days) and when an answer or a notification names a serial it does not know, at
//! most once a [`UNKNOWN_SERIAL_PAUSE_SECS`], so forged serials cannot make us hammer WeChat.

use super::client::{malformed, refusal, unverified, WechatClient, WechatClientConfig};
use super::encrypted::{decrypt_resource, EncryptedResource, ResourceError};
use super::platform_keys::PlatformKeys;
use super::signature::{verify_response, NotificationHeaders, VerifyError};
use crate::payment_providers::keys::{certificate_facts, CertificateFacts, KeyError};
use crate::payment_providers::ProviderError;
use serde::Deserialize;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

pub const CERTIFICATES_PATH: &str = "/v3/certificates";
/// The associated data WeChat encrypts every certificate with.
pub const CERTIFICATE_ASSOCIATED_DATA: &str = "certificate";
pub const REFRESH_EVERY_SECS: u64 = 12 * 3600;
/// After a failed scheduled refresh, the next try.
pub const RETRY_AFTER_SECS: u64 = 600;
pub const UNKNOWN_SERIAL_PAUSE_SECS: i64 = 60;

/// What certificate mode needs beyond the client: the API v3 key the certificates are encrypted
/// with, and when an unknown serial last made us download.
pub struct Download {
    api_v3_key: zeroize::Zeroizing<[u8; 32]>,
    last_unknown_serial_refresh: Mutex<Option<i64>>,
}

/// `GET /v3/certificates`: `{"data":[{"serial_no","effective_time","expire_time","encrypt_certificate"}]}`.
#[derive(Deserialize)]
struct Answer {
    data: Vec<Listed>,
}

#[derive(Deserialize)]
struct Listed {
    serial_no: String,
    encrypt_certificate: Encrypted,
}

#[derive(Deserialize)]
struct Encrypted {
    algorithm: String,
    nonce: String,
    #[serde(default)]
    associated_data: String,
    ciphertext: String,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CertificateError {
    #[error("the certificate list is not the expected JSON: {0}")]
    Json(String),
    #[error("the certificate list is empty")]
    Empty,
    #[error("certificate {serial}: {error}")]
    Undecryptable { serial: String, error: ResourceError },
    #[error("certificate {serial} is not a certificate: {error}")]
    Unreadable { serial: String, error: KeyError },
    #[error("certificate listed as {listed} has serial {inside}")]
    SerialMismatch { listed: String, inside: String },
    #[error("the certificate list's signature: {0}")]
    Signature(VerifyError),
}

/// The certificates in a signed answer of `GET /v3/certificates`, checked: each decrypts under
/// `api_v3_key` and is the certificate its entry names, and the answer is signed by a key in
/// `known` or by one of these certificates. Expired ones are left out.
pub fn read_certificates(
    api_v3_key: &[u8; 32],
    headers: &NotificationHeaders,
    raw: &[u8],
    known: &PlatformKeys,
    now_secs: i64,
) -> Result<Vec<CertificateFacts>, CertificateError> {
    let answer: Answer = serde_json::from_slice(raw).map_err(|e| CertificateError::Json(e.to_string()))?;
    if answer.data.is_empty() {
        return Err(CertificateError::Empty);
    }
    let mut certificates = Vec::with_capacity(answer.data.len());
    for listed in answer.data {
        let serial = listed.serial_no;
        let resource = EncryptedResource {
            original_type: CERTIFICATE_ASSOCIATED_DATA.into(),
            algorithm: listed.encrypt_certificate.algorithm,
            ciphertext: listed.encrypt_certificate.ciphertext,
            associated_data: listed.encrypt_certificate.associated_data,
            nonce: listed.encrypt_certificate.nonce,
        };
        let pem = decrypt_resource(api_v3_key, &resource)
            .map_err(|error| CertificateError::Undecryptable { serial: serial.clone(), error })?;
        let pem = String::from_utf8_lossy(&pem);
        let facts =
            certificate_facts(&pem).map_err(|error| CertificateError::Unreadable { serial: serial.clone(), error })?;
        if facts.serial != serial {
            return Err(CertificateError::SerialMismatch { listed: serial, inside: facts.serial });
        }
        certificates.push(facts);
    }
    // Known keys first; a serial we do not know yet is looked up among the certificates just
    // decrypted (the very first download, or the answer signed by a new certificate).
    let checking = PlatformKeys::new();
    for facts in &certificates {
        checking.insert_certificate(facts.clone());
    }
    let signed_by_known = verify_response(known, headers, raw, now_secs);
    match signed_by_known {
        Ok(()) => {}
        Err(VerifyError::UnknownSerial(_)) => {
            verify_response(&checking, headers, raw, now_secs).map_err(CertificateError::Signature)?
        }
        Err(other) => return Err(CertificateError::Signature(other)),
    }
    certificates.retain(|c| c.not_after >= now_secs);
    Ok(certificates)
}

impl WechatClient {
    /// Certificate mode: WeChat's certificates are downloaded with this client (and
    /// `config.platform_keys`, certificates given as files, may be empty). Call
    /// [`WechatClient::refresh_certificates`] before the first request.
    pub fn with_certificate_download(
        config: WechatClientConfig,
        api_v3_key: [u8; 32],
    ) -> Result<WechatClient, ProviderError> {
        let download =
            Download { api_v3_key: zeroize::Zeroizing::new(api_v3_key), last_unknown_serial_refresh: Mutex::new(None) };
        WechatClient::build(config, Some(Arc::new(download)))
    }

    /// Whether this client downloads WeChat's certificates.
    pub fn downloads_certificates(&self) -> bool {
        self.certificates.is_some()
    }

    /// `GET /v3/certificates`, read and checked ([`read_certificates`]); nothing is kept.
    pub async fn download_certificates(&self) -> Result<Vec<CertificateFacts>, ProviderError> {
        let Some(download) = &self.certificates else {
            return Err(super::client::request_error("not in certificate mode".into()));
        };
        let url = self.url(CERTIFICATES_PATH)?;
        let (status, pairs, raw) = self.send("GET", url, None).await?;
        if !(200..300).contains(&status) {
            return Err(refusal(status, &raw));
        }
        let headers = NotificationHeaders::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())))
            .map_err(|e| unverified(e.to_string()))?;
        let now = crate::Timestamp::now().secs();
        read_certificates(&download.api_v3_key, &headers, &raw, &self.platform_keys(), now).map_err(|e| match e {
            CertificateError::Signature(_) | CertificateError::Undecryptable { .. } => unverified(e.to_string()),
            other => malformed(other.to_string()),
        })
    }

    /// Downloads the certificates and makes them the ones trusted (in this client and every
    /// verifier sharing its keys); the serials now trusted.
    pub async fn refresh_certificates(&self) -> Result<Vec<String>, ProviderError> {
        let certificates = self.download_certificates().await?;
        let serials: Vec<String> = certificates.iter().map(|c| c.serial.clone()).collect();
        self.platform_keys().replace_certificates(certificates);
        tracing::info!(?serials, "WeChat platform certificates refreshed");
        Ok(serials)
    }

    /// A signature named `serial`, which we do not know: in certificate mode, download again
    /// (unless an unknown serial already did in the last [`UNKNOWN_SERIAL_PAUSE_SECS`]).
    /// Whether `serial` is known now.
    pub async fn refresh_for_serial(&self, serial: &str, now_secs: i64) -> bool {
        let Some(download) = &self.certificates else { return false };
        if self.platform_keys().get(serial).is_some() {
            return true;
        }
        {
            let mut last = download.last_unknown_serial_refresh.lock().unwrap_or_else(PoisonError::into_inner);
            if last.is_some_and(|at| now_secs - at < UNKNOWN_SERIAL_PAUSE_SECS) {
                tracing::warn!(serial, "unknown WeChat certificate serial; refreshed too recently to ask again");
                return false;
            }
            *last = Some(now_secs);
        }
        if let Err(error) = self.refresh_certificates().await {
            tracing::warn!(%error, serial, "WeChat certificates could not be refreshed for an unknown serial");
        }
        self.platform_keys().get(serial).is_some()
    }
}

/// Refreshes `client`'s certificates every twelve hours, ten minutes after a failure, for as
/// long as the process runs. Spawned once per instance in certificate mode.
pub async fn keep_certificates_fresh(client: WechatClient) {
    let mut wait = REFRESH_EVERY_SECS;
    loop {
        tokio::time::sleep(Duration::from_secs(wait)).await;
        wait = match client.refresh_certificates().await {
            Ok(_) => REFRESH_EVERY_SECS,
            Err(error) => {
                tracing::error!(%error, "WeChat platform certificates could not be refreshed; trying again soon");
                RETRY_AFTER_SECS
            }
        };
    }
}
