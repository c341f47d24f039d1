//! Our requests to WeChat Pay API v3: Native orders (a `code_url` the shopper scans), the order
//! query, closing an unpaid order, and refunds. Every request carries the merchant `Authorization`
//! header; every successful answer must carry WeChat's signature (the `Wechatpay-*` headers over
//! `timestamp\nnonce\nbody\n`) from a registered platform key, or nothing in it is believed.

use super::merchant::MerchantSigner;
use super::platform_keys::PlatformKeys;
use super::resources::{RefundStatus, TransactionResource};
use super::signature::{verify_response, NotificationHeaders, VerifyError};
use crate::payment_providers::error::{http_client, ProviderError};
use plaza_types::Fen;
use rand::distributions::{Alphanumeric, DistString};
use serde::{Deserialize, Serialize};
use std::time::Duration;

const PROVIDER: &str = "wechat";
pub const DEFAULT_BASE_URL: &str = "https://api.mch.weixin.qq.com";

/// Everything needed to call WeChat as one merchant.
pub struct WechatClientConfig {
    pub mchid: String,
    pub appid: String,
    pub signer: MerchantSigner,
    /// The keys WeChat signs its answers with (certificate serials or `PUB_KEY_ID_…`).
    pub platform_keys: PlatformKeys,
    /// `https://api.mch.weixin.qq.com`, or a mock's address in tests.
    pub base_url: String,
    /// Our `/notify/wechat`, sent with every order.
    pub notify_url: String,
    pub timeout: Duration,
    /// The official account's web OAuth (JSAPI pay inside WeChat needs the shopper's openid);
    /// `None` when no AppSecret is configured, and then JSAPI is not offered.
    pub oauth: Option<super::phone::OAuthConfig>,
}

/// Clones share the platform keys and the certificate download's state: the verifier of
/// notifications holds one, the payment provider another.
#[derive(Clone)]
pub struct WechatClient {
    pub(super) http: reqwest::Client,
    base: reqwest::Url,
    mchid: String,
    pub(super) appid: String,
    pub(super) notify_url: String,
    pub(super) signer: std::sync::Arc<MerchantSigner>,
    platform_keys: PlatformKeys,
    pub(super) timeout: Duration,
    pub(super) oauth: Option<super::phone::OAuthConfig>,
    /// Certificate mode: how WeChat's platform certificates are downloaded and refreshed.
    pub(super) certificates: Option<std::sync::Arc<super::certificates::Download>>,
}

impl std::fmt::Debug for WechatClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WechatClient").field("base", &self.base.as_str()).field("mchid", &self.mchid).finish()
    }
}

/// A Native order (`/v3/pay/transactions/native`).
#[derive(Clone, Debug)]
pub struct NativeOrder {
    pub out_trade_no: String,
    pub description: String,
    pub total: Fen,
    /// RFC 3339 with `+08:00`, see [`super::beijing_time`].
    pub time_expire: String,
}

/// The answer to a refund request (`/v3/refund/domestic/refunds`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundAnswer {
    pub refund_id: String,
    pub out_refund_no: String,
    pub out_trade_no: String,
    pub status: RefundStatus,
    pub amount: RefundAnswerAmount,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundAnswerAmount {
    pub total: Fen,
    pub refund: Fen,
}

/// WeChat's error body: `{"code":"ORDER_NOT_EXIST","message":"订单不存在"}`.
#[derive(Deserialize)]
struct ErrorBody {
    code: String,
    #[serde(default)]
    message: String,
}

impl WechatClient {
    /// Public-key mode, or certificates given once: `platform_keys` are all WeChat's keys.
    pub fn new(config: WechatClientConfig) -> Result<WechatClient, ProviderError> {
        if config.platform_keys.is_empty() {
            return Err(request_error("no platform key: WeChat's answers could not be verified".into()));
        }
        WechatClient::build(config, None)
    }

    pub(super) fn build(
        config: WechatClientConfig,
        certificates: Option<std::sync::Arc<super::certificates::Download>>,
    ) -> Result<WechatClient, ProviderError> {
        let base = reqwest::Url::parse(&config.base_url)
            .map_err(|e| request_error(format!("base URL {:?}: {e}", config.base_url)))?;
        Ok(WechatClient {
            http: http_client(config.timeout),
            base,
            mchid: config.mchid,
            appid: config.appid,
            notify_url: config.notify_url,
            signer: std::sync::Arc::new(config.signer),
            platform_keys: config.platform_keys,
            timeout: config.timeout,
            oauth: config.oauth,
            certificates,
        })
    }

