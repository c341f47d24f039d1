//! Everything payment-related a server instance holds: the provider that collects money, the
//! verifier for its notifications, and the sandbox's books and keys when the sandbox is the
//! provider. (Live screens hear of sales through the event outbox, not from here.)

use super::alipay_notifications::AlipayVerifier;
use super::alipay_pay::AlipayPay;
use super::notifications::WechatVerifier;
use super::sandbox::notify::{SandboxKeys, SANDBOX_APPID, SANDBOX_MCHID};
use super::sandbox::{Delivery, Sandbox};
use super::wechat_pay::WechatPay;
use super::SharedProvider;
use crate::payment_providers::alipay::{AlipayClient, AlipayClientConfig};
use crate::payment_providers::wechat::{keep_certificates_fresh, PlatformKeys, WechatClient, WechatClientConfig};
use crate::{Db, Result, Secrets};
use std::sync::Arc;

#[derive(Clone)]
pub struct Gateway {
    pub provider: SharedProvider,
    /// The sandbox (hosted pay page and its books) when it is the provider.
    pub sandbox: Option<Sandbox>,
    pub sandbox_keys: Option<SandboxKeys>,
    /// Checks what arrives at `/notify/wechat` (with Alipay as the provider, it trusts no key).
    pub verifier: Arc<WechatVerifier>,
    /// Checks what arrives at `/notify/alipay`, when Alipay is the provider.
    pub alipay_verifier: Option<Arc<AlipayVerifier>>,
}

impl Gateway {
    /// The sandbox as provider: notifications go to `notify_url` (our own `/notify/wechat`),
    /// signed with the sandbox's platform key and verified against it, never WeChat's.
    pub async fn sandbox(db: &Db, secrets: &Secrets, notify_url: String, delivery: Delivery) -> Result<Gateway> {
        let keys = SandboxKeys::load(db, secrets).await?;
        let sandbox = Sandbox { notify_url, delivery };
        let verifier = WechatVerifier {
            provider: "sandbox",
            keys: keys.platform_keys(),
            api_v3_key: keys.api_v3_key,
            mchid: SANDBOX_MCHID.to_string(),
            appid: SANDBOX_APPID.to_string(),
            certificates: None,
        };
        Ok(Gateway {
            provider: Arc::new(sandbox.clone()),
            sandbox: Some(sandbox),
            sandbox_keys: Some(keys),
            verifier: Arc::new(verifier),
            alipay_verifier: None,
        })
    }

    /// WeChat Pay API v3 as provider: its platform keys verify both the API's answers and the
    /// notifications, whose resources are decrypted with the API v3 key.
    pub fn wechat(client: WechatClientConfig, api_v3_key: [u8; 32]) -> Result<Gateway> {
        let verifier = WechatVerifier {
            provider: "wechat",
            keys: client.platform_keys.clone(),
            api_v3_key,
            mchid: client.mchid.clone(),
            appid: client.appid.clone(),
            certificates: None,
        };
        let client = WechatClient::new(client)?;
        Ok(Gateway::external(Arc::new(WechatPay { client }), verifier, None))
    }

    /// WeChat Pay in certificate mode: its platform certificates are downloaded now (a failure
    /// stops the start unless certificates were given as files), every twelve hours, and when an
    /// answer or a notification names one we do not know (see `wechat::certificates`).
    pub async fn wechat_with_certificates(config: WechatClientConfig, api_v3_key: [u8; 32]) -> Result<Gateway> {
        let client = WechatClient::with_certificate_download(config, api_v3_key)?;
        match client.refresh_certificates().await {
            Ok(_) => {}
            Err(error) if !client.platform_keys().is_empty() => {
                tracing::warn!(%error, "WeChat certificates could not be downloaded; the configured ones are used");
            }
            Err(error) => return Err(error.into()),
        }
        tokio::spawn(keep_certificates_fresh(client.clone()));
        let verifier = WechatVerifier {
            provider: "wechat",
            keys: client.platform_keys(),
            api_v3_key,
            mchid: client.mchid().to_string(),
            appid: client.appid().to_string(),
            certificates: Some(client.clone()),
        };
        Ok(Gateway::external(Arc::new(WechatPay { client }), verifier, None))
    }

    /// Alipay as provider: its public key verifies the API's answers and `/notify/alipay`.
    pub fn alipay(client: AlipayClientConfig) -> Result<Gateway> {
        let alipay =
            AlipayVerifier { alipay_public_key: client.alipay_public_key.clone(), app_id: client.app_id.clone() };
        // No key registered: anything posted to `/notify/wechat` is refused.
        let nobody = WechatVerifier {
            provider: "wechat",
            keys: PlatformKeys::new(),
            api_v3_key: [0; 32],
            mchid: String::new(),
            appid: String::new(),
            certificates: None,
        };
        let client = AlipayClient::new(client)?;
        Ok(Gateway::external(Arc::new(AlipayPay { client }), nobody, Some(Arc::new(alipay))))
    }

    fn external(provider: SharedProvider, verifier: WechatVerifier, alipay: Option<Arc<AlipayVerifier>>) -> Gateway {
        Gateway { provider, sandbox: None, sandbox_keys: None, verifier: Arc::new(verifier), alipay_verifier: alipay }
    }
}
