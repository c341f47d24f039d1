//! Checking WeChat's signature on a notification (回调通知) or on a response to our request: the
//! same scheme for both. WeChat signs `timestamp\nnonce\nbody\n` with SHA256withRSA; the body is
//! the raw bytes as received, because any re-serialisation (key order, spacing, escapes) changes
//! them.

use super::platform_keys::{PlatformKeys, Unusable};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;

pub const HEADER_SERIAL: &str = "Wechatpay-Serial";
pub const HEADER_SIGNATURE: &str = "Wechatpay-Signature";
pub const HEADER_TIMESTAMP: &str = "Wechatpay-Timestamp";
pub const HEADER_NONCE: &str = "Wechatpay-Nonce";

/// WeChat deliberately sends a few wrongly signed requests whose signature starts with this, to
/// see whether the merchant really checks signatures. They must be refused like any forgery.
pub const SIGNATURE_PROBE_PREFIX: &str = "WECHATPAY/SIGNTEST/";

/// A signed message older or newer than this is refused, which bounds replays of a captured one.
pub const MAX_CLOCK_SKEW_SECS: i64 = 300;

/// The four `Wechatpay-*` headers, as text exactly as received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotificationHeaders {
    pub serial: String,
    pub signature: String,
    pub timestamp: String,
    pub nonce: String,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("header {0} is missing or empty")]
    MissingHeader(&'static str),
    #[error("header {0} was sent more than once")]
    DuplicateHeader(&'static str),
    #[error("a WeChat signature probe (WECHATPAY/SIGNTEST/), refused as it must be")]
    SignatureProbe,
    #[error("Wechatpay-Timestamp is not a number of seconds")]
    MalformedTimestamp,
    #[error("signed {skew_secs} s away from now, more than {MAX_CLOCK_SKEW_SECS} s")]
    TimestampOutOfWindow { skew_secs: i64 },
    #[error("Wechatpay-Nonce holds characters a nonce cannot")]
    MalformedNonce,
    #[error("no platform key is registered under serial {0:?}")]
    UnknownSerial(String),
    #[error("platform certificate {0:?} is expired or not yet valid")]
    CertificateOutOfValidity(String),
    #[error("Wechatpay-Signature is not base64")]
    MalformedSignature,
    #[error("the signature does not match the message")]
    BadSignature,
}

impl NotificationHeaders {
    /// Picks the four headers out of a request's or response's headers, names matched without
    /// regard to case. A header sent twice is refused: the value verified must be the only one.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, VerifyError> {
        let names = [HEADER_SERIAL, HEADER_SIGNATURE, HEADER_TIMESTAMP, HEADER_NONCE];
        let mut found: [Option<&str>; 4] = [None; 4];
        for (name, value) in pairs {
            if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(name)) {
                if found[i].replace(value).is_some() {
                    return Err(VerifyError::DuplicateHeader(names[i]));
                }
            }
        }
        let take = |i: usize| found[i].map(str::to_string).ok_or(VerifyError::MissingHeader(names[i]));
        Ok(NotificationHeaders { serial: take(0)?, signature: take(1)?, timestamp: take(2)?, nonce: take(3)? })
    }
}

/// The bytes WeChat signs: `timestamp\nnonce\nbody\n`. An empty body (a 204 response) leaves the
/// last line as a lone `\n`.
pub fn notification_message(timestamp: &str, nonce: &str, body: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(timestamp.len() + nonce.len() + body.len() + 3);
    for part in [timestamp.as_bytes(), nonce.as_bytes(), body] {
        message.extend_from_slice(part);
        message.push(b'\n');
    }
    message
}

