//! `alipay.trade.wap.pay` (手机网站支付): not an API call but a signed form the shopper's phone
//! browser submits to Alipay's gateway, which opens the Alipay app or its mobile cashier and
//! afterwards sends the browser to `return_url` (and `quit_url` when the shopper gives up). The
//! same RSA2 request signature as the API calls; the gateway (and the sandbox's stand-in) checks it
//! with [`check_page_request`] before it shows anything.

use super::client::{beijing_datetime, fen_to_yuan, AlipayClient};
use super::notification::yuan_to_fen;
use super::signature::{request_canonical_string, sign_request, RSA2, SIGN, SIGN_TYPE};
use crate::payment_providers::error::ProviderError;
use crate::payment_providers::keys::RsaVerifyingKey;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use plaza_types::Fen;
use serde_json::{json, Value};

pub const WAP_METHOD: &str = "alipay.trade.wap.pay";
pub const WAP_PRODUCT: &str = "QUICK_WAP_WAY";

/// A form for the browser to POST: `action` with these fields, in this order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageForm {
    pub action: String,
    pub fields: Vec<(String, String)>,
}

/// One WAP payment.
#[derive(Clone, Debug)]
pub struct WapOrder {
    pub out_trade_no: String,
    pub subject: String,
    pub total: Fen,
    /// After this (epoch seconds) Alipay refuses the payment.
    pub expires_at_secs: i64,
    /// Our result page, absolute.
    pub return_url: String,
    /// Where the cashier's "back" goes, absolute.
    pub quit_url: String,
}

impl AlipayClient {
    /// The signed `alipay.trade.wap.pay` form, signed at `now_secs`.
    pub fn wap_pay_form(&self, order: &WapOrder, now_secs: i64) -> Result<PageForm, ProviderError> {
        let request = |reason: String| ProviderError::Request { provider: "alipay", reason };
        if order.total.0 <= 0 || order.out_trade_no.is_empty() || order.out_trade_no.len() > 64 {
            return Err(request(format!("order {} cannot be paid", order.out_trade_no)));
        }
        let biz = json!({
            "out_trade_no": order.out_trade_no,
            "total_amount": fen_to_yuan(order.total),
            "subject": order.subject,
            "product_code": WAP_PRODUCT,
            "quit_url": order.quit_url,
            "time_expire": beijing_datetime(order.expires_at_secs),
        });
        let mut params: Vec<(String, String)> = vec![
            ("app_id".into(), self.app_id().to_string()),
            ("method".into(), WAP_METHOD.into()),
            ("format".into(), "JSON".into()),
            ("return_url".into(), order.return_url.clone()),
            ("charset".into(), "utf-8".into()),
            ("timestamp".into(), beijing_datetime(now_secs)),
            ("version".into(), "1.0".into()),
            ("biz_content".into(), biz.to_string()),
        ];
        if !self.notify_url.is_empty() {
            params.push(("notify_url".into(), self.notify_url.clone()));
        }
        let fields = sign_request(&self.private_key, params).map_err(|e| request(e.to_string()))?;
        let mut action = self.gateway.clone();
        action.query_pairs_mut().append_pair("charset", "utf-8");
        Ok(PageForm { action: action.to_string(), fields })
    }
}

/// What a checked WAP request asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub app_id: String,
    pub out_trade_no: String,
    pub total: Fen,
    pub subject: String,
    pub return_url: String,
    pub quit_url: String,
}

