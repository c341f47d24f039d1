//! Our requests to Alipay's open API gateway: a face-to-face precreate (a `qr_code` the shopper
//! scans or opens), the trade query, closing an unpaid trade, and refunds. Each request is a form
//! POST of the common parameters and `biz_content`, signed RSA2 with `sign_type` inside; each
//! answer's `sign` must cover the exact text of its `<method>_response` under Alipay's public key,
//! or nothing in it is believed.

use super::notification::{yuan_to_fen, TradeStatus};
use super::raw_json::raw_member;
use super::signature::sign_request;
use crate::payment_providers::error::{http_client, ProviderError};
use crate::payment_providers::keys::{RsaSigningKey, RsaVerifyingKey};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use plaza_types::Fen;
use serde_json::{json, Value};
use std::time::Duration;

const PROVIDER: &str = "alipay";
pub const DEFAULT_GATEWAY_URL: &str = "https://openapi.alipay.com/gateway.do";
/// The code of every successful answer.
const SUCCESS: &str = "10000";
/// "Service unavailable": the outcome is unknown, ask again.
const UNAVAILABLE: &str = "20000";

pub struct AlipayClientConfig {
    pub app_id: String,
    /// Our application private key (应用私钥).
    pub private_key: RsaSigningKey,
    /// Alipay's public key (支付宝公钥), which signs its answers and notifications.
    pub alipay_public_key: RsaVerifyingKey,
    pub gateway_url: String,
    /// Our `/notify/alipay`.
    pub notify_url: String,
    pub timeout: Duration,
}

pub struct AlipayClient {
    pub(super) http: reqwest::Client,
    pub(super) gateway: reqwest::Url,
    app_id: String,
    pub(super) notify_url: String,
    pub(super) private_key: RsaSigningKey,
    alipay_public_key: RsaVerifyingKey,
    pub(super) timeout: Duration,
}

impl std::fmt::Debug for AlipayClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AlipayClient").field("gateway", &self.gateway.as_str()).field("app_id", &self.app_id).finish()
    }
}

/// A trade as `alipay.trade.query` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlipayTrade {
    pub trade_no: String,
    pub out_trade_no: String,
    pub trade_status: TradeStatus,
    pub total: Fen,
    /// `yyyy-MM-dd HH:mm:ss`, Beijing time; present once paid.
    pub send_pay_date: Option<String>,
}

/// What `alipay.trade.refund` answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlipayRefund {
    pub trade_no: String,
    /// Everything refunded on the trade so far, this refund included.
    pub refund_fee: Fen,
    /// `false` when this refund number had already been refunded: no money moved this time.
    pub fund_change: bool,
}

impl AlipayClient {
    pub fn new(config: AlipayClientConfig) -> Result<AlipayClient, ProviderError> {
        let gateway = reqwest::Url::parse(&config.gateway_url)
            .map_err(|e| request_error(format!("gateway URL {:?}: {e}", config.gateway_url)))?;
        Ok(AlipayClient {
            http: http_client(config.timeout),
            gateway,
            app_id: config.app_id,
            notify_url: config.notify_url,
            private_key: config.private_key,
            alipay_public_key: config.alipay_public_key,
            timeout: config.timeout,
        })
    }

    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// `alipay.trade.precreate`: the `qr_code` (an `https://qr.alipay.com/…` link that opens
    /// Alipay on a phone, or a QR code to scan). Alipay creates the trade only when it is scanned;
    /// it cannot be paid after `timeout_minutes`.
    pub async fn precreate(
        &self,
        out_trade_no: &str,
        subject: &str,
        total: Fen,
        timeout_minutes: i64,
    ) -> Result<String, ProviderError> {
        let biz = json!({
            "out_trade_no": out_trade_no,
            "total_amount": fen_to_yuan(total),
            "subject": subject,
            "product_code": "FACE_TO_FACE_PAYMENT",
            "timeout_express": format!("{}m", timeout_minutes.clamp(1, 15 * 24 * 60)),
        });
        let answer = self.call("alipay.trade.precreate", biz, true).await?;
        text(&answer, "qr_code")
    }

