//! 评价管理 (operators): every review of the mall's products, newest first (or only the hidden
//! ones), to hide an abusive one with the reason its author and the shop see. Both operator
//! roles; audited.

use super::shop_home::OpsShopTabs;
use crate::components::{read_error, ErrorBox};
use crate::i18n::use_tr;
use crate::tenant::ReviewCard;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use plaza_types::dto::ReviewView;
use plaza_types::AppError;

#[server(endpoint = "ops/shop/reviews")]
pub async fn get_ops_reviews(hidden: bool, page: u32) -> Result<(Vec<ReviewView>, bool), AppError> {
    use crate::server::{app, require_operator, user_error};
    require_operator().await?;
    plaza_core::shop::reviews::all(&app()?.db, hidden, page).await.map_err(user_error)
}

#[server(endpoint = "ops/shop/review/hide")]
pub async fn hide_review(review: i64, reason: String) -> Result<(), AppError> {
    use crate::server::{app, require_operator, user_error};
    use plaza_types::dto::ReviewId;
    let staff = require_operator().await?;
    let now = plaza_core::Timestamp::now();
    plaza_core::shop::reviews::hide(&app()?.db, ReviewId(review), &reason, staff.staff_id, now)
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/ops/shop/reviews?saved=1");
    Ok(())
}

/// `/ops/shop/reviews`.
#[component]
pub fn OpsShopReviewsPage() -> impl IntoView {
    let t = use_tr();
    let query = use_query_map();
    let hide = ServerAction::<HideReview>::new();
    let hidden = move || query.with(|q| q.get("hidden").is_some());
    let page = move || query.with(|q| q.get("page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(1).max(1));
    let list = Resource::new(
        move || (hidden(), page(), hide.version().get()),
        |(hidden, page, _)| get_ops_reviews(hidden, page),
    );
    let error = Signal::derive(move || {
        read_error(query.with(|q| q.get("error"))).or_else(|| hide.value().get().and_then(|r| r.err()))
    });
    view! {
        <Title text=t.sop_tab_reviews />
        <h1>{t.sop_title}</h1>
        <OpsShopTabs current="/ops/shop/reviews" />
        <ErrorBox error />
        {move || query.with(|q| q.get("saved").is_some()).then(|| view! { <p class="notice notice-ok" role="status">{t.stc_saved}</p> })}
        <p class="chips">
            <a class="chip" href="/ops/shop/reviews" aria-current=move || (!hidden()).then_some("page")>{t.sh_all}</a>
            <a class="chip" href="/ops/shop/reviews?hidden=1" aria-current=move || hidden().then_some("page")>{t.sop_hidden_only}</a>
        </p>
        <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok((rows, _)) if rows.is_empty() => view! { <p class="panel muted">{t.sh_no_reviews}</p> }.into_any(),
                Ok((rows, more)) => {
                    let page = page();
                    let base = if hidden() { "/ops/shop/reviews?hidden=1&" } else { "/ops/shop/reviews?" };
                    view! {
                        <ul class="plain-list review-list">
                            {rows.into_iter().map(|r| {
                                let id = r.id.0;
                                let shown = r.hidden_reason.is_none();
                                view! {
                                    <ReviewCard r>
                                        {shown.then(|| view! {
                                            <ActionForm action=hide attr:class="ops-take-down">
                                                <input type="hidden" name="review" value=id />
                                                <input type="text" name="reason" required maxlength="200" placeholder=t.sop_reason aria-label=t.sop_reason />
                                                <button type="submit" class="button button-small">{t.sop_hide}</button>
                                            </ActionForm>
                                        })}
                                    </ReviewCard>
                                }
                            }).collect_view()}
                        </ul>
                        <nav class="pager">
                            {(page > 1).then(|| view! { <a class="button" href=format!("{base}page={}", page - 1)>{t.sh_page_prev}</a> })}
                            {more.then(|| view! { <a class="button" href=format!("{base}page={}", page + 1)>{t.sh_page_next}</a> })}
                        </nav>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}
