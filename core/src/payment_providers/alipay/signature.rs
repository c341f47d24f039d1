//! Alipay's RSA2 signatures (SHA256withRSA, PKCS#1 v1.5, base64) over a canonical string: the
//! parameters with a non-empty value, sorted by name in ASCII order, joined as `k=v&k=v` with the
//! raw (URL-decoded) values.
//!
//! Which parameters are left out differs by direction, and mixing them up fails every signature:
//! a request to the open API leaves out only `sign` (`sign_type` is signed); an asynchronous
//! notification leaves out `sign` and `sign_type`.

use crate::payment_providers::keys::{RsaSigningKey, RsaVerifyingKey, SignError};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;

pub const SIGN: &str = "sign";
pub const SIGN_TYPE: &str = "sign_type";
pub const RSA2: &str = "RSA2";

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("parameter {0:?} appears more than once")]
    DuplicateParameter(String),
    #[error("the notification carries no sign")]
    MissingSignature,
    #[error("sign_type {0:?} is not RSA2")]
    UnsupportedSignType(String),
    #[error("charset {0:?}: only UTF-8 notifications are read")]
    UnsupportedCharset(String),
    #[error("sign is not base64")]
    MalformedSignature,
    #[error("the signature does not match the parameters")]
    BadSignature,
}

/// The string an asynchronous notification's `sign` covers: everything but `sign` and
/// `sign_type`, empty values left out.
pub fn canonical_string(params: &[(String, String)]) -> String {
    canonical(params, &[SIGN, SIGN_TYPE])
}

/// The string a request's `sign` covers: everything but `sign` (so `sign_type` is included),
/// empty values left out.
pub fn request_canonical_string(params: &[(String, String)]) -> String {
    canonical(params, &[SIGN])
}

fn canonical(params: &[(String, String)], excluded: &[&str]) -> String {
    let mut kept: Vec<&(String, String)> =
        params.iter().filter(|(k, v)| !v.is_empty() && !excluded.contains(&k.as_str())).collect();
    // Byte order of the names is ASCII order; values only break ties between repeated names.
    kept.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()).then_with(|| a.1.cmp(&b.1)));
    let pairs: Vec<String> = kept.iter().map(|(k, v)| format!("{k}={v}")).collect();
    pairs.join("&")
}

/// SHA256withRSA over `canonical`, base64: the value of `sign`.
pub fn sign_rsa2(private_key: &RsaSigningKey, canonical: &str) -> Result<String, SignError> {
    private_key.sign_sha256_base64(canonical.as_bytes())
}

/// Signs a request to the open API gateway: sets `sign_type=RSA2` (it is part of what is signed)
/// and appends `sign`. The caller form-encodes the result.
pub fn sign_request(
    private_key: &RsaSigningKey,
    params: Vec<(String, String)>,
) -> Result<Vec<(String, String)>, SignError> {
    let mut params = with_sign_type(params);
    let sign = sign_rsa2(private_key, &request_canonical_string(&params))?;
    params.push((SIGN.into(), sign));
    Ok(params)
}

/// Signs a notification as Alipay does (for the sandbox): `sign_type=RSA2` and `sign` appended,
/// neither of them covered.
pub fn sign_notification(
    alipay_private_key: &RsaSigningKey,
    params: Vec<(String, String)>,
) -> Result<Vec<(String, String)>, SignError> {
    let mut params = with_sign_type(params);
    let sign = sign_rsa2(alipay_private_key, &canonical_string(&params))?;
    params.push((SIGN.into(), sign));
    Ok(params)
}

fn with_sign_type(mut params: Vec<(String, String)>) -> Vec<(String, String)> {
    params.retain(|(k, _)| k != SIGN && k != SIGN_TYPE);
    params.push((SIGN_TYPE.into(), RSA2.into()));
    params
}

