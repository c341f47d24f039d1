//! Database sessions. The cookie carries 32 random bytes; the table keeps their SHA-256, so a
//! leaked database does not leak live sessions.

use super::{ClientInfo, Principal, StaffPrincipal};
use crate::{Db, Result, Timestamp};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use plaza_types::{MemberId, StaffId, StaffRole, TenantId};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

pub const COOKIE: &str = "plaza_session";
pub const MEMBER_SESSION_SECS: i64 = 30 * 24 * 3600;
pub const STAFF_SESSION_SECS: i64 = 12 * 3600;
/// However active, a session ends this long after sign-in: a stolen cookie does not live for
/// ever by being used.
pub const MEMBER_ABSOLUTE_SECS: i64 = 90 * 24 * 3600;
pub const STAFF_ABSOLUTE_SECS: i64 = 24 * 3600;
/// A session is extended at most once per this interval, so page views are not all writes.
const SLIDE_EVERY_SECS: i64 = 3600;

/// A new session's token (for the cookie) and lifetime.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub token: String,
    pub max_age_secs: i64,
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub async fn create_for_member(
    conn: &mut AnyConnection,
    member: MemberId,
    client: &ClientInfo,
    now: Timestamp,
) -> Result<NewSession> {
    create(conn, Some(member), None, MEMBER_SESSION_SECS, client, now).await
}

pub async fn create_for_staff(
    conn: &mut AnyConnection,
    staff: StaffId,
    client: &ClientInfo,
    now: Timestamp,
) -> Result<NewSession> {
    create(conn, None, Some(staff), STAFF_SESSION_SECS, client, now).await
}

async fn create(
    conn: &mut AnyConnection,
    member: Option<MemberId>,
    staff: Option<StaffId>,
    lifetime_secs: i64,
    client: &ClientInfo,
    now: Timestamp,
) -> Result<NewSession> {
    let token = new_token();
    sqlx::query(
        "INSERT INTO sessions (token_hash, member_id, staff_id, created_at, last_seen_at, expires_at, user_agent, ip) \
         VALUES ($1, $2, $3, $4, $4, $5, $6, $7)",
    )
    .bind(token_hash(&token))
    .bind(member.map(|m| m.0))
    .bind(staff.map(|s| s.0))
    .bind(now.millis())
    .bind(now.plus_secs(lifetime_secs).millis())
    .bind(truncate(&client.user_agent, 300))
    .bind(truncate(&client.ip, 64))
    .execute(&mut *conn)
    .await?;
    Ok(NewSession { token, max_age_secs: lifetime_secs })
}

fn truncate(value: &str, max_chars: usize) -> String {
    value.chars().take(max_chars).collect()
}

type SessionRow = (Option<i64>, Option<i64>, i64, i64, i64, Option<String>, Option<String>, Option<i64>, Option<i64>);

