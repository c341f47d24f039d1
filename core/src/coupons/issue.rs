//! Issuing coupons: one path for every channel, so stock and per-member limits always hold.

use super::new_code;
use super::templates::{TemplateRow, TEMPLATE_COLUMNS};
use crate::audit::{self, Actor, Entry};
use crate::settings::{self, Setting};
use crate::{mall, Db, Result, Timestamp};
use plaza_types::error::Field;
use plaza_types::{AppError, MemberId, PhoneNumber};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

/// Issues one coupon of `template` to `member` through `channel` (`claim`, `handout`, `batch`,
/// `birthday`, `points_mall`, `gift_pack`, …): takes one from the template's stock and one from the
/// member's allowance, both by conditional update, or changes nothing and says why.
pub async fn issue(
    conn: &mut AnyConnection,
    template: i64,
    member: MemberId,
    channel: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<i64> {
    issue_with(conn, template, member, channel, actor, now, true).await
}

/// `issue`, choosing whether the coupon counts against the template's per-member limit (gift
/// packs and the yearly birthday gift do not). A coupon a sub-card holder earns lands on the
/// main card; one an operator hands to a person stays with that person.
pub async fn issue_with(
    conn: &mut AnyConnection,
    template: i64,
    member: MemberId,
    channel: &str,
    actor: &Actor,
    now: Timestamp,
    counts_towards_limit: bool,
) -> Result<i64> {
    let member = if channel == "handout" { member } else { crate::membership::beneficiary(conn, member, now).await? };
    let row: Option<TemplateRow> =
        sqlx::query_as(&format!("SELECT {TEMPLATE_COLUMNS} FROM coupon_templates WHERE id = $1"))
            .bind(template)
            .fetch_optional(&mut *conn)
            .await?;
    let row = row.ok_or(AppError::NotFound)?;
    if row.status != "active" || row.valid_until.is_some_and(|until| until <= now.millis()) {
        return Err(AppError::NotUsable.into());
    }
    let stock = sqlx::query(
        "UPDATE coupon_templates SET issued_count = issued_count + 1 \
         WHERE id = $1 AND status = 'active' AND (total_stock IS NULL OR issued_count < total_stock)",
    )
    .bind(template)
    .execute(&mut *conn)
    .await?;
    if stock.rows_affected() != 1 {
        return Err(AppError::SoldOut.into());
    }
    if counts_towards_limit {
        let allowed: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO coupon_member_counts (template_id, member_id, issued) VALUES ($1, $2, 1) \
             ON CONFLICT (template_id, member_id) DO UPDATE SET issued = coupon_member_counts.issued + 1 \
             WHERE coupon_member_counts.issued < $3 RETURNING issued",
        )
        .bind(template)
        .bind(member.0)
        .bind(row.per_member_limit)
        .fetch_optional(&mut *conn)
        .await?;
        if allowed.is_none() {
            return Err(AppError::LimitReached.into());
        }
    }
    let (valid_from, valid_until) = match (row.valid_from, row.valid_until, row.valid_days) {
        (Some(from), Some(until), _) => (from, until),
        (_, _, Some(days)) => (now.millis(), now.plus_secs(days * 86_400).millis()),
        (_, Some(until), None) => (now.millis(), until),
        _ => return Err(crate::Error::internal(format!("template {template} has no validity"))),
    };
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO coupons (template_id, member_id, code, state, channel, issued_at, valid_from, valid_until) \
         VALUES ($1, $2, $3, 'available', $4, $5, $6, $7) RETURNING id",
    )
    .bind(template)
    .bind(member.0)
    .bind(new_code())
    .bind(channel)
    .bind(now.millis())
    .bind(valid_from)
    .bind(valid_until)
    .fetch_one(&mut *conn)
    .await?;
    super::lifecycle::event(conn, id, "issued", channel, actor, now).await?;
    let entry = Entry::new(actor, "coupon.issue")
        .member(member)
        .subject(format!("coupon:{id}"))
        .amount(row.value_fen)
        .details(format!("template={} channel={channel}", row.code));
    audit::append(conn, entry, now).await?;
    Ok(id)
}

