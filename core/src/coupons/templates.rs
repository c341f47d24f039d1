//! Coupon templates: what a coupon is worth, where and when it can be used, how many exist.

use crate::audit::{self, Actor, Entry};
use crate::MallTz;
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{CouponKind, CouponScope, CouponTemplateView, CouponTerms, Localized};
use plaza_types::error::Field;
use plaza_types::{AppError, Fen};
use sqlx::{Any, AnyConnection, Executor};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Validity {
    /// Between two instants, whenever issued.
    Fixed { from: Timestamp, until: Timestamp },
    /// For N days from the moment of issue.
    DaysAfterIssue(i64),
}

#[derive(Clone, Debug)]
pub struct NewTemplate {
    pub code: String,
    pub name: Localized,
    pub kind: CouponKind,
    pub value: Fen,
    pub percent_off: i64,
    pub threshold: Fen,
    pub parking_minutes: i64,
    /// `mall`, `category`, `tenant` or `products`, with the ids in scope.
    pub scope_kind: String,
    pub scope_ids: Vec<i64>,
    pub validity: Validity,
    pub per_member_limit: i64,
    pub total_stock: Option<i64>,
    /// Offered in the claim centre.
    pub claimable: bool,
    pub description: Localized,
}

fn invalid(field: Field) -> crate::Error {
    AppError::invalid(field).into()
}

impl NewTemplate {
    fn check(&self, now: Timestamp) -> Result<()> {
        let name_ok = |s: &str| (1..=40).contains(&s.trim().chars().count());
        if !name_ok(&self.name.zh) || self.name.en.chars().count() > 60 {
            return Err(invalid(Field::Name));
        }
        let code_ok = (2..=40).contains(&self.code.len())
            && self.code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !code_ok {
            return Err(invalid(Field::Coupon));
        }
        let value_ok = match self.kind {
            CouponKind::AmountOff | CouponKind::Cash | CouponKind::Birthday => self.value.0 > 0,
            CouponKind::PercentOff => (1..=99).contains(&self.percent_off) && self.value.0 >= 0,
            CouponKind::ThresholdOff => self.value.0 > 0 && self.threshold > self.value,
            CouponKind::Parking => (1..=24 * 60).contains(&self.parking_minutes),
            CouponKind::Experience => true,
        };
        if !value_ok || self.value.0 > 10_000_000 {
            return Err(invalid(Field::Amount));
        }
        match self.validity {
            Validity::DaysAfterIssue(days) if (1..=3650).contains(&days) => {}
            Validity::Fixed { from, until } if until > from && until > now => {}
            _ => return Err(invalid(Field::Coupon)),
        }
        if !(1..=100).contains(&self.per_member_limit) || self.total_stock.is_some_and(|s| s <= 0) {
            return Err(invalid(Field::Coupon));
        }
        let scope_ok = match self.scope_kind.as_str() {
            "mall" => self.scope_ids.is_empty(),
            "category" | "tenant" | "products" => !self.scope_ids.is_empty(),
            _ => false,
        };
        if !scope_ok {
            return Err(invalid(Field::Tenant));
        }
        Ok(())
    }
}

pub async fn create_template(
    conn: &mut AnyConnection,
    new: &NewTemplate,
    operator: &Actor,
    now: Timestamp,
) -> Result<i64> {
    new.check(now)?;
    let table = match new.scope_kind.as_str() {
        "category" => Some("tenant_categories"),
        "tenant" => Some("tenants"),
        _ => None,
    };
    if let Some(table) = table {
        for id in &new.scope_ids {
            let found: Option<(i64,)> = sqlx::query_as(&format!("SELECT id FROM {table} WHERE id = $1"))
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
            if found.is_none() {
                return Err(invalid(Field::Tenant));
            }
        }
    }
    let (from, until, days) = match new.validity {
        Validity::Fixed { from, until } => (Some(from.millis()), Some(until.millis()), None),
        Validity::DaysAfterIssue(days) => (None, None, Some(days)),
    };
    let scope_ids = new.scope_ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    let inserted: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO coupon_templates (code, name_zh, name_en, kind, value_fen, percent_off, threshold_fen, parking_minutes, \
         scope_kind, scope_ids, valid_from, valid_until, valid_days, per_member_limit, total_stock, claimable, \
         description_zh, description_en, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) \
         ON CONFLICT (code) DO NOTHING RETURNING id",
    )
    .bind(&new.code)
    .bind(new.name.zh.trim())
    .bind(new.name.en.trim())
    .bind(new.kind.as_str())
    .bind(new.value.0)
    .bind(new.percent_off)
    .bind(new.threshold.0)
    .bind(new.parking_minutes)
    .bind(&new.scope_kind)
    .bind(scope_ids)
    .bind(from)
    .bind(until)
    .bind(days)
    .bind(new.per_member_limit)
    .bind(new.total_stock)
    .bind(i64::from(new.claimable))
    .bind(new.description.zh.trim())
    .bind(new.description.en.trim())
    .bind(now.millis())
    .fetch_optional(&mut *conn)
    .await?;
    let (id,) = inserted.ok_or(AppError::AlreadyExists)?;
    let entry =
        Entry::new(operator, "coupon.template.create").subject(format!("template:{id}")).details(new.code.clone());
    audit::append(conn, entry, now).await?;
    Ok(id)
}

