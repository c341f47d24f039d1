//! The earning rules an operator steers: the base points policy, rate overrides per category and
//! tenant, campaigns, the level table, check-in, invites and the birthday gift. Reading them is
//! here; changing them is in `settings` (the typed settings and levels) and `points::earning_rules` (overrides
//! and campaigns). Every change is audited with the operator as actor.

mod settings;

pub use crate::points::earning_rules::{add_campaign, remove_campaign, remove_override, set_override, NewCampaign};
pub use settings::{
    parse_streak_bonus, save_birthday_gift, save_checkin, save_invite, save_levels, save_points_policy, PolicyChange,
};

use crate::checkin::CheckinPolicy;
use crate::coupons::issue::BirthdayPolicy;
use crate::invites::InvitePolicy;
use crate::points::{NegativeBalance, PointsPolicy};
use crate::{levels, mall, settings as stored, Db, Result, Timestamp};
use plaza_types::dto::{CheckinPolicyView, InvitePolicyView, LevelView, PointsPolicyView, PointsRules, RateMilli};

/// `3:10, 7:30`: the streak bonuses as the form shows them.
pub fn streak_bonus_text(bonus: &[(i64, i64)]) -> String {
    bonus.iter().map(|(day, points)| format!("{day}:{points}")).collect::<Vec<_>>().join(", ")
}

/// Everything the rules page shows, with the lists its forms pick from.
pub async fn page(db: &Db, now: Timestamp) -> Result<PointsRules> {
    let tz = mall::timezone(db).await?;
    let policy: PointsPolicy = stored::get(db.pool()).await?;
    let checkin: CheckinPolicy = stored::get(db.pool()).await?;
    let invite: InvitePolicy = stored::get(db.pool()).await?;
    let birthday: BirthdayPolicy = stored::get(db.pool()).await?;
    Ok(PointsRules {
        policy: PointsPolicyView {
            rate: RateMilli(policy.points_per_yuan_milli),
            refund_window_days: policy.refund_window_days,
            daily_earn_cap: policy.daily_earn_cap,
            negative_balance: match policy.negative_balance {
                NegativeBalance::Allow => "allow".into(),
                NegativeBalance::Clamp => "clamp".into(),
            },
        },
        overrides: crate::points::earning_rules::overrides(db).await?,
        campaigns: crate::points::earning_rules::campaigns(db, now, &tz).await?,
        levels: levels::list(db.pool())
            .await?
            .into_iter()
            .map(|l| LevelView { code: l.code, name: l.name, min_spend: l.min_spend, multiplier_pct: l.multiplier_pct })
            .collect(),
        checkin: CheckinPolicyView {
            enabled: checkin.enabled,
            base_points: checkin.base_points,
            streak_bonus: streak_bonus_text(&checkin.streak_bonus),
            cycle_days: checkin.cycle_days,
        },
        invite: InvitePolicyView {
            inviter_points: invite.inviter_points,
            max_rewards_per_day: invite.max_rewards_per_day,
            min_purchase: plaza_types::Fen(invite.min_purchase_fen),
        },
        birthday_template: birthday.template_code,
        templates: crate::coupons::choices::templates(db).await?,
        categories: crate::tenants::choices::categories(db.pool()).await?,
        tenants: crate::tenants::choices::tenants(db.pool()).await?,
    })
}

#[cfg(test)]
mod tests;