    /// The keys WeChat's answers are checked with; clones share one set, so a verifier of
    /// notifications made from this sees every refresh.
    pub fn platform_keys(&self) -> PlatformKeys {
        self.platform_keys.clone()
    }

    pub fn mchid(&self) -> &str {
        &self.mchid
    }

    pub fn appid(&self) -> &str {
        &self.appid
    }

    /// Places a Native order and returns its `code_url` (`weixin://wxpay/bizpayurl?pr=…`). WeChat
    /// answers the same `code_url` when the same order is placed again.
    pub async fn native_prepay(&self, order: &NativeOrder) -> Result<String, ProviderError> {
        check_number(&order.out_trade_no, 32)?;
        let body = serde_json::json!({
            "appid": self.appid,
            "mchid": self.mchid,
            "description": order.description,
            "out_trade_no": order.out_trade_no,
            "time_expire": order.time_expire,
            "notify_url": self.notify_url,
            "amount": { "total": order.total.0, "currency": "CNY" },
        });
        let (_, raw) = self.call("POST", "/v3/pay/transactions/native", Some(body.to_string())).await?;
        #[derive(Deserialize)]
        struct Prepay {
            code_url: String,
        }
        Ok(parse::<Prepay>(&raw)?.code_url)
    }

    /// The order as WeChat holds it; `None` when WeChat has never heard of it.
    pub async fn query(&self, out_trade_no: &str) -> Result<Option<TransactionResource>, ProviderError> {
        check_number(out_trade_no, 32)?;
        let path = format!("/v3/pay/transactions/out-trade-no/{out_trade_no}?mchid={}", self.mchid);
        let txn: TransactionResource = match self.call("GET", &path, None).await {
            Ok((_, raw)) => parse(&raw)?,
            Err(e) if e.refusal_code() == Some("ORDER_NOT_EXIST") => return Ok(None),
            Err(e) => return Err(e),
        };
        if txn.mchid != self.mchid || txn.appid != self.appid || txn.out_trade_no != out_trade_no {
            return Err(malformed(format!("the answer is about {} of {}", txn.out_trade_no, txn.mchid)));
        }
        if txn.amount.currency != "CNY" {
            return Err(malformed(format!("currency {}", txn.amount.currency)));
        }
        Ok(Some(txn))
    }

    /// Closes an unpaid order (WeChat answers 204 with an empty, signed body).
    pub async fn close(&self, out_trade_no: &str) -> Result<(), ProviderError> {
        check_number(out_trade_no, 32)?;
        let path = format!("/v3/pay/transactions/out-trade-no/{out_trade_no}/close");
        let body = serde_json::json!({ "mchid": self.mchid }).to_string();
        self.call("POST", &path, Some(body)).await.map(|_| ())
    }

    /// Refunds `refund` of an order of `total`. Asking again with the same `out_refund_no`
    /// returns the same refund, never a second one.
    pub async fn refund(
        &self,
        out_trade_no: &str,
        out_refund_no: &str,
        refund: Fen,
        total: Fen,
    ) -> Result<RefundAnswer, ProviderError> {
        check_number(out_trade_no, 32)?;
        check_number(out_refund_no, 64)?;
        let mut body = serde_json::json!({
            "out_trade_no": out_trade_no,
            "out_refund_no": out_refund_no,
            "amount": { "refund": refund.0, "total": total.0, "currency": "CNY" },
        });
        if !self.notify_url.is_empty() {
            body["notify_url"] = self.notify_url.clone().into();
        }
        let (_, raw) = self.call("POST", "/v3/refund/domestic/refunds", Some(body.to_string())).await?;
        let answer: RefundAnswer = parse(&raw)?;
        if answer.out_refund_no != out_refund_no || answer.out_trade_no != out_trade_no {
            return Err(malformed(format!("the answer is about refund {}", answer.out_refund_no)));
        }
        Ok(answer)
    }

    /// A refund as WeChat holds it now (`GET /v3/refund/domestic/refunds/{out_refund_no}`);
    /// `None` when WeChat has never heard of it.
    pub async fn refund_query(&self, out_refund_no: &str) -> Result<Option<RefundAnswer>, ProviderError> {
        check_number(out_refund_no, 64)?;
        let path = format!("/v3/refund/domestic/refunds/{out_refund_no}");
        let answer: RefundAnswer = match self.call("GET", &path, None).await {
            Ok((_, raw)) => parse(&raw)?,
            Err(e) if e.refusal_code() == Some("RESOURCE_NOT_EXISTS") => return Ok(None),
            Err(e) => return Err(e),
        };
        if answer.out_refund_no != out_refund_no {
            return Err(malformed(format!("the answer is about refund {}", answer.out_refund_no)));
        }
        Ok(Some(answer))
    }