/// `active`, `paused` (no new issues) or `ended`.
pub async fn set_template_status(
    conn: &mut AnyConnection,
    id: i64,
    status: &str,
    operator: &Actor,
    now: Timestamp,
) -> Result<()> {
    if !matches!(status, "active" | "paused" | "ended") {
        return Err(invalid(Field::Coupon));
    }
    let updated = sqlx::query("UPDATE coupon_templates SET status = $1 WHERE id = $2")
        .bind(status)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if updated.rows_affected() == 0 {
        return Err(AppError::NotFound.into());
    }
    audit::append(
        conn,
        Entry::new(operator, "coupon.template.status").subject(format!("template:{id}")).details(status),
        now,
    )
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
pub(crate) struct TemplateRow {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: String,
    pub value_fen: i64,
    pub percent_off: i64,
    pub threshold_fen: i64,
    pub parking_minutes: i64,
    pub scope_kind: String,
    pub scope_ids: String,
    pub valid_from: Option<i64>,
    pub valid_until: Option<i64>,
    pub valid_days: Option<i64>,
    pub per_member_limit: i64,
    pub total_stock: Option<i64>,
    pub issued_count: i64,
    pub claimable: i64,
    pub status: String,
    pub description_zh: String,
    pub description_en: String,
}

pub(crate) const TEMPLATE_COLUMNS: &str = "id, code, name_zh, name_en, kind, value_fen, percent_off, threshold_fen, parking_minutes, \
     scope_kind, scope_ids, valid_from, valid_until, valid_days, per_member_limit, total_stock, issued_count, claimable, status, \
     description_zh, description_en";

impl TemplateRow {
    pub fn scope_ids(&self) -> Vec<i64> {
        self.scope_ids.split(',').filter_map(|s| s.trim().parse().ok()).collect()
    }
}

/// The terms of a template, with the names of what is in scope.
pub(crate) async fn terms<'c, E: Executor<'c, Database = Any>>(executor: E, row: &TemplateRow) -> Result<CouponTerms> {
    let ids = row.scope_ids();
    let names = |table: &str| {
        format!(
            "SELECT name_zh, name_en FROM {table} WHERE id IN ({}) ORDER BY id",
            if ids.is_empty() {
                "NULL".to_string()
            } else {
                ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",")
            }
        )
    };
    let scope = match row.scope_kind.as_str() {
        "category" => {
            let rows: Vec<(String, String)> = sqlx::query_as(&names("tenant_categories")).fetch_all(executor).await?;
            CouponScope::Categories(rows.into_iter().map(|(zh, en)| Localized::new(zh, en)).collect())
        }
        "tenant" => {
            let rows: Vec<(String, String)> = sqlx::query_as(&names("tenants")).fetch_all(executor).await?;
            CouponScope::Tenants(rows.into_iter().map(|(zh, en)| Localized::new(zh, en)).collect())
        }
        "products" => CouponScope::Products(Vec::new()),
        _ => CouponScope::Mall,
    };
    Ok(CouponTerms {
        name: Localized::new(&row.name_zh, &row.name_en),
        kind: CouponKind::parse(&row.kind).unwrap_or(CouponKind::AmountOff),
        value: Fen(row.value_fen),
        percent_off: row.percent_off,
        threshold: Fen(row.threshold_fen),
        parking_minutes: row.parking_minutes,
        scope,
        description: Localized::new(&row.description_zh, &row.description_en),
    })
}

pub async fn list_templates(db: &Db, tz: &MallTz) -> Result<Vec<CouponTemplateView>> {
    let rows: Vec<TemplateRow> =
        sqlx::query_as(&format!("SELECT {TEMPLATE_COLUMNS} FROM coupon_templates ORDER BY id DESC"))
            .fetch_all(db.pool())
            .await?;
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        views.push(CouponTemplateView {
            id: row.id,
            code: row.code.clone(),
            terms: terms(db.pool(), &row).await?,
            valid_from: row.valid_from.map(|t| Timestamp(t).local_date(tz)),
            valid_until: row.valid_until.map(|t| Timestamp(t - 1).local_date(tz)),
            valid_days: row.valid_days,
            per_member_limit: row.per_member_limit,
            total_stock: row.total_stock,
            issued: row.issued_count,
            claimable: row.claimable == 1,
            status: row.status.clone(),
        });
    }
    Ok(views)
}

pub async fn find_by_code(conn: &mut AnyConnection, code: &str) -> Result<Option<i64>> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM coupon_templates WHERE code = $1").bind(code).fetch_optional(&mut *conn).await?;
    Ok(row.map(|(id,)| id))
}