/// The caller behind a session token, if the session is live and its account active.
pub async fn authenticate(db: &Db, token: &str, now: Timestamp) -> Result<Option<Principal>> {
    if token.is_empty() || token.len() > 100 {
        return Ok(None);
    }
    let hash = token_hash(token);
    let row: Option<SessionRow> = sqlx::query_as(
        "SELECT s.member_id, s.staff_id, s.created_at, s.last_seen_at, s.expires_at, m.status, st.role, st.tenant_id, \
                st.active \
         FROM sessions s \
         LEFT JOIN members m ON m.id = s.member_id \
         LEFT JOIN staff st ON st.id = s.staff_id \
         WHERE s.token_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(db.pool())
    .await?;
    let Some((member_id, staff_id, created_at, last_seen_at, expires_at, member_status, role, tenant_id, active)) = row
    else {
        return Ok(None);
    };
    let (lifetime, absolute) = match member_id {
        Some(_) => (MEMBER_SESSION_SECS, MEMBER_ABSOLUTE_SECS),
        None => (STAFF_SESSION_SECS, STAFF_ABSOLUTE_SECS),
    };
    let ends_at = Timestamp(created_at).plus_secs(absolute).millis();
    if expires_at <= now.millis() || ends_at <= now.millis() {
        return Ok(None);
    }
    let principal = match (member_id, staff_id) {
        (Some(member_id), None) if member_status.as_deref() == Some("active") => Principal::Member(MemberId(member_id)),
        (None, Some(staff_id)) if active == Some(1) => {
            let Some(role) = role.as_deref().and_then(StaffRole::parse) else {
                return Ok(None);
            };
            Principal::Staff(StaffPrincipal { staff_id: StaffId(staff_id), role, tenant_id: tenant_id.map(TenantId) })
        }
        _ => return Ok(None),
    };
    if now.millis() - last_seen_at > SLIDE_EVERY_SECS * 1000 {
        let mut tx = db.begin_write().await?;
        sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3")
            .bind(now.millis())
            .bind(now.plus_secs(lifetime).millis().min(ends_at))
            .bind(&hash)
            .execute(&mut **tx)
            .await?;
        tx.commit().await?;
    }
    Ok(Some(principal))
}

/// Signs out this device.
pub async fn end(db: &Db, token: &str) -> Result<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash(token)).execute(&mut **tx).await?;
    tx.commit().await
}

/// Signs out every device of the caller.
pub async fn end_all(db: &Db, principal: &Principal) -> Result<u64> {
    let mut tx = db.begin_write().await?;
    let result = match principal {
        Principal::Member(member) => {
            sqlx::query("DELETE FROM sessions WHERE member_id = $1").bind(member.0).execute(&mut **tx).await?
        }
        Principal::Staff(staff) => {
            sqlx::query("DELETE FROM sessions WHERE staff_id = $1").bind(staff.staff_id.0).execute(&mut **tx).await?
        }
    };
    tx.commit().await?;
    Ok(result.rows_affected())
}

/// Removes expired sessions (run periodically).
pub async fn purge_expired(db: &Db, now: Timestamp) -> Result<u64> {
    let mut tx = db.begin_write().await?;
    let result =
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now.millis()).execute(&mut **tx).await?;
    tx.commit().await?;
    Ok(result.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{seed_member, test_db};

    /// Finding 10 of issue 14: a session used every day slid for ever. It still slides (an idle
    /// month ends it), but never past 90 days from sign-in.
    #[tokio::test]
    async fn a_session_in_daily_use_still_ends_ninety_days_after_sign_in() {
        let db = test_db().await;
        let member = seed_member(&db, "13500000021").await;
        let t0 = Timestamp(1_800_000_000_000);
        let mut tx = db.begin_write().await.unwrap();
        let session = create_for_member(&mut tx, member, &ClientInfo::default(), t0).await.unwrap();
        tx.commit().await.unwrap();
        let day = 86_400;
        for d in 1..90 {
            let who = authenticate(&db, &session.token, t0.plus_secs(d * day)).await.unwrap();
            assert_eq!(who, Some(Principal::Member(member)), "day {d}");
        }
        let (expires_at,): (i64,) =
            sqlx::query_as("SELECT expires_at FROM sessions").fetch_one(db.pool()).await.unwrap();
        assert_eq!(expires_at, t0.plus_secs(MEMBER_ABSOLUTE_SECS).millis(), "the slide stops at the absolute end");
        assert_eq!(authenticate(&db, &session.token, t0.plus_secs(MEMBER_ABSOLUTE_SECS)).await.unwrap(), None);
        // An idle month still ends a session long before that.
        let mut tx = db.begin_write().await.unwrap();
        let idle = create_for_member(&mut tx, member, &ClientInfo::default(), t0).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(authenticate(&db, &idle.token, t0.plus_secs(MEMBER_SESSION_SECS + 1)).await.unwrap(), None);
    }
}
