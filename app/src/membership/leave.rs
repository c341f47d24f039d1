//! The sub-card holder's side: leaving the main card (to buy a membership of one's own).

use crate::i18n::{fill, use_tr};
use leptos::prelude::*;
use plaza_types::AppError;

/// The sub-card holder leaves the main card; the main card's cool-down starts.
#[server(endpoint = "membership/sub/leave")]
pub async fn leave_subcard() -> Result<(), AppError> {
    use crate::server::{app, require_member, user_error};
    let member = match require_member().await {
        Err(AppError::Unauthenticated) => {
            leptos_axum::redirect("/login?next=%2Fmembership");
            return Err(AppError::Unauthenticated);
        }
        other => other?,
    };
    let ctx = app()?;
    plaza_core::membership::subcards::leave(&ctx.db, member, plaza_core::Timestamp::now()).await.map_err(user_error)?;
    leptos_axum::redirect("/membership?left=1");
    Ok(())
}

/// 退出副卡: what leaving means, and the button.
#[component]
pub fn LeaveSection(main_phone: String, cooldown_days: i64) -> impl IntoView {
    let t = use_tr();
    let leave = ServerAction::<LeaveSubcard>::new();
    let error = Signal::derive(move || leave.value().get().and_then(|r| r.err()));
    view! {
        <section class="panel ms-leave" id="leave" data-testid="sub-leave">
            <h2>{t.ms_leave_title}</h2>
            <p>{fill(t.ms_leave_body, &[("phone", &main_phone), ("n", &cooldown_days.to_string())])}</p>
            <crate::components::ErrorBox error />
            <ActionForm action=leave>
                <button type="submit" class="button" data-testid="sub-leave-submit">{t.ms_leave_submit}</button>
            </ActionForm>
        </section>
    }
}
