//! RSA keys as the providers hand them out, and the two operations both providers use:
//! SHA256withRSA (PKCS#1 v1.5) signing and verification.
//!
//! Private-key operations run in `ring`, whose RSA is constant-time; the `rsa` crate is used only
//! to generate keys and to read the many encodings the providers' consoles produce (PKCS#8,
//! PKCS#1, bare base64 DER, X.509 certificates), never to sign.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use ring::signature::{RsaKeyPair, UnparsedPublicKey, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256};
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey, EncodeRsaPublicKey};
use rsa::pkcs8::{DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use x509_cert::der::{Decode, Encode};
use zeroize::Zeroizing;

/// Both providers require 2048-bit keys; anything smaller is refused when it is loaded rather than
/// failing on the first notification.
const MIN_BITS: usize = 2048;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("not a PEM document or base64 DER: {0}")]
    Encoding(String),
    #[error("PEM label {0:?} is not a key this adapter reads")]
    UnexpectedLabel(String),
    #[error("the key could not be parsed: {0}")]
    Invalid(String),
    #[error("RSA keys must be at least {MIN_BITS} bits; this one has {0}")]
    TooShort(usize),
    #[error("key generation failed: {0}")]
    Generation(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("RSA signing failed")]
pub struct SignError;

/// A merchant's (or the sandbox platform's) private key, ready to sign.
pub struct RsaSigningKey {
    pair: RsaKeyPair,
    pkcs8: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for RsaSigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RsaSigningKey({} bits, ..)", self.pair.public().modulus_len() * 8)
    }
}

impl RsaSigningKey {
    /// `-----BEGIN PRIVATE KEY-----` (PKCS#8, WeChat's `apiclient_key.pem`) or
    /// `-----BEGIN RSA PRIVATE KEY-----` (PKCS#1).
    pub fn from_pem(pem: &str) -> Result<RsaSigningKey, KeyError> {
        let (label, der) = decode_pem(pem)?;
        let der = Zeroizing::new(der);
        match label.as_str() {
            "PRIVATE KEY" => RsaSigningKey::from_pkcs8_der(&der),
            "RSA PRIVATE KEY" => RsaSigningKey::from_pkcs1_der(&der),
            _ => Err(KeyError::UnexpectedLabel(label)),
        }
    }

    /// The bare base64 Alipay's key tool prints: PKCS#8 ("Java") or PKCS#1 ("non-Java").
    pub fn from_base64_der(text: &str) -> Result<RsaSigningKey, KeyError> {
        let der = Zeroizing::new(decode_base64(text)?);
        RsaSigningKey::from_pkcs8_der(&der).or_else(|_| RsaSigningKey::from_pkcs1_der(&der))
    }

    /// A fresh 2048-bit key, for the sandbox and for tests.
    pub fn generate() -> Result<RsaSigningKey, KeyError> {
        let key =
            RsaPrivateKey::new(&mut rand::rngs::OsRng, MIN_BITS).map_err(|e| KeyError::Generation(e.to_string()))?;
        let der = key.to_pkcs8_der().map_err(|e| KeyError::Generation(e.to_string()))?;
        RsaSigningKey::from_pkcs8_der(der.as_bytes())
    }

    fn from_pkcs8_der(der: &[u8]) -> Result<RsaSigningKey, KeyError> {
        let pair = RsaKeyPair::from_pkcs8(der).map_err(|e| KeyError::Invalid(e.to_string()))?;
        let bits = pair.public().modulus_len() * 8;
        if bits < MIN_BITS {
            return Err(KeyError::TooShort(bits));
        }
        Ok(RsaSigningKey { pair, pkcs8: Zeroizing::new(der.to_vec()) })
    }

    /// ring reads PKCS#1 too, but keeping every key as PKCS#8 gives one export format.
    fn from_pkcs1_der(der: &[u8]) -> Result<RsaSigningKey, KeyError> {
        let key = RsaPrivateKey::from_pkcs1_der(der).map_err(|e| KeyError::Invalid(e.to_string()))?;
        let pkcs8 = key.to_pkcs8_der().map_err(|e| KeyError::Invalid(e.to_string()))?;
        RsaSigningKey::from_pkcs8_der(pkcs8.as_bytes())
    }

    /// PKCS#8 PEM, so a generated sandbox key can be kept across restarts.
    pub fn to_pkcs8_pem(&self) -> Zeroizing<String> {
        let pem = pem_rfc7468::encode_string("PRIVATE KEY", pem_rfc7468::LineEnding::LF, &self.pkcs8)
            .expect("PEM encoding of DER bytes cannot fail");
        Zeroizing::new(pem)
    }

