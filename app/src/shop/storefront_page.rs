//! /mall/s/<shop code>: a storefront — its banner, logo, introduction, hours and pickup point —
//! and its products, searchable within the shop.

use super::list::{ListQuery, ProductList};
use crate::components::{page_resource, ErrorBox, TopBar};
use crate::i18n::use_tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use plaza_types::dto::StorefrontView;
use plaza_types::AppError;

#[server(endpoint = "shop/storefront")]
pub async fn get_storefront(code: String) -> Result<StorefrontView, AppError> {
    use crate::server::{app, user_error};
    plaza_core::shop::storefront::by_code(&app()?.db, &code).await.map_err(user_error)
}

#[component]
pub fn StorefrontPage() -> impl IntoView {
    let t = use_tr();
    let code = use_params_map().with_untracked(|p| p.get("code").unwrap_or_default());
    let mut list = use_query_map().with_untracked(ListQuery::from_query);
    list.shop = Some(code.clone());
    let fetch = code.clone();
    let shop = page_resource(move || fetch.clone(), get_storefront);
    let base = format!("/mall/s/{code}");
    view! {
        <Suspense>
            {move || shop.get().map(|r| match r {
                Err(e) => view! { <TopBar title=t.tab_shop /><main class="page"><ErrorBox error=Some(e) /></main> }.into_any(),
                Ok(s) => view! {
                    <Title text=s.name.clone() />
                    <TopBar title=s.name.clone() />
                    <main class="page mall-page">
                        <Profile s=s.clone() />
                        <form class="search-box" method="get" action=base.clone() role="search">
                            <input type="search" name="q" value=list.q.clone() placeholder=t.sh_search_in_shop aria-label=t.sh_search_in_shop maxlength="60" />
                            <button type="submit" class="button button-primary">{t.sh_search}</button>
                        </form>
                        <ProductList base=base.clone() query=list.clone() />
                    </main>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Profile(s: StorefrontView) -> impl IntoView {
    let t = use_tr();
    view! {
        <section class="storefront-head" data-testid="storefront">
            {s.banner.map(|src| view! { <img class="storefront-banner" src=src alt="" width="1200" height="480" /> })}
            <div class="storefront-id">
                {match s.logo {
                    Some(src) => view! { <img class="storefront-logo" src=src alt="" width="56" height="56" /> }.into_any(),
                    None => view! { <span class="storefront-logo storefront-logo-empty">{s.name.chars().next().map(String::from).unwrap_or_default()}</span> }.into_any(),
                }}
                <div>
                    <h2>{s.name.clone()}</h2>
                    <p class="muted">
                        {t.sh_pickup_at}" "{s.pickup_unit.clone()}
                        {(!s.opening_hours.is_empty()).then(|| format!(" · {}", s.opening_hours))}
                        " · "{if s.delivers { t.sh_delivers } else { t.sh_pickup_only }}
                    </p>
                </div>
            </div>
            {(!s.intro.is_empty()).then(|| view! { <p class="storefront-intro">{s.intro.clone()}</p> })}
        </section>
    }
}
