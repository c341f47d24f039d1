use leptos::prelude::*;
use plaza_types::dto::MemberIdentity;
use plaza_types::AppError;

/// The member behind a scanned or typed member code, for the tenant's cashier or owner.
#[server(endpoint = "tenant/identify-member")]
pub async fn identify_member(tenant_id: i64, code: String) -> Result<MemberIdentity, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::{StaffRole, TenantId};
    let tenant = TenantId(tenant_id);
    let staff = require_tenant_staff(tenant, &[StaffRole::TenantOwner, StaffRole::TenantCashier]).await?;
    let ctx = app()?;
    plaza_core::members::code::identify(&ctx.db, &ctx.secrets, &code, staff.staff_id, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)
}