    pub fn verifying_key(&self) -> RsaVerifyingKey {
        RsaVerifyingKey::from_pkcs1_der(self.pair.public().as_ref())
            .expect("ring's own public key is well-formed and long enough")
    }

    /// SHA256withRSA (PKCS#1 v1.5) over `message`, base64-encoded as both providers send it.
    pub fn sign_sha256_base64(&self, message: &[u8]) -> Result<String, SignError> {
        let mut signature = vec![0; self.pair.public().modulus_len()];
        self.pair
            .sign(&RSA_PKCS1_SHA256, &ring::rand::SystemRandom::new(), message, &mut signature)
            .map_err(|_| SignError)?;
        Ok(BASE64.encode(signature))
    }
}

/// A provider's public key (WeChat platform key or Alipay's key), or a merchant's for the sandbox.
#[derive(Clone, PartialEq, Eq)]
pub struct RsaVerifyingKey {
    /// `RSAPublicKey` DER, the form ring verifies with.
    pkcs1: Vec<u8>,
}

impl std::fmt::Debug for RsaVerifyingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RsaVerifyingKey({} bytes DER)", self.pkcs1.len())
    }
}

impl RsaVerifyingKey {
    /// `PUBLIC KEY` (SPKI, WeChat's `pub_key.pem`), `RSA PUBLIC KEY` (PKCS#1) or `CERTIFICATE`
    /// (X.509, a WeChat platform certificate; only its key is taken, see [`certificate_serial`]).
    pub fn from_pem(pem: &str) -> Result<RsaVerifyingKey, KeyError> {
        let (label, der) = decode_pem(pem)?;
        match label.as_str() {
            "PUBLIC KEY" => RsaVerifyingKey::from_spki_der(&der),
            "RSA PUBLIC KEY" => RsaVerifyingKey::from_pkcs1_der(&der),
            "CERTIFICATE" => RsaVerifyingKey::from_certificate_der(&der),
            _ => Err(KeyError::UnexpectedLabel(label)),
        }
    }

    /// The bare base64 SPKI that Alipay's console shows as "支付宝公钥".
    pub fn from_base64_der(text: &str) -> Result<RsaVerifyingKey, KeyError> {
        let der = decode_base64(text)?;
        RsaVerifyingKey::from_spki_der(&der).or_else(|_| RsaVerifyingKey::from_pkcs1_der(&der))
    }

    fn from_spki_der(der: &[u8]) -> Result<RsaVerifyingKey, KeyError> {
        RsaVerifyingKey::checked(RsaPublicKey::from_public_key_der(der).map_err(|e| KeyError::Invalid(e.to_string()))?)
    }

    fn from_pkcs1_der(der: &[u8]) -> Result<RsaVerifyingKey, KeyError> {
        RsaVerifyingKey::checked(RsaPublicKey::from_pkcs1_der(der).map_err(|e| KeyError::Invalid(e.to_string()))?)
    }

    fn from_certificate_der(der: &[u8]) -> Result<RsaVerifyingKey, KeyError> {
        let cert = x509_cert::Certificate::from_der(der).map_err(|e| KeyError::Invalid(e.to_string()))?;
        let spki =
            cert.tbs_certificate.subject_public_key_info.to_der().map_err(|e| KeyError::Invalid(e.to_string()))?;
        RsaVerifyingKey::from_spki_der(&spki)
    }

    fn checked(key: RsaPublicKey) -> Result<RsaVerifyingKey, KeyError> {
        let bits = key.n().bits();
        if bits < MIN_BITS {
            return Err(KeyError::TooShort(bits));
        }
        let pkcs1 = key.to_pkcs1_der().map_err(|e| KeyError::Invalid(e.to_string()))?;
        Ok(RsaVerifyingKey { pkcs1: pkcs1.as_bytes().to_vec() })
    }

    /// SPKI PEM: what WeChat's public-key mode and Alipay's console exchange.
    pub fn to_spki_pem(&self) -> String {
        let key = RsaPublicKey::from_pkcs1_der(&self.pkcs1).expect("a key that parsed once parses again");
        key.to_public_key_pem(LineEnding::LF).expect("a parsed key encodes")
    }

    /// Whether `signature` is a valid SHA256withRSA (PKCS#1 v1.5) signature of `message`.
    pub fn verify_sha256(&self, message: &[u8], signature: &[u8]) -> bool {
        UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &self.pkcs1).verify(message, signature).is_ok()
    }
}

