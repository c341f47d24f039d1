//! Stored value (储值): a balance in fen per member, never negative, changed only by appending a
//! movement and updating the balance in the same transaction — debits by a conditional update,
//! so no two payments can spend the same yuan. A daily reconciliation proves
//! opening + in − out = closing for finance.

pub mod admin;
pub mod credits;

use crate::audit::{self, Actor, Entry};
use crate::MallTz;
use crate::{Db, Result, Timestamp};
use plaza_types::dto::SvDay;
use plaza_types::error::Field;
use plaza_types::{AppError, Fen, MemberId};
use sqlx::{Any, AnyConnection, Executor};

/// Kinds of movement: `topup`, `bonus`, `refund` (money back into the balance), `spend`, `adjust`.
const CREDIT_KINDS: [&str; 4] = ["topup", "bonus", "refund", "adjust"];

pub async fn balance<'c, E: Executor<'c, Database = Any>>(executor: E, member: MemberId) -> Result<Fen> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT balance_fen FROM sv_accounts WHERE member_id = $1")
        .bind(member.0)
        .fetch_optional(executor)
        .await?;
    Ok(Fen(row.map(|(b,)| b).unwrap_or(0)))
}

/// Adds money. A non-empty `reference` (a payment or refund number) makes it idempotent:
/// the same reference credits once; repeating returns the balance unchanged.
#[allow(clippy::too_many_arguments)]
pub async fn credit(
    conn: &mut AnyConnection,
    member: MemberId,
    amount: Fen,
    kind: &'static str,
    reference: &str,
    reason: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<Fen> {
    if amount.0 <= 0 || !CREDIT_KINDS.contains(&kind) {
        return Err(AppError::invalid(Field::Amount).into());
    }
    if !reference.is_empty() && already(conn, kind, reference).await? {
        return balance(&mut *conn, member).await;
    }
    sqlx::query("INSERT INTO sv_accounts (member_id, balance_fen, updated_at) VALUES ($1, 0, $2) ON CONFLICT (member_id) DO NOTHING")
        .bind(member.0)
        .bind(now.millis())
        .execute(&mut *conn)
        .await?;
    let (after,): (i64,) = sqlx::query_as(
        "UPDATE sv_accounts SET balance_fen = balance_fen + $1, updated_at = $2 WHERE member_id = $3 RETURNING balance_fen",
    )
    .bind(amount.0)
    .bind(now.millis())
    .bind(member.0)
    .fetch_one(&mut *conn)
    .await?;
    record(conn, member, kind, amount.0, after, reference, reason, actor, now).await?;
    Ok(Fen(after))
}

/// Takes money if the balance covers it; otherwise `InsufficientBalance` and nothing changes.
#[allow(clippy::too_many_arguments)]
pub async fn debit(
    conn: &mut AnyConnection,
    member: MemberId,
    amount: Fen,
    kind: &'static str,
    reference: &str,
    reason: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<Fen> {
    if amount.0 <= 0 || !matches!(kind, "spend" | "adjust") {
        return Err(AppError::invalid(Field::Amount).into());
    }
    if !reference.is_empty() && already(conn, kind, reference).await? {
        return balance(&mut *conn, member).await;
    }
    let row: Option<(i64,)> = sqlx::query_as(
        "UPDATE sv_accounts SET balance_fen = balance_fen - $1, updated_at = $2 WHERE member_id = $3 AND balance_fen >= $1 \
         RETURNING balance_fen",
    )
    .bind(amount.0)
    .bind(now.millis())
    .bind(member.0)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((after,)) = row else {
        let have = balance(&mut *conn, member).await?;
        return Err(AppError::InsufficientBalance { available_fen: have.0 }.into());
    };
    record(conn, member, kind, -amount.0, after, reference, reason, actor, now).await?;
    Ok(Fen(after))
}

async fn already(conn: &mut AnyConnection, kind: &str, reference: &str) -> Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM sv_movements WHERE kind = $1 AND ref = $2")
        .bind(kind)
        .bind(reference)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.is_some())
}

#[allow(clippy::too_many_arguments)]
async fn record(
    conn: &mut AnyConnection,
    member: MemberId,
    kind: &'static str,
    amount: i64,
    after: i64,
    reference: &str,
    reason: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sv_movements (member_id, kind, amount_fen, balance_after, ref, reason, actor, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(member.0)
    .bind(kind)
    .bind(amount)
    .bind(after)
    .bind(reference)
    .bind(reason)
    .bind(actor.label())
    .bind(now.millis())
    .execute(&mut *conn)
    .await?;
    let entry = Entry::new(actor, if amount >= 0 { "sv.credit" } else { "sv.debit" })
        .member(member)
        .subject(format!("sv:{kind}"))
        .amount(amount)
        .details(reference)
        .reason(reason);
    audit::append(conn, entry, now).await?;
    Ok(())
}

/// An operator's correction with a mandatory reason (positive adds, negative takes).
pub async fn adjust(
    conn: &mut AnyConnection,
    member: MemberId,
    delta: Fen,
    reason: &str,
    operator: &Actor,
    now: Timestamp,
) -> Result<Fen> {
    if reason.trim().chars().count() < 2 {
        return Err(AppError::invalid(Field::Reason).into());
    }
    match delta.0 {
        0 => Err(AppError::invalid(Field::Amount).into()),
        d if d > 0 => credit(conn, member, delta, "adjust", "", reason.trim(), operator, now).await,
        d => debit(conn, member, Fen(-d), "adjust", "", reason.trim(), operator, now).await,
    }
}

/// One line of a member's stored-value history.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct Movement {
    pub id: i64,
    pub kind: String,
    pub amount_fen: i64,
    pub balance_after: i64,
    pub reference: String,
    pub reason: String,
    pub created_at: i64,
}