/// A member claims a coupon in the claim centre (templates marked claimable only).
pub async fn claim(db: &Db, member: MemberId, template: i64, now: Timestamp) -> Result<i64> {
    let mut tx = db.begin_write().await?;
    let claimable: Option<(i64,)> = sqlx::query_as("SELECT claimable FROM coupon_templates WHERE id = $1")
        .bind(template)
        .fetch_optional(&mut **tx)
        .await?;
    if claimable.map(|(c,)| c) != Some(1) {
        return Err(AppError::NotFound.into());
    }
    let id = issue(&mut tx, template, member, "claim", &Actor::Member(member), now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Staff hand a coupon to one member, with a reason.
pub async fn hand_out(
    db: &Db,
    operator: &Actor,
    member: MemberId,
    template: i64,
    reason: &str,
    now: Timestamp,
) -> Result<i64> {
    if reason.trim().chars().count() < 2 {
        return Err(AppError::invalid(Field::Reason).into());
    }
    let mut tx = db.begin_write().await?;
    let id = issue(&mut tx, template, member, "handout", operator, now).await?;
    let entry =
        Entry::new(operator, "coupon.handout").member(member).subject(format!("coupon:{id}")).reason(reason.trim());
    audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// What a batch issue did, member by member.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchReport {
    pub issued: i64,
    /// Phone numbers skipped, with the reason (`unknown`, `sold_out`, `limit`, `invalid`).
    pub skipped: Vec<(String, String)>,
}

/// Issues one coupon to each listed member (by phone). Each member is a separate transaction:
/// one member at their limit does not stop the others; stock running out stops the rest.
pub async fn issue_batch(
    db: &Db,
    operator: &Actor,
    template: i64,
    phones: &[String],
    now: Timestamp,
) -> Result<BatchReport> {
    let mut report = BatchReport::default();
    let mut seen = std::collections::HashSet::new();
    for raw in phones {
        let Ok(phone) = PhoneNumber::parse(raw) else {
            report.skipped.push((raw.clone(), "invalid".into()));
            continue;
        };
        if !seen.insert(phone.clone()) {
            continue;
        }
        let member: Option<(i64,)> = sqlx::query_as("SELECT id FROM members WHERE phone = $1 AND status = 'active'")
            .bind(phone.as_str())
            .fetch_optional(db.pool())
            .await?;
        let Some((member,)) = member else {
            report.skipped.push((phone.masked(), "unknown".into()));
            continue;
        };
        let mut tx = db.begin_write().await?;
        match issue(&mut tx, template, MemberId(member), "batch", operator, now).await {
            Ok(_) => {
                tx.commit().await?;
                report.issued += 1;
            }
            Err(crate::Error::User(AppError::LimitReached)) => report.skipped.push((phone.masked(), "limit".into())),
            Err(crate::Error::User(AppError::SoldOut)) => report.skipped.push((phone.masked(), "sold_out".into())),
            Err(other) => return Err(other),
        }
    }
    Ok(report)
}

/// A birthday set (or changed by an operator) this recently earns no gift yet: otherwise a new
/// account could set its one-time birthday to today and collect at once.
pub const BIRTHDAY_SETTLES_DAYS: i64 = 30;

/// Which template is the birthday gift (the operator picks it; none: no automation).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BirthdayPolicy {
    pub template_code: Option<String>,
}

impl Setting for BirthdayPolicy {
    const KEY: &'static str = "coupons.birthday";
}

/// Issues the birthday gift to every member whose birthday is today (mall time), once per member
/// per year, however often it runs, and only to members who set their birthday at least
/// [`BIRTHDAY_SETTLES_DAYS`] ago. Returns how many were issued.
pub async fn issue_birthday_gifts(db: &Db, now: Timestamp) -> Result<i64> {
    let policy: BirthdayPolicy = settings::get(db.pool()).await?;
    let Some(code) = policy.template_code else { return Ok(0) };
    let tz = mall::timezone(db).await?;
    let today = now.local_date(&tz);
    let (year, month_day) = today.split_at(4);
    let channel = format!("birthday:{year}");
    let template: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM coupon_templates WHERE code = $1").bind(&code).fetch_optional(db.pool()).await?;
    let Some((template,)) = template else { return Ok(0) };
    // Members born on 29 February celebrate on the 28th in other years.
    let leap = jiff::civil::Date::new(year.parse().unwrap_or(2000), 2, 29).is_ok();
    let also = if month_day == "-02-28" && !leap { "-02-29" } else { month_day };
    let due: Vec<(i64,)> = sqlx::query_as(
        "SELECT m.id FROM members m WHERE m.status = 'active' AND (m.birthday LIKE $1 OR m.birthday LIKE $2) \
         AND m.birthday_set_at IS NOT NULL AND m.birthday_set_at <= $4 \
         AND NOT EXISTS (SELECT 1 FROM coupons c WHERE c.member_id = m.id AND c.channel = $3)",
    )
    .bind(format!("%{month_day}"))
    .bind(format!("%{also}"))
    .bind(&channel)
    .bind(now.minus_secs(BIRTHDAY_SETTLES_DAYS * 86_400).millis())
    .fetch_all(db.pool())
    .await?;
    let mut issued = 0;
    for (member,) in due {
        let mut tx = db.begin_write().await?;
        // Checked again inside the transaction: a second run racing this one issues nothing.
        let already: Option<(i64,)> = sqlx::query_as("SELECT id FROM coupons WHERE member_id = $1 AND channel = $2")
            .bind(member)
            .bind(&channel)
            .fetch_optional(&mut **tx)
            .await?;
        if already.is_some() {
            continue;
        }
        // The yearly gift does not count against the template's per-member limit.
        match issue_with(&mut tx, template, MemberId(member), &channel, &Actor::System, now, false).await {
            Ok(_) => {
                tx.commit().await?;
                issued += 1;
            }
            Err(crate::Error::User(AppError::SoldOut | AppError::NotUsable)) => break,
            Err(crate::Error::User(_)) => continue,
            Err(other) => return Err(other),
        }
    }
    Ok(issued)
}