/// The serial WeChat puts in `Wechatpay-Serial` for a platform certificate: the certificate's
/// serial number in upper-case hex, without DER's sign-padding zero byte (as `openssl x509
/// -serial` prints it).
pub fn certificate_serial(pem: &str) -> Result<String, KeyError> {
    Ok(certificate_facts(pem)?.serial)
}

/// What a platform certificate says about itself: its serial (as [`certificate_serial`]), when it
/// may be used (Unix seconds, both ends included) and its key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateFacts {
    pub serial: String,
    pub not_before: i64,
    pub not_after: i64,
    pub key: RsaVerifyingKey,
}

/// Reads an X.509 certificate in PEM (any line width, like every key here).
pub fn certificate_facts(pem: &str) -> Result<CertificateFacts, KeyError> {
    let (label, der) = decode_pem(pem)?;
    if label != "CERTIFICATE" {
        return Err(KeyError::UnexpectedLabel(label));
    }
    let cert = x509_cert::Certificate::from_der(&der).map_err(|e| KeyError::Invalid(e.to_string()))?;
    let bytes = cert.tbs_certificate.serial_number.as_bytes();
    let first_significant = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len().saturating_sub(1));
    let validity = &cert.tbs_certificate.validity;
    let secs = |t: x509_cert::time::Time| i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
    Ok(CertificateFacts {
        serial: hex::encode_upper(&bytes[first_significant..]),
        not_before: secs(validity.not_before),
        not_after: secs(validity.not_after),
        key: RsaVerifyingKey::from_certificate_der(&der)?,
    })
}

/// A PEM document as people paste it: the base64 on one line, wrapped at 64 or 76 characters, with
/// Windows line ends or stray spaces (RFC 7468's strict form wants 64; Alipay's console and many
/// tools print one line). The label must match between BEGIN and END.
fn decode_pem(pem: &str) -> Result<(String, Vec<u8>), KeyError> {
    let text = pem.trim();
    let rest = text.strip_prefix("-----BEGIN ").ok_or_else(|| KeyError::Encoding("no -----BEGIN line".into()))?;
    let (label, rest) = rest.split_once("-----").ok_or_else(|| KeyError::Encoding("unterminated BEGIN line".into()))?;
    let end = format!("-----END {label}-----");
    let body =
        rest.trim_end().strip_suffix(end.as_str()).ok_or_else(|| KeyError::Encoding(format!("no {end} line")))?;
    if label.is_empty() || !label.bytes().all(|b| b.is_ascii_uppercase() || b == b' ' || b.is_ascii_digit()) {
        return Err(KeyError::Encoding(format!("label {label:?}")));
    }
    Ok((label.to_string(), decode_base64(body)?))
}

