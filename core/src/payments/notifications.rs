//! Inbound provider notifications. A WeChat Pay v3 notification is verified on its raw bytes,
//! decrypted, checked against our merchant ids, and handed to the one completion command; the
//! answer tells WeChat whether to stop (2xx) or send again (4xx/5xx). Duplicates, late and out of
//! order deliveries are acknowledged and change nothing. Every delivery from the provider is
//! logged; one that cannot be shown to be the provider's is only counted ([`super::refusals`]).

use super::refusals::{self, Refusal};
use super::{complete, Completion, Confirmation};
use crate::payment_providers::wechat::{
    acknowledge, decrypt_refund, decrypt_transaction, parse_notification, refuse, refuse_unverified, retry_later,
    verify_notification, Answer, NotificationHeaders, PlatformKeys, TradeState, VerifyError, WechatClient, REFUND_TYPE,
    TRANSACTION_TYPE,
};
use crate::{Db, Result, Timestamp};
use plaza_types::Fen;

/// What our `/notify/wechat` endpoint accepts: the platform keys (WeChat's, or the sandbox's in
/// development — never both), the API v3 key, and our merchant ids.
#[derive(Clone)]
pub struct WechatVerifier {
    /// The provider name recorded on payments it completes (`wechat`, or `sandbox`).
    pub provider: &'static str,
    pub keys: PlatformKeys,
    pub api_v3_key: [u8; 32],
    pub mchid: String,
    pub appid: String,
    /// Certificate mode: the client (sharing `keys`) that downloads WeChat's certificates again
    /// when a notification is signed under a serial we do not know yet.
    pub certificates: Option<WechatClient>,
}

impl std::fmt::Debug for WechatVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WechatVerifier")
            .field("provider", &self.provider)
            .field("serials", &self.keys.serials().collect::<Vec<_>>())
            .field("api_v3_key", &"<redacted>")
            .field("mchid", &self.mchid)
            .finish()
    }
}

pub(crate) async fn log(
    db: &Db,
    provider: &str,
    id: &str,
    payment_no: &str,
    event: &str,
    outcome: &str,
    now: Timestamp,
) -> Result<()> {
    let insert = sqlx::query(
        "INSERT INTO payment_notifications (provider, notification_id, payment_no, event_type, outcome, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(provider)
    .bind(id)
    .bind(payment_no)
    .bind(event)
    .bind(outcome)
    .bind(now.millis());
    db.write_one(insert).await?;
    Ok(())
}

pub async fn handle_wechat<'a>(
    db: &Db,
    verifier: &WechatVerifier,
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    raw_body: &[u8],
    now: Timestamp,
) -> Answer {
    match handle(db, verifier, headers, raw_body, now).await {
        Ok(answer) => answer,
        Err(error) => {
            tracing::error!(%error, "notification could not be processed; WeChat will retry");
            retry_later()
        }
    }
}

async fn handle<'a>(
    db: &Db,
    verifier: &WechatVerifier,
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    raw_body: &[u8],
    now: Timestamp,
) -> Result<Answer> {
    let provider = verifier.provider;
    let headers = NotificationHeaders::from_pairs(headers);
    let check = || headers.clone().and_then(|h| verify_notification(&verifier.keys, &h, raw_body, now.secs()));
    let mut checked = check();
    if let (Err(VerifyError::UnknownSerial(serial)), Some(client)) = (&checked, &verifier.certificates) {
        if client.refresh_for_serial(serial, now.secs()).await {
            checked = check();
        }
    }
    if let Err(why) = checked {
        tracing::debug!(?why, "notification refused");
        refusals::count(db, provider, Refusal::Unverified, now).await?;
        return Ok(refuse_unverified());
    }
    let Ok(notification) = parse_notification(raw_body) else {
        refusals::count(db, provider, Refusal::Malformed, now).await?;
        return Ok(refuse(400, "malformed notification"));
    };
    if notification.resource.original_type == REFUND_TYPE {
        // REFUND.SUCCESS / ABNORMAL / CLOSED: how a refund answered PROCESSING ended.
        let Ok(refund) = decrypt_refund(&verifier.api_v3_key, &notification) else {
            refusals::count(db, provider, Refusal::Undecryptable, now).await?;
            return Ok(refuse(400, "resource could not be decrypted"));
        };
        if refund.mchid != verifier.mchid {
            refusals::count(db, provider, Refusal::Foreign, now).await?;
            return Ok(refuse(400, "not our merchant"));
        }
        let progress = super::wechat_pay::progress(refund.refund_status);
        let settled = super::refund_waiting::settle(db, &refund.out_refund_no, progress, now).await?;
        let outcome = format!("refund {}: {settled:?}", progress.as_str());
        log(db, provider, &notification.id, &refund.out_trade_no, &notification.event_type, &outcome, now).await?;
        return Ok(acknowledge());
    }
    if notification.resource.original_type != TRANSACTION_TYPE {
        log(db, provider, &notification.id, "", &notification.event_type, "ignored type", now).await?;
        return Ok(acknowledge());
    }
    let Ok(txn) = decrypt_transaction(&verifier.api_v3_key, &notification) else {
        refusals::count(db, provider, Refusal::Undecryptable, now).await?;
        return Ok(refuse(400, "resource could not be decrypted"));
    };
    if txn.mchid != verifier.mchid || txn.appid != verifier.appid {
        refusals::count(db, provider, Refusal::Foreign, now).await?;
        return Ok(refuse(400, "not our merchant"));
    }
    if txn.trade_state != TradeState::Success {
        log(db, provider, &notification.id, &txn.out_trade_no, &notification.event_type, "not a success", now).await?;
        return Ok(acknowledge());
    }
    let paid_at = txn
        .success_time
        .as_deref()
        .and_then(|t| t.parse::<jiff::Timestamp>().ok())
        .map(|t| Timestamp(t.as_millisecond()))
        .unwrap_or(now);
    let confirmation = Confirmation {
        provider: Some(provider.to_string()),
        transaction_id: txn.transaction_id.clone().unwrap_or_default(),
        amount: Fen(txn.amount.total.0),
        paid_at,
    };
    let outcome = complete(db, &txn.out_trade_no, &confirmation, now).await?;
    let (label, answer) = match &outcome {
        Completion::Completed { .. } => ("completed", acknowledge()),
        Completion::AlreadyComplete => ("duplicate", acknowledge()),
        Completion::PaidAfterClose => ("paid after close: refunding", acknowledge()),
        Completion::Rejected(why) => {
            tracing::error!(payment = %txn.out_trade_no, %why, "notification does not match the payment");
            ("rejected", refuse(400, "does not match the order"))
        }
    };
    log(db, provider, &notification.id, &txn.out_trade_no, &notification.event_type, label, now).await?;
    Ok(answer)
}
