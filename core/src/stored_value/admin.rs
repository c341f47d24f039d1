//! The stored-value reconciliation for finance: per mall-local day, opening + in − out = closing,
//! and whether the last closing matches the sum of every balance.

use crate::input::{date, invalid};
use crate::{mall, stored_value, Db, Result, Timestamp};
use plaza_types::dto::SvReconciliation;
use plaza_types::error::Field;

/// Days from `from` to `to` (mall-local dates, both inclusive); empty boxes mean the last 7 days.
pub async fn reconciliation(db: &Db, from: &str, to: &str, now: Timestamp) -> Result<SvReconciliation> {
    let tz = mall::timezone(db).await?;
    let today = date(&now.local_date(&tz))?;
    let to_day = if to.trim().is_empty() { today } else { date(to)? };
    let from_day = if from.trim().is_empty() {
        to_day.checked_sub(jiff::Span::new().days(6)).map_err(|_| invalid(Field::Date))?
    } else {
        date(from)?
    };
    let days = stored_value::reconciliation(db, from_day, to_day, &tz).await?;
    let total = stored_value::total(db).await?;
    let agrees = days.last().is_some_and(|d| d.closing == total);
    Ok(SvReconciliation {
        from: from_day.to_string(),
        to: to_day.to_string(),
        days,
        total,
        agrees,
        ends_today: to_day >= today,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Actor;
    use crate::testing::{seed_member, test_db};
    use plaza_types::{AppError, Fen, StaffId};

    const NOW: Timestamp = Timestamp(1_773_108_000_000); // 2026-03-10 10:00 Shanghai

    #[tokio::test]
    async fn the_last_week_by_default_and_the_closing_agrees_with_the_balances() {
        let db = test_db().await;
        let m = seed_member(&db, "13200000001").await;
        let mut tx = db.begin_write().await.unwrap();
        stored_value::credit(&mut tx, m, Fen(50_000), "topup", "pay-1", "", &Actor::System, NOW.minus_secs(86_400))
            .await
            .unwrap();
        stored_value::adjust(&mut tx, m, Fen(-1_000), "收银差错", &Actor::Staff(StaffId(1)), NOW).await.unwrap();
        tx.commit().await.unwrap();

        let r = reconciliation(&db, "", "", NOW).await.unwrap();
        assert_eq!((r.from.as_str(), r.to.as_str(), r.days.len()), ("2026-03-04", "2026-03-10", 7));
        let last_two: Vec<(i64, i64, i64, i64)> =
            r.days[5..].iter().map(|d| (d.opening.0, d.inflow.0, d.outflow.0, d.closing.0)).collect();
        assert_eq!(last_two, vec![(0, 50_000, 0, 50_000), (50_000, 0, 1_000, 49_000)]);
        assert_eq!(r.total, Fen(49_000));
        assert!(r.agrees && r.ends_today);

        let earlier = reconciliation(&db, "2026-03-01", "2026-03-09", NOW).await.unwrap();
        assert_eq!(earlier.days.len(), 9);
        assert!(!earlier.agrees && !earlier.ends_today, "a range ending before today leaves later movements out");

        for (from, to) in [("2026-03-10", "2026-03-01"), ("yesterday", ""), ("2025-01-01", "2026-03-10")] {
            let err = reconciliation(&db, from, to, NOW).await.unwrap_err();
            assert!(matches!(err, crate::Error::User(AppError::Invalid { field: Field::Date })), "{from}..{to}");
        }
    }
}
