use super::terms::{scope, stub};
use crate::components::{ErrorBox, TopBar};
use crate::i18n::{fill, use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use plaza_types::dto::ClaimableCoupon;
use plaza_types::AppError;

/// The claim centre's offers (anyone may look; signed-in members see what they already claimed).
#[server(endpoint = "coupons/claim-centre")]
pub async fn get_claim_centre() -> Result<Vec<ClaimableCoupon>, AppError> {
    use crate::server::{app, caller, user_error};
    use plaza_core::auth::Principal;
    let ctx = app()?;
    let member = match caller().await? {
        Some(Principal::Member(m)) => Some(m),
        _ => None,
    };
    let tz = plaza_core::mall::timezone(&ctx.db).await.map_err(user_error)?;
    plaza_core::coupons::wallet::claim_centre(&ctx.db, member, plaza_core::Timestamp::now(), &tz)
        .await
        .map_err(user_error)
}

#[server(endpoint = "coupons/claim")]
pub async fn claim_coupon(template_id: i64) -> Result<i64, AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    let ctx = app()?;
    let id = plaza_core::coupons::claim(&ctx.db, member, template_id, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/coupons/claim?claimed=1");
    Ok(id)
}

/// 领券中心.
#[component]
pub fn ClaimPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let query = use_query_map();
    let claimed = move || query.with(|q| q.get("claimed").is_some());
    let offers = crate::components::page_resource(|| (), |_| get_claim_centre());
    let claim = ServerAction::<ClaimCoupon>::new();
    let error = Signal::derive(move || claim.value().get().and_then(|r| r.err()));
    view! {
        <Title text=t.claim_title />
        <TopBar title=t.claim_title>
            <a href="/coupons">{t.my_coupons}</a>
        </TopBar>
        <main class="page claim-page">
            {move || claimed().then(|| view! { <p class="notice notice-ok" role="status">{t.claim_success}</p> })}
            {move || {
                // Claiming while signed out goes through sign-in and back here.
                match error.get() {
                    Some(AppError::Unauthenticated) => crate::components::unless_signed_in(AppError::Unauthenticated, "/coupons/claim"),
                    other => view! { <ErrorBox error=other /> }.into_any(),
                }
            }}
            <Suspense>
                {move || offers.get().map(|r| match r {
                    Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="muted">{t.claim_empty}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="plain-list">
                            {list.into_iter().map(|offer| {
                                let sold_out = offer.stock_left == Some(0);
                                let done = offer.claimed >= offer.limit;
                                let validity = match (&offer.valid_until, offer.valid_days) {
                                    (_, Some(days)) => fill(t.coupon_valid_days, &[("n", &days.to_string())]),
                                    (Some(date), None) => fill(t.coupon_valid_until, &[("date", date)]),
                                    _ => String::new(),
                                };
                                view! {
                                    <li class="coupon" data-testid="offer">
                                        {
                                            let (big, small) = stub(t, &offer.terms);
                                            view! { <div class="coupon-value"><strong>{big}</strong><span>{small}</span></div> }
                                        }
                                        <div class="coupon-body">
                                            <p class="coupon-name">{offer.terms.name.get(lang).to_string()}</p>
                                            <p class="muted small">{scope(t, &offer.terms, lang)}" · "{validity}</p>
                                            {offer.stock_left.map(|n| view! { <p class="muted small">{fill(t.claim_left, &[("n", &n.to_string())])}</p> })}
                                        </div>
                                        <ActionForm action=claim>
                                            <input type="hidden" name="template_id" value=offer.template_id />
                                            <button type="submit" class="button button-primary" disabled=sold_out || done>
                                                {if done { t.claim_done } else if sold_out { t.claim_sold_out } else { t.claim_button }}
                                            </button>
                                        </ActionForm>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
        </main>
    }
}
