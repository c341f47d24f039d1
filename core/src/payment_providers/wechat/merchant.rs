//! Signing our requests to WeChat Pay API v3 (the `Authorization` header), and the sandbox's side
//! of it: reading that header back and checking it against the merchant's public key, as WeChat
//! does before it answers.

use super::signature::{VerifyError, MAX_CLOCK_SKEW_SECS};
use crate::payment_providers::keys::{RsaSigningKey, RsaVerifyingKey, SignError};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;

pub const AUTHORIZATION_SCHEME: &str = "WECHATPAY2-SHA256-RSA2048";

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RequestSignError {
    #[error("HTTP method {0:?} is not an upper-case token")]
    InvalidMethod(String),
    #[error("the signed URL must be the path (and query) without scheme and host, got {0:?}")]
    UrlNotAPath(String),
    #[error("{0} holds a quote, comma or control character and cannot go in the header")]
    UnquotableValue(&'static str),
    #[error(transparent)]
    Sign(#[from] SignError),
}

/// The merchant's identity and API key (`apiclient_key.pem`) with its certificate serial.
pub struct MerchantSigner {
    mchid: String,
    serial: String,
    key: RsaSigningKey,
}

impl std::fmt::Debug for MerchantSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MerchantSigner").field("mchid", &self.mchid).field("serial", &self.serial).finish()
    }
}

/// The five lines WeChat expects us to sign: method, path with query, timestamp, nonce, body, each
/// followed by `\n` (an empty body still gets its line).
pub fn request_message(method: &str, url_path_with_query: &str, timestamp: i64, nonce: &str, body: &str) -> String {
    format!("{method}\n{url_path_with_query}\n{timestamp}\n{nonce}\n{body}\n")
}

impl MerchantSigner {
    pub fn new(mchid: impl Into<String>, serial: impl Into<String>, key: RsaSigningKey) -> MerchantSigner {
        MerchantSigner { mchid: mchid.into(), serial: serial.into(), key }
    }

    /// SHA256withRSA over `message` with the merchant key, base64 (the JSAPI `paySign`).
    pub fn sign(&self, message: &[u8]) -> Result<String, SignError> {
        self.key.sign_sha256_base64(message)
    }

    /// `WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",signature="…",timestamp="…",serial_no="…"`
    /// for a request whose body is exactly `body` (empty for GET). `url_path_with_query` is what
    /// follows the host, e.g. `/v3/pay/transactions/out-trade-no/P1?mchid=1900009191`.
    pub fn authorization_header(
        &self,
        method: &str,
        url_path_with_query: &str,
        timestamp: i64,
        nonce: &str,
        body: &str,
    ) -> Result<String, RequestSignError> {
        if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(RequestSignError::InvalidMethod(method.to_string()));
        }
        if !url_path_with_query.starts_with('/') || url_path_with_query.contains(char::is_whitespace) {
            return Err(RequestSignError::UrlNotAPath(url_path_with_query.to_string()));
        }
        for (value, name) in [(&*self.mchid, "mchid"), (&*self.serial, "serial_no"), (nonce, "nonce_str")] {
            if value.is_empty() || !value.bytes().all(|b| b.is_ascii_graphic() && b != b'"' && b != b',') {
                return Err(RequestSignError::UnquotableValue(name));
            }
        }
        let message = request_message(method, url_path_with_query, timestamp, nonce, body);
        let signature = self.key.sign_sha256_base64(message.as_bytes())?;
        Ok(format!(
            "{AUTHORIZATION_SCHEME} mchid=\"{}\",nonce_str=\"{nonce}\",signature=\"{signature}\",timestamp=\"{timestamp}\",serial_no=\"{}\"",
            self.mchid, self.serial
        ))
    }
}

/// The fields of an `Authorization` header, in whatever order they came ("无顺序要求").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorizationFields {
    pub mchid: String,
    pub nonce_str: String,
    pub signature: String,
    pub timestamp: String,
    pub serial_no: String,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AuthorizationError {
    #[error("not a {AUTHORIZATION_SCHEME} header")]
    WrongScheme,
    #[error("field {0:?} is malformed, repeated or unknown")]
    BadField(String),
    #[error("field {0} is missing")]
    MissingField(&'static str),
    #[error(transparent)]
    Verify(#[from] VerifyError),
}

pub fn parse_authorization(header: &str) -> Result<AuthorizationFields, AuthorizationError> {
    let rest = header
        .strip_prefix(AUTHORIZATION_SCHEME)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or(AuthorizationError::WrongScheme)?;
    const NAMES: [&str; 5] = ["mchid", "nonce_str", "signature", "timestamp", "serial_no"];
    let mut values: [Option<String>; 5] = Default::default();
    for part in rest.split(',') {
        let (name, quoted) =
            part.trim().split_once('=').ok_or_else(|| AuthorizationError::BadField(part.to_string()))?;
        let value = quoted
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .filter(|v| !v.contains('"'))
            .ok_or_else(|| AuthorizationError::BadField(name.to_string()))?;
        let i = NAMES.iter().position(|n| *n == name).ok_or_else(|| AuthorizationError::BadField(name.to_string()))?;
        if values[i].replace(value.to_string()).is_some() {
            return Err(AuthorizationError::BadField(name.to_string()));
        }
    }
    let [mchid, nonce_str, signature, timestamp, serial_no] = values;
    let need = |value: Option<String>, i: usize| value.ok_or(AuthorizationError::MissingField(NAMES[i]));
    Ok(AuthorizationFields {
        mchid: need(mchid, 0)?,
        nonce_str: need(nonce_str, 1)?,
        signature: need(signature, 2)?,
        timestamp: need(timestamp, 3)?,
        serial_no: need(serial_no, 4)?,
    })
}

/// What the sandbox does with an incoming API request: the header must be well formed, recent,
/// and signed by the merchant key over this method, path and body. Choosing the key by
/// `mchid`/`serial_no` is the caller's business; they are returned for that.
pub fn verify_request(
    merchant_key: &RsaVerifyingKey,
    header: &str,
    method: &str,
    url_path_with_query: &str,
    body: &str,
    now_secs: i64,
) -> Result<AuthorizationFields, AuthorizationError> {
    let fields = parse_authorization(header)?;
    let timestamp: i64 = match fields.timestamp.bytes().all(|b| b.is_ascii_digit()) {
        true => fields.timestamp.parse().map_err(|_| VerifyError::MalformedTimestamp)?,
        false => return Err(VerifyError::MalformedTimestamp.into()),
    };
    let skew_secs = timestamp.saturating_sub(now_secs);
    if skew_secs.saturating_abs() > MAX_CLOCK_SKEW_SECS {
        return Err(VerifyError::TimestampOutOfWindow { skew_secs }.into());
    }
    let signature = BASE64.decode(&fields.signature).map_err(|_| VerifyError::MalformedSignature)?;
    let message = request_message(method, url_path_with_query, timestamp, &fields.nonce_str, body);
    if !merchant_key.verify_sha256(message.as_bytes(), &signature) {
        return Err(VerifyError::BadSignature.into());
    }
    Ok(fields)
}
