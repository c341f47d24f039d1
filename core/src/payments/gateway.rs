//! Everything payment-related a server instance holds: the provider that collects money, the
//! verifier for its notifications, the sandbox's books and keys when the sandbox is the provider,
//! and a ticker that wakes the live counter screens when a sale lands.

use super::notifications::WechatVerifier;
use super::sandbox::notify::{SandboxKeys, SANDBOX_APPID, SANDBOX_MCHID};
use super::sandbox::{Delivery, Sandbox};
use super::SharedProvider;
use crate::{Db, Result, Secrets};
use std::sync::Arc;
use tokio::sync::watch;

#[derive(Clone)]
pub struct Gateway {
    pub provider: SharedProvider,
    /// The sandbox (hosted pay page and its books) when it is the provider.
    pub sandbox: Option<Sandbox>,
    pub sandbox_keys: Option<SandboxKeys>,
    /// Checks what arrives at `/notify/wechat`.
    pub verifier: Arc<WechatVerifier>,
    pub ticker: SalesTicker,
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
        };
        Ok(Gateway {
            provider: Arc::new(sandbox.clone()),
            sandbox: Some(sandbox),
            sandbox_keys: Some(keys),
            verifier: Arc::new(verifier),
            ticker: SalesTicker::default(),
        })
    }
}

/// Bumped whenever this instance sees a sale or refund land; counter screens wait on it (and
/// also look every few seconds, for sales other instances recorded).
#[derive(Clone)]
pub struct SalesTicker(Arc<watch::Sender<u64>>);

impl Default for SalesTicker {
    fn default() -> Self {
        SalesTicker(Arc::new(watch::channel(0).0))
    }
}

impl SalesTicker {
    pub fn bump(&self) {
        self.0.send_modify(|n| *n = n.wrapping_add(1));
    }

    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.0.subscribe()
    }
}
