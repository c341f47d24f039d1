//! `/sub/:code`: the invitee opens the main holder's link, signs in with their own account, and
//! accepts the sub-card.

use crate::components::{read_error, unless_signed_in, ErrorBox, TopBar};
use crate::error_text::error_text;
use crate::i18n::{fill, use_lang, use_tr, Tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use plaza_types::dto::SubcardOffer;
use plaza_types::AppError;

#[server(endpoint = "membership/sub/offer")]
pub async fn get_subcard_offer(code: String) -> Result<SubcardOffer, AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    let ctx = app()?;
    let tz = plaza_core::mall::timezone(&ctx.db).await.map_err(user_error)?;
    plaza_core::membership::sharing::offer(&ctx.db, member, &code, plaza_core::Timestamp::now(), &tz)
        .await
        .map_err(user_error)
}

#[server(endpoint = "membership/sub/accept")]
pub async fn accept_subcard(code: String) -> Result<(), AppError> {
    use crate::server::{app, require_member, user_error};
    let code: String = code.trim().chars().take(32).collect();
    let here = format!("/sub/{}", crate::auth::encode_component(&code));
    let member = match require_member().await {
        Err(AppError::Unauthenticated) => {
            leptos_axum::redirect(&format!("/login?next={}", crate::auth::encode_component(&here)));
            return Err(AppError::Unauthenticated);
        }
        other => other?,
    };
    let ctx = app()?;
    match plaza_core::membership::subcards::accept(&ctx.db, member, &code, plaza_core::Timestamp::now()).await {
        Ok(_) => {
            leptos_axum::redirect("/membership?bound=1");
            Ok(())
        }
        Err(e) => {
            let error = user_error(e);
            leptos_axum::redirect(&format!("{here}?{}", crate::components::error_param(&error)));
            Err(error)
        }
    }
}

/// The refusals of accepting, said for this page (the business rule gives one kind for several
/// reasons; the page knows which are possible here).
fn refusal(t: &Tr, error: &AppError) -> String {
    match error {
        AppError::NotUsable => t.ms_sub_err_not_usable.to_string(),
        AppError::AlreadyExists => t.ms_sub_err_taken.to_string(),
        AppError::NotFound => t.ms_sub_err_not_found.to_string(),
        other => error_text(t, other),
    }
}

#[component]
pub fn SubcardLandingPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let refused = move || read_error(query.with(|q| q.get("error")));
    let offer = crate::components::page_resource(code, get_subcard_offer);
    view! {
        <Title text=t.ms_sub_landing_title />
        <TopBar title=t.ms_sub_landing_title />
        <main class="page ms-page">
            {move || refused().map(|e| view! { <p class="notice notice-error" role="alert">{refusal(t, &e)}</p> })}
            <Suspense>
                {move || offer.get().map(|r| match r {
                    Err(AppError::NotFound) => view! {
                        <ErrorBox error=Some(AppError::NotFound) />
                        <p class="muted">{t.ms_sub_err_not_found}</p>
                    }.into_any(),
                    Err(e) => unless_signed_in(e, &format!("/sub/{}", crate::auth::encode_component(&code()))),
                    Ok(o) => {
                        let tier = o.tier.as_ref().map(|n| n.get(lang).to_string()).unwrap_or_default();
                        let state = if o.mine {
                            Some(t.ms_sub_own_invite)
                        } else if !o.open {
                            Some(t.ms_sub_err_not_usable)
                        } else {
                            None
                        };
                        view! {
                            <section class="panel ms-offer" data-testid="sub-offer">
                                <p class="ms-offer-from">{fill(t.ms_sub_offer, &[("phone", &o.main_holder), ("tier", &tier)])}</p>
                                <p class="muted small">{t.ms_sub_rules}</p>
                                <p class="muted small">{fill(t.ms_sub_expires, &[("date", &o.expires_on)])}</p>
                                {match state {
                                    Some(text) => view! { <p class="notice">{text}</p> }.into_any(),
                                    None => view! {
                                        <form method="post" action="/api/membership/sub/accept">
                                            <input type="hidden" name="code" value=o.code.clone() />
                                            <button type="submit" class="button button-primary button-block" data-testid="sub-accept">{t.ms_sub_accept}</button>
                                        </form>
                                    }.into_any(),
                                }}
                            </section>
                        }.into_any()
                    }
                })}
            </Suspense>
        </main>
    }
}
