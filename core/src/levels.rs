//! Member levels (普卡 / 银卡 / 金卡 / 钻石卡 by default, operator-configurable), decided by
//! qualifying spend over a rolling 12 months — not by points. Upgrades take effect the moment the
//! spend is recorded; downgrades only at the yearly review.

use crate::audit::{self, Actor, Entry};
use crate::settings::{self, Setting};
use crate::MallTz;
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{LevelBadge, LevelProgress, LevelRung, LevelsView, Localized, MyLevel};
use plaza_types::{Fen, MemberId};
use serde::{Deserialize, Serialize};
use sqlx::{Any, AnyConnection, Executor};

pub(crate) const YEAR_SECS: i64 = 365 * 86_400;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    pub code: String,
    pub name: Localized,
    pub rank: i64,
    pub min_spend: Fen,
    pub multiplier_pct: i64,
}

/// When the yearly downgrade review runs (mall time), default 1 January.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LevelPolicy {
    pub review_month: i8,
    pub review_day: i8,
}

impl Default for LevelPolicy {
    fn default() -> Self {
        LevelPolicy { review_month: 1, review_day: 1 }
    }
}

impl Setting for LevelPolicy {
    const KEY: &'static str = "levels.policy";
}

/// The lowest-ranked level: where every new member starts.
pub async fn entry_level_code(conn: &mut AnyConnection) -> Result<String> {
    let (code,): (String,) =
        sqlx::query_as("SELECT code FROM levels ORDER BY rank LIMIT 1").fetch_one(&mut *conn).await?;
    Ok(code)
}

pub async fn list<'c, E: Executor<'c, Database = Any>>(executor: E) -> Result<Vec<Level>> {
    let rows: Vec<(String, String, String, i64, i64, i64)> =
        sqlx::query_as("SELECT code, name_zh, name_en, rank, min_spend_fen, multiplier_pct FROM levels ORDER BY rank")
            .fetch_all(executor)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(code, zh, en, rank, min_spend, multiplier_pct)| Level {
            code,
            name: Localized::new(zh, en),
            rank,
            min_spend: Fen(min_spend),
            multiplier_pct,
        })
        .collect())
}

/// Qualifying spend of the last 12 months.
pub async fn spend_12m<'c, E: Executor<'c, Database = Any>>(
    executor: E,
    member: MemberId,
    now: Timestamp,
) -> Result<Fen> {
    let (sum,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM level_spend WHERE member_id = $1 AND spent_at > $2",
    )
    .bind(member.0)
    .bind(now.minus_secs(YEAR_SECS).millis())
    .fetch_one(executor)
    .await?;
    Ok(Fen(sum.max(0)))
}

/// Records qualifying spend (negative for a refund) and upgrades the member at once if a
/// higher level is reached.
pub async fn record_spend(
    conn: &mut AnyConnection,
    member: MemberId,
    award: Option<i64>,
    amount: Fen,
    now: Timestamp,
) -> Result<()> {
    if amount.0 == 0 {
        return Ok(());
    }
    sqlx::query("INSERT INTO level_spend (member_id, award_id, amount_fen, spent_at) VALUES ($1, $2, $3, $4)")
        .bind(member.0)
        .bind(award)
        .bind(amount.0)
        .bind(now.millis())
        .execute(&mut *conn)
        .await?;
    if amount.0 > 0 {
        move_to_earned_level(conn, member, now, true).await?;
    }
    Ok(())
}

