//! Earning-rate overrides (per category, per tenant) and points campaigns.

use crate::audit::{self, Actor, Entry};
use crate::input::invalid;
use crate::MallTz;
use crate::{mall, Db, Result, Timestamp};
use plaza_types::dto::{CampaignState, CampaignView, Localized, RateMilli, RateOverrideView, RuleScope};
use plaza_types::error::Field;
use plaza_types::{AppError, TenantId};
use sqlx::AnyConnection;

/// The category or tenant a scope names, if it exists.
async fn target_name(conn: &mut AnyConnection, scope: RuleScope) -> Result<Option<Localized>> {
    let (table, id) = match scope {
        RuleScope::Mall => return Ok(None),
        RuleScope::Category(id) => ("tenant_categories", id),
        RuleScope::Tenant(id) => ("tenants", id),
    };
    let row: Option<(String, String)> = sqlx::query_as(&format!("SELECT name_zh, name_en FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some((zh, en)) => Ok(Some(Localized::new(zh, en))),
        None => Err(invalid(Field::Tenant)),
    }
}

fn scope_of(category: Option<i64>, tenant: Option<i64>) -> RuleScope {
    match (category, tenant) {
        (Some(id), _) => RuleScope::Category(id),
        (None, Some(id)) => RuleScope::Tenant(id),
        (None, None) => RuleScope::Mall,
    }
}

fn tenant_of(scope: RuleScope) -> Option<TenantId> {
    match scope {
        RuleScope::Tenant(id) => Some(TenantId(id)),
        _ => None,
    }
}

type OverrideRow = (i64, Option<i64>, Option<i64>, i64, String, String);

/// Category overrides first, then tenant overrides, each by name.
pub async fn overrides(db: &Db) -> Result<Vec<RateOverrideView>> {
    let rows: Vec<OverrideRow> = sqlx::query_as(
        "SELECT o.id, o.category_id, o.tenant_id, o.points_per_yuan_milli, \
         COALESCE(c.name_zh, t.name_zh, ''), COALESCE(c.name_en, t.name_en, '') \
         FROM points_rate_overrides o \
         LEFT JOIN tenant_categories c ON c.id = o.category_id LEFT JOIN tenants t ON t.id = o.tenant_id \
         ORDER BY CASE WHEN o.category_id IS NULL THEN 1 ELSE 0 END, o.id",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, category, tenant, rate, zh, en)| RateOverrideView {
            id,
            scope: scope_of(category, tenant),
            target: Localized::new(zh, en),
            rate: RateMilli(rate),
        })
        .collect())
}

/// Sets the earning rate of one category or tenant (replacing its earlier override).
pub async fn set_override(db: &Db, scope: RuleScope, rate: RateMilli, operator: &Actor, now: Timestamp) -> Result<i64> {
    if !(0..=RateMilli::MAX.0).contains(&rate.0) {
        return Err(invalid(Field::Amount));
    }
    let (category, tenant, conflict) = match scope {
        RuleScope::Mall => return Err(invalid(Field::Tenant)),
        RuleScope::Category(id) => (Some(id), None, "(category_id) WHERE category_id IS NOT NULL"),
        RuleScope::Tenant(id) => (None, Some(id), "(tenant_id) WHERE tenant_id IS NOT NULL"),
    };
    let mut tx = db.begin_write().await?;
    target_name(&mut tx, scope).await?;
    let (id,): (i64,) = sqlx::query_as(&format!(
        "INSERT INTO points_rate_overrides (category_id, tenant_id, points_per_yuan_milli) VALUES ($1, $2, $3) \
         ON CONFLICT {conflict} DO UPDATE SET points_per_yuan_milli = excluded.points_per_yuan_milli RETURNING id"
    ))
    .bind(category)
    .bind(tenant)
    .bind(rate.0)
    .fetch_one(&mut **tx)
    .await?;
    let entry = Entry::new(operator, "rules.override.set")
        .tenant(tenant_of(scope))
        .subject(scope.value())
        .amount(rate.0)
        .details(format!("points_per_yuan={rate}"));
    audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn remove_override(db: &Db, id: i64, operator: &Actor, now: Timestamp) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let row: Option<(Option<i64>, Option<i64>, i64)> = sqlx::query_as(
        "DELETE FROM points_rate_overrides WHERE id = $1 RETURNING category_id, tenant_id, points_per_yuan_milli",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let (category, tenant, rate) = row.ok_or(AppError::NotFound)?;
    let scope = scope_of(category, tenant);
    let entry = Entry::new(operator, "rules.override.remove")
        .tenant(tenant_of(scope))
        .subject(scope.value())
        .amount(rate)
        .details(format!("points_per_yuan={}", RateMilli(rate)));
    audit::append(&mut tx, entry, now).await?;
    tx.commit().await
}

type CampaignRow = (i64, String, String, i64, i64, i64, Option<i64>, Option<i64>, Option<String>, Option<String>);

/// Running and upcoming campaigns first (soonest start first), then ended ones, newest first.
pub async fn campaigns(db: &Db, now: Timestamp, tz: &MallTz) -> Result<Vec<CampaignView>> {
    let rows: Vec<CampaignRow> = sqlx::query_as(
        "SELECT p.id, p.name_zh, p.name_en, p.multiplier_pct, p.starts_at, p.ends_at, p.category_id, p.tenant_id, \
         COALESCE(c.name_zh, t.name_zh), COALESCE(c.name_en, t.name_en) \
         FROM points_campaigns p \
         LEFT JOIN tenant_categories c ON c.id = p.category_id LEFT JOIN tenants t ON t.id = p.tenant_id \
         ORDER BY CASE WHEN p.ends_at > $1 THEN 0 ELSE 1 END, \
         CASE WHEN p.ends_at > $1 THEN p.starts_at ELSE -p.ends_at END, p.id LIMIT 200",
    )
    .bind(now.millis())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, zh, en, pct, starts, ends, category, tenant, target_zh, target_en)| CampaignView {
            id,
            name: Localized::new(zh, en),
            multiplier_pct: pct,
            starts_on: Timestamp(starts).local_date(tz),
            ends_on: Timestamp(ends - 1).local_date(tz),
            scope: scope_of(category, tenant),
            target: target_zh.map(|zh| Localized::new(zh, target_en.unwrap_or_default())),
            state: if now.millis() < starts {
                CampaignState::Upcoming
            } else if now.millis() >= ends {
                CampaignState::Ended
            } else {
                CampaignState::Running
            },
        })
        .collect())
}

