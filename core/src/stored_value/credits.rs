//! Manual stored-value credits: money made from nothing, so only the mall administrator may make
//! them, one administrator alone at most [`CreditPolicy::daily_cap`] per mall day, and a single
//! credit above [`CreditPolicy::approval_above`] waits for a *second* administrator. Debits
//! (corrections downwards) stay with both operator roles. Every request, approval and refusal is
//! audited; the credit itself goes through the stored-value ledger.

use crate::audit::{self, Actor, Entry};
use crate::principal::StaffPrincipal;
use crate::settings::{self, Setting};
use crate::MallTz;
use crate::{mall, stored_value, Db, Result, Timestamp};
use plaza_types::dto::{SvCreditRequest, SvCredits};
use plaza_types::error::Field;
use plaza_types::{AppError, Fen, MemberId, PhoneNumber, StaffRole};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

/// The limits, in the settings table (defaults: ¥500 alone, ¥5,000 a day).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreditPolicy {
    pub approval_above: Fen,
    pub daily_cap: Fen,
}

impl Default for CreditPolicy {
    fn default() -> Self {
        CreditPolicy { approval_above: Fen(50_000), daily_cap: Fen(500_000) }
    }
}

impl Setting for CreditPolicy {
    const KEY: &'static str = "stored_value.manual_credits";
}

/// What became of a credit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ManualCredit {
    /// Credited at once; the balance after it.
    Credited(Fen),
    /// Above the threshold: request `id` waits for another administrator.
    AwaitingApproval(i64),
}

/// The reference of an approved request's ledger line (one request credits once).
fn reference(request: i64) -> String {
    format!("svreq:{request}")
}

fn admin_only(by: &StaffPrincipal) -> Result<()> {
    match by.role {
        StaffRole::OperatorAdmin => Ok(()),
        _ => Err(AppError::Forbidden.into()),
    }
}

async fn ensure_active(conn: &mut AnyConnection, member: MemberId) -> Result<()> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT status FROM members WHERE id = $1").bind(member.0).fetch_optional(&mut *conn).await?;
    match row {
        None => Err(AppError::NotFound.into()),
        Some((status,)) if status != "active" => Err(AppError::NotUsable.into()),
        Some(_) => Ok(()),
    }
}

/// What administrators credited alone since the start of `now`'s mall day. Approved requests
/// (their reference says so) were two people's decision and do not count.
async fn credited_alone_today(conn: &mut AnyConnection, tz: &MallTz, now: Timestamp) -> Result<Fen> {
    let (sum,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM sv_movements \
         WHERE kind = 'adjust' AND amount_fen > 0 AND ref = '' AND created_at >= $1",
    )
    .bind(tz.start_of_day(now).millis())
    .fetch_one(&mut *conn)
    .await?;
    Ok(Fen(sum))
}