/// Sets the level the spend earns; with `upgrade_only`, never lowers it. The member's level, the
/// rolling spend and the level that spend reaches are read in one statement (it runs on every
/// payment's completion).
async fn move_to_earned_level(
    conn: &mut AnyConnection,
    member: MemberId,
    now: Timestamp,
    upgrade_only: bool,
) -> Result<Option<String>> {
    type Row = (String, i64, i64, Option<String>, Option<i64>);
    let (current, current_rank, spend, target, target_rank): Row = sqlx::query_as(
        "SELECT m.level_code, COALESCE((SELECT rank FROM levels WHERE code = m.level_code), 0), s.spend, \
         (SELECT code FROM levels WHERE min_spend_fen <= s.spend ORDER BY rank DESC LIMIT 1), \
         (SELECT rank FROM levels WHERE min_spend_fen <= s.spend ORDER BY rank DESC LIMIT 1) \
         FROM members m, (SELECT CASE WHEN total < 0 THEN 0 ELSE total END AS spend FROM \
         (SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) AS total FROM level_spend \
          WHERE member_id = $1 AND spent_at > $2) t) s \
         WHERE m.id = $1",
    )
    .bind(member.0)
    .bind(now.minus_secs(YEAR_SECS).millis())
    .fetch_one(&mut *conn)
    .await?;
    let (Some(target_code), Some(target_rank)) = (target, target_rank) else { return Ok(None) };
    let moves = if upgrade_only { target_rank > current_rank } else { target_rank != current_rank };
    if !moves {
        return Ok(None);
    }
    sqlx::query("UPDATE members SET level_code = $1, updated_at = $2 WHERE id = $3")
        .bind(&target_code)
        .bind(now.millis())
        .bind(member.0)
        .execute(&mut *conn)
        .await?;
    let action = if target_rank > current_rank { "level.upgrade" } else { "level.downgrade" };
    let entry = Entry::new(&Actor::System, action)
        .member(member)
        .subject(format!("{current}->{target_code}"))
        .amount(spend)
        .details("rolling 12-month qualifying spend");
    audit::append(conn, entry, now).await?;
    Ok(Some(target_code))
}

/// The yearly review: every member moves to the level their last 12 months earn, down as well
/// as up. Returns how many members changed level.
pub async fn review_all(db: &Db, now: Timestamp) -> Result<u64> {
    let members: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM members WHERE status = 'active' ORDER BY id").fetch_all(db.pool()).await?;
    let mut changed = 0;
    for (id,) in members {
        let mut tx = db.begin_write().await?;
        if move_to_earned_level(&mut tx, MemberId(id), now, false).await?.is_some() {
            changed += 1;
        }
        tx.commit().await?;
    }
    Ok(changed)
}

/// Where the member stands and what the next level needs, for the card.
pub async fn progress(db: &Db, member: MemberId, now: Timestamp) -> Result<LevelProgress> {
    let levels = list(db.pool()).await?;
    let spend = spend_12m(db.pool(), member, now).await?;
    let (current,): (String,) =
        sqlx::query_as("SELECT level_code FROM members WHERE id = $1").bind(member.0).fetch_one(db.pool()).await?;
    let current_rank = levels.iter().find(|l| l.code == current).map(|l| l.rank).unwrap_or(0);
    let next = levels.iter().filter(|l| l.rank > current_rank).min_by_key(|l| l.rank);
    Ok(LevelProgress {
        spend_12m: spend,
        next: next.map(|l| LevelBadge { code: l.code.clone(), name: l.name.clone() }),
        needed: next.map(|l| Fen((l.min_spend.0 - spend.0).max(0))),
    })
}

/// The levels page: every level with its threshold and earning multiplier, the review date,
/// and — for a member — their level and what the next one needs. Reads only.
pub async fn ladder(db: &Db, member: Option<MemberId>, now: Timestamp) -> Result<LevelsView> {
    let levels = list(db.pool()).await?;
    let policy: LevelPolicy = settings::get(db.pool()).await?;
    let mine = match member {
        Some(member) => {
            let (code,): (String,) = sqlx::query_as("SELECT level_code FROM members WHERE id = $1")
                .bind(member.0)
                .fetch_one(db.pool())
                .await?;
            Some(MyLevel { code, progress: progress(db, member, now).await? })
        }
        None => None,
    };
    Ok(LevelsView {
        levels: levels
            .into_iter()
            .map(|l| LevelRung {
                badge: LevelBadge { code: l.code, name: l.name },
                min_spend: l.min_spend,
                multiplier_pct: l.multiplier_pct,
            })
            .collect(),
        review_month: policy.review_month,
        review_day: policy.review_day,
        mine,
    })
}

