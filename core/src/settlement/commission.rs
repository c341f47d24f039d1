//! The mall's commission rate per tenant, set by the mall administrator in basis points from a
//! mall date on. Rates are appended, never changed: a rate may start today or later, never in
//! the past, so a period already closed keeps the figures it had. The rate of a sale is the one
//! in force on the sale's mall date; with none set, it is 0.

use crate::audit::{self, Actor, Entry};
use crate::{mall, Db, MallTz, Result, Timestamp};
use jiff::civil::Date;
use plaza_types::dto::{CommissionRate, CommissionRates};
use plaza_types::error::Field;
use plaza_types::{AppError, TenantId};

/// The highest rate: all of the sale.
pub const MAX_BPS: i64 = 10_000;

/// A rate as typed, in percent with at most two decimals (`5`, `5.5`, `12.25`): basis points.
pub fn parse_percent(typed: &str) -> std::result::Result<i64, AppError> {
    let bad = || AppError::invalid(Field::Amount);
    let text = typed.trim().trim_end_matches(['%', '％']).trim();
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || whole.len() > 3 || frac.len() > 2 || (text.contains('.') && !digits(frac)) {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let frac: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().map_err(|_| bad())? };
    let bps = whole * 100 + frac;
    if bps > MAX_BPS {
        return Err(bad());
    }
    Ok(bps)
}

/// A tenant's rates, oldest first: (effective from, basis points).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schedule(Vec<(Date, i64)>);

impl Schedule {
    /// The rate in force on `date`: the latest start on or before it (rows come ordered by
    /// start, then by when they were set, so the newest of one date wins).
    pub fn on(&self, date: Date) -> i64 {
        self.0.iter().take_while(|(from, _)| *from <= date).last().map_or(0, |(_, bps)| *bps)
    }
}

/// The schedule of `tenant`.
pub async fn schedule(db: &Db, tenant: TenantId) -> Result<Schedule> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT effective_from, rate_bps FROM tenant_commission_rates WHERE tenant_id = $1 ORDER BY effective_from, id",
    )
    .bind(tenant.0)
    .fetch_all(db.pool())
    .await?;
    let mut dates = Vec::with_capacity(rows.len());
    for (from, bps) in rows {
        let from: Date = from.parse().map_err(|_| crate::Error::internal(format!("bad rate date {from}")))?;
        dates.push((from, bps));
    }
    Ok(Schedule(dates))
}

/// The rates of `tenant` for the operator's page: today's and every one set, newest first.
pub async fn rates(db: &Db, tenant: TenantId, now: Timestamp) -> Result<CommissionRates> {
    let tz = mall::timezone(db).await?;
    let today = tz.civil_date(now);
    let current_bps = schedule(db, tenant).await?.on(today);
    let rows: Vec<(i64, String, i64, String)> = sqlx::query_as(
        "SELECT rate_bps, effective_from, created_at, reason FROM tenant_commission_rates WHERE tenant_id = $1 \
         ORDER BY id DESC LIMIT 50",
    )
    .bind(tenant.0)
    .fetch_all(db.pool())
    .await?;
    let history = rows
        .into_iter()
        .map(|(rate_bps, effective_from, at, reason)| CommissionRate {
            rate_bps,
            effective_from,
            set_at: Timestamp(at).format_local(&tz),
            reason,
        })
        .collect();
    Ok(CommissionRates { today: today.to_string(), current_bps, history })
}

/// Sets `tenant`'s rate to `bps` from mall date `from` on (today or later), with the reason,
/// audited. The same rate set again for the same date is a no-op (a form sent twice).
pub async fn set(
    db: &Db,
    tenant: TenantId,
    bps: i64,
    from: &str,
    reason: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    if !(0..=MAX_BPS).contains(&bps) {
        return Err(AppError::invalid(Field::Amount).into());
    }
    let reason = reason.trim();
    if reason.chars().count() < 2 || reason.chars().count() > 200 {
        return Err(AppError::invalid(Field::Reason).into());
    }
    let tz: MallTz = mall::timezone(db).await?;
    let from: Date = from.trim().parse().map_err(|_| AppError::invalid(Field::Date))?;
    if from < tz.civil_date(now) {
        return Err(AppError::invalid(Field::Date).into());
    }
    let mut tx = db.begin_write().await?;
    let known: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM tenants WHERE id = $1").bind(tenant.0).fetch_optional(&mut **tx).await?;
    if known.is_none() {
        return Err(AppError::NotFound.into());
    }
    let last: Option<(i64,)> = sqlx::query_as(
        "SELECT rate_bps FROM tenant_commission_rates WHERE tenant_id = $1 AND effective_from = $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(tenant.0)
    .bind(from.to_string())
    .fetch_optional(&mut **tx)
    .await?;
    if last == Some((bps,)) {
        return Ok(());
    }
    let set_by = match actor {
        Actor::Staff(staff) => Some(staff.0),
        _ => None,
    };
    sqlx::query(
        "INSERT INTO tenant_commission_rates (tenant_id, rate_bps, effective_from, set_by, reason, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(tenant.0)
    .bind(bps)
    .bind(from.to_string())
    .bind(set_by)
    .bind(reason)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    let entry = Entry::new(actor, "tenant.commission")
        .tenant(Some(tenant))
        .subject(format!("tenant:{}", tenant.0))
        .details(format!("rate_bps={bps} from={from}"))
        .reason(reason);
    audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_becomes_basis_points() {
        assert_eq!(parse_percent("5"), Ok(500));
        assert_eq!(parse_percent("5.5"), Ok(550));
        assert_eq!(parse_percent(" 12.25% "), Ok(1_225));
        assert_eq!(parse_percent("0"), Ok(0));
        assert_eq!(parse_percent("100"), Ok(10_000));
        for bad in ["", "-1", "100.01", "5.555", "abc", "5.", ".5", "1e2"] {
            assert_eq!(parse_percent(bad), Err(AppError::invalid(Field::Amount)), "{bad}");
        }
    }

    #[test]
    fn the_rate_of_a_date_is_the_latest_started() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let s = Schedule(vec![(d("2026-11-01"), 500), (d("2026-12-01"), 600), (d("2026-12-01"), 650)]);
        assert_eq!(s.on(d("2026-10-31")), 0);
        assert_eq!(s.on(d("2026-11-30")), 500);
        assert_eq!(s.on(d("2026-12-01")), 650);
        assert_eq!(s.on(d("2027-01-01")), 650);
    }
}
