use leptos::prelude::*;
use plaza_types::AppError;

/// Development mode only: the code last sent to `phone`, read from the SMS outbox, so the demo
/// can be used without a phone. Refused in production.
#[server(endpoint = "auth/dev-code")]
pub async fn dev_sms_code(phone: String) -> Result<Option<String>, AppError> {
    use crate::server::{app, user_error};
    use plaza_types::error::Field;
    use plaza_types::PhoneNumber;

    let ctx = app()?;
    if !ctx.dev_mode || !ctx.sms.is_development() {
        return Err(AppError::Unavailable);
    }
    let phone = PhoneNumber::parse(&phone).map_err(|_| AppError::invalid(Field::Phone))?;
    let body = plaza_core::sms::latest_to(&ctx.db, &phone).await.map_err(user_error)?;
    Ok(body.as_deref().and_then(plaza_core::sms::code_in))
}