    /// `alipay.trade.query`; `None` while Alipay has no such trade (a precreated code not yet
    /// scanned).
    pub async fn query(&self, out_trade_no: &str) -> Result<Option<AlipayTrade>, ProviderError> {
        let answer = match self.call("alipay.trade.query", json!({ "out_trade_no": out_trade_no }), false).await {
            Ok(answer) => answer,
            Err(e) if e.refusal_code() == Some("ACQ.TRADE_NOT_EXIST") => return Ok(None),
            Err(e) => return Err(e),
        };
        let trade = AlipayTrade {
            trade_no: text(&answer, "trade_no")?,
            out_trade_no: text(&answer, "out_trade_no")?,
            trade_status: TradeStatus::parse(&text(&answer, "trade_status")?),
            total: yuan_field(&answer, "total_amount")?,
            send_pay_date: answer["send_pay_date"].as_str().filter(|s| !s.is_empty()).map(str::to_string),
        };
        if trade.out_trade_no != out_trade_no {
            return Err(malformed(format!("the answer is about {}", trade.out_trade_no)));
        }
        Ok(Some(trade))
    }

    /// `alipay.trade.close` of a trade waiting for payment.
    pub async fn close(&self, out_trade_no: &str) -> Result<(), ProviderError> {
        self.call("alipay.trade.close", json!({ "out_trade_no": out_trade_no }), false).await.map(|_| ())
    }

    /// `alipay.trade.refund` of `amount`; the same `out_request_no` is one refund however often
    /// it is asked for.
    pub async fn refund(
        &self,
        out_trade_no: &str,
        out_request_no: &str,
        amount: Fen,
    ) -> Result<AlipayRefund, ProviderError> {
        let biz = json!({
            "out_trade_no": out_trade_no,
            "refund_amount": fen_to_yuan(amount),
            "out_request_no": out_request_no,
        });
        let answer = self.call("alipay.trade.refund", biz, false).await?;
        if text(&answer, "out_trade_no")? != out_trade_no {
            return Err(malformed("the answer is about another trade".into()));
        }
        Ok(AlipayRefund {
            trade_no: text(&answer, "trade_no")?,
            refund_fee: yuan_field(&answer, "refund_fee")?,
            fund_change: answer["fund_change"].as_str() == Some("Y"),
        })
    }

