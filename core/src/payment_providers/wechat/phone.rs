//! WeChat Pay in a phone browser. Inside WeChat: JSAPI — the shopper's `openid` for our app id
//! from the official account's web OAuth (`snsapi_base`, a silent redirect), a prepay order
//! (`/v3/pay/transactions/jsapi`), and the parameters `WeixinJSBridge.invoke('getBrandWCPayRequest')`
//! takes, signed with the merchant key over `appId\ntimeStamp\nnonceStr\npackage\n`. In any other
//! phone browser: H5 (`/v3/pay/transactions/h5`), whose `h5_url` the browser is sent to with
//! `redirect_url` back to us.

use super::client::{check_number, malformed, parse, request_error, NativeOrder, WechatClient};
use crate::payment_providers::error::ProviderError;
use crate::payment_providers::keys::RsaVerifyingKey;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use rand::distributions::{Alphanumeric, DistString};
use serde::{Deserialize, Serialize};

/// The official account's web authorisation.
#[derive(Clone)]
pub struct OAuthConfig {
    /// The official account's AppSecret (公众号 AppSecret); never printed.
    pub app_secret: String,
    /// `https://open.weixin.qq.com/connect/oauth2/authorize` (the shopper's browser goes there).
    pub authorize_url: String,
    /// `https://api.weixin.qq.com` (we exchange the code there).
    pub api_base_url: String,
}

impl std::fmt::Debug for OAuthConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthConfig").field("authorize_url", &self.authorize_url).finish_non_exhaustive()
    }
}

pub const DEFAULT_AUTHORIZE_URL: &str = "https://open.weixin.qq.com/connect/oauth2/authorize";
pub const DEFAULT_API_BASE_URL: &str = "https://api.weixin.qq.com";

/// What `getBrandWCPayRequest` takes, named as WeChat names them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BridgeParams {
    pub app_id: String,
    pub time_stamp: String,
    pub nonce_str: String,
    /// `prepay_id=…`
    pub package: String,
    /// Always `RSA` for API v3.
    pub sign_type: String,
    pub pay_sign: String,
}

/// The four lines `paySign` covers, each ending in `\n`.
pub fn bridge_message(app_id: &str, time_stamp: &str, nonce_str: &str, package: &str) -> String {
    format!("{app_id}\n{time_stamp}\n{nonce_str}\n{package}\n")
}

/// What WeChat's client checks before it shows its cashier: the merchant key signed these exact
/// parameters (the sandbox's bridge stand-in runs this).
pub fn verify_bridge(merchant_key: &RsaVerifyingKey, params: &BridgeParams) -> bool {
    let Ok(signature) = BASE64.decode(params.pay_sign.trim()) else { return false };
    let message = bridge_message(&params.app_id, &params.time_stamp, &params.nonce_str, &params.package);
    params.sign_type == "RSA" && merchant_key.verify_sha256(message.as_bytes(), &signature)
}

impl WechatClient {
    /// Places a JSAPI order for the payer `openid`; returns its `prepay_id`.
    pub async fn jsapi_prepay(&self, order: &NativeOrder, openid: &str) -> Result<String, ProviderError> {
        check_number(&order.out_trade_no, 32)?;
        if openid.is_empty() || openid.len() > 128 {
            return Err(request_error("a JSAPI order needs the payer's openid".into()));
        }
        let body = serde_json::json!({
            "appid": self.appid,
            "mchid": self.mchid(),
            "description": order.description,
            "out_trade_no": order.out_trade_no,
            "time_expire": order.time_expire,
            "notify_url": self.notify_url,
            "amount": { "total": order.total.0, "currency": "CNY" },
            "payer": { "openid": openid },
        });
        let (_, raw) = self.call("POST", "/v3/pay/transactions/jsapi", Some(body.to_string())).await?;
        #[derive(Deserialize)]
        struct Prepay {
            prepay_id: String,
        }
        Ok(parse::<Prepay>(&raw)?.prepay_id)
    }

    /// Places an H5 order; returns its `h5_url` (to which the caller appends `redirect_url`).
    /// WeChat checks that the payer's address is the one that opens the page.
    pub async fn h5_prepay(&self, order: &NativeOrder, payer_client_ip: &str) -> Result<String, ProviderError> {
        check_number(&order.out_trade_no, 32)?;
        if payer_client_ip.parse::<std::net::IpAddr>().is_err() {
            return Err(request_error(format!("{payer_client_ip:?} is not the payer's IP address")));
        }
        let body = serde_json::json!({
            "appid": self.appid,
            "mchid": self.mchid(),
            "description": order.description,
            "out_trade_no": order.out_trade_no,
            "time_expire": order.time_expire,
            "notify_url": self.notify_url,
            "amount": { "total": order.total.0, "currency": "CNY" },
            "scene_info": { "payer_client_ip": payer_client_ip, "h5_info": { "type": "Wap" } },
        });
        let (_, raw) = self.call("POST", "/v3/pay/transactions/h5", Some(body.to_string())).await?;
        #[derive(Deserialize)]
        struct Prepay {
            h5_url: String,
        }
        let h5_url = parse::<Prepay>(&raw)?.h5_url;
        if !h5_url.starts_with("https://") && !h5_url.starts_with("http://127.0.0.1") {
            return Err(malformed(format!("h5_url {h5_url:?} is not a web address")));
        }
        Ok(h5_url)
    }

