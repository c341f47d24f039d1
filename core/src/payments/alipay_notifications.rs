//! Alipay's asynchronous notifications (`POST /notify/alipay`, form-encoded): verified with
//! Alipay's public key over the parameters as received, checked against our app id, and handed to
//! the one completion command. The answer is the whole text body: `success` stops Alipay's
//! resends (a completion, a duplicate, a status with nothing to do); anything else makes it send
//! again. Every delivery is logged.

use super::notifications::log;
use super::refusals::{self, Refusal};
use super::{complete, Completion, Confirmation};
use crate::payment_providers::alipay::{
    parse_beijing_datetime, parse_notification, verify_notification, ACKNOWLEDGE, RETRY,
};
use crate::payment_providers::RsaVerifyingKey;
use crate::{Db, Result, Timestamp};

pub const PROVIDER: &str = "alipay";

#[derive(Clone, Debug)]
pub struct AlipayVerifier {
    pub alipay_public_key: RsaVerifyingKey,
    pub app_id: String,
}

/// The text body to answer with: [`ACKNOWLEDGE`] or [`RETRY`].
pub async fn handle_alipay(
    db: &Db,
    verifier: &AlipayVerifier,
    form: &[(String, String)],
    now: Timestamp,
) -> &'static str {
    match handle(db, verifier, form, now).await {
        Ok(answer) => answer,
        Err(error) => {
            tracing::error!(%error, "Alipay notification could not be processed; Alipay will resend");
            RETRY
        }
    }
}

async fn handle(db: &Db, verifier: &AlipayVerifier, form: &[(String, String)], now: Timestamp) -> Result<&'static str> {
    if let Err(why) = verify_notification(&verifier.alipay_public_key, form) {
        tracing::debug!(?why, "Alipay notification refused");
        refusals::count(db, PROVIDER, Refusal::Unverified, now).await?;
        return Ok(RETRY);
    }
    let notification = match parse_notification(form) {
        Ok(notification) => notification,
        Err(why) => {
            tracing::debug!(%why, "Alipay notification malformed");
            refusals::count(db, PROVIDER, Refusal::Malformed, now).await?;
            return Ok(RETRY);
        }
    };
    let (id, no, event) = (&notification.notify_id, &notification.out_trade_no, &notification.notify_type);
    if notification.app_id != verifier.app_id {
        refusals::count(db, PROVIDER, Refusal::Foreign, now).await?;
        return Ok(RETRY);
    }
    if !notification.trade_status.is_paid() {
        log(db, PROVIDER, id, no, event, "not a payment", now).await?;
        return Ok(ACKNOWLEDGE);
    }
    let paid_at = notification.gmt_payment.as_deref().and_then(parse_beijing_datetime).map(Timestamp).unwrap_or(now);
    let confirmation = Confirmation {
        provider: Some(PROVIDER.to_string()),
        transaction_id: notification.trade_no.clone(),
        amount: notification.total_amount_fen,
        paid_at,
    };
    let (label, answer) = match complete(db, no, &confirmation, now).await? {
        Completion::Completed { .. } => ("completed", ACKNOWLEDGE),
        Completion::AlreadyComplete => ("duplicate", ACKNOWLEDGE),
        Completion::PaidAfterClose => ("paid after close: refunding", ACKNOWLEDGE),
        Completion::Rejected(why) => {
            tracing::error!(payment = %no, %why, "Alipay notification does not match the payment");
            ("rejected", RETRY)
        }
    };
    log(db, PROVIDER, id, no, event, label, now).await?;
    Ok(answer)
}

/// The name/value pairs of a form-encoded notification body, decoded as UTF-8, in their order.
pub fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}
