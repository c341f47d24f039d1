//! What the member sees of their points: the ledger, newest first, what expires and when, and
//! when pending points become usable.

use crate::MallTz;
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{ExpiringLot, Localized, MaturingPoints, PointsLine};
use plaza_types::MemberId;

#[derive(sqlx::FromRow)]
struct LineRow {
    id: i64,
    kind: String,
    points: i64,
    source: String,
    reference: String,
    reason: String,
    tenant_zh: Option<String>,
    tenant_en: Option<String>,
    created_at: i64,
}

/// The newest ledger lines, with the tenant's name where there is one.
pub async fn lines(
    db: &Db,
    member: MemberId,
    before_id: Option<i64>,
    limit: i64,
    tz: &MallTz,
) -> Result<Vec<PointsLine>> {
    let rows: Vec<LineRow> = sqlx::query_as(
        "SELECT m.id, m.kind, m.points, m.source, m.ref AS reference, m.reason, t.name_zh AS tenant_zh, \
         t.name_en AS tenant_en, m.created_at \
         FROM points_movements m LEFT JOIN tenants t ON t.id = m.tenant_id \
         WHERE m.member_id = $1 AND ($2 IS NULL OR m.id < $2) ORDER BY m.id DESC LIMIT $3",
    )
    .bind(member.0)
    .bind(before_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| PointsLine {
            id: r.id,
            kind: r.kind,
            points: r.points,
            source: r.source,
            reference: r.reference,
            reason: r.reason,
            tenant: r.tenant_zh.map(|zh| Localized::new(zh, r.tenant_en.unwrap_or_default())),
            at: Timestamp(r.created_at).format_local(tz),
        })
        .collect())
}

/// Available lots expiring within `days`, soonest first.
pub async fn expiring(db: &Db, member: MemberId, now: Timestamp, days: i64, tz: &MallTz) -> Result<Vec<ExpiringLot>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT remaining, expires_at FROM points_lots WHERE member_id = $1 AND state = 'available' AND remaining > 0 \
         AND expires_at <= $2 ORDER BY expires_at, id",
    )
    .bind(member.0)
    .bind(now.plus_secs(days * 86_400).millis())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(points, expires_at)| ExpiringLot { points, expires_on: last_usable_day(expires_at, tz) })
        .collect())
}

/// A lot expires at the first instant after its last day (mall time): that day is the one to show.
fn last_usable_day(expires_at: i64, tz: &MallTz) -> String {
    Timestamp(expires_at - 1).local_date(tz)
}

/// Every available point, summed by the last day it can be used, soonest first.
pub async fn expiries(db: &Db, member: MemberId, tz: &MallTz) -> Result<Vec<ExpiringLot>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT remaining, expires_at FROM points_lots WHERE member_id = $1 AND state = 'available' AND remaining > 0 \
         ORDER BY expires_at, id",
    )
    .bind(member.0)
    .fetch_all(db.pool())
    .await?;
    let mut out: Vec<ExpiringLot> = Vec::new();
    for (points, expires_at) in rows {
        let day = last_usable_day(expires_at, tz);
        match out.last_mut() {
            Some(last) if last.expires_on == day => last.points += points,
            _ => out.push(ExpiringLot { points, expires_on: day }),
        }
    }
    Ok(out)
}

/// Pending points, summed by the day (mall time) their refund window ends and they become
/// usable, soonest first.
pub async fn maturing(db: &Db, member: MemberId, tz: &MallTz) -> Result<Vec<MaturingPoints>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT remaining, matures_at FROM points_lots WHERE member_id = $1 AND state = 'pending' AND remaining > 0 \
         ORDER BY matures_at, id",
    )
    .bind(member.0)
    .fetch_all(db.pool())
    .await?;
    let mut out: Vec<MaturingPoints> = Vec::new();
    for (points, matures_at) in rows {
        let day = Timestamp(matures_at).local_date(tz);
        match out.last_mut() {
            Some(last) if last.usable_on == day => last.points += points,
            _ => out.push(MaturingPoints { points, usable_on: day }),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Actor;
    use crate::points::{award_for_purchase, credit, maintenance, spend, Award, Credit};
    use crate::testing::{seed_member, test_db};
    use plaza_types::Fen;

    /// 2026-03-10 10:00 Shanghai.
    const T0: Timestamp = Timestamp(1_773_108_000_000);
    const DAY: i64 = 86_400;
    fn tz() -> MallTz {
        MallTz::shanghai()
    }

    async fn buy(db: &Db, member: MemberId, fen: i64, reference: &str, now: Timestamp) {
        let mut tx = db.begin_write().await.unwrap();
        let award =
            Award { member, tenant: None, amount: Fen(fen), source: "plate_pay", external_ref: reference.into() };
        award_for_purchase(&mut tx, &award, now).await.unwrap();
        tx.commit().await.unwrap();
    }

    #[tokio::test]
    async fn pending_points_say_when_they_become_usable_and_available_ones_when_they_expire() {
        let db = test_db().await;
        let member = seed_member(&db, "13500009001").await;
        assert_eq!(
            (maturing(&db, member, &tz()).await.unwrap(), expiries(&db, member, &tz()).await.unwrap()),
            (vec![], vec![])
        );

        // Two purchases on the 10th, one on the 12th: pending for the 7-day refund window.
        buy(&db, member, 10_000, "p1", T0).await;
        buy(&db, member, 5_000, "p2", T0.plus_secs(3_600)).await;
        buy(&db, member, 2_000, "p3", T0.plus_secs(2 * DAY)).await;
        assert_eq!(
            maturing(&db, member, &tz()).await.unwrap(),
            vec![
                MaturingPoints { points: 150, usable_on: "2026-03-17".into() },
                MaturingPoints { points: 20, usable_on: "2026-03-19".into() },
            ]
        );

        // Points granted outright in 2026 and in 2027 expire at the end of the following year.
        let mut tx = db.begin_write().await.unwrap();
        let grant = Credit { member, points: 40, source: "checkin", reference: "", reason: "" };
        credit(&mut tx, &grant, &Actor::System, T0).await.unwrap();
        tx.commit().await.unwrap();
        maintenance::mature_due(&db, T0.plus_secs(7 * DAY + 3_600)).await.unwrap();
        assert_eq!(
            maturing(&db, member, &tz()).await.unwrap(),
            vec![MaturingPoints { points: 20, usable_on: "2026-03-19".into() }]
        );
        let mut tx = db.begin_write().await.unwrap();
        let later = Credit { member, points: 5, source: "checkin", reference: "", reason: "" };
        credit(&mut tx, &later, &Actor::System, T0.plus_secs(300 * DAY)).await.unwrap();
        // Spending takes from the lots closest to expiry; the remainder is what is shown.
        spend(&mut tx, member, 30, None, "test", "s1", &Actor::Member(member), T0.plus_secs(300 * DAY)).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            expiries(&db, member, &tz()).await.unwrap(),
            vec![
                ExpiringLot { points: 160, expires_on: "2027-12-31".into() },
                ExpiringLot { points: 5, expires_on: "2028-12-31".into() },
            ]
        );
    }
}