    /// The parameters for `getBrandWCPayRequest`, signed now with the merchant key.
    pub fn bridge_params(&self, prepay_id: &str, now_secs: i64) -> Result<BridgeParams, ProviderError> {
        let time_stamp = now_secs.to_string();
        let nonce_str = Alphanumeric.sample_string(&mut rand::rngs::OsRng, 32);
        let package = format!("prepay_id={prepay_id}");
        let message = bridge_message(&self.appid, &time_stamp, &nonce_str, &package);
        let pay_sign = self.signer.sign(message.as_bytes()).map_err(|e| request_error(e.to_string()))?;
        Ok(BridgeParams {
            app_id: self.appid.clone(),
            time_stamp,
            nonce_str,
            package,
            sign_type: "RSA".into(),
            pay_sign,
        })
    }

    /// Whether JSAPI pay can be offered (the AppSecret is configured).
    pub fn has_oauth(&self) -> bool {
        self.oauth.is_some()
    }

    /// Where to send the shopper's WeChat browser for a silent `snsapi_base` authorisation; WeChat
    /// comes back to `redirect_uri` with `code` and our `state`.
    pub fn oauth_authorize_url(&self, redirect_uri: &str, state: &str) -> Option<String> {
        let oauth = self.oauth.as_ref()?;
        Some(authorize_url(&oauth.authorize_url, &self.appid, redirect_uri, state))
    }

    /// Exchanges the authorisation `code` for the shopper's openid. A "snapshot page" visitor
    /// (`is_snapshotuser`) has a virtual openid that cannot pay: refused.
    pub async fn oauth_openid(&self, code: &str) -> Result<String, ProviderError> {
        let oauth = self.oauth.as_ref().ok_or_else(|| request_error("no AppSecret configured".into()))?;
        if code.is_empty() || code.len() > 128 || !code.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(request_error("malformed authorisation code".into()));
        }
        let mut url =
            reqwest::Url::parse(&format!("{}/sns/oauth2/access_token", oauth.api_base_url.trim_end_matches('/')))
                .map_err(|e| request_error(e.to_string()))?;
        url.query_pairs_mut()
            .append_pair("appid", &self.appid)
            .append_pair("secret", &oauth.app_secret)
            .append_pair("code", code)
            .append_pair("grant_type", "authorization_code");
        let response =
            self.http.get(url).send().await.map_err(|e| ProviderError::from_reqwest("wechat", self.timeout, e))?;
        let status = response.status().as_u16();
        let raw = response.bytes().await.map_err(|e| ProviderError::from_reqwest("wechat", self.timeout, e))?;
        let answer: TokenAnswer = serde_json::from_slice(&raw).map_err(|e| malformed(e.to_string()))?;
        if answer.errcode != 0 || status != 200 {
            return Err(ProviderError::Refused {
                provider: "wechat",
                status,
                code: answer.errcode.to_string(),
                message: answer.errmsg,
            });
        }
        if answer.is_snapshotuser == 1 {
            return Err(ProviderError::Refused {
                provider: "wechat",
                status,
                code: "SNAPSHOT_USER".into(),
                message: "a snapshot-page visitor cannot pay".into(),
            });
        }
        answer.openid.filter(|o| !o.is_empty()).ok_or_else(|| malformed("no openid in the answer".into()))
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    #[serde(default)]
    errcode: i64,
    #[serde(default)]
    errmsg: String,
    #[serde(default)]
    openid: Option<String>,
    #[serde(default)]
    is_snapshotuser: i64,
}

/// `…/authorize?appid=…&redirect_uri=…&response_type=code&scope=snsapi_base&state=…#wechat_redirect`,
/// parameters in the order WeChat documents (it is picky about the order).
pub fn authorize_url(base: &str, appid: &str, redirect_uri: &str, state: &str) -> String {
    let enc = |v: &str| url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>();
    format!(
        "{base}?appid={}&redirect_uri={}&response_type=code&scope=snsapi_base&state={}#wechat_redirect",
        enc(appid),
        enc(redirect_uri),
        enc(state)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payment_providers::test_keys::{key_a, key_b};

    #[test]
    fn pay_sign_covers_the_four_lines_and_only_the_merchant_key_makes_it() {
        assert_eq!(
            bridge_message("wx8888888888888888", "1414561699", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS", "prepay_id=wx201410272009395522657a690389285100"),
            "wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n"
        );
        let message = bridge_message("wx1", "1414561699", "n", "prepay_id=wx2");
        let mut params = BridgeParams {
            app_id: "wx1".into(),
            time_stamp: "1414561699".into(),
            nonce_str: "n".into(),
            package: "prepay_id=wx2".into(),
            sign_type: "RSA".into(),
            pay_sign: key_a().sign_sha256_base64(message.as_bytes()).unwrap(),
        };
        assert!(verify_bridge(&key_a().verifying_key(), &params));
        assert!(!verify_bridge(&key_b().verifying_key(), &params));
        params.package = "prepay_id=wx3".into();
        assert!(!verify_bridge(&key_a().verifying_key(), &params));
    }

    #[test]
    fn the_authorize_url_is_in_wechats_order_with_the_fragment() {
        let url = authorize_url(DEFAULT_AUTHORIZE_URL, "wx1", "https://plaza.example/pay/wechat/oauth", "P1.ab");
        assert_eq!(
            url,
            "https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx1&redirect_uri=https%3A%2F%2Fplaza.example%2Fpay%2Fwechat%2Foauth&response_type=code&scope=snsapi_base&state=P1.ab#wechat_redirect"
        );
    }
}
