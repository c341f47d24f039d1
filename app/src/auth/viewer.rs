use leptos::prelude::*;
use plaza_types::dto::Viewer;
use plaza_types::AppError;

/// Who is signed in on this device (anyone may ask).
#[server(endpoint = "auth/viewer")]
pub async fn get_viewer() -> Result<Viewer, AppError> {
    use crate::server::{app, caller, user_error};
    use plaza_core::auth::Principal;
    use plaza_types::dto::StaffViewer;

    let ctx = app()?;
    Ok(match caller().await? {
        None => Viewer::Anonymous,
        Some(Principal::Member(member)) => {
            Viewer::Member(plaza_core::members::viewer(&ctx.db, member).await.map_err(user_error)?)
        }
        Some(Principal::Staff(staff)) => {
            let (username, display_name) = plaza_core::auth::staff::viewer(&ctx.db, staff.staff_id)
                .await
                .map_err(user_error)?
                .ok_or(AppError::Unauthenticated)?;
            let tenant = match staff.tenant_id {
                Some(tenant) => Some(plaza_core::tenants::reference(&ctx.db, tenant).await.map_err(user_error)?),
                None => None,
            };
            Viewer::Staff(StaffViewer { staff_id: staff.staff_id, username, display_name, role: staff.role, tenant })
        }
    })
}
