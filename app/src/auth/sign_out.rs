use crate::i18n::use_tr;
use leptos::prelude::*;
use plaza_types::AppError;

/// Ends this device's session.
#[server(endpoint = "auth/sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::server::{app, caller, clear_session_cookie, request_cookie, user_error};
    use plaza_core::auth::{sessions, Principal};

    let ctx = app()?;
    let was_staff = matches!(caller().await?, Some(Principal::Staff(_)));
    if let Some(token) = request_cookie(sessions::COOKIE) {
        sessions::end(&ctx.db, &token).await.map_err(user_error)?;
    }
    clear_session_cookie(&ctx);
    leptos_axum::redirect(if was_staff { "/staff/login" } else { "/" });
    Ok(())
}

/// Ends every session of the signed-in account, on every device.
#[server(endpoint = "auth/sign-out-everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    use crate::server::{app, caller, clear_session_cookie, user_error};
    use plaza_core::auth::{sessions, Principal};

    let ctx = app()?;
    let principal = caller().await?.ok_or(AppError::Unauthenticated)?;
    sessions::end_all(&ctx.db, &principal).await.map_err(user_error)?;
    clear_session_cookie(&ctx);
    leptos_axum::redirect(if matches!(principal, Principal::Staff(_)) { "/staff/login" } else { "/" });
    Ok(())
}

#[component]
pub fn SignOutButton() -> impl IntoView {
    let t = use_tr();
    let action = ServerAction::<SignOut>::new();
    view! {
        <ActionForm action=action attr:class="inline-form">
            <button type="submit" class="link-button">{t.sign_out}</button>
        </ActionForm>
    }
}
