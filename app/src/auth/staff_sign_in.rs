use leptos::prelude::*;
use plaza_types::AppError;

/// Staff sign-in by username and password; goes on to `next` or to the console of the role.
#[server(endpoint = "auth/staff-sign-in")]
pub async fn staff_sign_in(username: String, password: String, next: String) -> Result<(), AppError> {
    use crate::auth::safe_next;
    use crate::server::{app, client_info, set_session_cookie, user_error};
    use plaza_core::auth::staff;
    use plaza_types::StaffRole;

    let ctx = app()?;
    let signed_in = staff::sign_in(&ctx.db, &username, &password, &client_info(), plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    set_session_cookie(&ctx, &signed_in.session);
    let home = match signed_in.principal.role {
        StaffRole::OperatorAdmin | StaffRole::OperatorStaff => "/ops",
        StaffRole::TenantCashier => "/tenant/cashier",
        _ => "/tenant",
    };
    leptos_axum::redirect(&safe_next(&next, home));
    Ok(())
}
