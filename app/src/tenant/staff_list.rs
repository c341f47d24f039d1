use leptos::prelude::*;
use plaza_types::dto::StaffSummary;
use plaza_types::AppError;

/// The tenant's staff accounts: for its owner and for operators.
#[server(endpoint = "tenant/staff")]
pub async fn list_tenant_staff(tenant_id: i64) -> Result<Vec<StaffSummary>, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::{StaffRole, TenantId};
    let tenant = TenantId(tenant_id);
    require_tenant_staff(tenant, &[StaffRole::TenantOwner, StaffRole::OperatorAdmin, StaffRole::OperatorStaff]).await?;
    let ctx = app()?;
    plaza_core::auth::staff::list_for_tenant(&ctx.db, tenant).await.map_err(user_error)
}