fn decode_base64(text: &str) -> Result<Vec<u8>, KeyError> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    BASE64.decode(compact).map_err(|e| KeyError::Encoding(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payment_providers::test_keys::{key_a, key_b};

    #[test]
    fn signs_and_verifies_and_refuses_another_key() {
        let signature = BASE64.decode(key_a().sign_sha256_base64(b"message").unwrap()).unwrap();
        assert_eq!(signature.len(), 256);
        assert!(key_a().verifying_key().verify_sha256(b"message", &signature));
        assert!(!key_a().verifying_key().verify_sha256(b"messagf", &signature));
        assert!(!key_b().verifying_key().verify_sha256(b"message", &signature));
    }

    #[test]
    fn keys_survive_their_text_forms() {
        let private = RsaSigningKey::from_pem(&key_a().to_pkcs8_pem()).unwrap();
        assert_eq!(private.verifying_key(), key_a().verifying_key());
        let spki_pem = key_a().verifying_key().to_spki_pem();
        assert!(spki_pem.starts_with("-----BEGIN PUBLIC KEY-----"));
        assert_eq!(RsaVerifyingKey::from_pem(&spki_pem).unwrap(), key_a().verifying_key());
        // Alipay's console shows the same SPKI as one base64 line without the PEM armour.
        let bare: String = spki_pem.lines().filter(|l| !l.starts_with("-----")).collect();
        assert_eq!(RsaVerifyingKey::from_base64_der(&bare).unwrap(), key_a().verifying_key());
    }

    #[test]
    fn reads_pkcs1_private_keys_as_alipays_tool_writes_them() {
        use rsa::pkcs1::EncodeRsaPrivateKey;
        use rsa::pkcs8::DecodePrivateKey;
        let pem = key_a().to_pkcs8_pem();
        let key = RsaPrivateKey::from_pkcs8_pem(&pem).unwrap();
        let pkcs1_pem = key.to_pkcs1_pem(LineEnding::LF).unwrap();
        assert_eq!(RsaSigningKey::from_pem(&pkcs1_pem).unwrap().verifying_key(), key_a().verifying_key());
        let bare: String = pkcs1_pem.lines().filter(|l| !l.starts_with("-----")).collect();
        assert_eq!(RsaSigningKey::from_base64_der(&bare).unwrap().verifying_key(), key_a().verifying_key());
    }

    #[test]
    fn refuses_short_keys_and_foreign_documents() {
        let short = RsaPrivateKey::new(&mut rand::rngs::OsRng, 1024).unwrap();
        let short_pem = short.to_public_key().to_public_key_pem(LineEnding::LF).unwrap();
        assert_eq!(RsaVerifyingKey::from_pem(&short_pem), Err(KeyError::TooShort(1024)));
        let short_private = short.to_pkcs8_pem(LineEnding::LF).unwrap();
        assert!(RsaSigningKey::from_pem(&short_private).is_err());
        let other = "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n";
        assert!(matches!(RsaSigningKey::from_pem(other), Err(KeyError::UnexpectedLabel(_))));
        assert!(matches!(RsaVerifyingKey::from_pem("not pem"), Err(KeyError::Encoding(_))));
    }

    /// The base64 of `pem` re-wrapped at `width` characters (0: one line), with `newline`.
    fn rewrap(pem: &str, width: usize, newline: &str) -> String {
        let mut lines = pem.lines();
        let begin = lines.next().unwrap();
        let body: String = lines.clone().filter(|l| !l.starts_with("-----")).collect();
        let end = lines.last().unwrap();
        let chunks: Vec<String> = match width {
            0 => vec![body],
            w => body.as_bytes().chunks(w).map(|c| String::from_utf8(c.to_vec()).unwrap()).collect(),
        };
        format!("{begin}{newline}{}{newline}{end}{newline}", chunks.join(newline))
    }

    #[test]
    fn keys_are_read_whatever_their_line_width() {
        use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
        use rsa::pkcs8::DecodePrivateKey;
        let pkcs8 = key_a().to_pkcs8_pem().to_string();
        let rsa_key = RsaPrivateKey::from_pkcs8_pem(&pkcs8).unwrap();
        let pkcs1 = rsa_key.to_pkcs1_pem(LineEnding::LF).unwrap().to_string();
        let spki = key_a().verifying_key().to_spki_pem();
        let pkcs1_public = rsa_key.to_public_key().to_pkcs1_pem(LineEnding::LF).unwrap();
        let cert = include_str!("wechat/testdata/platform_cert.pem");
        let cert_key = RsaVerifyingKey::from_pem(include_str!("wechat/testdata/platform_cert_public_key.pem")).unwrap();
        for (width, newline) in [(0, "\n"), (76, "\n"), (64, "\r\n"), (76, "\r\n"), (0, "\r\n")] {
            let shape = format!("width {width} {newline:?}");
            for private in [&pkcs8, &pkcs1] {
                let read = RsaSigningKey::from_pem(&rewrap(private, width, newline)).expect(&shape);
                assert_eq!(read.verifying_key(), key_a().verifying_key(), "{shape}");
            }
            for public in [&spki, &pkcs1_public] {
                assert_eq!(
                    RsaVerifyingKey::from_pem(&rewrap(public, width, newline)).expect(&shape),
                    key_a().verifying_key()
                );
            }
            assert_eq!(RsaVerifyingKey::from_pem(&rewrap(cert, width, newline)).expect(&shape), cert_key);
            assert_eq!(
                certificate_serial(&rewrap(cert, width, newline)).unwrap(),
                "8157F09EFDC096DE15EBE81A47057A7232F1B8E1"
            );
        }
        // A label that does not match its END line, or no END at all, is still refused.
        let wrong_end = spki.replace("-----END PUBLIC KEY-----", "-----END PRIVATE KEY-----");
        assert!(matches!(RsaVerifyingKey::from_pem(&wrong_end), Err(KeyError::Encoding(_))));
        let cut = spki.lines().take(3).collect::<Vec<_>>().join("\n");
        assert!(matches!(RsaVerifyingKey::from_pem(&cut), Err(KeyError::Encoding(_))));
    }

    #[test]
    fn private_keys_stay_out_of_debug_output() {
        let shown = format!("{:?}", key_a());
        assert_eq!(shown, "RsaSigningKey(2048 bits, ..)");
    }
}
