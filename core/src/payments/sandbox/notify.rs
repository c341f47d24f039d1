//! The sandbox's notifications: for each paid order, a `TRANSACTION.SUCCESS` notification built,
//! encrypted and signed exactly as WeChat Pay builds its own, POSTed to our notify URL by a
//! durable job — an answer other than 2xx (or none) fails the job and it is retried later.

use super::NOTIFY_JOB;
use crate::jobs::Job;
use crate::payment_providers::keys::RsaSigningKey;
use crate::payment_providers::wechat::{
    self, beijing_time, sign_notification, PlatformKeys, PlatformSigner, SignedNotification, TradeState,
    TransactionAmount, TransactionResource,
};
use crate::secrets::{KeyPurpose, Secrets};
use crate::settings::Setting;
use crate::{settings, Db, Result, Timestamp};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What the sandbox calls itself in its notifications, checked by the verifier like a real mchid.
pub const SANDBOX_MCHID: &str = "1900000109";
pub const SANDBOX_APPID: &str = "wxsandbox000000000";

/// The sandbox platform's signing key, generated on first use and kept in the database so every
/// instance signs with the same key.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct SandboxKeySetting {
    private_key_pem: String,
}

impl Setting for SandboxKeySetting {
    const KEY: &'static str = "sandbox.platform_key";
}

/// The sandbox's credentials: its platform signer, and its API v3 key (derived from our secret).
#[derive(Clone)]
pub struct SandboxKeys {
    pub signer: std::sync::Arc<PlatformSigner>,
    pub api_v3_key: [u8; 32],
}

impl std::fmt::Debug for SandboxKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxKeys").field("serial", &self.signer.serial()).field("api_v3_key", &"<redacted>").finish()
    }
}

impl SandboxKeys {
    pub async fn load(db: &Db, secrets: &Secrets) -> Result<SandboxKeys> {
        let stored: SandboxKeySetting = settings::get(db.pool()).await?;
        let key = if stored.private_key_pem.is_empty() {
            let generated = tokio::task::spawn_blocking(RsaSigningKey::generate)
                .await
                .map_err(|e| crate::Error::internal(e.to_string()))?
                .map_err(|e| crate::Error::internal(format!("sandbox key: {e:?}")))?;
            let mut tx = db.begin_write().await?;
            // Another instance may have stored one meanwhile: the first stored key wins.
            let again: SandboxKeySetting = settings::get(&mut **tx).await?;
            let key = if again.private_key_pem.is_empty() {
                let setting = SandboxKeySetting { private_key_pem: generated.to_pkcs8_pem().to_string() };
                settings::put(&mut **tx, &setting, Timestamp::now()).await?;
                generated
            } else {
                RsaSigningKey::from_pem(&again.private_key_pem).map_err(|e| crate::Error::internal(format!("{e:?}")))?
            };
            tx.commit().await?;
            key
        } else {
            RsaSigningKey::from_pem(&stored.private_key_pem).map_err(|e| crate::Error::internal(format!("{e:?}")))?
        };
        let fingerprint = hex::encode(Sha256::digest(key.verifying_key().to_spki_pem().as_bytes()));
        let signer =
            std::sync::Arc::new(PlatformSigner::new(format!("SANDBOX{}", fingerprint[..32].to_ascii_uppercase()), key));
        Ok(SandboxKeys { signer, api_v3_key: secrets.mac(KeyPurpose::SandboxApiV3, b"api-v3") })
    }

    /// The verifier's key map for the sandbox: its key registered exactly as WeChat's would be.
    pub fn platform_keys(&self) -> PlatformKeys {
        let mut keys = PlatformKeys::new();
        self.signer.register(&mut keys);
        keys
    }
}

