//! /mall/reviews (评价中心): the member's completed purchases still to review, and the reviews
//! they wrote (with the mall's reason when one was hidden).

use super::product_reviews_page::ReviewItem;
use crate::components::{page_resource, unless_signed_in, TopBar};
use crate::i18n::use_tr;
use leptos::prelude::*;
use leptos_meta::Title;
use plaza_types::dto::MyReviews as Mine;
use plaza_types::AppError;

#[server(endpoint = "shop/reviews/mine")]
pub async fn my_reviews() -> Result<Mine, AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    plaza_core::shop::reviews::mine(&app()?.db, member).await.map_err(user_error)
}

#[component]
pub fn MyReviewsPage() -> impl IntoView {
    let t = use_tr();
    let mine = page_resource(|| (), |_| my_reviews());
    view! {
        <Title text=t.sh_review_centre />
        <TopBar title=t.sh_review_centre />
        <main class="page">
            <Suspense fallback=move || view! { <div class="skeleton"></div> }>
                {move || mine.get().map(|r| match r {
                    Err(e) => unless_signed_in(e, "/mall/reviews"),
                    Ok(mine) => view! {
                        <section class="panel" data-testid="to-review">
                            <h2>{t.sh_to_review}</h2>
                            {if mine.to_review.is_empty() {
                                view! { <p class="muted">{t.sh_nothing_to_review}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="plain-list">
                                        {mine.to_review.into_iter().map(|l| view! {
                                            <li class="row-link to-review">
                                                {l.cover.clone().map(|src| view! { <img class="thumb" src=src alt="" width="56" height="56" loading="lazy" /> })}
                                                <span class="row-main">
                                                    <span>{l.title.clone()}</span>
                                                    <small class="muted">{l.spec.clone()}" · "{l.completed_at.clone()}</small>
                                                </span>
                                                <a class="button button-small button-primary" href=format!("/mall/reviews/{}", l.line.0) data-testid="write-review">{t.sh_write_review}</a>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                        <section class="panel">
                            <h2>{t.sh_my_reviews}</h2>
                            {if mine.written.is_empty() {
                                view! { <p class="muted">{t.sh_no_reviews_written}</p> }.into_any()
                            } else {
                                view! { <ul class="plain-list review-list">{mine.written.into_iter().map(|r| view! { <ReviewItem r show_product=true /> }).collect_view()}</ul> }.into_any()
                            }}
                        </section>
                    }.into_any(),
                })}
            </Suspense>
        </main>
    }
}
