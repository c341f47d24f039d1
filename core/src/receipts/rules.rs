//! The receipt rules an operator can change: the upload window, the minimum amount, the caps
//! and the tenants that take no part.

use crate::audit::{self, Actor, Entry};
use crate::settings::{self, Setting};
use crate::{Result, Timestamp};
use plaza_types::dto::ReceiptRulesView;
use plaza_types::error::Field;
use plaza_types::AppError;
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReceiptRules {
    /// A receipt may be uploaded until the end of the purchase day plus this many days (mall
    /// time): 1 is PRODUCT.md's "by the end of the next day".
    pub window_days: i64,
    /// Receipts paying less than this (fen) earn nothing.
    pub min_amount_fen: i64,
    /// Receipts one member may have approved per tenant per purchase day.
    pub per_tenant_daily: i64,
    /// Receipts one member may have approved per purchase day.
    pub per_day: i64,
    /// Tenant codes whose receipts earn nothing.
    pub excluded_tenants: Vec<String>,
}

impl Default for ReceiptRules {
    fn default() -> Self {
        ReceiptRules {
            window_days: 1,
            min_amount_fen: 1_000,
            per_tenant_daily: 2,
            per_day: 5,
            excluded_tenants: vec![],
        }
    }
}

impl Setting for ReceiptRules {
    const KEY: &'static str = "receipts.rules";
}

impl ReceiptRules {
    /// Checks the operator's input: a window of 0–30 days, a minimum of ¥0–¥10,000, caps of
    /// 1–50 with the per-tenant cap not above the daily one, and known tenant codes.
    pub fn parse(view: &ReceiptRulesView, known_tenants: &[String]) -> std::result::Result<ReceiptRules, AppError> {
        if !(0..=30).contains(&view.window_days) {
            return Err(AppError::invalid(Field::Date));
        }
        if !(0..=1_000_000).contains(&view.min_amount_fen) {
            return Err(AppError::invalid(Field::Amount));
        }
        if !(1..=50).contains(&view.per_day) || !(1..=view.per_day).contains(&view.per_tenant_daily) {
            return Err(AppError::LimitReached);
        }
        let mut excluded = Vec::new();
        for code in &view.excluded_tenants {
            let code = code.trim().to_string();
            if code.is_empty() || excluded.contains(&code) {
                continue;
            }
            if !known_tenants.contains(&code) {
                return Err(AppError::invalid(Field::Tenant));
            }
            excluded.push(code);
        }
        Ok(ReceiptRules {
            window_days: view.window_days,
            min_amount_fen: view.min_amount_fen,
            per_tenant_daily: view.per_tenant_daily,
            per_day: view.per_day,
            excluded_tenants: excluded,
        })
    }

    pub fn view(&self) -> ReceiptRulesView {
        ReceiptRulesView {
            window_days: self.window_days,
            min_amount_fen: self.min_amount_fen,
            per_tenant_daily: self.per_tenant_daily,
            per_day: self.per_day,
            excluded_tenants: self.excluded_tenants.clone(),
        }
    }
}

/// Validates and stores the rules, audited with the operator's reason.
pub async fn update(
    conn: &mut AnyConnection,
    view: &ReceiptRulesView,
    actor: &Actor,
    reason: &str,
    now: Timestamp,
) -> Result<ReceiptRules> {
    if reason.trim().is_empty() {
        return Err(AppError::invalid(Field::Reason).into());
    }
    let codes: Vec<(String,)> = sqlx::query_as("SELECT code FROM tenants").fetch_all(&mut *conn).await?;
    let known: Vec<String> = codes.into_iter().map(|(c,)| c).collect();
    let rules = ReceiptRules::parse(view, &known)?;
    settings::put(&mut *conn, &rules, now).await?;
    let details = serde_json::to_string(&rules).map_err(|e| crate::Error::internal(e.to_string()))?;
    audit::append(
        conn,
        Entry::new(actor, "receipts.rules").subject(ReceiptRules::KEY).details(details).reason(reason.trim()),
        now,
    )
    .await?;
    Ok(rules)
}