/// Accepts a notification only if a registered platform key signed exactly these bytes within
/// five minutes of `now_secs` (a certificate only within its validity).
pub fn verify_notification(
    keys: &PlatformKeys,
    headers: &NotificationHeaders,
    raw_body: &[u8],
    now_secs: i64,
) -> Result<(), VerifyError> {
    for (value, name) in [
        (&headers.serial, HEADER_SERIAL),
        (&headers.signature, HEADER_SIGNATURE),
        (&headers.timestamp, HEADER_TIMESTAMP),
        (&headers.nonce, HEADER_NONCE),
    ] {
        if value.is_empty() {
            return Err(VerifyError::MissingHeader(name));
        }
    }
    if headers.signature.starts_with(SIGNATURE_PROBE_PREFIX) {
        return Err(VerifyError::SignatureProbe);
    }
    let timestamp = parse_timestamp(&headers.timestamp)?;
    let skew_secs = timestamp.saturating_sub(now_secs);
    if skew_secs.saturating_abs() > MAX_CLOCK_SKEW_SECS {
        return Err(VerifyError::TimestampOutOfWindow { skew_secs });
    }
    // A line break in the nonce would let one signed message be read as another.
    if !headers.nonce.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(VerifyError::MalformedNonce);
    }
    let key = keys.usable(&headers.serial, now_secs).map_err(|why| match why {
        Unusable::Unknown => VerifyError::UnknownSerial(headers.serial.clone()),
        Unusable::OutOfValidity => VerifyError::CertificateOutOfValidity(headers.serial.clone()),
    })?;
    let signature = BASE64.decode(headers.signature.trim()).map_err(|_| VerifyError::MalformedSignature)?;
    let message = notification_message(&headers.timestamp, &headers.nonce, raw_body);
    if key.verify_sha256(&message, &signature) {
        Ok(())
    } else {
        Err(VerifyError::BadSignature)
    }
}

/// WeChat signs its responses to our requests exactly as it signs notifications. A 2xx response
/// without these headers must be treated as forged by the caller, not passed over.
pub fn verify_response(
    keys: &PlatformKeys,
    headers: &NotificationHeaders,
    raw_body: &[u8],
    now_secs: i64,
) -> Result<(), VerifyError> {
    verify_notification(keys, headers, raw_body, now_secs)
}

/// Digits only: no sign, no spaces, nothing `i64::from_str` would quietly accept.
fn parse_timestamp(text: &str) -> Result<i64, VerifyError> {
    if text.is_empty() || text.len() > 12 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(VerifyError::MalformedTimestamp);
    }
    text.parse().map_err(|_| VerifyError::MalformedTimestamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signed_message_is_three_lines_each_ending_in_a_newline() {
        // The shape of the documented response example (signature verification guide).
        let body = br#"{"code_url":"weixin://wxpay/bizpayurl?pr=JyC91EIz1"}"#;
        let message = notification_message("1722850421", "d824f2e086d3c1df967785d13fcd22ef", body);
        assert_eq!(
            String::from_utf8(message).unwrap(),
            "1722850421\nd824f2e086d3c1df967785d13fcd22ef\n{\"code_url\":\"weixin://wxpay/bizpayurl?pr=JyC91EIz1\"}\n"
        );
        // "若应答报文主体为空(如HTTP状态码为204 No Content),最后一行仅为一个\n换行符"
        assert_eq!(notification_message("1554209980", "c5ac7061", b""), b"1554209980\nc5ac7061\n\n");
    }

    #[test]
    fn headers_are_found_whatever_their_case_and_refused_when_doubled() {
        let pairs = [
            ("wechatpay-serial", "PUB_KEY_ID_1"),
            ("WECHATPAY-SIGNATURE", "c2ln"),
            ("Wechatpay-Timestamp", "1554209980"),
            ("wechatpay-nonce", "n"),
            ("Content-Type", "application/json"),
        ];
        let headers = NotificationHeaders::from_pairs(pairs).unwrap();
        assert_eq!(headers.serial, "PUB_KEY_ID_1");
        assert_eq!(headers.timestamp, "1554209980");
        let doubled = pairs.iter().copied().chain([("Wechatpay-Nonce", "m")]);
        assert_eq!(NotificationHeaders::from_pairs(doubled), Err(VerifyError::DuplicateHeader(HEADER_NONCE)));
        assert_eq!(
            NotificationHeaders::from_pairs(pairs[..3].iter().copied()),
            Err(VerifyError::MissingHeader(HEADER_NONCE))
        );
    }

    #[test]
    fn timestamps_are_plain_digits() {
        assert_eq!(parse_timestamp("1554209980"), Ok(1_554_209_980));
        for bad in ["", "+1554209980", " 1554209980", "1554209980.5", "-5", "１２"] {
            assert_eq!(parse_timestamp(bad), Err(VerifyError::MalformedTimestamp), "{bad:?}");
        }
    }
}
