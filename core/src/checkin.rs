//! Daily check-in (签到): once per member per mall-local day, with a streak bonus.

use crate::audit::Actor;
use crate::points::{credit, Credit};
use crate::settings::{self, Setting};
use crate::{mall, Db, Result, Timestamp};
use plaza_types::dto::CheckinStatus;
use plaza_types::{AppError, MemberId};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CheckinPolicy {
    pub enabled: bool,
    pub base_points: i64,
    /// Extra points on the Nth day of a streak, counted within a cycle of `cycle_days`.
    pub streak_bonus: Vec<(i64, i64)>,
    pub cycle_days: i64,
}

impl Default for CheckinPolicy {
    fn default() -> Self {
        CheckinPolicy { enabled: true, base_points: 5, streak_bonus: vec![(3, 10), (7, 30)], cycle_days: 7 }
    }
}

impl Setting for CheckinPolicy {
    const KEY: &'static str = "checkin.policy";
}

impl CheckinPolicy {
    /// Points for checking in on day `streak` of a streak.
    pub fn points_for(&self, streak: i64) -> i64 {
        let day_in_cycle = (streak - 1).rem_euclid(self.cycle_days.max(1)) + 1;
        let bonus: i64 = self.streak_bonus.iter().filter(|(day, _)| *day == day_in_cycle).map(|(_, p)| p).sum();
        self.base_points + bonus
    }

    pub fn is_valid(&self) -> bool {
        (0..=10_000).contains(&self.base_points)
            && (1..=31).contains(&self.cycle_days)
            && self.streak_bonus.iter().all(|(d, p)| (1..=self.cycle_days).contains(d) && (0..=100_000).contains(p))
    }
}

fn yesterday(day: &str) -> String {
    day.parse::<jiff::civil::Date>().ok().and_then(|d| d.yesterday().ok()).map(|d| d.to_string()).unwrap_or_default()
}

/// Checks the member in for today; `AlreadyToday` if they already did (nothing changes).
pub async fn check_in(db: &Db, member: MemberId, now: Timestamp) -> Result<(CheckinStatus, i64)> {
    let policy: CheckinPolicy = settings::get(db.pool()).await?;
    if !policy.enabled {
        return Err(AppError::Unavailable.into());
    }
    let tz = mall::timezone(db).await?;
    let today = now.local_date(&tz);
    let mut tx = db.begin_write().await?;
    let before: Option<(i64,)> = sqlx::query_as("SELECT streak FROM checkins WHERE member_id = $1 AND day = $2")
        .bind(member.0)
        .bind(yesterday(&today))
        .fetch_optional(&mut **tx)
        .await?;
    let streak = before.map(|(s,)| s + 1).unwrap_or(1);
    let points = policy.points_for(streak);
    let fresh: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO checkins (member_id, day, streak, points, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (member_id, day) DO NOTHING RETURNING streak",
    )
    .bind(member.0)
    .bind(&today)
    .bind(streak)
    .bind(points)
    .bind(now.millis())
    .fetch_optional(&mut **tx)
    .await?;
    if fresh.is_none() {
        return Err(AppError::AlreadyToday.into());
    }
    if points > 0 {
        let grant = Credit { member, points, source: "checkin", reference: &today, reason: "" };
        credit(&mut tx, &grant, &Actor::Member(member), now).await?;
    }
    tx.commit().await?;
    Ok((CheckinStatus { checked_in_today: true, streak, next_points: policy.points_for(streak + 1) }, points))
}

pub async fn status(db: &Db, member: MemberId, now: Timestamp) -> Result<CheckinStatus> {
    let policy: CheckinPolicy = settings::get(db.pool()).await?;
    let tz = mall::timezone(db).await?;
    let today = now.local_date(&tz);
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT day, streak FROM checkins WHERE member_id = $1 AND (day = $2 OR day = $3)")
            .bind(member.0)
            .bind(&today)
            .bind(yesterday(&today))
            .fetch_all(db.pool())
            .await?;
    let today_streak = rows.iter().find(|(d, _)| *d == today).map(|(_, s)| *s);
    let yesterday_streak = rows.iter().find(|(d, _)| *d != today).map(|(_, s)| *s).unwrap_or(0);
    Ok(match today_streak {
        Some(streak) => CheckinStatus { checked_in_today: true, streak, next_points: policy.points_for(streak + 1) },
        None => CheckinStatus {
            checked_in_today: false,
            streak: yesterday_streak,
            next_points: policy.points_for(yesterday_streak + 1),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{seed_member, test_db};

    const T0: Timestamp = Timestamp(1_773_108_000_000); // 2026-03-10 10:00 Shanghai

    #[test]
    fn streak_bonuses_repeat_each_cycle() {
        let p = CheckinPolicy::default();
        let week: Vec<i64> = (1..=8).map(|d| p.points_for(d)).collect();
        assert_eq!(week, vec![5, 5, 15, 5, 5, 5, 35, 5]);
    }

    #[tokio::test]
    async fn once_a_day_and_the_streak_counts_consecutive_days() {
        let db = test_db().await;
        let m = seed_member(&db, "13000000001").await;
        let (s, points) = check_in(&db, m, T0).await.unwrap();
        assert_eq!((s.streak, points), (1, 5));
        let err = check_in(&db, m, T0.plus_secs(3600)).await.unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::AlreadyToday)));
        // 23:59 and 00:01 Shanghai are different days.
        check_in(&db, m, T0.plus_secs(86_400)).await.unwrap();
        let (s, points) = check_in(&db, m, T0.plus_secs(2 * 86_400)).await.unwrap();
        assert_eq!((s.streak, points), (3, 15));
        // A missed day restarts the streak.
        let (s, _) = check_in(&db, m, T0.plus_secs(4 * 86_400)).await.unwrap();
        assert_eq!(s.streak, 1);
        assert_eq!(crate::points::account::balance(db.pool(), m).await.unwrap().available, 30);
        let st = status(&db, m, T0.plus_secs(5 * 86_400)).await.unwrap();
        assert_eq!(st, CheckinStatus { checked_in_today: false, streak: 1, next_points: 5 });
    }

    #[tokio::test]
    async fn racing_check_ins_credit_once() {
        let db = test_db().await;
        let m = seed_member(&db, "13000000002").await;
        let tasks: Vec<_> = (0..10)
            .map(|_| {
                let db = db.db();
                tokio::spawn(async move { check_in(&db, m, T0).await })
            })
            .collect();
        let mut ok = 0;
        for t in tasks {
            if t.await.unwrap().is_ok() {
                ok += 1;
            }
        }
        assert_eq!(ok, 1);
        assert_eq!(crate::points::account::balance(db.pool(), m).await.unwrap().available, 5);
    }
}
