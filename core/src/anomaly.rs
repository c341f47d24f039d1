//! The anomaly report: members whose points earned or redeemed over the last days are far above
//! what active members normally do — candidates for review, not verdicts.

use crate::{Db, Result, Timestamp};
use plaza_types::dto::AnomalyRow;
use plaza_types::PhoneNumber;

/// Flag members above `factor` × the median of active members, and above `floor` points.
pub async fn report(db: &Db, now: Timestamp, days: i64, factor: f64, floor: i64) -> Result<Vec<AnomalyRow>> {
    let since = now.minus_secs(days * 86_400).millis();
    let mut rows = Vec::new();
    for (measure, kinds, sign) in [("earned", "('earn')", 1), ("redeemed", "('spend')", -1)] {
        let sums: Vec<(i64, i64)> = sqlx::query_as(&format!(
            "SELECT member_id, CAST(SUM(points) AS BIGINT) FROM points_movements \
             WHERE kind IN {kinds} AND created_at >= $1 GROUP BY member_id"
        ))
        .bind(since)
        .fetch_all(db.pool())
        .await?;
        let mut values: Vec<i64> = sums.iter().map(|(_, p)| p * sign).filter(|p| *p > 0).collect();
        if values.is_empty() {
            continue;
        }
        values.sort_unstable();
        let median = values[values.len() / 2].max(1) as f64;
        for (member, points) in sums {
            let points = points * sign;
            let times = points as f64 / median;
            if points >= floor && times >= factor {
                let (phone, name): (String, String) = sqlx::query_as("SELECT phone, name FROM members WHERE id = $1")
                    .bind(member)
                    .fetch_one(db.pool())
                    .await?;
                rows.push(AnomalyRow {
                    member_id: member,
                    masked_phone: PhoneNumber::parse(&phone).map(|p| p.masked()).unwrap_or_default(),
                    name,
                    measure: measure.to_string(),
                    points,
                    times_norm: (times * 10.0).round() / 10.0,
                });
            }
        }
    }
    rows.sort_by(|a, b| b.times_norm.total_cmp(&a.times_norm));
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Actor;
    use crate::points::{credit, Credit};
    use crate::testing::{seed_member, test_db};

    #[tokio::test]
    async fn flags_the_member_far_above_the_norm() {
        let db = test_db().await;
        let now = Timestamp(1_773_108_000_000);
        for i in 0..9 {
            let m = seed_member(&db, &format!("1370000{i:04}")).await;
            let mut tx = db.begin_write().await.unwrap();
            credit(
                &mut tx,
                &Credit { member: m, points: 100 + i, source: "checkin", reference: "", reason: "" },
                &Actor::System,
                now,
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }
        let heavy = seed_member(&db, "13799999999").await;
        let mut tx = db.begin_write().await.unwrap();
        credit(
            &mut tx,
            &Credit { member: heavy, points: 50_000, source: "checkin", reference: "", reason: "" },
            &Actor::System,
            now,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let flagged = report(&db, now.plus_secs(60), 7, 10.0, 1_000).await.unwrap();
        assert_eq!(flagged.len(), 1);
        assert_eq!((flagged[0].member_id, flagged[0].measure.as_str()), (heavy.0, "earned"));
        assert!(flagged[0].times_norm > 400.0);
    }
}