    /// Signs and sends one request; a 2xx answer is returned only once its signature checks out.
    pub(super) async fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<String>,
    ) -> Result<(u16, Vec<u8>), ProviderError> {
        let url = self.url(path)?;
        let (status, pairs, raw) = self.send(method, url, body).await?;
        if (200..300).contains(&status) {
            let headers = NotificationHeaders::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())))
                .map_err(|e| unverified(e.to_string()))?;
            let now = crate::Timestamp::now().secs();
            let mut checked = verify_response(&self.platform_keys, &headers, &raw, now);
            // A certificate WeChat started signing with since our last download.
            if matches!(checked, Err(VerifyError::UnknownSerial(_)))
                && self.refresh_for_serial(&headers.serial, now).await
            {
                checked = verify_response(&self.platform_keys, &headers, &raw, now);
            }
            checked.map_err(|e| unverified(e.to_string()))?;
            return Ok((status, raw));
        }
        Err(refusal(status, &raw))
    }

    pub(super) fn url(&self, path: &str) -> Result<reqwest::Url, ProviderError> {
        self.base.join(path).map_err(|e| request_error(format!("{path}: {e}")))
    }

    /// Whether `url` is on WeChat's API host (ours to sign requests for), as a bill's
    /// `download_url` must be.
    pub(super) fn same_origin(&self, url: &reqwest::Url) -> bool {
        url.origin() == self.base.origin()
    }

    /// Signs and sends one request; the answer's status, headers and body, unverified.
    pub(super) async fn send(
        &self,
        method: &str,
        url: reqwest::Url,
        body: Option<String>,
    ) -> Result<(u16, Vec<(String, String)>, Vec<u8>), ProviderError> {
        // What WeChat signs is the URL without scheme and host, query included.
        let signed_path = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_string(),
        };
        let body = body.unwrap_or_default();
        let nonce = Alphanumeric.sample_string(&mut rand::rngs::OsRng, 32);
        let now = crate::Timestamp::now().secs();
        let authorization = self
            .signer
            .authorization_header(method, &signed_path, now, &nonce, &body)
            .map_err(|e| request_error(e.to_string()))?;
        let builder = match method {
            "GET" => self.http.get(url),
            _ => self.http.post(url).header("Content-Type", "application/json").body(body),
        };
        let response = builder
            .header("Authorization", authorization)
            .header("Accept", "application/json")
            .header("User-Agent", concat!("plaza/", env!("CARGO_PKG_VERSION")))
            .send()
            .await
            .map_err(|e| ProviderError::from_reqwest(PROVIDER, self.timeout, e))?;
        let status = response.status().as_u16();
        let pairs: Vec<(String, String)> = response
            .headers()
            .iter()
            .filter_map(|(name, value)| value.to_str().ok().map(|v| (name.as_str().to_string(), v.to_string())))
            .collect();
        let raw = response.bytes().await.map_err(|e| ProviderError::from_reqwest(PROVIDER, self.timeout, e))?;
        Ok((status, pairs, raw.to_vec()))
    }
}

/// An error answer. It changes nothing on our side, so it is reported whether or not it is
/// signed (WeChat cannot sign its answer to a request whose own signature it refused).
pub(super) fn refusal(status: u16, raw: &[u8]) -> ProviderError {
    let error: Option<ErrorBody> = serde_json::from_slice(raw).ok();
    let (code, message) = error.map(|e| (e.code, e.message)).unwrap_or_default();
    match status {
        500.. => ProviderError::Unavailable { provider: PROVIDER, status, code },
        _ => ProviderError::Refused { provider: PROVIDER, status, code, message },
    }
}

/// `out_trade_no` (up to 32) and `out_refund_no` (up to 64) go into URLs: WeChat allows letters,
/// digits and `_-|*`.
pub(super) fn check_number(number: &str, max: usize) -> Result<(), ProviderError> {
    let fits =
        (1..=max).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-|*".contains(&b));
    match fits {
        true => Ok(()),
        false => Err(request_error(format!("{number:?} is not a WeChat order or refund number"))),
    }
}

pub(super) fn parse<T: serde::de::DeserializeOwned>(raw: &[u8]) -> Result<T, ProviderError> {
    serde_json::from_slice(raw).map_err(|e| malformed(e.to_string()))
}

pub(super) fn malformed(reason: String) -> ProviderError {
    ProviderError::Malformed { provider: PROVIDER, reason }
}

pub(super) fn unverified(reason: String) -> ProviderError {
    ProviderError::Unverified { provider: PROVIDER, reason }
}

pub(super) fn request_error(reason: String) -> ProviderError {
    ProviderError::Request { provider: PROVIDER, reason }
}
