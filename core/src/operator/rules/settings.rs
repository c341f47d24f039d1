//! Changing the typed settings behind the rules page (points policy, check-in, invites, birthday
//! gift) and the level table. Each change is one transaction with its audit entry, whose details
//! hold the new value as JSON.

use crate::audit::{self, Actor, Entry};
use crate::checkin::CheckinPolicy;
use crate::coupons::issue::BirthdayPolicy;
use crate::coupons::templates::find_by_code;
use crate::input::{invalid, number};
use crate::invites::InvitePolicy;
use crate::levels::{self, Level};
use crate::points::{NegativeBalance, PointsPolicy};
use crate::settings::{self, Setting};
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{LevelForm, Localized, RateMilli};
use plaza_types::error::Field;
use plaza_types::Fen;
use sqlx::AnyConnection;

/// The part of [`PointsPolicy`] the rules page edits (the tender rules stay as they are).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyChange {
    pub rate: RateMilli,
    pub refund_window_days: i64,
    pub daily_earn_cap: Option<i64>,
    pub negative_balance: NegativeBalance,
}

async fn put_audited<S: Setting>(
    conn: &mut AnyConnection,
    value: &S,
    action: &'static str,
    operator: &Actor,
    now: Timestamp,
) -> Result<()> {
    settings::put(&mut *conn, value, now).await?;
    let details = serde_json::to_string(value).map_err(|e| crate::Error::internal(e.to_string()))?;
    audit::append(conn, Entry::new(operator, action).subject(S::KEY).details(details), now).await?;
    Ok(())
}

pub async fn save_points_policy(db: &Db, change: &PolicyChange, operator: &Actor, now: Timestamp) -> Result<()> {
    let valid = (0..=RateMilli::MAX.0).contains(&change.rate.0)
        && (0..=90).contains(&change.refund_window_days)
        && change.daily_earn_cap.is_none_or(|cap| (1..=10_000_000).contains(&cap));
    if !valid {
        return Err(invalid(Field::Amount));
    }
    let mut tx = db.begin_write().await?;
    let mut policy: PointsPolicy = settings::get(&mut **tx).await?;
    policy.points_per_yuan_milli = change.rate.0;
    policy.refund_window_days = change.refund_window_days;
    policy.daily_earn_cap = change.daily_earn_cap;
    policy.negative_balance = change.negative_balance;
    put_audited(&mut tx, &policy, "rules.points_policy", operator, now).await?;
    tx.commit().await
}

/// Reads `3:10, 7:30` (day of the streak cycle : bonus points); empty means no bonus.
pub fn parse_streak_bonus(text: &str) -> Result<Vec<(i64, i64)>> {
    text.split([',', '，', ';', '\n'])
        .map(str::trim)
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (day, points) = pair.split_once([':', '：']).ok_or_else(|| invalid(Field::Amount))?;
            Ok((number(day, Field::Amount)?, number(points, Field::Amount)?))
        })
        .collect()
}

pub async fn save_checkin(db: &Db, policy: &CheckinPolicy, operator: &Actor, now: Timestamp) -> Result<()> {
    if !policy.is_valid() {
        return Err(invalid(Field::Amount));
    }
    let mut tx = db.begin_write().await?;
    put_audited(&mut tx, policy, "rules.checkin", operator, now).await?;
    tx.commit().await
}

pub async fn save_invite(db: &Db, policy: &InvitePolicy, operator: &Actor, now: Timestamp) -> Result<()> {
    if !(0..=100_000).contains(&policy.inviter_points)
        || !(0..=1_000).contains(&policy.max_rewards_per_day)
        || !(1..=1_000_000).contains(&policy.min_purchase_fen)
    {
        return Err(invalid(Field::Amount));
    }
    let mut tx = db.begin_write().await?;
    put_audited(&mut tx, policy, "rules.invite", operator, now).await?;
    tx.commit().await
}

/// Names the birthday gift's template by code; `None` turns the birthday gift off.
pub async fn save_birthday_gift(db: &Db, template_code: Option<&str>, operator: &Actor, now: Timestamp) -> Result<()> {
    let mut tx = db.begin_write().await?;
    if let Some(code) = template_code {
        if find_by_code(&mut tx, code).await?.is_none() {
            return Err(invalid(Field::Coupon));
        }
    }
    let policy = BirthdayPolicy { template_code: template_code.map(str::to_string) };
    put_audited(&mut tx, &policy, "rules.birthday_gift", operator, now).await?;
    tx.commit().await
}

/// Replaces the level table from the form: every existing level, in rank order (the lowest first).
/// `levels::save` checks the thresholds and multipliers and audits the change.
pub async fn save_levels(db: &Db, rows: &[LevelForm], operator: &Actor, now: Timestamp) -> Result<()> {
    let mut parsed = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        parsed.push(Level {
            code: row.code.trim().to_string(),
            name: Localized::new(row.name_zh.trim(), row.name_en.trim()),
            rank: i as i64 + 1,
            min_spend: Fen::from_yuan_str(&row.min_spend).map_err(|_| invalid(Field::Level))?,
            multiplier_pct: number(&row.multiplier_pct, Field::Level)?,
        });
    }
    let mut tx = db.begin_write().await?;
    let mut existing: Vec<String> = levels::list(&mut **tx).await?.into_iter().map(|l| l.code).collect();
    let mut given: Vec<String> = parsed.iter().map(|l| l.code.clone()).collect();
    existing.sort();
    given.sort();
    if existing != given {
        return Err(invalid(Field::Level));
    }
    levels::save(&mut tx, &parsed, operator, now).await?;
    tx.commit().await
}