/// Replaces the level table (operator rules page). Codes stay stable; ranks follow the order
/// given; thresholds must rise with rank and the first must be zero.
pub async fn save(conn: &mut AnyConnection, levels: &[Level], operator: &Actor, now: Timestamp) -> Result<()> {
    use plaza_types::error::Field;
    use plaza_types::AppError;
    let valid = !levels.is_empty()
        && levels[0].min_spend.0 == 0
        && levels.windows(2).all(|w| w[0].min_spend < w[1].min_spend)
        && levels.iter().all(|l| (100..=1000).contains(&l.multiplier_pct) && !l.name.zh.trim().is_empty());
    if !valid {
        return Err(AppError::invalid(Field::Level).into());
    }
    for (i, level) in levels.iter().enumerate() {
        // Ranks move out of the way first so the UNIQUE(rank) constraint holds at every step.
        sqlx::query("UPDATE levels SET rank = rank + 1000 WHERE code = $1")
            .bind(&level.code)
            .execute(&mut *conn)
            .await?;
        let updated = sqlx::query(
            "UPDATE levels SET name_zh = $1, name_en = $2, min_spend_fen = $3, multiplier_pct = $4, rank = $5 WHERE code = $6",
        )
        .bind(level.name.zh.trim())
        .bind(level.name.en.trim())
        .bind(level.min_spend.0)
        .bind(level.multiplier_pct)
        .bind(-(i as i64) - 1)
        .bind(&level.code)
        .execute(&mut *conn)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(AppError::invalid(Field::Level).into());
        }
    }
    sqlx::query("UPDATE levels SET rank = -rank WHERE rank < 0").execute(&mut *conn).await?;
    let details = serde_json::to_string(levels).unwrap_or_default();
    audit::append(conn, Entry::new(operator, "levels.save").details(details), now).await?;
    Ok(())
}

/// Whether `now` falls on the configured review day (mall time).
pub async fn is_review_day(db: &Db, now: Timestamp, tz: &MallTz) -> Result<bool> {
    let policy: LevelPolicy = settings::get(db.pool()).await?;
    let date = now.local_date(tz);
    Ok(date.ends_with(&format!("-{:02}-{:02}", policy.review_month, policy.review_day)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::points::{award_for_purchase, Award};
    use crate::testing::{seed_member, test_db};

    /// 2026-03-10 10:00 Shanghai.
    const T0: Timestamp = Timestamp(1_773_108_000_000);

    #[tokio::test]
    async fn the_ladder_lists_every_level_and_where_the_member_stands() {
        let db = test_db().await;
        let anyone = ladder(&db, None, T0).await.unwrap();
        let codes: Vec<&str> = anyone.levels.iter().map(|l| l.badge.code.as_str()).collect();
        assert_eq!(codes, ["normal", "silver", "gold", "diamond"]);
        assert_eq!(anyone.levels[0].min_spend, Fen(0));
        assert!(anyone
            .levels
            .windows(2)
            .all(|w| w[0].min_spend < w[1].min_spend && w[0].multiplier_pct <= w[1].multiplier_pct));
        assert_eq!((anyone.review_month, anyone.review_day, anyone.mine), (1, 1, None));

        let member = seed_member(&db, "13500007001").await;
        let mut tx = db.begin_write().await.unwrap();
        let award =
            Award { member, tenant: None, amount: Fen(520_000), source: "plate_pay", external_ref: "l1".into() };
        award_for_purchase(&mut tx, &award, T0).await.unwrap();
        tx.commit().await.unwrap();
        let mine = ladder(&db, Some(member), T0).await.unwrap().mine.unwrap();
        assert_eq!(mine.code, "silver");
        assert_eq!(mine.progress.spend_12m, Fen(520_000));
        assert_eq!(mine.progress.next.map(|l| l.code).as_deref(), Some("gold"));
        assert_eq!(mine.progress.needed, Some(Fen(2_000_000 - 520_000)));
    }
}
