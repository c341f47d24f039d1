//! /mall/reviews/<order line>: the review form — stars, words, up to 6 photos — posted as one
//! multipart form to `POST /mall/reviews` (the server crate; server functions carry no files).
//! It works without JavaScript; a refused review comes back here with the reason.

use crate::components::{page_resource, read_error, unless_signed_in, ErrorBox, TopBar};
use crate::i18n::use_tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use plaza_types::dto::ReviewableLine;
use plaza_types::AppError;

#[server(endpoint = "shop/reviews/line")]
pub async fn get_reviewable(line: i64) -> Result<ReviewableLine, AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    plaza_core::shop::reviews::reviewable(&app()?.db, member, plaza_types::dto::OrderLineId(line))
        .await
        .map_err(user_error)
}

#[component]
pub fn WriteReviewPage() -> impl IntoView {
    let t = use_tr();
    let line = use_params_map().with_untracked(|p| p.get("line").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let refused = use_query_map().with_untracked(|q| read_error(q.get("error")));
    let found = page_resource(move || line, get_reviewable);
    view! {
        <Title text=t.sh_write_review />
        <TopBar title=t.sh_write_review />
        <main class="page">
            <ErrorBox error=refused />
            <Suspense fallback=move || view! { <div class="skeleton"></div> }>
                {move || found.get().map(|r| match r {
                    Err(e) => unless_signed_in(e, &format!("/mall/reviews/{line}")),
                    Ok(l) => view! {
                        <form class="panel stack review-form" method="post" action="/mall/reviews" enctype="multipart/form-data" data-testid="review-form">
                            <input type="hidden" name="line" value=line />
                            <p class="row-main"><strong>{l.title.clone()}</strong><small class="muted">{l.spec.clone()}</small></p>
                            <fieldset class="star-input">
                                <legend>{t.sh_your_rating}</legend>
                                {(1..=5).rev().map(|n| view! {
                                    <input type="radio" id=format!("star-{n}") name="rating" value=n required checked=n.eq(&5) />
                                    <label for=format!("star-{n}") title=n.to_string()>"★"</label>
                                }).collect_view()}
                            </fieldset>
                            <label class="field">
                                <span>{t.sh_your_words}</span>
                                <textarea name="body" rows="5" maxlength="500" placeholder=t.sh_words_placeholder></textarea>
                            </label>
                            <label class="field">
                                <span>{t.sh_review_photos}</span>
                                <input type="file" name="photos" accept="image/jpeg,image/png,image/webp" multiple />
                                <small class="muted">{t.sh_review_photos_hint}</small>
                            </label>
                            <button type="submit" class="button button-primary button-block">{t.sh_submit_review}</button>
                        </form>
                    }.into_any(),
                })}
            </Suspense>
        </main>
    }
}
