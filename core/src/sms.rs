//! Sending SMS. Every message is first written to `sms_outbox` inside the transaction that
//! decided to send it, then handed to the configured provider after commit. The demo provider
//! delivers nothing further: the outbox row is the message, and tests and the demo read it.
//! Real providers ([`tencent`]) send by template, as Chinese carriers require: each message
//! names its [`SmsTemplate`] and carries the template's parameters beside the rendered text.

pub mod tencent;

use crate::{Db, Result, Timestamp};
use async_trait::async_trait;
use plaza_types::PhoneNumber;
use sqlx::AnyConnection;
use std::sync::Arc;

/// The messages Plaza sends. A provider maps each to a template approved in its console.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SmsTemplate {
    /// `您的登录验证码为{1}，{2}分钟内有效。`: the code, then its lifetime in minutes.
    SignInCode,
    /// `您的付费会员将于{1}到期，续费后会员价与礼包不中断。`: the last day, `2026-03-31`.
    MembershipExpiring,
}

impl SmsTemplate {
    pub const ALL: [SmsTemplate; 2] = [SmsTemplate::SignInCode, SmsTemplate::MembershipExpiring];

    /// How many parameters the template takes.
    pub fn param_count(self) -> usize {
        match self {
            SmsTemplate::SignInCode => 2,
            SmsTemplate::MembershipExpiring => 1,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SmsTemplate::SignInCode => "sign_in_code",
            SmsTemplate::MembershipExpiring => "membership_expiring",
        }
    }
}

/// One message: the template and its parameters (what a real provider sends), and the text as
/// the phone shows it, signed with the mall's name (what the outbox keeps).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmsMessage {
    pub template: SmsTemplate,
    pub params: Vec<String>,
    pub text: String,
}

impl SmsMessage {
    pub fn sign_in_code(mall_name: &str, code: &str, minutes: i64) -> SmsMessage {
        SmsMessage {
            template: SmsTemplate::SignInCode,
            params: vec![code.to_string(), minutes.to_string()],
            text: format!("【{mall_name}】您的登录验证码为 {code}，{minutes}分钟内有效。如非本人操作，请忽略本短信。"),
        }
    }

    pub fn membership_expiring(mall_name: &str, last_day: &str) -> SmsMessage {
        SmsMessage {
            template: SmsTemplate::MembershipExpiring,
            params: vec![last_day.to_string()],
            text: format!("【{mall_name}】您的付费会员将于 {last_day} 到期，续费后会员价与礼包不中断。"),
        }
    }
}

#[async_trait]
pub trait SmsProvider: Send + Sync + 'static {
    /// Stored with each message, and checked at start-up (production refuses the demo provider).
    fn name(&self) -> &'static str;

    /// True for a provider that does not reach real phones (allowed in demo mode only).
    fn is_development(&self) -> bool;

    /// Delivers one message; returns the provider's message id, or why it was not sent.
    async fn deliver(&self, phone: &PhoneNumber, message: &SmsMessage) -> std::result::Result<String, String>;
}

/// The demo provider: the outbox table is the phone.
pub struct OutboxSms;

#[async_trait]
impl SmsProvider for OutboxSms {
    fn name(&self) -> &'static str {
        "outbox"
    }

    fn is_development(&self) -> bool {
        true
    }

    async fn deliver(&self, _phone: &PhoneNumber, _message: &SmsMessage) -> std::result::Result<String, String> {
        Ok("outbox".to_string())
    }
}

pub type SharedSms = Arc<dyn SmsProvider>;

/// A message queued in the caller's transaction; deliver it with [`deliver`] after commit.
#[derive(Debug)]
pub struct QueuedSms {
    pub id: i64,
    pub phone: PhoneNumber,
    pub message: SmsMessage,
}

pub async fn queue(
    conn: &mut AnyConnection,
    provider: &dyn SmsProvider,
    phone: &PhoneNumber,
    message: &SmsMessage,
    now: Timestamp,
) -> Result<QueuedSms> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO sms_outbox (phone, body, provider, status, created_at) VALUES ($1, $2, $3, 'queued', $4) RETURNING id",
    )
    .bind(phone.as_str())
    .bind(&message.text)
    .bind(provider.name())
    .bind(now.millis())
    .fetch_one(&mut *conn)
    .await?;
    Ok(QueuedSms { id, phone: phone.clone(), message: message.clone() })
}

/// Hands a committed message to the provider and records the outcome; true when the provider
/// took it. A refusal or failure is logged and recorded as `failed`, not raised: the caller
/// decides whether the person must hear of it.
pub async fn deliver(db: &Db, provider: &dyn SmsProvider, message: QueuedSms) -> Result<bool> {
    let outcome = provider.deliver(&message.phone, &message.message).await;
    let mut tx = db.begin_write().await?;
    let (status, reference) = match &outcome {
        Ok(reference) => ("sent", Some(reference.clone())),
        Err(error) => {
            tracing::warn!(sms_id = message.id, %error, "SMS delivery failed");
            ("failed", None)
        }
    };
    sqlx::query("UPDATE sms_outbox SET status = $1, provider_ref = $2, sent_at = $3 WHERE id = $4")
        .bind(status)
        .bind(reference)
        .bind(Timestamp::now().millis())
        .bind(message.id)
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    Ok(outcome.is_ok())
}

/// The newest message to a phone: what the development sign-in page shows, and what tests read.
pub async fn latest_to(db: &Db, phone: &PhoneNumber) -> Result<Option<String>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT body FROM sms_outbox WHERE phone = $1 ORDER BY id DESC LIMIT 1")
            .bind(phone.as_str())
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(body,)| body))
}

/// The six-digit code in a sign-in message.
pub fn code_in(body: &str) -> Option<String> {
    body.as_bytes()
        .windows(6)
        .enumerate()
        .find(|(i, w)| {
            w.iter().all(u8::is_ascii_digit)
                && !body.as_bytes().get(i + 6).is_some_and(u8::is_ascii_digit)
                && (*i == 0 || !body.as_bytes()[i - 1].is_ascii_digit())
        })
        .map(|(_, w)| String::from_utf8_lossy(w).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_code_in_a_message() {
        assert_eq!(code_in("【星汇广场】验证码 482913，5分钟内有效。").as_deref(), Some("482913"));
        assert_eq!(code_in("no code here 12345").as_deref(), None);
    }
}