pub async fn movements(db: &Db, member: MemberId, limit: i64) -> Result<Vec<Movement>> {
    Ok(sqlx::query_as(
        "SELECT id, kind, amount_fen, balance_after, ref AS reference, reason, created_at FROM sv_movements \
         WHERE member_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(member.0)
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}

/// Day by day (mall time), the whole mall's stored value: opening, money in, money out, closing.
/// `to_day` inclusive; at most 93 days.
pub async fn reconciliation(
    db: &Db,
    from_day: jiff::civil::Date,
    to_day: jiff::civil::Date,
    tz: &MallTz,
) -> Result<Vec<SvDay>> {
    let start = |d: jiff::civil::Date| -> Result<Timestamp> { tz.start_of_date(d) };
    if to_day < from_day || (to_day - from_day).get_days() > 93 {
        return Err(AppError::invalid(Field::Date).into());
    }
    let mut day = from_day;
    let (mut opening,): (i64,) =
        sqlx::query_as("SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM sv_movements WHERE created_at < $1")
            .bind(start(from_day)?.millis())
            .fetch_one(db.pool())
            .await?;
    let mut days = Vec::new();
    while day <= to_day {
        let next = day.tomorrow().map_err(|e| crate::Error::internal(e.to_string()))?;
        let (inflow, outflow): (i64, i64) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(CASE WHEN amount_fen > 0 THEN amount_fen ELSE 0 END), 0) AS BIGINT), \
                    CAST(COALESCE(SUM(CASE WHEN amount_fen < 0 THEN -amount_fen ELSE 0 END), 0) AS BIGINT) \
             FROM sv_movements WHERE created_at >= $1 AND created_at < $2",
        )
        .bind(start(day)?.millis())
        .bind(start(next)?.millis())
        .fetch_one(db.pool())
        .await?;
        let closing = opening + inflow - outflow;
        days.push(SvDay {
            day: day.to_string(),
            opening: Fen(opening),
            inflow: Fen(inflow),
            outflow: Fen(outflow),
            closing: Fen(closing),
        });
        opening = closing;
        day = next;
    }
    Ok(days)
}

/// The sum of every member's balance, which the last closing must equal.
pub async fn total(db: &Db) -> Result<Fen> {
    let (sum,): (i64,) = sqlx::query_as("SELECT CAST(COALESCE(SUM(balance_fen), 0) AS BIGINT) FROM sv_accounts")
        .fetch_one(db.pool())
        .await?;
    Ok(Fen(sum))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{seed_member, test_db};

    const T0: Timestamp = Timestamp(1_773_108_000_000); // 2026-03-10 10:00 Shanghai

    #[tokio::test]
    async fn credits_and_debits_never_go_below_zero_and_reconcile() {
        let db = test_db().await;
        let m = seed_member(&db, "13200000001").await;
        let op = Actor::Staff(plaza_types::StaffId(1));
        let mut tx = db.begin_write().await.unwrap();
        credit(&mut tx, m, Fen(50_000), "topup", "pay-1", "", &Actor::System, T0).await.unwrap();
        credit(&mut tx, m, Fen(50_000), "topup", "pay-1", "", &Actor::System, T0).await.unwrap();
        credit(&mut tx, m, Fen(3_000), "bonus", "pay-1", "", &Actor::System, T0).await.unwrap();
        assert_eq!(balance(&mut **tx, m).await.unwrap(), Fen(53_000), "the same top-up counts once");
        debit(&mut tx, m, Fen(20_000), "spend", "order-1", "", &Actor::Member(m), T0.plus_secs(86_400)).await.unwrap();
        let err = debit(&mut tx, m, Fen(40_000), "spend", "order-2", "", &Actor::Member(m), T0).await.unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::InsufficientBalance { available_fen: 33_000 })));
        let err = adjust(&mut tx, m, Fen(-100), "", &op, T0).await.unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::Invalid { .. })));
        adjust(&mut tx, m, Fen(-1_000), "收银差错", &op, T0.plus_secs(86_400)).await.unwrap();
        tx.commit().await.unwrap();

        let d = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
        let days = reconciliation(&db, d("2026-03-09"), d("2026-03-11"), &MallTz::shanghai()).await.unwrap();
        let figures: Vec<(i64, i64, i64, i64)> =
            days.iter().map(|x| (x.opening.0, x.inflow.0, x.outflow.0, x.closing.0)).collect();
        assert_eq!(figures, vec![(0, 0, 0, 0), (0, 53_000, 0, 53_000), (53_000, 0, 21_000, 32_000)]);
        assert_eq!(total(&db).await.unwrap(), days.last().unwrap().closing);
    }

    #[tokio::test]
    async fn concurrent_debits_never_overdraw() {
        let db = test_db().await;
        let m = seed_member(&db, "13200000002").await;
        let mut tx = db.begin_write().await.unwrap();
        credit(&mut tx, m, Fen(10_000), "topup", "p", "", &Actor::System, T0).await.unwrap();
        tx.commit().await.unwrap();
        let tasks: Vec<_> = (0..100)
            .map(|i| {
                let db = db.db();
                tokio::spawn(async move {
                    let mut tx = db.begin_write().await?;
                    debit(&mut tx, m, Fen(300), "spend", &format!("o{i}"), "", &Actor::Member(m), T0).await?;
                    tx.commit().await
                })
            })
            .collect();
        let mut ok = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(()) => ok += 1,
                Err(crate::Error::User(AppError::InsufficientBalance { .. })) => {}
                Err(other) => panic!("{other:?}"),
            }
        }
        assert_eq!(ok, 33);
        assert_eq!(balance(db.pool(), m).await.unwrap(), Fen(100));
    }
}
