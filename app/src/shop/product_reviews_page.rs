//! /mall/p/<id>/reviews: every visible review of a product, newest first, or only those with
//! photos; and how one review is shown everywhere.

use crate::components::{page_resource, ErrorBox, TopBar};
use crate::i18n::{fill, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use plaza_types::dto::ReviewView;
use plaza_types::AppError;

#[server(endpoint = "shop/product/reviews")]
pub async fn get_product_reviews(id: i64, photos: bool, page: u32) -> Result<(Vec<ReviewView>, bool), AppError> {
    use crate::server::{app, user_error};
    let ctx = app()?;
    let product = plaza_types::dto::ProductId(id);
    // Reviews of a product shoppers cannot see are not shown either.
    plaza_core::shop::product_page::page(&ctx.db, product, None, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    plaza_core::shop::reviews::of_product(&ctx.db, product, photos, page.clamp(1, 100)).await.map_err(user_error)
}

#[component]
pub fn ProductReviewsPage() -> impl IntoView {
    let t = use_tr();
    let id = use_params_map().with_untracked(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let (photos, page) = use_query_map().with_untracked(|q| {
        (q.get("photos").as_deref() == Some("1"), q.get("page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(1).max(1))
    });
    let list = page_resource(move || (id, photos, page), |(id, photos, page)| get_product_reviews(id, photos, page));
    let base = format!("/mall/p/{id}/reviews");
    let href = move |photos: bool, page: u32| {
        let mut q = Vec::new();
        if photos {
            q.push("photos=1".to_string());
        }
        if page > 1 {
            q.push(format!("page={page}"));
        }
        if q.is_empty() {
            base.clone()
        } else {
            format!("{base}?{}", q.join("&"))
        }
    };
    let (all_href, photos_href) = (href(false, 1), href(true, 1));
    view! {
        <Title text=t.sh_reviews />
        <TopBar title=t.sh_reviews />
        <main class="page">
            <p><a href=format!("/mall/p/{id}")>{t.sh_back_to_product}</a></p>
            <nav class="chips">
                <a class="chip" href=all_href aria-current=(!photos).then_some("true")>{t.sh_all}</a>
                <a class="chip" href=photos_href aria-current=photos.then_some("true")>{t.sh_photos_only}</a>
            </nav>
            <Suspense fallback=move || view! { <div class="skeleton"></div> }>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                    Ok((list, _)) if list.is_empty() => view! { <p class="muted">{t.sh_no_reviews}</p> }.into_any(),
                    Ok((list, more)) => view! {
                        <ul class="plain-list review-list panel">{list.into_iter().map(|r| view! { <ReviewItem r show_product=false /> }).collect_view()}</ul>
                        <nav class="pager">
                            {(page > 1).then(|| view! { <a class="button" href=href(photos, page - 1)>{t.sh_page_prev}</a> })}
                            {more.then(|| view! { <a class="button" href=href(photos, page + 1)>{t.sh_page_next}</a> })}
                        </nav>
                    }.into_any(),
                })}
            </Suspense>
        </main>
    }
}

/// One review: stars, words, photos (tap for the full size), the shop's reply, and — to its
/// author, the shop and operators — why the mall hid it.
#[component]
pub fn ReviewItem(r: ReviewView, show_product: bool) -> impl IntoView {
    let t = use_tr();
    let stars = "★".repeat(r.rating.clamp(0, 5) as usize) + &"☆".repeat((5 - r.rating).clamp(0, 5) as usize);
    view! {
        <li class="review" data-testid="review">
            {show_product.then(|| view! { <a class="review-product" href=format!("/mall/p/{}", r.product.0)>{r.product_title.clone()}</a> })}
            <p class="review-head">
                <span class="stars" aria-label=fill(t.sh_stars_n, &[("n", &r.rating.to_string())])>{stars}</span>
                <span class="muted">{r.reviewer.clone()}" · "{r.at.clone()}{(!r.spec.is_empty()).then(|| format!(" · {}", r.spec))}</span>
            </p>
            {(!r.body.is_empty()).then(|| view! { <p class="review-body">{r.body.clone()}</p> })}
            {(!r.photos.is_empty()).then(|| view! {
                <p class="review-photos">
                    {r.photos.iter().map(|ph| view! { <a href=ph.url.clone()><img src=ph.thumb.clone() alt=t.sh_review_photo width="72" height="72" loading="lazy" /></a> }).collect_view()}
                </p>
            })}
            {r.reply.clone().map(|reply| view! { <p class="review-reply"><strong>{t.sh_shop_reply}</strong>" "{reply}</p> })}
            {r.hidden_reason.clone().map(|why| view! { <p class="notice notice-error">{fill(t.sh_review_hidden, &[("reason", &why)])}</p> })}
        </li>
    }
}
