//! Sending SMS. Every message is first written to `sms_outbox` inside the transaction that
//! decided to send it, then handed to the configured provider after commit. The development
//! provider delivers nothing further: the outbox row is the message, and tests and the demo read it.

use crate::{Db, Result, Timestamp};
use async_trait::async_trait;
use plaza_types::PhoneNumber;
use sqlx::AnyConnection;
use std::sync::Arc;

#[async_trait]
pub trait SmsProvider: Send + Sync + 'static {
    /// Stored with each message, and checked at start-up (production refuses the development provider).
    fn name(&self) -> &'static str;

    /// True for a provider that does not reach real phones.
    fn is_development(&self) -> bool;

    /// Delivers one message; returns the provider's message id.
    async fn deliver(&self, phone: &PhoneNumber, body: &str) -> std::result::Result<String, String>;
}

/// The development provider: the outbox table is the phone.
pub struct OutboxSms;

#[async_trait]
impl SmsProvider for OutboxSms {
    fn name(&self) -> &'static str {
        "outbox"
    }

    fn is_development(&self) -> bool {
        true
    }

    async fn deliver(&self, _phone: &PhoneNumber, _body: &str) -> std::result::Result<String, String> {
        Ok("outbox".to_string())
    }
}

pub type SharedSms = Arc<dyn SmsProvider>;

/// A message queued in the caller's transaction; deliver it with [`deliver`] after commit.
#[derive(Debug)]
pub struct QueuedSms {
    pub id: i64,
    pub phone: PhoneNumber,
    pub body: String,
}

pub async fn queue(
    conn: &mut AnyConnection,
    provider: &dyn SmsProvider,
    phone: &PhoneNumber,
    body: &str,
    now: Timestamp,
) -> Result<QueuedSms> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO sms_outbox (phone, body, provider, status, created_at) VALUES ($1, $2, $3, 'queued', $4) RETURNING id",
    )
    .bind(phone.as_str())
    .bind(body)
    .bind(provider.name())
    .bind(now.millis())
    .fetch_one(&mut *conn)
    .await?;
    Ok(QueuedSms { id, phone: phone.clone(), body: body.to_string() })
}

/// Hands a committed message to the provider and records the outcome.
pub async fn deliver(db: &Db, provider: &dyn SmsProvider, message: QueuedSms) -> Result<()> {
    let outcome = provider.deliver(&message.phone, &message.body).await;
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
    Ok(())
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
