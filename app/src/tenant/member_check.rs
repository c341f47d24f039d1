//! The cashier's member check: the scanned or typed member code is posted (never put in the
//! address); the page then shows the member by the check's token.

use leptos::prelude::*;
use plaza_types::dto::MemberCheckView;
use plaza_types::AppError;

/// Checks a member code at this tenant's till and opens the cashier page on the member.
#[server(endpoint = "tenant/member-check")]
pub async fn check_member(tenant_id: i64, code: String) -> Result<String, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::{StaffRole, TenantId};
    let tenant = TenantId(tenant_id);
    let staff = require_tenant_staff(tenant, &[StaffRole::TenantOwner, StaffRole::TenantCashier]).await?;
    let ctx = app()?;
    let token = plaza_core::counter_sale::check(
        &ctx.db,
        &ctx.secrets,
        tenant,
        staff.staff_id,
        &code,
        plaza_core::Timestamp::now(),
    )
    .await
    .map_err(user_error)?;
    leptos_axum::redirect(&format!("/tenant/cashier?check={token}"));
    Ok(token)
}

/// The member behind a check of this tenant, while it lasts.
#[server(endpoint = "tenant/member-check/view")]
pub async fn get_member_check(tenant_id: i64, token: String) -> Result<MemberCheckView, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::{StaffRole, TenantId};
    let tenant = TenantId(tenant_id);
    require_tenant_staff(tenant, &[StaffRole::TenantOwner, StaffRole::TenantCashier]).await?;
    let ctx = app()?;
    plaza_core::counter_sale::view_check(&ctx.db, tenant, &token, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)
}
