//! The main holder's side of the sub-card: invite (a link and its QR code), unbind.

use crate::i18n::{fill, use_tr};
use leptos::prelude::*;
use plaza_types::dto::MembershipPage;
use plaza_types::AppError;

#[cfg(feature = "ssr")]
async fn member_or_sign_in() -> Result<plaza_types::MemberId, AppError> {
    match crate::server::require_member().await {
        Err(AppError::Unauthenticated) => {
            leptos_axum::redirect("/login?next=%2Fmembership");
            Err(AppError::Unauthenticated)
        }
        other => other,
    }
}

#[cfg(feature = "ssr")]
fn back_with(result: Result<(), AppError>, done: &str) -> Result<(), AppError> {
    match &result {
        Ok(()) => leptos_axum::redirect(&format!("/membership?{done}=1#sub")),
        Err(e) => leptos_axum::redirect(&format!("/membership?{}#sub", crate::components::error_param(e))),
    }
    result
}

/// Opens a sub-card invitation (the page then shows its link and QR code).
#[server(endpoint = "membership/sub/invite")]
pub async fn invite_subcard() -> Result<(), AppError> {
    use crate::server::{app, user_error};
    let member = member_or_sign_in().await?;
    let ctx = app()?;
    let now = plaza_core::Timestamp::now();
    let result = match plaza_core::membership::sharing::open_invite(&ctx.db, member, now).await.map_err(user_error)? {
        // Reloading the form does not mint a second link.
        Some(_) => Ok(()),
        None => plaza_core::membership::subcards::invite(&ctx.db, member, now).await.map(|_| ()).map_err(user_error),
    };
    back_with(result, "invited")
}

/// Ends the sub-card binding; the cool-down starts.
#[server(endpoint = "membership/sub/unbind")]
pub async fn unbind_subcard() -> Result<(), AppError> {
    use crate::server::{app, user_error};
    let member = member_or_sign_in().await?;
    let ctx = app()?;
    let result = plaza_core::membership::subcards::unbind(&ctx.db, member, plaza_core::Timestamp::now())
        .await
        .map_err(user_error);
    back_with(result, "unbound")
}

/// 副卡: who holds it, or the invitation to share, or when a new one may be bound.
#[component]
pub fn SubcardSection(page: MembershipPage) -> impl IntoView {
    let t = use_tr();
    let status = page.status.clone();
    let body = if let Some(holder) = status.subcard_holder.clone() {
        let cooldown = fill(t.ms_sub_unbind_note, &[("n", &page.subcard_cooldown_days.to_string())]);
        view! {
            <p class="ms-sub-holder" data-testid="sub-holder">{fill(t.ms_sub_bound, &[("phone", &holder)])}</p>
            <form method="post" action="/api/membership/sub/unbind" class="stack">
                <p class="muted small">{cooldown}</p>
                <button type="submit" class="button button-block" data-testid="sub-unbind">{t.ms_sub_unbind}</button>
            </form>
        }
        .into_any()
    } else if let Some(date) = status.can_bind_from.clone() {
        view! { <p class="notice" data-testid="sub-cooldown">{fill(t.ms_sub_cooldown, &[("date", &date)])}</p> }
            .into_any()
    } else if let Some(invite) = page.invite.clone() {
        view! {
            <div class="ms-invite" data-testid="sub-invite">
                <p>{t.ms_sub_share}</p>
                <div class="qr ms-invite-qr" inner_html=invite.qr_svg.clone()></div>
                <p class="muted small">{t.ms_sub_link}</p>
                <p class="scan-text"><a href=invite.link.clone() data-testid="sub-link">{invite.link.clone()}</a></p>
                <p class="muted small">{fill(t.ms_sub_expires, &[("date", &invite.expires_on)])}</p>
            </div>
        }
        .into_any()
    } else {
        view! {
            <form method="post" action="/api/membership/sub/invite">
                <button type="submit" class="button button-primary button-block" data-testid="sub-invite-create">{t.ms_sub_invite}</button>
            </form>
        }
        .into_any()
    };
    view! {
        <section class="panel ms-sub" id="sub" data-testid="subcard">
            <h2>{t.ms_sub_title}</h2>
            <p class="muted small">{t.ms_sub_rules}</p>
            {body}
        </section>
    }
}
