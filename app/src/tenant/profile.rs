use leptos::prelude::*;
use plaza_types::dto::TenantSummary;
use plaza_types::AppError;

/// The tenant's own record, for any of its staff (and operators).
#[server(endpoint = "tenant/profile")]
pub async fn get_tenant_profile(tenant_id: i64) -> Result<TenantSummary, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::{StaffRole, TenantId};
    let tenant = TenantId(tenant_id);
    require_tenant_staff(tenant, &StaffRole::ALL).await?;
    let ctx = app()?;
    plaza_core::tenants::get(&ctx.db, tenant).await.map_err(user_error)
}