/// Makes the day's sum and the credit one step: on PostgreSQL the update takes the row's lock
/// until commit, so two administrators crediting at once are counted one after the other (on
/// SQLite write transactions are serial anyway).
async fn lock_the_day(conn: &mut AnyConnection, now: Timestamp) -> Result<()> {
    const LOCK: &str = "stored_value.manual_credits.lock";
    sqlx::query("INSERT INTO settings (key, value, updated_at) VALUES ($1, '{}', $2) ON CONFLICT (key) DO NOTHING")
        .bind(LOCK)
        .bind(now.millis())
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE settings SET updated_at = $1 WHERE key = $2")
        .bind(now.millis())
        .bind(LOCK)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// An administrator credits `amount` with a reason: at once within the day's cap, or as a request
/// for a second administrator above the threshold.
pub async fn credit(
    db: &Db,
    by: &StaffPrincipal,
    member: MemberId,
    amount: Fen,
    reason: &str,
    now: Timestamp,
) -> Result<ManualCredit> {
    admin_only(by)?;
    let reason = reason.trim();
    if reason.chars().count() < 2 {
        return Err(AppError::invalid(Field::Reason).into());
    }
    if amount.0 <= 0 {
        return Err(AppError::invalid(Field::Amount).into());
    }
    let policy: CreditPolicy = settings::get(db.pool()).await?;
    let tz = mall::timezone(db).await?;
    let actor = Actor::Staff(by.staff_id);
    let mut tx = db.begin_write().await?;
    ensure_active(&mut tx, member).await?;
    if amount > policy.approval_above {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO sv_credit_requests (member_id, amount_fen, reason, requested_by, requested_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(member.0)
        .bind(amount.0)
        .bind(reason)
        .bind(by.staff_id.0)
        .bind(now.millis())
        .fetch_one(&mut **tx)
        .await?;
        let entry = Entry::new(&actor, "sv.credit_requested")
            .member(member)
            .subject(format!("svreq:{id}"))
            .amount(amount.0)
            .reason(reason);
        audit::append(&mut tx, entry, now).await?;
        tx.commit().await?;
        return Ok(ManualCredit::AwaitingApproval(id));
    }
    lock_the_day(&mut tx, now).await?;
    let today = credited_alone_today(&mut tx, &tz, now).await?;
    let left = policy.daily_cap.0 - today.0;
    if amount.0 > left {
        // Says how much one administrator may still credit today.
        return Err(AppError::AmountOutOfRange { min_fen: 1, max_fen: left.max(0) }.into());
    }
    let balance = stored_value::credit(&mut tx, member, amount, "adjust", "", reason, &actor, now).await?;
    tx.commit().await?;
    Ok(ManualCredit::Credited(balance))
}

/// A second administrator approves a waiting request: it is credited once, with the requester's
/// reason, and the approval audited.
pub async fn approve(db: &Db, by: &StaffPrincipal, request: i64, now: Timestamp) -> Result<Fen> {
    admin_only(by)?;
    let mut tx = db.begin_write().await?;
    let row: Option<(i64, i64, String, i64, String)> = sqlx::query_as(
        "SELECT member_id, amount_fen, reason, requested_by, status FROM sv_credit_requests WHERE id = $1",
    )
    .bind(request)
    .fetch_optional(&mut **tx)
    .await?;
    let (member, amount, reason, requested_by, status) = row.ok_or(AppError::NotFound)?;
    if requested_by == by.staff_id.0 {
        // Four eyes: the one who asked cannot also say yes.
        return Err(AppError::Forbidden.into());
    }
    if status != "pending" {
        return Err(AppError::NotUsable.into());
    }
    let decided = sqlx::query(
        "UPDATE sv_credit_requests SET status = 'approved', decided_by = $1, decided_at = $2 \
         WHERE id = $3 AND status = 'pending'",
    )
    .bind(by.staff_id.0)
    .bind(now.millis())
    .bind(request)
    .execute(&mut **tx)
    .await?;
    if decided.rows_affected() != 1 {
        return Err(AppError::NotUsable.into());
    }
    let member = MemberId(member);
    ensure_active(&mut tx, member).await?;
    let actor = Actor::Staff(by.staff_id);
    let entry = Entry::new(&actor, "sv.credit_approved")
        .member(member)
        .subject(format!("svreq:{request}"))
        .amount(amount)
        .details(format!("requested by staff:{requested_by}"))
        .reason(reason.as_str());
    audit::append(&mut tx, entry, now).await?;
    let balance =
        stored_value::credit(&mut tx, member, Fen(amount), "adjust", &reference(request), &reason, &actor, now).await?;
    tx.commit().await?;
    Ok(balance)
}

/// An administrator (the requester too: withdrawing) refuses a waiting request; nothing moves.
pub async fn reject(db: &Db, by: &StaffPrincipal, request: i64, now: Timestamp) -> Result<()> {
    admin_only(by)?;
    let mut tx = db.begin_write().await?;
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT member_id, amount_fen FROM sv_credit_requests WHERE id = $1 AND status = 'pending'")
            .bind(request)
            .fetch_optional(&mut **tx)
            .await?;
    let (member, amount) = row.ok_or(AppError::NotUsable)?;
    sqlx::query(
        "UPDATE sv_credit_requests SET status = 'rejected', decided_by = NULL, decided_at = $1 \
         WHERE id = $2 AND status = 'pending'",
    )
    .bind(now.millis())
    .bind(request)
    .execute(&mut **tx)
    .await?;
    let entry = Entry::new(&Actor::Staff(by.staff_id), "sv.credit_rejected")
        .member(MemberId(member))
        .subject(format!("svreq:{request}"))
        .amount(amount);
    audit::append(&mut tx, entry, now).await?;
    tx.commit().await
}

/// One row of the query below.
type PendingRow = (i64, i64, String, i64, String, i64, String, i64);
/// The rules, today's sum, and the requests waiting (oldest first), as `viewer` sees them.
pub async fn overview(db: &Db, viewer: &StaffPrincipal, now: Timestamp) -> Result<SvCredits> {
    let policy: CreditPolicy = settings::get(db.pool()).await?;
    let tz = mall::timezone(db).await?;
    let mut conn = db.pool().acquire().await?;
    let credited_today = credited_alone_today(&mut conn, &tz, now).await?;
    let rows: Vec<PendingRow> = sqlx::query_as(
        "SELECT r.id, r.member_id, m.phone, r.amount_fen, r.reason, r.requested_by, s.username, r.requested_at \
         FROM sv_credit_requests r JOIN members m ON m.id = r.member_id JOIN staff s ON s.id = r.requested_by \
         WHERE r.status = 'pending' ORDER BY r.requested_at, r.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let pending = rows
        .into_iter()
        .map(|(id, member, phone, amount, reason, by, username, at)| SvCreditRequest {
            id,
            member_id: MemberId(member),
            masked_phone: PhoneNumber::parse(&phone).map(|p| p.masked()).unwrap_or_default(),
            amount: Fen(amount),
            reason,
            own: by == viewer.staff_id.0,
            requested_by: username,
            requested_at: Timestamp(at).format_local(&tz),
        })
        .collect();
    Ok(SvCredits { pending, approval_above: policy.approval_above, daily_cap: policy.daily_cap, credited_today })
}

#[cfg(test)]
mod tests;
