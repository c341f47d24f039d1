use leptos::prelude::*;
use plaza_types::dto::SmsSent;
use plaza_types::AppError;

/// Sends a sign-in code by SMS, then returns to the sign-in page at the code step.
#[server(endpoint = "auth/request-code")]
pub async fn request_sms_code(phone: String, next: String) -> Result<SmsSent, AppError> {
    use crate::auth::encode_component;
    use crate::server::{app, client_info, user_error};
    use plaza_core::auth::sms_sign_in::{self, RESEND_AFTER_SECS};
    use plaza_types::error::Field;
    use plaza_types::PhoneNumber;

    let ctx = app()?;
    let phone = PhoneNumber::parse(&phone).map_err(|_| AppError::invalid(Field::Phone))?;
    sms_sign_in::request_code(
        &ctx.db,
        &ctx.secrets,
        ctx.sms.as_ref(),
        &phone,
        &client_info(),
        plaza_core::Timestamp::now(),
    )
    .await
    .map_err(user_error)?;
    leptos_axum::redirect(&format!("/login?phone={phone}&sent=1&next={}", encode_component(&next)));
    Ok(SmsSent { masked_phone: phone.masked(), resend_after_secs: RESEND_AFTER_SECS })
}