/// The gateway's check of a submitted WAP form: one value per name, `sign_type` RSA2, the
/// signature over the sorted parameters (`sign_type` included) by the app's key, the method and
/// product, and a readable amount.
pub fn check_page_request(
    app_public_key: &RsaVerifyingKey,
    fields: &[(String, String)],
) -> Result<PageRequest, String> {
    let get = |name: &str| -> Result<String, String> {
        let mut values = fields.iter().filter(|(k, _)| k == name);
        match (values.next(), values.next()) {
            (Some((_, v)), None) => Ok(v.clone()),
            (None, _) => Err(format!("{name} is missing")),
            (Some(_), Some(_)) => Err(format!("{name} is repeated")),
        }
    };
    // A doubled name would let the signed value and the one acted on differ.
    let mut names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        return Err(format!("{} is repeated", w[0]));
    }
    if get(SIGN_TYPE)? != RSA2 {
        return Err("sign_type must be RSA2".into());
    }
    let signature = BASE64.decode(get(SIGN)?.trim()).map_err(|_| "sign is not base64".to_string())?;
    if !app_public_key.verify_sha256(request_canonical_string(fields).as_bytes(), &signature) {
        return Err("the signature does not match".into());
    }
    if get("method")? != WAP_METHOD {
        return Err("not alipay.trade.wap.pay".into());
    }
    let biz: Value = serde_json::from_str(&get("biz_content")?).map_err(|e| format!("biz_content: {e}"))?;
    if biz["product_code"] != WAP_PRODUCT {
        return Err("product_code must be QUICK_WAP_WAY".into());
    }
    let text = |name: &str| biz[name].as_str().unwrap_or_default().to_string();
    let total = yuan_to_fen(&text("total_amount")).map_err(|e| format!("total_amount: {e}"))?;
    Ok(PageRequest {
        app_id: get("app_id")?,
        out_trade_no: text("out_trade_no"),
        total,
        subject: text("subject"),
        return_url: get("return_url")?,
        quit_url: text("quit_url"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payment_providers::alipay::AlipayClientConfig;
    use crate::payment_providers::test_keys::{key_a, key_b, owned};
    use std::time::Duration;

    fn client() -> AlipayClient {
        AlipayClient::new(AlipayClientConfig {
            app_id: "2021000117650001".into(),
            private_key: owned(key_a()),
            alipay_public_key: key_b().verifying_key(),
            gateway_url: "https://openapi.alipay.com/gateway.do".into(),
            notify_url: "https://plaza.example/notify/alipay".into(),
            timeout: Duration::from_secs(5),
        })
        .unwrap()
    }

    fn order() -> WapOrder {
        WapOrder {
            out_trade_no: "P20261202000000WWWWWWWW".into(),
            subject: "星汇 · 码牌支付".into(),
            total: Fen(1230),
            expires_at_secs: 1_432_100_675,
            return_url: "https://plaza.example/pay/result/P20261202000000WWWWWWWW".into(),
            quit_url: "https://plaza.example/pay/result/P20261202000000WWWWWWWW".into(),
        }
    }

    #[test]
    fn the_form_is_signed_as_the_gateway_checks_it() {
        let form = client().wap_pay_form(&order(), 1_432_099_775).unwrap();
        assert_eq!(form.action, "https://openapi.alipay.com/gateway.do?charset=utf-8");
        let checked = check_page_request(&key_a().verifying_key(), &form.fields).unwrap();
        assert_eq!(checked.total, Fen(1230));
        assert_eq!(checked.out_trade_no, "P20261202000000WWWWWWWW");
        assert_eq!(checked.return_url, "https://plaza.example/pay/result/P20261202000000WWWWWWWW");
        let biz = &form.fields.iter().find(|(k, _)| k == "biz_content").unwrap().1;
        assert!(biz.contains(r#""time_expire":"2015-05-20 13:44:35""#), "{biz}");
        assert!(form.fields.iter().any(|(k, v)| k == "timestamp" && v == "2015-05-20 13:29:35"));
    }

    #[test]
    fn another_key_a_changed_amount_or_a_doubled_field_is_refused() {
        let form = client().wap_pay_form(&order(), 1_432_099_775).unwrap();
        assert!(check_page_request(&key_b().verifying_key(), &form.fields).is_err());
        let mut changed = form.fields.clone();
        for (k, v) in changed.iter_mut() {
            if k == "biz_content" {
                *v = v.replace("12.30", "0.01");
            }
        }
        assert_eq!(check_page_request(&key_a().verifying_key(), &changed).unwrap_err(), "the signature does not match");
        let mut doubled = form.fields.clone();
        doubled.push(("return_url".into(), "https://evil.example/".into()));
        assert!(check_page_request(&key_a().verifying_key(), &doubled).unwrap_err().contains("repeated"));
    }
}
