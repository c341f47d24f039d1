//! What an upload must pass before its body is read or a pixel decoded: the member's day's cap
//! and the per-member and per-address rates. A refused upload costs a query, not a decode.

use super::submit::DAILY_UPLOADS;
use crate::rate_limit::{self, limit, Limit};
use crate::{Db, Result, Timestamp};
use plaza_types::{AppError, MemberId};

/// A shopper with a handful of receipts, not a script.
const PER_MEMBER: [Limit; 1] = [limit(10, 600)];
/// A mall's shared Wi-Fi carries many shoppers.
const PER_ADDRESS: [Limit; 1] = [limit(120, 600)];

pub async fn admit(db: &Db, member: MemberId, address: &str, now: Timestamp) -> Result<()> {
    let (recent,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM receipts WHERE member_id = $1 AND created_at > $2")
        .bind(member.0)
        .bind(now.minus_secs(86_400).millis())
        .fetch_one(db.pool())
        .await?;
    if recent >= DAILY_UPLOADS {
        return Err(AppError::LimitReached.into());
    }
    let mut tx = db.begin_write().await?;
    rate_limit::hit(&mut tx, &format!("receipt-upload:member:{member}"), &PER_MEMBER, now).await?;
    rate_limit::hit(&mut tx, &format!("receipt-upload:ip:{address}"), &PER_ADDRESS, now).await?;
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{seed_member, test_db};

    #[tokio::test]
    async fn the_day_and_the_rate_are_checked_first() {
        let db = test_db().await;
        let member = seed_member(&db, "13500000051").await;
        let now = Timestamp(1_800_000_000_000);
        for i in 0..10 {
            admit(&db, member, "10.0.0.1", now.plus_secs(i)).await.unwrap();
        }
        let err = admit(&db, member, "10.0.0.1", now.plus_secs(11)).await.unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::RateLimited { .. })), "{err:?}");
        admit(&db, member, "10.0.0.1", now.plus_secs(601)).await.unwrap();

        let full = seed_member(&db, "13500000052").await;
        let mut tx = db.begin_write().await.unwrap();
        for i in 0..DAILY_UPLOADS {
            sqlx::query(
                "INSERT INTO receipts (member_id, photo_key, thumb_key, sha256, photo_bytes, status, created_at, updated_at) \
                 VALUES ($1, $2, $2, $2, 1, 'review', $3, $3)",
            )
            .bind(full.0)
            .bind(format!("k{i}"))
            .bind(now.millis())
            .execute(&mut **tx)
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        let err = admit(&db, full, "10.0.0.2", now.plus_secs(60)).await.unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::LimitReached)), "{err:?}");
    }
}
