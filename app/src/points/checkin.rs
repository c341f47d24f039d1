use crate::components::ErrorBox;
use crate::i18n::{fill, use_tr};
use leptos::prelude::*;
use plaza_types::dto::CheckinStatus;
use plaza_types::AppError;

#[server(endpoint = "points/checkin-status")]
pub async fn get_checkin() -> Result<CheckinStatus, AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    let ctx = app()?;
    plaza_core::checkin::status(&ctx.db, member, plaza_core::Timestamp::now()).await.map_err(user_error)
}

/// Checks in for today, then comes back to the page it was pressed on.
#[server(endpoint = "points/checkin")]
pub async fn check_in(back: String) -> Result<i64, AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    let ctx = app()?;
    let (_, points) =
        plaza_core::checkin::check_in(&ctx.db, member, plaza_core::Timestamp::now()).await.map_err(user_error)?;
    leptos_axum::redirect(&crate::auth::safe_next(
        &format!("{}?checked_in={points}", back.split('?').next().unwrap_or("/")),
        "/",
    ));
    Ok(points)
}

/// The check-in card on the home page, for signed-in members.
#[component]
pub fn CheckinCard() -> impl IntoView {
    let t = use_tr();
    let status = crate::components::page_resource(|| (), |_| get_checkin());
    let action = ServerAction::<CheckIn>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let query = leptos_router::hooks::use_query_map();
    let just = move || query.with(|q| q.get("checked_in"));
    view! {
        {crate::components::awaited(status, move |r| r.ok().map(|s| view! {
            <section class="panel checkin" data-testid="checkin">
                <div>
                    <h2>{t.checkin_title}</h2>
                    <p class="muted small">{fill(t.checkin_streak, &[("n", &s.streak.to_string())])}</p>
                </div>
                {if s.checked_in_today {
                    view! {
                        <div class="checkin-done">
                            <span class="badge">{t.checkin_done}</span>
                            <p class="muted small">{fill(t.checkin_tomorrow, &[("n", &s.next_points.to_string())])}</p>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <ActionForm action=action>
                            <input type="hidden" name="back" value="/" />
                            <button type="submit" class="button button-primary">
                                {fill(t.checkin_button, &[("n", &s.next_points.to_string())])}
                            </button>
                        </ActionForm>
                    }.into_any()
                }}
                {move || just().map(|n| view! { <p class="notice notice-ok" role="status">{fill(t.checkin_success, &[("n", &n)])}</p> })}
                <ErrorBox error=error />
            </section>
        }))}
    }
}