/// The sandbox's key as it was stored at start ([`SandboxKeys::load`]). The sandbox is both
/// WeChat and the merchant, so the same key signs the merchant's side of the phone flows (JSAPI's
/// `paySign`, the WAP form) and its stand-ins verify them with its public half.
pub async fn stored_key(db: &Db) -> Result<RsaSigningKey> {
    let stored: SandboxKeySetting = settings::get(db.pool()).await?;
    if stored.private_key_pem.is_empty() {
        return Err(crate::Error::internal("the sandbox's key has not been made (SandboxKeys::load)"));
    }
    RsaSigningKey::from_pem(&stored.private_key_pem).map_err(|e| crate::Error::internal(format!("{e:?}")))
}

#[derive(Deserialize)]
struct Payload {
    payment_no: String,
    notify_url: String,
}

/// Delivers one notification; an error leaves the job to be retried.
pub async fn deliver(db: &Db, http: &reqwest::Client, keys: &SandboxKeys, job: &Job, now: Timestamp) -> Result<String> {
    debug_assert_eq!(job.kind, NOTIFY_JOB);
    let payload: Payload = job.payload()?;
    let Some(signed) = signed_notification(db, keys, &payload.payment_no, now).await? else {
        return Ok(format!("order {} not paid: nothing to notify", payload.payment_no));
    };
    let response = http
        .post(&payload.notify_url)
        .header("Content-Type", "application/json")
        .header(wechat::HEADER_SERIAL, &signed.headers.serial)
        .header(wechat::HEADER_SIGNATURE, &signed.headers.signature)
        .header(wechat::HEADER_TIMESTAMP, &signed.headers.timestamp)
        .header(wechat::HEADER_NONCE, &signed.headers.nonce)
        .body(signed.body)
        .timeout(std::time::Duration::from_secs(5))
        .send()
        .await
        .map_err(|e| crate::Error::internal(format!("notify {}: {e}", payload.notify_url)))?;
    let status = response.status();
    if !status.is_success() {
        let body = response.text().await.unwrap_or_default();
        return Err(crate::Error::internal(format!(
            "notify answered {status}: {}",
            body.chars().take(200).collect::<String>()
        )));
    }
    Ok(format!("delivered {} ({status})", payload.payment_no))
}

/// The `TRANSACTION.SUCCESS` notification for a paid sandbox order, built, encrypted and signed at
/// `now` exactly as the delivery job sends it (tests POST it themselves); `None` while the order
/// is not paid.
pub async fn signed_notification(
    db: &Db,
    keys: &SandboxKeys,
    payment_no: &str,
    now: Timestamp,
) -> Result<Option<SignedNotification>> {
    type Row = (i64, String, Option<String>, Option<i64>, String, Option<String>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT amount_fen, state, transaction_id, paid_at, trade_type, openid FROM sandbox_orders WHERE payment_no = $1",
    )
    .bind(payment_no)
    .fetch_optional(db.pool())
    .await?;
    let Some((amount, state, transaction_id, paid_at, trade_type, openid)) = row else {
        return Err(crate::Error::internal(format!("no sandbox order {payment_no}")));
    };
    if state != "paid" {
        return Ok(None);
    }
    let resource = TransactionResource {
        appid: SANDBOX_APPID.into(),
        mchid: SANDBOX_MCHID.into(),
        out_trade_no: payment_no.to_string(),
        transaction_id,
        trade_type: Some(trade_type),
        trade_state: TradeState::Success,
        trade_state_desc: Some("支付成功".into()),
        bank_type: Some("OTHERS".into()),
        attach: None,
        success_time: paid_at.map(|t| beijing_time(t / 1000)),
        payer: Some(wechat::Payer { openid: openid.unwrap_or_else(|| "oSandboxPayer000000000000000".into()) }),
        amount: TransactionAmount {
            total: plaza_types::Fen(amount),
            payer_total: Some(plaza_types::Fen(amount)),
            currency: "CNY".into(),
            payer_currency: Some("CNY".into()),
        },
    };
    let plaintext = serde_json::to_vec(&resource).map_err(|e| crate::Error::internal(e.to_string()))?;
    let signed =
        sign_notification(&keys.signer, &keys.api_v3_key, "TRANSACTION.SUCCESS", "支付成功", &plaintext, now.secs())
            .map_err(|e| crate::Error::internal(format!("signing: {e:?}")))?;
    Ok(Some(signed))
}
