//! What an award reads besides the purchase itself, in one round trip.

use super::policy::PointsPolicy;
use crate::{settings, MallTz, Result, Timestamp};
use plaza_types::{MemberId, TenantId};
use sqlx::AnyConnection;

/// Everything an award reads besides the purchase, in one statement (each was a round trip of
/// its own, five in a row on every payment): the points policy, the mall's time zone, the earning
/// rate (tenant override, else category override, else the policy's base rate), the member's
/// level multiplier, the highest campaign multiplier running now for the tenant or mall-wide, and
/// the member's latest day of earnings (for the daily cap; today's only if it is today).
pub(crate) struct EarningContext {
    pub policy: PointsPolicy,
    pub tz: MallTz,
    pub rate_milli: i64,
    pub level_pct: i64,
    pub campaign_pct: i64,
    latest_day: Option<(String, i64)>,
}

type ContextRow = (Option<String>, Option<String>, Option<i64>, Option<i64>, Option<i64>, Option<String>, Option<i64>);

impl EarningContext {
    pub(crate) async fn read(
        conn: &mut AnyConnection,
        tenant: Option<TenantId>,
        member: MemberId,
        now: Timestamp,
    ) -> Result<EarningContext> {
        let (policy, tz, rate, level, campaign, day, day_points): ContextRow = sqlx::query_as(
            "SELECT \
             (SELECT value FROM settings WHERE key = $3), \
             (SELECT timezone FROM mall WHERE id = 1), \
             (SELECT o.points_per_yuan_milli FROM points_rate_overrides o LEFT JOIN tenants t ON t.id = $1 \
              WHERE o.tenant_id = $1 OR o.category_id = t.category_id \
              ORDER BY CASE WHEN o.tenant_id IS NOT NULL THEN 0 ELSE 1 END LIMIT 1), \
             (SELECT l.multiplier_pct FROM members m JOIN levels l ON l.code = m.level_code WHERE m.id = $2), \
             (SELECT MAX(c.multiplier_pct) FROM points_campaigns c LEFT JOIN tenants t ON t.id = $1 \
              WHERE c.starts_at <= $4 AND c.ends_at > $4 \
              AND ((c.tenant_id IS NULL AND c.category_id IS NULL) OR c.tenant_id = $1 OR c.category_id = t.category_id)), \
             (SELECT day FROM points_daily_earned WHERE member_id = $2 ORDER BY day DESC LIMIT 1), \
             (SELECT points FROM points_daily_earned WHERE member_id = $2 ORDER BY day DESC LIMIT 1)",
        )
        .bind(tenant.map(|t| t.0))
        .bind(member.0)
        .bind(<PointsPolicy as settings::Setting>::KEY)
        .bind(now.millis())
        .fetch_one(&mut *conn)
        .await?;
        let policy: PointsPolicy = settings::from_stored(policy.as_deref())?;
        Ok(EarningContext {
            rate_milli: rate.unwrap_or(policy.points_per_yuan_milli),
            policy,
            tz: tz.as_deref().and_then(MallTz::parse).unwrap_or_else(MallTz::shanghai),
            level_pct: level.unwrap_or(100),
            campaign_pct: campaign.unwrap_or(100).max(100),
            latest_day: day.zip(day_points),
        })
    }

    /// Points the member already earned on `day` (mall time).
    pub(crate) fn earned_on(&self, day: &str) -> i64 {
        match &self.latest_day {
            Some((latest, points)) if latest == day => *points,
            _ => 0,
        }
    }
}
