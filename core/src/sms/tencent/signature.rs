//! Tencent Cloud API signature v3 (`TC3-HMAC-SHA256`), as the API's "签名方法 v3" describes it:
//!
//! 1. the canonical request: method, URI (`/`), query (empty for POST), the signed headers as
//!    `key:value\n` (key and value lower-cased and trimmed, sorted by key), the signed header
//!    names joined by `;`, and the hex SHA-256 of the body;
//! 2. the string to sign: `TC3-HMAC-SHA256`, the Unix timestamp, the credential scope
//!    `<UTC date>/<service>/tc3_request` and the hex SHA-256 of the canonical request, one a line;
//! 3. the key: HMAC-SHA256 chained from `"TC3" + SecretKey` over the date, the service and
//!    `tc3_request`; the signature is the hex HMAC of the string to sign under it;
//! 4. the `Authorization` header:
//!    `TC3-HMAC-SHA256 Credential=<SecretId>/<scope>, SignedHeaders=<names>, Signature=<hex>`.
//!
//! Pure functions: the client signs with them, and the stand-in checks with them exactly as the
//! service does (from the headers the request really carried).

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

pub const ALGORITHM: &str = "TC3-HMAC-SHA256";
const TERMINATOR: &str = "tc3_request";

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn hmac(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

/// The UTC date of a Unix timestamp, `2019-02-25`: the date in the credential scope.
pub fn utc_date(timestamp: i64) -> String {
    jiff::Timestamp::from_second(timestamp)
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date().to_string())
        .unwrap_or_default()
}

/// Step 1. `headers` are the signed ones, in any order and case.
pub fn canonical_request(method: &str, uri: &str, query: &str, headers: &[(&str, &str)], payload: &[u8]) -> String {
    let mut lowered: Vec<(String, String)> =
        headers.iter().map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_lowercase())).collect();
    lowered.sort();
    let canonical_headers: String = lowered.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed_headers = lowered.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(";");
    format!("{method}\n{uri}\n{query}\n{canonical_headers}\n{signed_headers}\n{}", sha256_hex(payload))
}

/// Step 2.
pub fn string_to_sign(timestamp: i64, service: &str, canonical_request: &str) -> String {
    let scope = format!("{}/{service}/{TERMINATOR}", utc_date(timestamp));
    format!("{ALGORITHM}\n{timestamp}\n{scope}\n{}", sha256_hex(canonical_request.as_bytes()))
}

/// Step 3: the hex signature of `string_to_sign` under a key derived for this date and service.
pub fn signature(secret_key: &str, date: &str, service: &str, string_to_sign: &str) -> String {
    let secret_date = hmac(format!("TC3{secret_key}").as_bytes(), date.as_bytes());
    let secret_service = hmac(&secret_date, service.as_bytes());
    let secret_signing = hmac(&secret_service, TERMINATOR.as_bytes());
    hex::encode(hmac(&secret_signing, string_to_sign.as_bytes()))
}

/// Steps 1–4 for one request: the `Authorization` header value.
pub struct Signer<'a> {
    pub secret_id: &'a str,
    pub secret_key: &'a str,
    pub service: &'a str,
}

impl Signer<'_> {
    pub fn authorization(&self, timestamp: i64, headers: &[(&str, &str)], payload: &[u8]) -> String {
        let canonical = canonical_request("POST", "/", "", headers, payload);
        let to_sign = string_to_sign(timestamp, self.service, &canonical);
        let date = utc_date(timestamp);
        let mut names: Vec<String> = headers.iter().map(|(k, _)| k.trim().to_ascii_lowercase()).collect();
        names.sort();
        format!(
            "{ALGORITHM} Credential={}/{date}/{}/{TERMINATOR}, SignedHeaders={}, Signature={}",
            self.secret_id,
            self.service,
            names.join(";"),
            signature(self.secret_key, &date, self.service, &to_sign)
        )
    }
}

/// An `Authorization` header taken apart, as the service reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authorization {
    pub secret_id: String,
    pub date: String,
    pub service: String,
    pub signed_headers: Vec<String>,
    pub signature: String,
}

