//! Member sign-in by mobile number and a six-digit SMS code. The first sign-in creates the member.
//!
//! Codes live 5 minutes, are single-use, allow 5 wrong tries, and only their keyed hash is stored.
//! Sending is rate-limited per number, per number and address, and per address; wrong codes
//! make the number wait at that address ([`lockout`]).

use super::lockout::{self, PER_ACCOUNT_AND_ADDRESS, PER_ADDRESS};
use super::sessions::{self, NewSession};
use super::ClientInfo;
use crate::rate_limit::{self, limit, Limit};
use crate::secrets::{KeyPurpose, Secrets};
use crate::sms::{self, SmsMessage, SmsProvider};
use crate::{members, Db, Result, Timestamp};
use plaza_types::{AppError, MemberId, PhoneNumber, SmsCode};
use rand::Rng;
use subtle::ConstantTimeEq;

pub const CODE_TTL_SECS: i64 = 5 * 60;
pub const MAX_WRONG_TRIES: i64 = 5;
pub const RESEND_AFTER_SECS: i64 = 60;
const PURPOSE: &str = "sign_in";

/// One number from one address: a resend a minute, five an hour, ten a day.
const SEND_PER_PHONE_AND_IP: [Limit; 3] = [limit(1, RESEND_AFTER_SECS), limit(5, 3600), limit(10, 86_400)];
/// One number from anywhere: enough for its owner on a bad day, a cap on SMS bombing.
const SEND_PER_PHONE: [Limit; 2] = [limit(3, 60), limit(20, 86_400)];
const SEND_PER_IP: [Limit; 2] = [limit(10, 600), limit(30, 86_400)];

fn code_hash(secrets: &Secrets, phone: &PhoneNumber, code: &str) -> String {
    secrets.mac_hex(KeyPurpose::SmsCode, format!("{PURPOSE}:{phone}:{code}").as_bytes())
}

/// Creates a code, queues the SMS and delivers it. Earlier unused codes of the number stop working.
pub async fn request_code(
    db: &Db,
    secrets: &Secrets,
    provider: &dyn SmsProvider,
    phone: &PhoneNumber,
    client: &ClientInfo,
    now: Timestamp,
) -> Result<()> {
    let code = format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000));
    let mall_name = crate::mall::name_zh(db).await?;
    let mut tx = db.begin_write().await?;
    rate_limit::hit(&mut tx, &format!("sms-send:phone-ip:{phone}|{}", client.ip), &SEND_PER_PHONE_AND_IP, now).await?;
    rate_limit::hit(&mut tx, &format!("sms-send:phone:{phone}"), &SEND_PER_PHONE, now).await?;
    rate_limit::hit(&mut tx, &format!("sms-send:ip:{}", client.ip), &SEND_PER_IP, now).await?;
    sqlx::query("UPDATE sms_codes SET consumed_at = $1 WHERE phone = $2 AND purpose = $3 AND consumed_at IS NULL")
        .bind(now.millis())
        .bind(phone.as_str())
        .bind(PURPOSE)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO sms_codes (phone, purpose, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(phone.as_str())
    .bind(PURPOSE)
    .bind(code_hash(secrets, phone, &code))
    .bind(now.millis())
    .bind(now.plus_secs(CODE_TTL_SECS).millis())
    .execute(&mut **tx)
    .await?;
    let message = SmsMessage::sign_in_code(&mall_name, &code, CODE_TTL_SECS / 60);
    let queued = sms::queue(&mut tx, provider, phone, &message, now).await?;
    tx.commit().await?;
    // The person waits for this message: a provider that refused it is theirs to know about.
    match sms::deliver(db, provider, queued).await? {
        true => Ok(()),
        false => Err(AppError::Unavailable.into()),
    }
}

/// A member signed in: their id and a new session.
#[derive(Debug)]
pub struct SignedIn {
    pub member_id: MemberId,
    pub created: bool,
    pub session: NewSession,
}

/// Checks the code; on success consumes it, creates the member on first sign-in (linking them to
/// whoever invited them, if they came through an invite), and opens a session.
pub async fn sign_in(
    db: &Db,
    secrets: &Secrets,
    phone: &PhoneNumber,
    code: &SmsCode,
    invite: Option<&str>,
    client: &ClientInfo,
    now: Timestamp,
) -> Result<SignedIn> {
    // Wrong codes make this number wait at this address (and, many more, the address): failures
    // only, so nobody can lock a shopper out by guessing from elsewhere.
    let account = lockout::account_key("sms", phone.as_str(), &client.ip);
    let address = lockout::address_key(&client.ip);
    lockout::check(db, &[&account, &address], now).await?;
    let mut tx = db.begin_write().await?;
    let row: Option<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, code_hash, attempts FROM sms_codes \
         WHERE phone = $1 AND purpose = $2 AND consumed_at IS NULL AND expires_at > $3 \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(phone.as_str())
    .bind(PURPOSE)
    .bind(now.millis())
    .fetch_optional(&mut **tx)
    .await?;
    let Some((code_id, stored_hash, attempts)) = row else {
        tx.commit().await?;
        return Err(AppError::SmsCodeExpired.into());
    };
    let given_hash = code_hash(secrets, phone, code.as_str());
    if !bool::from(given_hash.as_bytes().ct_eq(stored_hash.as_bytes())) {
        let attempts = attempts + 1;
        // The fifth wrong try burns the code.
        sqlx::query(
            "UPDATE sms_codes SET attempts = $1, consumed_at = CASE WHEN $1 >= $2 THEN $3 ELSE consumed_at END WHERE id = $4",
        )
        .bind(attempts)
        .bind(MAX_WRONG_TRIES)
        .bind(now.millis())
        .bind(code_id)
        .execute(&mut **tx)
        .await?;
        lockout::record_failure(&mut tx, &account, &PER_ACCOUNT_AND_ADDRESS, now).await?;
        lockout::record_failure(&mut tx, &address, &PER_ADDRESS, now).await?;
        tx.commit().await?;
        let attempts_left = (MAX_WRONG_TRIES - attempts).max(0);
        return Err(if attempts_left == 0 {
            AppError::SmsCodeExpired
        } else {
            AppError::SmsCodeWrong { attempts_left }
        }
        .into());
    }
    let consumed = sqlx::query("UPDATE sms_codes SET consumed_at = $1 WHERE id = $2 AND consumed_at IS NULL")
        .bind(now.millis())
        .bind(code_id)
        .execute(&mut **tx)
        .await?;
    if consumed.rows_affected() != 1 {
        return Err(AppError::SmsCodeExpired.into());
    }
    lockout::clear(&mut tx, &account).await?;
    let (member_id, created) = members::find_or_create_by_phone(&mut tx, phone, now).await?;
    if let Some(code) = invite.filter(|c| !c.is_empty()) {
        // An invite that does not apply (own code, already a member) is simply not linked.
        let _ = crate::invites::link(&mut tx, member_id, created, code, now).await?;
    }
    let session = sessions::create_for_member(&mut tx, member_id, client, now).await?;
    tx.commit().await?;
    Ok(SignedIn { member_id, created, session })
}

#[cfg(test)]
mod tests;