/// A campaign as the form gives it: mall-local dates, both inclusive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCampaign {
    pub name: Localized,
    pub multiplier_pct: i64,
    pub starts_on: jiff::civil::Date,
    pub ends_on: jiff::civil::Date,
    pub scope: RuleScope,
}

/// Adds a campaign: from midnight of its first day to midnight after its last (mall time).
pub async fn add_campaign(db: &Db, new: &NewCampaign, operator: &Actor, now: Timestamp) -> Result<i64> {
    let name_ok = (1..=40).contains(&new.name.zh.trim().chars().count()) && new.name.en.trim().chars().count() <= 60;
    if !name_ok {
        return Err(invalid(Field::Name));
    }
    if !(101..=1000).contains(&new.multiplier_pct) {
        return Err(invalid(Field::Amount));
    }
    let tz = mall::timezone(db).await?;
    let starts = tz.start_of_date(new.starts_on)?;
    let after_last = new.ends_on.tomorrow().map_err(|_| invalid(Field::Date))?;
    let ends = tz.start_of_date(after_last)?;
    if new.ends_on < new.starts_on || ends <= now || (new.ends_on - new.starts_on).get_days() > 366 {
        return Err(invalid(Field::Date));
    }
    let (category, tenant) = match new.scope {
        RuleScope::Mall => (None, None),
        RuleScope::Category(id) => (Some(id), None),
        RuleScope::Tenant(id) => (None, Some(id)),
    };
    let mut tx = db.begin_write().await?;
    target_name(&mut tx, new.scope).await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO points_campaigns (name_zh, name_en, multiplier_pct, starts_at, ends_at, category_id, tenant_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(new.name.zh.trim())
    .bind(new.name.en.trim())
    .bind(new.multiplier_pct)
    .bind(starts.millis())
    .bind(ends.millis())
    .bind(category)
    .bind(tenant)
    .bind(now.millis())
    .fetch_one(&mut **tx)
    .await?;
    let entry = Entry::new(operator, "rules.campaign.add")
        .tenant(tenant_of(new.scope))
        .subject(format!("campaign:{id}"))
        .amount(new.multiplier_pct)
        .details(format!("{} {}..{} {}", new.name.zh.trim(), new.starts_on, new.ends_on, new.scope.value()));
    audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes a campaign (its past awards keep the points they earned).
pub async fn remove_campaign(db: &Db, id: i64, operator: &Actor, now: Timestamp) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let row: Option<(String, i64)> =
        sqlx::query_as("DELETE FROM points_campaigns WHERE id = $1 RETURNING name_zh, multiplier_pct")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    let (name, pct) = row.ok_or(AppError::NotFound)?;
    let entry =
        Entry::new(operator, "rules.campaign.remove").subject(format!("campaign:{id}")).amount(pct).details(name);
    audit::append(&mut tx, entry, now).await?;
    tx.commit().await
}
