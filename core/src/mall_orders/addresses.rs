//! The shopper's address book for delivery orders: a name, a mainland mobile number and an
//! address. An order copies the address it is sent to, so removing one changes no order.

use super::clean_text;
use crate::{Db, Result, Timestamp};
use plaza_types::dto::MallAddress;
use plaza_types::error::Field;
use plaza_types::{AppError, MemberId, PhoneNumber};
use sqlx::AnyConnection;

/// At most this many addresses per shopper.
pub const MAX_ADDRESSES: i64 = 20;

/// Adds an address; a missing or malformed phone, an empty name or address is refused.
pub async fn add(db: &Db, member: MemberId, name: &str, phone: &str, address: &str, now: Timestamp) -> Result<i64> {
    let name = clean_text(name, 30, true, Field::Name)?;
    let phone = PhoneNumber::parse(phone).map_err(|_| AppError::invalid(Field::Phone))?;
    let address = clean_text(address, 200, true, Field::Remark)?;
    let mut tx = db.begin_write().await?;
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM mall_addresses WHERE member_id = $1 AND removed_at IS NULL")
            .bind(member.0)
            .fetch_one(&mut **tx)
            .await?;
    if count >= MAX_ADDRESSES {
        return Err(AppError::LimitReached.into());
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO mall_addresses (member_id, name, phone, address, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(member.0)
    .bind(&name)
    .bind(phone.as_str())
    .bind(&address)
    .bind(now.millis())
    .fetch_one(&mut **tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes one of the shopper's own addresses (another's is not found).
pub async fn remove(db: &Db, member: MemberId, id: i64, now: Timestamp) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let gone = sqlx::query(
        "UPDATE mall_addresses SET removed_at = $1 WHERE id = $2 AND member_id = $3 AND removed_at IS NULL",
    )
    .bind(now.millis())
    .bind(id)
    .bind(member.0)
    .execute(&mut **tx)
    .await?;
    if gone.rows_affected() != 1 {
        return Err(AppError::NotFound.into());
    }
    tx.commit().await?;
    Ok(())
}

/// The shopper's addresses, newest first.
pub async fn list(db: &Db, member: MemberId) -> Result<Vec<MallAddress>> {
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, name, phone, address FROM mall_addresses WHERE member_id = $1 AND removed_at IS NULL ORDER BY id DESC",
    )
    .bind(member.0)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(|(id, name, phone, address)| MallAddress { id, name, phone, address }).collect())
}

/// One of the shopper's own addresses (another's is not found).
pub(crate) async fn own(conn: &mut AnyConnection, member: MemberId, id: i64) -> Result<MallAddress> {
    let row: Option<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, name, phone, address FROM mall_addresses WHERE id = $1 AND member_id = $2 AND removed_at IS NULL",
    )
    .bind(id)
    .bind(member.0)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|(id, name, phone, address)| MallAddress { id, name, phone, address })
        .ok_or_else(|| AppError::NotFound.into())
}