    /// Signs and sends one request; returns the `<method>_response` object once its signature
    /// checks out and its code is success.
    pub(super) async fn call(&self, method: &str, biz: Value, with_notify: bool) -> Result<Value, ProviderError> {
        let now = crate::Timestamp::now().secs();
        let mut params: Vec<(String, String)> = vec![
            ("app_id".into(), self.app_id.clone()),
            ("method".into(), method.into()),
            ("format".into(), "JSON".into()),
            ("charset".into(), "utf-8".into()),
            ("timestamp".into(), beijing_datetime(now)),
            ("version".into(), "1.0".into()),
            ("biz_content".into(), biz.to_string()),
        ];
        if with_notify && !self.notify_url.is_empty() {
            params.push(("notify_url".into(), self.notify_url.clone()));
        }
        let params = sign_request(&self.private_key, params).map_err(|e| request_error(e.to_string()))?;
        let form = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(&params).finish();
        let response = self
            .http
            .post(self.gateway.clone())
            .header("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
            .body(form)
            .send()
            .await
            .map_err(|e| ProviderError::from_reqwest(PROVIDER, self.timeout, e))?;
        let status = response.status().as_u16();
        let body = response.text().await.map_err(|e| ProviderError::from_reqwest(PROVIDER, self.timeout, e))?;
        if status != 200 {
            let code = format!("HTTP {status}");
            return Err(match status {
                500.. => ProviderError::Unavailable { provider: PROVIDER, status, code },
                _ => ProviderError::Refused { provider: PROVIDER, status, code, message: String::new() },
            });
        }
        serde_json::from_str::<Value>(&body).map_err(|e| malformed(format!("not JSON: {e}")))?;
        let name = format!("{}_response", method.replace('.', "_"));
        let raw = raw_member(&body, &name)
            .or_else(|| raw_member(&body, "error_response"))
            .ok_or_else(|| malformed(format!("no {name} in the answer")))?;
        let sign = raw_member(&body, "sign").and_then(|s| serde_json::from_str::<String>(s).ok());
        let answer: Value = serde_json::from_str(raw).map_err(|e| malformed(e.to_string()))?;
        let code = answer["code"].as_str().unwrap_or_default();
        match sign {
            Some(sign) => {
                let signature = BASE64.decode(sign.trim()).map_err(|_| unverified("sign is not base64"))?;
                if !self.alipay_public_key.verify_sha256(raw.as_bytes(), &signature) {
                    return Err(unverified("the signature does not match the answer"));
                }
            }
            // Alipay leaves some refusals unsigned (one to a request it could not verify); those
            // are reported, but a success must be signed.
            None if code == SUCCESS => return Err(unverified("a successful answer without sign")),
            None => {}
        }
        let field = |name: &str| answer[name].as_str().unwrap_or_default().to_string();
        match code {
            SUCCESS => Ok(answer),
            UNAVAILABLE => Err(ProviderError::Unavailable { provider: PROVIDER, status, code: field("sub_code") }),
            _ => {
                let sub_code = field("sub_code");
                let message = format!("{} {}", field("msg"), field("sub_msg")).trim().to_string();
                let code = if sub_code.is_empty() { code.to_string() } else { sub_code };
                Err(ProviderError::Refused { provider: PROVIDER, status, code, message })
            }
        }
    }
}

/// `12.30` for 1230 fen: the only amount form Alipay reads.
pub fn fen_to_yuan(amount: Fen) -> String {
    amount.yuan_decimal()
}

/// `yyyy-MM-dd HH:mm:ss` in Beijing time, Alipay's form for every time.
pub fn beijing_datetime(secs: i64) -> String {
    let offset = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
    let instant = jiff::Timestamp::from_second(secs).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    instant.to_zoned(offset).strftime("%Y-%m-%d %H:%M:%S").to_string()
}

/// Reads Alipay's `yyyy-MM-dd HH:mm:ss` (Beijing time) back as epoch milliseconds.
pub fn parse_beijing_datetime(text: &str) -> Option<i64> {
    let civil = jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M:%S", text).ok()?;
    let zoned = civil.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8))).ok()?;
    Some(zoned.timestamp().as_millisecond())
}

pub(super) fn text(answer: &Value, name: &str) -> Result<String, ProviderError> {
    answer[name]
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .ok_or_else(|| malformed(format!("{name} is missing")))
}

pub(super) fn yuan_field(answer: &Value, name: &str) -> Result<Fen, ProviderError> {
    let value = text(answer, name)?;
    yuan_to_fen(&value).map_err(|e| malformed(format!("{name} {value:?}: {e}")))
}

pub(super) fn malformed(reason: String) -> ProviderError {
    ProviderError::Malformed { provider: PROVIDER, reason }
}

fn unverified(reason: &str) -> ProviderError {
    ProviderError::Unverified { provider: PROVIDER, reason: reason.into() }
}

fn request_error(reason: String) -> ProviderError {
    ProviderError::Request { provider: PROVIDER, reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_times_in_alipays_forms() {
        assert_eq!(fen_to_yuan(Fen(1230)), "12.30");
        assert_eq!(fen_to_yuan(Fen(1)), "0.01");
        assert_eq!(fen_to_yuan(Fen(100_000)), "1000.00");
        // 2015-05-20T05:29:35Z
        assert_eq!(beijing_datetime(1_432_099_775), "2015-05-20 13:29:35");
        assert_eq!(parse_beijing_datetime("2015-05-20 13:29:35"), Some(1_432_099_775_000));
        assert_eq!(parse_beijing_datetime("2015-05-20T13:29:35"), None);
    }
}
