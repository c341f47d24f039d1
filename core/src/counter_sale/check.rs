//! The member check: a scanned member code, verified, kept server-side for a few minutes under
//! a random token, so the cashier's page can show the member and award a sale without the code
//! ever being in an address.

use crate::members::code;
use crate::points::account;
use crate::{members, membership, Db, Result, Secrets, Timestamp};
use plaza_types::dto::MemberCheckView;
use plaza_types::member_code::MemberCodeParts;
use plaza_types::{AppError, StaffId, TenantId};

/// How long after the scan the sale may be awarded.
pub const CHECK_TTL_SECS: i64 = 10 * 60;

/// Verifies `scanned` for a cashier of `tenant` (rate-limited per staff account, as identifying
/// is) and keeps the check; returns its token.
pub async fn check(
    db: &Db,
    secrets: &Secrets,
    tenant: TenantId,
    staff: StaffId,
    scanned: &str,
    now: Timestamp,
) -> Result<String> {
    let identity = code::identify(db, secrets, scanned, staff, now).await?;
    let digits = MemberCodeParts::parse(scanned).map_err(|_| AppError::MemberCodeInvalid)?.to_digits();
    let token = crate::codes::random_key();
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM member_checks WHERE expires_at < $1").bind(now.millis()).execute(&mut **tx).await?;
    sqlx::query(
        "INSERT INTO member_checks (token, tenant_id, staff_id, member_id, code, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&token)
    .bind(tenant.0)
    .bind(staff.0)
    .bind(identity.member_id.0)
    .bind(&digits)
    .bind(now.millis())
    .bind(now.plus_secs(CHECK_TTL_SECS).millis())
    .execute(&mut **tx)
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// A live check of this tenant: its member and code. Another tenant's token, an unknown one
/// and an expired one are all "expired": the cashier scans again.
pub(super) async fn live<'c, E: sqlx::Executor<'c, Database = sqlx::Any>>(
    executor: E,
    tenant: TenantId,
    token: &str,
    now: Timestamp,
) -> Result<(plaza_types::MemberId, String, i64)> {
    let row: Option<(i64, String, i64)> = sqlx::query_as(
        "SELECT member_id, code, expires_at FROM member_checks WHERE token = $1 AND tenant_id = $2 AND expires_at > $3",
    )
    .bind(token)
    .bind(tenant.0)
    .bind(now.millis())
    .fetch_optional(executor)
    .await?;
    let (member, code, expires_at) = row.ok_or(AppError::MemberCodeExpired)?;
    Ok((plaza_types::MemberId(member), code, expires_at))
}

/// What the cashier sees for a check: the member, level, points, paid membership.
pub async fn view_check(db: &Db, tenant: TenantId, token: &str, now: Timestamp) -> Result<MemberCheckView> {
    let (member, digits, expires_at) = live(db.pool(), tenant, token, now).await?;
    let identity = members::identity(db, member).await?;
    let balance = account::balance(db.pool(), member).await?;
    let paid = membership::badge(db, member, now).await?;
    let (bound,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM subcards WHERE sub_member_id = $1 AND unbound_at IS NULL")
            .bind(member.0)
            .fetch_one(db.pool())
            .await?;
    let (used,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM member_code_uses WHERE code = $1")
        .bind(&digits)
        .fetch_one(db.pool())
        .await?;
    Ok(MemberCheckView {
        token: token.to_string(),
        member: identity,
        points_available: balance.available,
        points_pending: balance.pending,
        paid,
        subcard: bound > 0,
        expires_in_secs: ((expires_at - now.millis()) / 1000).max(0),
        used: used > 0,
    })
}
