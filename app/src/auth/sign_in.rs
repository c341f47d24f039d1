use leptos::prelude::*;
use plaza_types::AppError;

/// Checks the SMS code, creates the member on first sign-in, sets the session cookie and goes on
/// to `next`.
#[server(endpoint = "auth/sign-in")]
pub async fn sign_in_with_code(phone: String, code: String, next: String) -> Result<(), AppError> {
    use crate::auth::safe_next;
    use crate::server::{app, client_info, set_session_cookie, user_error};
    use plaza_core::auth::sms_sign_in;
    use plaza_types::error::Field;
    use plaza_types::{PhoneNumber, SmsCode};

    let ctx = app()?;
    let phone = PhoneNumber::parse(&phone).map_err(|_| AppError::invalid(Field::Phone))?;
    let code = SmsCode::parse(&code).map_err(|_| AppError::invalid(Field::SmsCode))?;
    // Set by an invite link (/i/<code>) earlier on this device.
    let invite = crate::server::request_cookie(crate::server::INVITE_COOKIE);
    let signed_in = sms_sign_in::sign_in(
        &ctx.db,
        &ctx.secrets,
        &phone,
        &code,
        invite.as_deref(),
        &client_info(),
        plaza_core::Timestamp::now(),
    )
    .await
    .map_err(user_error)?;
    set_session_cookie(&ctx, &signed_in.session);
    if invite.is_some() {
        crate::server::clear_cookie(crate::server::INVITE_COOKIE);
    }
    leptos_axum::redirect(&safe_next(&next, "/card"));
    Ok(())
}
