//! The sub-card (副卡): the main holder invites one person, who accepts from their own account;
//! the main holder can unbind, the holder can leave, and a new binding waits for the cool-down.
//! While bound, the holder cannot buy a paid membership of their own.

use super::MembershipPolicy;
use crate::audit::{self, Actor, Entry};
use crate::{settings, Db, Result, Timestamp};
use plaza_types::{AppError, MemberId};
use rand::Rng;
use sqlx::AnyConnection;

/// When the member may next bind a sub-card (`None`: never unbound, no wait).
pub async fn next_bind_allowed(conn: &mut AnyConnection, main: MemberId, _now: Timestamp) -> Result<Option<Timestamp>> {
    let policy: MembershipPolicy = settings::get(&mut *conn).await?;
    let (last,): (Option<i64>,) = sqlx::query_as("SELECT MAX(unbound_at) FROM subcards WHERE main_member_id = $1")
        .bind(main.0)
        .fetch_one(&mut *conn)
        .await?;
    Ok(last.map(|t| Timestamp(t).plus_secs(policy.subcard_cooldown_days * 86_400)))
}

/// Creates an invitation code for the main card's sub-card.
pub async fn invite(db: &Db, main: MemberId, now: Timestamp) -> Result<String> {
    let policy: MembershipPolicy = settings::get(db.pool()).await?;
    let mut tx = db.begin_write().await?;
    if !super::status::own_is_active(&mut tx, main, now).await? {
        return Err(AppError::NotUsable.into());
    }
    let active: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM subcards WHERE main_member_id = $1 AND unbound_at IS NULL")
            .bind(main.0)
            .fetch_optional(&mut **tx)
            .await?;
    if active.is_some() {
        return Err(AppError::AlreadyExists.into());
    }
    if next_bind_allowed(&mut tx, main, now).await?.is_some_and(|t| t > now) {
        return Err(AppError::NotUsable.into());
    }
    let code: String = {
        const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
        let mut rng = rand::rngs::OsRng;
        (0..10).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
    };
    sqlx::query("INSERT INTO subcard_invites (code, main_member_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(&code)
        .bind(main.0)
        .bind(now.millis())
        .bind(now.plus_secs(policy.invite_valid_days * 86_400).millis())
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    Ok(code)
}

/// The invitee accepts from their own account. Refused for one's own card, an expired or used
/// invitation, someone who already holds or has a sub-card, and during the main card's cool-down.
pub async fn accept(db: &Db, sub: MemberId, code: &str, now: Timestamp) -> Result<MemberId> {
    let mut tx = db.begin_write().await?;
    let row: Option<(i64, i64, Option<i64>)> =
        sqlx::query_as("SELECT main_member_id, expires_at, accepted_by FROM subcard_invites WHERE code = $1")
            .bind(code.trim())
            .fetch_optional(&mut **tx)
            .await?;
    let (main, expires_at, accepted_by) = row.ok_or(AppError::NotFound)?;
    let main = MemberId(main);
    if main == sub || accepted_by.is_some() || expires_at <= now.millis() {
        return Err(AppError::NotUsable.into());
    }
    if !super::status::own_is_active(&mut tx, main, now).await?
        || next_bind_allowed(&mut tx, main, now).await?.is_some_and(|t| t > now)
    {
        return Err(AppError::NotUsable.into());
    }
    // A member with a running membership of their own, or already in a binding, cannot be a sub-card.
    let busy: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM subcards WHERE unbound_at IS NULL AND (sub_member_id = $1 OR main_member_id = $1 OR main_member_id = $2)",
    )
    .bind(sub.0)
    .bind(main.0)
    .fetch_optional(&mut **tx)
    .await?;
    if busy.is_some() || super::status::own_is_active(&mut tx, sub, now).await? {
        return Err(AppError::AlreadyExists.into());
    }
    let taken = sqlx::query(
        "UPDATE subcard_invites SET accepted_by = $1, accepted_at = $2 WHERE code = $3 AND accepted_by IS NULL",
    )
    .bind(sub.0)
    .bind(now.millis())
    .bind(code.trim())
    .execute(&mut **tx)
    .await?;
    if taken.rows_affected() != 1 {
        return Err(AppError::NotUsable.into());
    }
    // The partial unique indexes make a racing second binding fail; ON CONFLICT keeps the
    // transaction usable on PostgreSQL.
    let bound: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO subcards (main_member_id, sub_member_id, bound_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(main.0)
    .bind(sub.0)
    .bind(now.millis())
    .fetch_optional(&mut **tx)
    .await?;
    if bound.is_none() {
        return Err(AppError::AlreadyExists.into());
    }
    audit::append(
        &mut tx,
        Entry::new(&Actor::Member(sub), "subcard.bind").member(main).subject(format!("sub:{sub}")),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(main)
}

/// The main holder ends the binding; the cool-down starts now.
pub async fn unbind(db: &Db, main: MemberId, now: Timestamp) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query("UPDATE subcards SET unbound_at = $1 WHERE main_member_id = $2 AND unbound_at IS NULL")
        .bind(now.millis())
        .bind(main.0)
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::NotFound.into());
    }
    audit::append(&mut tx, Entry::new(&Actor::Member(main), "subcard.unbind").member(main), now).await?;
    tx.commit().await
}

/// The main card `sub` is bound to as its sub-card, if any.
pub async fn main_of(db: &Db, sub: MemberId) -> Result<Option<MemberId>> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT main_member_id FROM subcards WHERE sub_member_id = $1 AND unbound_at IS NULL")
            .bind(sub.0)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(main,)| MemberId(main)))
}

/// Refuses a paid membership of their own to a member bound as a sub-card (their points go to
/// the main card, and one person holds one card): the refusal names the way out — leaving the
/// main card, after which the main card waits the cool-down to bind someone else.
pub async fn refuse_if_bound(db: &Db, member: MemberId) -> Result<()> {
    if main_of(db, member).await?.is_none() {
        return Ok(());
    }
    let policy: MembershipPolicy = settings::get(db.pool()).await?;
    Err(AppError::SubcardBound { cooldown_days: policy.subcard_cooldown_days }.into())
}

/// The sub-card holder leaves the main card: the binding ends and the main card's cool-down
/// starts, as when the main holder unbinds. Returns the main card left.
pub async fn leave(db: &Db, sub: MemberId, now: Timestamp) -> Result<MemberId> {
    let mut tx = db.begin_write().await?;
    let left: Option<(i64,)> = sqlx::query_as(
        "UPDATE subcards SET unbound_at = $1 WHERE sub_member_id = $2 AND unbound_at IS NULL RETURNING main_member_id",
    )
    .bind(now.millis())
    .bind(sub.0)
    .fetch_optional(&mut **tx)
    .await?;
    let main = MemberId(left.ok_or(AppError::NotFound)?.0);
    let entry = Entry::new(&Actor::Member(sub), "subcard.leave").member(main).subject(format!("sub:{sub}"));
    audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(main)
}
