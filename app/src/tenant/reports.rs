//! 报表与结算: a tenant's sales report and settlement statement for a period, read by its owner
//! or by an operator; the commission rates the mall administrator sets per tenant.

use leptos::prelude::*;
use plaza_types::dto::{CommissionRates, SalesReport, Statement};
use plaza_types::AppError;

/// The period as the page's GET form names it (all optional: this month by default).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PeriodQuery {
    pub preset: Option<String>,
    pub date: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl PeriodQuery {
    /// The query string that names this period again (for the CSV links).
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        for (name, value) in [("preset", &self.preset), ("date", &self.date), ("from", &self.from), ("to", &self.to)] {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                // Dates and preset names only: anything else is not echoed into a link.
                if v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                    parts.push(format!("{name}={v}"));
                }
            }
        }
        parts.join("&")
    }
}

#[server(endpoint = "tenant/reports")]
pub async fn get_tenant_report(
    tenant: i64,
    preset: Option<String>,
    date: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<(SalesReport, Statement), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_core::settlement::{period, report, statement};
    use plaza_types::{StaffRole, TenantId};
    let roles = [StaffRole::TenantOwner, StaffRole::OperatorAdmin, StaffRole::OperatorStaff];
    require_tenant_staff(TenantId(tenant), &roles).await?;
    let ctx = app()?;
    let text = |v: Option<String>| v.unwrap_or_default();
    let (preset, date, from, to) = (text(preset), text(date), text(from), text(to));
    let period = period::from_form(&ctx.db, &preset, &date, &from, &to, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    let sales = report::report(&ctx.db, TenantId(tenant), &period).await.map_err(user_error)?;
    let settlement = statement::statement(&ctx.db, TenantId(tenant), &period).await.map_err(user_error)?;
    Ok((sales, settlement))
}

#[server(endpoint = "ops/tenants/commission")]
pub async fn get_commission_rates(tenant: i64) -> Result<CommissionRates, AppError> {
    use crate::server::{app, require_operator, user_error};
    require_operator().await?;
    let ctx = app()?;
    plaza_core::settlement::commission::rates(&ctx.db, plaza_types::TenantId(tenant), plaza_core::Timestamp::now())
        .await
        .map_err(user_error)
}

/// The mall administrator sets a tenant's commission: `rate` in percent, from `from` (a mall
/// date, today or later), with the reason.
#[server(endpoint = "ops/tenants/commission/set")]
pub async fn set_commission_rate(
    tenant: i64,
    rate: String,
    from: String,
    reason: String,
    back: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{app, require_staff, user_error};
    use plaza_core::settlement::commission;
    use plaza_types::StaffRole;
    let staff = require_staff(&[StaffRole::OperatorAdmin]).await?;
    let bps = commission::parse_percent(&rate)?;
    let ctx = app()?;
    let actor = plaza_core::audit::Actor::Staff(staff.staff_id);
    let now = plaza_core::Timestamp::now();
    commission::set(&ctx.db, plaza_types::TenantId(tenant), bps, &from, &reason, &actor, now)
        .await
        .map_err(user_error)?;
    let fallback = format!("/ops/tenants/{tenant}/reports");
    let back = crate::auth::safe_next(back.as_deref().unwrap_or_default(), &fallback);
    leptos_axum::redirect(&format!("{back}?rate=set"));
    Ok(())
}