impl Authorization {
    pub fn parse(header: &str) -> Option<Authorization> {
        let rest = header.strip_prefix(ALGORITHM)?.strip_prefix(' ')?;
        let mut credential = None;
        let mut signed = None;
        let mut signature = None;
        for part in rest.split(',') {
            let (key, value) = part.trim().split_once('=')?;
            match key {
                "Credential" => credential = Some(value),
                "SignedHeaders" => signed = Some(value),
                "Signature" => signature = Some(value),
                _ => return None,
            }
        }
        let mut scope = credential?.split('/');
        let (secret_id, date, service, terminator) = (scope.next()?, scope.next()?, scope.next()?, scope.next()?);
        if terminator != TERMINATOR || scope.next().is_some() {
            return None;
        }
        let signature = signature?;
        if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        Some(Authorization {
            secret_id: secret_id.to_string(),
            date: date.to_string(),
            service: service.to_string(),
            signed_headers: signed?.split(';').map(str::to_string).collect(),
            signature: signature.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The example of Tencent Cloud's "签名方法 v3" page (CVM DescribeInstances in Guangzhou, with
    // the documentation's own masked key), whose published intermediate values and signature
    // every SDK reproduces.
    const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******";
    const SECRET_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3*******";
    const TIMESTAMP: i64 = 1_551_113_065;
    const PAYLOAD: &str = r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
    const HEADERS: [(&str, &str); 2] =
        [("Content-Type", "application/json; charset=utf-8"), ("Host", "cvm.tencentcloudapi.com")];

    #[test]
    fn reproduces_the_documented_example_step_by_step() {
        let canonical = canonical_request("POST", "/", "", &HEADERS, PAYLOAD.as_bytes());
        assert_eq!(
            canonical,
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n\
             content-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        let to_sign = string_to_sign(TIMESTAMP, "cvm", &canonical);
        assert_eq!(
            to_sign,
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n\
             5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        assert_eq!(
            signature(SECRET_KEY, "2019-02-25", "cvm", &to_sign),
            "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"
        );
        let signer = Signer { secret_id: SECRET_ID, secret_key: SECRET_KEY, service: "cvm" };
        let header = signer.authorization(TIMESTAMP, &HEADERS, PAYLOAD.as_bytes());
        assert_eq!(
            header,
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, \
             SignedHeaders=content-type;host, \
             Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"
        );
        let parsed = Authorization::parse(&header).unwrap();
        assert_eq!(
            (parsed.secret_id.as_str(), parsed.date.as_str(), parsed.service.as_str()),
            (SECRET_ID, "2019-02-25", "cvm")
        );
        assert_eq!(parsed.signed_headers, ["content-type", "host"]);
    }

    #[test]
    fn header_order_and_case_do_not_change_the_signature_but_every_byte_of_the_body_does() {
        let signer = Signer { secret_id: SECRET_ID, secret_key: SECRET_KEY, service: "cvm" };
        let reordered = [("host", " cvm.tencentcloudapi.com "), ("CONTENT-TYPE", "application/json; charset=utf-8")];
        let a = signer.authorization(TIMESTAMP, &HEADERS, PAYLOAD.as_bytes());
        assert_eq!(a, signer.authorization(TIMESTAMP, &reordered, PAYLOAD.as_bytes()));
        assert_ne!(a, signer.authorization(TIMESTAMP, &HEADERS, PAYLOAD.replace('1', "2").as_bytes()));
        assert_ne!(a, signer.authorization(TIMESTAMP + 1, &HEADERS, PAYLOAD.as_bytes()));
        // A day later the credential scope, and so the derived key, changes.
        assert!(signer.authorization(TIMESTAMP + 86_400, &HEADERS, PAYLOAD.as_bytes()).contains("/2019-02-26/cvm/"));
    }

    #[test]
    fn refuses_malformed_authorization_headers() {
        for bad in [
            "",
            "TC3-HMAC-SHA1 Credential=a/2019-02-25/sms/tc3_request, SignedHeaders=host, Signature=00",
            "TC3-HMAC-SHA256 Credential=a/2019-02-25/sms/other, SignedHeaders=host, Signature=\
             2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c",
            "TC3-HMAC-SHA256 Credential=a/2019-02-25/sms/tc3_request, SignedHeaders=host, Signature=xyz",
            "TC3-HMAC-SHA256 Credential=a/2019-02-25/sms/tc3_request, SignedHeaders=host",
        ] {
            assert_eq!(Authorization::parse(bad), None, "{bad}");
        }
    }
}