/// Accepts the decoded form parameters of a notification only if Alipay's key signed them.
///
/// A parameter sent twice is refused outright: the value the signature covered and the value the
/// handler reads could otherwise differ.
pub fn verify_notification(
    alipay_public_key: &RsaVerifyingKey,
    form_params: &[(String, String)],
) -> Result<(), VerifyError> {
    let mut names: Vec<&str> = form_params.iter().map(|(k, _)| k.as_str()).collect();
    names.sort_unstable();
    if let Some(pair) = names.windows(2).find(|w| w[0] == w[1]) {
        return Err(VerifyError::DuplicateParameter(pair[0].to_string()));
    }
    let value = |name: &str| form_params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let sign = value(SIGN).filter(|s| !s.is_empty()).ok_or(VerifyError::MissingSignature)?;
    if let Some(sign_type) = value(SIGN_TYPE) {
        if sign_type != RSA2 {
            return Err(VerifyError::UnsupportedSignType(sign_type.to_string()));
        }
    }
    if let Some(charset) = value("charset") {
        if !charset.eq_ignore_ascii_case("utf-8") {
            return Err(VerifyError::UnsupportedCharset(charset.to_string()));
        }
    }
    let signature = BASE64.decode(sign.trim()).map_err(|_| VerifyError::MalformedSignature)?;
    if alipay_public_key.verify_sha256(canonical_string(form_params).as_bytes(), &signature) {
        Ok(())
    } else {
        Err(VerifyError::BadSignature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    /// The documented notification (异步通知验签 example), as received, in its sending order.
    pub(crate) fn documented_notification() -> Vec<(String, String)> {
        pairs(&[
            ("total_amount", "2.00"),
            ("buyer_id", "2088102116773037"),
            ("body", "大乐透2.1"),
            ("trade_no", "2016071921001003030200089909"),
            ("refund_fee", "0.00"),
            ("notify_time", "2016-07-19 14:10:49"),
            ("subject", "大乐透2.1"),
            ("sign_type", "RSA2"),
            ("charset", "utf-8"),
            ("notify_type", "trade_status_sync"),
            ("out_trade_no", "0719141034-6418"),
            ("gmt_close", "2016-07-19 14:10:46"),
            ("gmt_payment", "2016-07-19 14:10:47"),
            ("trade_status", "TRADE_SUCCESS"),
            ("version", "1.0"),
            ("sign", "kPbQIjX+xQc8F0/A6/AocELIjhhZnGbcBN6G4MM/HmfWL4ZiHM6fWl5NQhzXJusaklZ1LFuMo+lHQUELAYeugH8LYFvxnNajOvZhuxNFbN2LhF0l/KL8ANtj8oyPM4NN7Qft2kWJTDJUpQOzCzNnV9hDxh5AaT9FPqRS6ZKxnzM="),
            ("gmt_create", "2016-07-19 14:10:44"),
            ("app_id", "2015102700040153"),
            ("seller_id", "2088102119685838"),
            ("notify_id", "4a91b7a78a503640467525113fb7d8bg8e"),
        ])
    }

    /// The published string leaves out `gmt_create` although the example notification carries it;
    /// the rule it illustrates (every parameter but `sign` and `sign_type`) and Alipay's SDKs
    /// include it, so this expectation does too.
    #[test]
    fn the_notification_string_matches_the_documented_one() {
        let mut params = documented_notification();
        params.push(("passback_params".into(), String::new())); // empty values are not signed
        assert_eq!(
            canonical_string(&params),
            "app_id=2015102700040153&body=大乐透2.1&buyer_id=2088102116773037&charset=utf-8\
             &gmt_close=2016-07-19 14:10:46&gmt_create=2016-07-19 14:10:44&gmt_payment=2016-07-19 14:10:47\
             &notify_id=4a91b7a78a503640467525113fb7d8bg8e&notify_time=2016-07-19 14:10:49\
             &notify_type=trade_status_sync&out_trade_no=0719141034-6418&refund_fee=0.00\
             &seller_id=2088102119685838&subject=大乐透2.1&total_amount=2.00\
             &trade_no=2016071921001003030200089909&trade_status=TRADE_SUCCESS&version=1.0"
        );
    }

    #[test]
    fn the_request_string_keeps_sign_type_as_the_key_tool_shows() {
        // The key tool's signing example (加签原理), in its order; values are taken as they are,
        // including the empty string inside the JSON.
        let params = pairs(&[
            ("timestamp", "2019-01-01 08:09:33"),
            ("method", "alipay.trade.create"),
            ("app_id", "20135234674"),
            ("sign_type", "rsa2"),
            ("biz_content", r#"{"total_amount":"10.08", "buyer_id":"2088123456781234", "discount_amount":""}"#),
            ("sign", "ignored"),
            ("notify_url", ""),
        ]);
        assert_eq!(
            request_canonical_string(&params),
            r#"app_id=20135234674&biz_content={"total_amount":"10.08", "buyer_id":"2088123456781234", "discount_amount":""}&method=alipay.trade.create&sign_type=rsa2&timestamp=2019-01-01 08:09:33"#
        );
    }

    #[test]
    fn names_sort_by_ascii_byte_not_by_locale() {
        let params = pairs(&[("ab", "3"), ("a_b", "2"), ("B", "1"), ("a", "0")]);
        assert_eq!(canonical_string(&params), "B=1&a=0&a_b=2&ab=3");
    }
}
