//! 商品评价: reviews of the shop's products, unanswered first if asked, each with its one reply
//! (or the form to write it) and, when the mall hid it, the reason. Owner and fulfilment staff.

use super::shop_products::ShopTabs;
use super::TenantScope;
use crate::components::{read_error, ErrorBox};
use crate::i18n::{fill, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use plaza_types::dto::ReviewView;
use plaza_types::AppError;

#[cfg(feature = "ssr")]
use super::shop_products::CATALOGUE;

#[server(endpoint = "tenant/shop/reviews")]
pub async fn get_shop_reviews(tenant: i64, unanswered: bool, page: u32) -> Result<(Vec<ReviewView>, bool), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::TenantId;
    require_tenant_staff(TenantId(tenant), &CATALOGUE).await?;
    plaza_core::shop::reviews::of_tenant(&app()?.db, TenantId(tenant), unanswered, page).await.map_err(user_error)
}

#[server(endpoint = "tenant/shop/reviews/reply")]
pub async fn reply_to_review(tenant: i64, review: i64, words: String) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::dto::ReviewId;
    use plaza_types::TenantId;
    let staff = require_tenant_staff(TenantId(tenant), &CATALOGUE).await?;
    let now = plaza_core::Timestamp::now();
    plaza_core::shop::reviews::reply(&app()?.db, TenantId(tenant), ReviewId(review), &words, staff.staff_id, now)
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/tenant/products/reviews?saved=reply");
    Ok(())
}

/// `/tenant/products/reviews`.
#[component]
pub fn ShopReviewsPage() -> impl IntoView {
    let t = use_tr();
    let scope = expect_context::<TenantScope>();
    let tenant = scope.tenant.id.0;
    let query = use_query_map();
    let reply = ServerAction::<ReplyToReview>::new();
    let unanswered = move || query.with(|q| q.get("unanswered").is_some());
    let page = move || query.with(|q| q.get("page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(1).max(1));
    let list = Resource::new(
        move || (unanswered(), page(), reply.version().get()),
        move |(unanswered, page, _)| get_shop_reviews(tenant, unanswered, page),
    );
    let error = Signal::derive(move || {
        read_error(query.with(|q| q.get("error"))).or_else(|| reply.value().get().and_then(|r| r.err()))
    });
    view! {
        <Title text=t.stc_tab_reviews />
        <h1>{t.nav_products}</h1>
        <ShopTabs current="/tenant/products/reviews" />
        <ErrorBox error />
        {move || query.with(|q| q.get("saved").is_some()).then(|| view! { <p class="notice notice-ok" role="status">{t.stc_saved}</p> })}
        <p class="chips">
            <a class="chip" href="/tenant/products/reviews" aria-current=move || (!unanswered()).then_some("page")>{t.sh_all}</a>
            <a class="chip" href="/tenant/products/reviews?unanswered=1" aria-current=move || unanswered().then_some("page")>{t.stc_unanswered}</a>
        </p>
        <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok((rows, _)) if rows.is_empty() => view! { <p class="panel muted">{t.sh_no_reviews}</p> }.into_any(),
                Ok((rows, more)) => {
                    let page = page();
                    let base = if unanswered() { "/tenant/products/reviews?unanswered=1&" } else { "/tenant/products/reviews?" };
                    view! {
                        <ul class="plain-list review-list">
                            {rows.into_iter().map(|r| view! { <ReviewItem r tenant reply /> }).collect_view()}
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

/// One review as a console shows it (the shop's and the operators'): stars, words, photos, the
/// reply and a hidden review's reason.
#[component]
pub fn ReviewCard(r: ReviewView, children: Children) -> impl IntoView {
    let t = use_tr();
    view! {
        <li class="panel review" data-testid="console-review">
            <p class="review-head">
                <a href=format!("/mall/p/{}", r.product.0) target="_blank"><strong>{r.product_title.clone()}</strong></a>
                " · "<span class="stars" aria-label=fill(t.sh_stars_n, &[("n", &r.rating.to_string())])>{"★".repeat(r.rating as usize)}{"☆".repeat(5 - r.rating.clamp(0, 5) as usize)}</span>
            </p>
            <p class="muted small">{r.reviewer.clone()}" · "{r.at.clone()}{(!r.spec.is_empty()).then(|| format!(" · {}", r.spec))}</p>
            {(!r.body.is_empty()).then(|| view! { <p class="review-body">{r.body.clone()}</p> })}
            {(!r.photos.is_empty()).then(|| view! {
                <p class="review-photos">{r.photos.iter().map(|p| view! { <a href=p.url.clone() target="_blank"><img src=p.thumb.clone() width="72" height="72" alt=t.sh_review_photo loading="lazy" /></a> }).collect_view()}</p>
            })}
            {r.hidden_reason.clone().map(|reason| view! { <p class="notice notice-error small">{t.stc_review_hidden}" "{reason}</p> })}
            {r.reply.clone().map(|reply| view! { <p class="review-reply"><strong>{t.sh_shop_reply}"："</strong>{reply}</p> })}
            {children()}
        </li>
    }
}

#[component]
fn ReviewItem(r: ReviewView, tenant: i64, reply: ServerAction<ReplyToReview>) -> impl IntoView {
    let t = use_tr();
    let id = r.id.0;
    let answered = r.reply.is_some();
    view! {
        <ReviewCard r>
            {(!answered).then(|| view! {
                <ActionForm action=reply attr:class="stack">
                    <input type="hidden" name="tenant" value=tenant />
                    <input type="hidden" name="review" value=id />
                    <label class="field"><span>{t.stc_reply}</span><textarea name="words" rows="2" maxlength="300" required data-testid="reply-words"></textarea></label>
                    <button type="submit" class="button button-small" data-testid="reply-send">{t.stc_send_reply}</button>
                </ActionForm>
            })}
        </ReviewCard>
    }
}
