//! 码牌 management: a tenant's payment plates, issued and revoked by its owner (or an operator),
//! each with the plain https link its QR code holds.

use leptos::prelude::*;
use plaza_types::dto::PrintablePlate;
use plaza_types::AppError;

#[server(endpoint = "tenant/plates")]
pub async fn list_plates(tenant: i64) -> Result<Vec<PrintablePlate>, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::{StaffRole, TenantId};
    let roles = [StaffRole::TenantOwner, StaffRole::TenantCashier, StaffRole::OperatorAdmin, StaffRole::OperatorStaff];
    require_tenant_staff(TenantId(tenant), &roles).await?;
    let ctx = app()?;
    let plates = plaza_core::plates::list(&ctx.db, TenantId(tenant)).await.map_err(user_error)?;
    Ok(plates
        .into_iter()
        .map(|plate| {
            let url = ctx.public_link(&format!("/p/{}", plate.code));
            let qr_svg = plaza_core::codes::qr_svg(&url);
            PrintablePlate { plate, url, qr_svg }
        })
        .collect())
}

#[server(endpoint = "tenant/plates/issue")]
pub async fn issue_plate(tenant: i64, name: String, back: Option<String>) -> Result<String, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::{StaffRole, TenantId};
    let staff = require_tenant_staff(TenantId(tenant), &[StaffRole::TenantOwner, StaffRole::OperatorAdmin]).await?;
    let ctx = app()?;
    let actor = plaza_core::audit::Actor::Staff(staff.staff_id);
    let plate = plaza_core::plates::issue(&ctx.db, TenantId(tenant), &name, &actor, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    let back = crate::auth::safe_next(back.as_deref().unwrap_or_default(), "/tenant/plates");
    leptos_axum::redirect(&format!("{back}?issued={}", plate.code));
    Ok(plate.code)
}

#[server(endpoint = "tenant/plates/revoke")]
pub async fn revoke_plate(tenant: i64, plate: i64, back: Option<String>) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::{StaffRole, TenantId};
    let staff = require_tenant_staff(TenantId(tenant), &[StaffRole::TenantOwner, StaffRole::OperatorAdmin]).await?;
    let ctx = app()?;
    let actor = plaza_core::audit::Actor::Staff(staff.staff_id);
    plaza_core::plates::revoke(&ctx.db, TenantId(tenant), plate, &actor, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    let back = crate::auth::safe_next(back.as_deref().unwrap_or_default(), "/tenant/plates");
    leptos_axum::redirect(&format!("{back}?revoked=1"));
    Ok(())
}
