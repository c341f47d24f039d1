//! Platform certificates for the WeChat stand-in: real X.509 certificates (DER, SHA256withRSA,
//! issued in Tenpay's name as WeChat's are) made at start, and the `GET /v3/certificates` answer
//! with each one encrypted under the merchant's API v3 key exactly as WeChat sends it.
//!
//! The stand-in's certificates are signed by their own key: Plaza never checks a chain (what
//! vouches for a certificate is the API v3 key it comes encrypted under, see
//! [`super::certificates`]), so a certificate authority would prove nothing more.

use super::encrypted::{encrypt_resource, ALGORITHM};
use super::platform::{beijing_time, PlatformSigner};
use crate::payment_providers::keys::{KeyError, RsaSigningKey};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use rand::distributions::{Alphanumeric, DistString};
use rand::RngCore;
use serde_json::{json, Value};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use x509_cert::certificate::{Certificate, TbsCertificate, Version};
use x509_cert::der::asn1::{BitString, UtcTime};
use x509_cert::der::{Any, Decode, Encode};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::time::{Time, Validity};

const ISSUER: &str = "CN=Tenpay.com Root CA,OU=Tenpay.com CA Center,O=Tenpay.com,L=Shenzhen,ST=Guangdong,C=CN";
const SUBJECT: &str = "CN=Tenpay.com sign,OU=Tenpay.com CA Center,O=Tenpay.com,L=Shenzhen,ST=Guangdong,C=CN";

/// A platform certificate the stand-in issued, and the key that signs with it.
#[derive(Clone)]
pub struct IssuedCertificate {
    pub serial: String,
    pub pem: String,
    pub not_before: i64,
    pub not_after: i64,
    /// Signs under `serial`.
    pub signer: Arc<PlatformSigner>,
}

impl std::fmt::Debug for IssuedCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedCertificate").field("serial", &self.serial).finish_non_exhaustive()
    }
}

/// A certificate for `key`, valid from `not_before` to `not_after` (Unix seconds, up to 2049),
/// under a fresh 20-byte serial like WeChat's (`5157F09E…`, 40 hex digits).
pub fn issue(key: RsaSigningKey, not_before: i64, not_after: i64) -> Result<IssuedCertificate, KeyError> {
    let mut serial_bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut serial_bytes);
    // A first byte of 0x10..=0x7F: no sign padding and no leading zero, so the serial WeChat
    // prints is all 40 digits.
    serial_bytes[0] = 0x10 + serial_bytes[0] % 0x70;
    let serial = hex::encode_upper(serial_bytes);
    let invalid = |e: x509_cert::der::Error| KeyError::Invalid(e.to_string());
    let spki_pem = key.verifying_key().to_spki_pem();
    let (_, spki_der) = pem_rfc7468::decode_vec(spki_pem.as_bytes()).map_err(|e| KeyError::Encoding(e.to_string()))?;
    let algorithm = AlgorithmIdentifierOwned {
        oid: x509_cert::der::oid::db::rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
        parameters: Some(Any::null()),
    };
    let time = |secs: i64| -> Result<Time, KeyError> {
        let duration = Duration::from_secs(u64::try_from(secs).unwrap_or(0));
        Ok(Time::UtcTime(UtcTime::from_unix_duration(duration).map_err(invalid)?))
    };
    let tbs = TbsCertificate {
        version: Version::V3,
        serial_number: SerialNumber::new(&serial_bytes).map_err(invalid)?,
        signature: algorithm.clone(),
        issuer: Name::from_str(ISSUER).map_err(invalid)?,
        validity: Validity { not_before: time(not_before)?, not_after: time(not_after)? },
        subject: Name::from_str(SUBJECT).map_err(invalid)?,
        subject_public_key_info: SubjectPublicKeyInfoOwned::from_der(&spki_der).map_err(invalid)?,
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: None,
    };
    let signature =
        key.sign_sha256_base64(&tbs.to_der().map_err(invalid)?).map_err(|e| KeyError::Invalid(e.to_string()))?;
    let signature = BASE64.decode(signature).map_err(|e| KeyError::Invalid(e.to_string()))?;
    let certificate = Certificate {
        tbs_certificate: tbs,
        signature_algorithm: algorithm,
        signature: BitString::from_bytes(&signature).map_err(invalid)?,
    };
    let der = certificate.to_der().map_err(invalid)?;
    let pem = pem_rfc7468::encode_string("CERTIFICATE", pem_rfc7468::LineEnding::LF, &der)
        .map_err(|e| KeyError::Encoding(e.to_string()))?;
    Ok(IssuedCertificate {
        serial: serial.clone(),
        pem,
        not_before,
        not_after,
        signer: Arc::new(PlatformSigner::new(serial, key)),
    })
}

/// The body of `GET /v3/certificates` listing `certificates`, each encrypted under `api_v3_key`
/// with a fresh nonce and the associated data `certificate`.
pub fn certificates_answer(api_v3_key: &[u8; 32], certificates: &[IssuedCertificate]) -> Value {
    let data: Vec<Value> = certificates
        .iter()
        .map(|c| {
            let nonce = Alphanumeric.sample_string(&mut rand::rngs::OsRng, 12);
            let ciphertext = encrypt_resource(api_v3_key, c.pem.as_bytes(), &nonce, "certificate")
                .expect("a 12-character nonce encrypts");
            json!({
                "serial_no": c.serial,
                "effective_time": beijing_time(c.not_before),
                "expire_time": beijing_time(c.not_after),
                "encrypt_certificate": {
                    "algorithm": ALGORITHM, "nonce": nonce, "associated_data": "certificate", "ciphertext": ciphertext,
                },
            })
        })
        .collect();
    json!({ "data": data })
}
