//! Giving spent points back when the payment they paid is cancelled or refunded: into the same
//! lots they came from (latest expiry first), so they keep their original expiry. Points whose lot
//! has expired meanwhile are not revived; the ledger line says how many.

use super::account::{self, Movement};
use crate::audit::{self, Actor, Entry};
use crate::{Result, Timestamp};
use plaza_types::{MemberId, TenantId};
use sqlx::AnyConnection;

/// Restores up to `points` of the spend recorded under `(source, reference)`; returns how many
/// came back. Callers guard against restoring twice (a payment closes or refunds once).
pub async fn restore_spend(
    conn: &mut AnyConnection,
    member: MemberId,
    tenant: Option<TenantId>,
    source: &str,
    reference: &str,
    points: i64,
    now: Timestamp,
) -> Result<i64> {
    if points <= 0 {
        return Ok(0);
    }
    account::lock(conn, member, now).await?;
    // Lots drawn by that spend, less anything restored from them already.
    let lots: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT u.lot_id, CAST(SUM(CASE WHEN m.kind = 'spend' THEN u.points ELSE -u.points END) AS BIGINT), l.expires_at \
         FROM points_lot_uses u JOIN points_movements m ON m.id = u.movement_id JOIN points_lots l ON l.id = u.lot_id \
         WHERE m.member_id = $1 AND m.source = $2 AND m.ref = $3 AND m.kind IN ('spend', 'restore') \
         GROUP BY u.lot_id, l.expires_at ORDER BY l.expires_at DESC, u.lot_id DESC",
    )
    .bind(member.0)
    .bind(source)
    .bind(reference)
    .fetch_all(&mut *conn)
    .await?;
    let mut left = points;
    let (mut restored, mut lost) = (0, 0);
    let mut uses = Vec::new();
    for (lot, outstanding, expires_at) in lots {
        let take = outstanding.min(left);
        if take <= 0 {
            continue;
        }
        left -= take;
        if expires_at <= now.millis() {
            lost += take;
            continue;
        }
        sqlx::query("UPDATE points_lots SET remaining = remaining + $1, state = 'available' WHERE id = $2 AND remaining + $1 <= earned")
            .bind(take)
            .bind(lot)
            .execute(&mut *conn)
            .await?;
        uses.push((lot, take));
        restored += take;
    }
    if restored == 0 && lost == 0 {
        return Ok(0);
    }
    let after = account::shift(conn, member, restored, 0, 0).await?;
    let reason = if lost > 0 { format!("expired_meanwhile={lost}") } else { String::new() };
    let movement = Movement {
        member,
        kind: "restore",
        points: restored,
        tenant,
        source,
        reference,
        reason: &reason,
        actor: "system",
    };
    let id = account::record(conn, movement, after, now).await?;
    account::record_uses(conn, id, &uses).await?;
    let entry = Entry::new(&Actor::System, "points.restore")
        .member(member)
        .tenant(tenant)
        .subject(format!("{source}:{reference}"))
        .amount(restored);
    audit::append(conn, entry.reason(reason), now).await?;
    // A debt outstanding is paid from what came back, as from any lot becoming available.
    if after.debt > 0 {
        for (lot, _) in uses {
            super::award::recover_debt(conn, member, lot, now).await?;
        }
    }
    Ok(restored)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::points::{account::balance, credit, spend, Credit};
    use crate::testing::{seed_member, test_db};

    #[tokio::test]
    async fn spent_points_return_to_their_lots_once() {
        let db = test_db().await;
        let now = Timestamp(1_773_108_000_000);
        let m = seed_member(&db, "13100009999").await;
        let mut tx = db.begin_write().await.unwrap();
        credit(
            &mut tx,
            &Credit { member: m, points: 100, source: "checkin", reference: "", reason: "" },
            &Actor::System,
            now,
        )
        .await
        .unwrap();
        spend(&mut tx, m, 80, None, "payment", "P1", &Actor::Member(m), now).await.unwrap();
        assert_eq!(restore_spend(&mut tx, m, None, "payment", "P1", 30, now).await.unwrap(), 30);
        assert_eq!(
            restore_spend(&mut tx, m, None, "payment", "P1", 80, now).await.unwrap(),
            50,
            "only what is outstanding"
        );
        assert_eq!(restore_spend(&mut tx, m, None, "payment", "P1", 80, now).await.unwrap(), 0);
        tx.commit().await.unwrap();
        assert_eq!(balance(db.pool(), m).await.unwrap().available, 100);
    }
}
