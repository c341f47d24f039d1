use leptos::prelude::*;
use plaza_types::AppError;

/// Buys or renews a tier. The browser goes on to the provider's page, or straight to the result
/// when stored value covered it all; a refusal returns to the membership page with the reason.
#[server(endpoint = "membership/buy")]
pub async fn buy_membership(tier_id: String, request_key: String, sv: Option<String>) -> Result<String, AppError> {
    use crate::components::error_param;
    use crate::server::{app, require_member, user_error};
    let member = match require_member().await {
        Ok(member) => member,
        Err(AppError::Unauthenticated) => {
            leptos_axum::redirect("/login?next=%2Fmembership");
            return Err(AppError::Unauthenticated);
        }
        Err(e) => return Err(e),
    };
    let attempt = async {
        let tier: i64 = tier_id.trim().parse().map_err(|_| AppError::NotFound)?;
        // One key per page shown and tier: a resubmitted form returns the payment it started.
        let key = format!("{}:m{tier}", request_key.chars().take(40).collect::<String>());
        let ctx = app()?;
        let provider = ctx.payments.provider.clone();
        plaza_core::membership_purchase::buy(
            &ctx.db,
            provider.as_ref(),
            member,
            tier,
            sv.is_some(),
            &key,
            plaza_core::Timestamp::now(),
        )
        .await
        .map_err(user_error)
    };
    match attempt.await {
        Ok(created) => {
            let next = created.pay_url.clone().unwrap_or_else(|| format!("/pay/result/{}", created.payment_no));
            leptos_axum::redirect(&next);
            Ok(created.payment_no.to_string())
        }
        Err(error) => {
            leptos_axum::redirect(&format!("/membership?{}", error_param(&error)));
            Err(error)
        }
    }
}
