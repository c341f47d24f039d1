//! Points for a sale on the shop's own till: awarded by the cashier or owner with the member
//! check, listed for the day, reversed by the owner the same day.

use leptos::prelude::*;
use plaza_types::dto::CounterSaleLine;
use plaza_types::AppError;

/// Awards the sale's points; back on the cashier page with the sale shown.
#[server(endpoint = "tenant/counter-sale/award")]
pub async fn award_counter_sale(
    tenant_id: i64,
    check: String,
    amount: String,
    receipt_no: String,
) -> Result<i64, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_core::counter_sale::{self, CounterSale};
    use plaza_types::{StaffRole, TenantId};
    let tenant = TenantId(tenant_id);
    let staff = require_tenant_staff(tenant, &[StaffRole::TenantOwner, StaffRole::TenantCashier]).await?;
    let ctx = app()?;
    let sale = CounterSale { check: &check, amount: &amount, receipt_no: &receipt_no };
    let done = counter_sale::award(&ctx.db, tenant, staff.staff_id, &sale, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect(&format!("/tenant/cashier?awarded={}", done.sale_id));
    Ok(done.sale_id)
}

/// The shop's counter-sale awards of today.
#[server(endpoint = "tenant/counter-sales")]
pub async fn counter_sales_today(tenant_id: i64) -> Result<Vec<CounterSaleLine>, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::{StaffRole, TenantId};
    let tenant = TenantId(tenant_id);
    require_tenant_staff(tenant, &[StaffRole::TenantOwner, StaffRole::TenantCashier]).await?;
    let ctx = app()?;
    plaza_core::counter_sale::today(&ctx.db, tenant, plaza_core::Timestamp::now()).await.map_err(user_error)
}

/// The owner takes back today's award of one sale, with a reason.
#[server(endpoint = "tenant/counter-sale/reverse")]
pub async fn reverse_counter_sale(tenant_id: i64, sale_id: i64, reason: String) -> Result<i64, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::{StaffRole, TenantId};
    let tenant = TenantId(tenant_id);
    let staff = require_tenant_staff(tenant, &[StaffRole::TenantOwner]).await?;
    let ctx = app()?;
    let points = plaza_core::counter_sale::reverse(
        &ctx.db,
        tenant,
        staff.staff_id,
        sale_id,
        &reason,
        plaza_core::Timestamp::now(),
    )
    .await
    .map_err(user_error)?;
    leptos_axum::redirect(&format!("/tenant/cashier?reversed={sale_id}"));
    Ok(points)
}
