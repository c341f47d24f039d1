//! /mall: the online shop's front page — search, the mall's banners and suggested searches,
//! the category grid, featured and new products, and the storefronts.

use super::card::ProductGrid;
use super::category_icon::CategoryIcon;
use super::search_page::SearchBox;
use crate::auth::encode_component;
use crate::components::{page_resource, ErrorBox, TopBar};
use crate::i18n::{fill, use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use plaza_types::dto::{MallHome, StorefrontView};
use plaza_types::AppError;

#[server(endpoint = "shop/home")]
pub async fn get_mall_home() -> Result<MallHome, AppError> {
    use crate::server::{app, user_error};
    plaza_core::shop::browse::home(&app()?.db).await.map_err(user_error)
}

#[component]
pub fn MallHomePage() -> impl IntoView {
    let t = use_tr();
    let home = page_resource(|| (), |_| get_mall_home());
    view! {
        <Title text=t.tab_shop />
        <TopBar title=t.tab_shop>
            <a class="top-bar-link" href="/mall/reviews">{t.sh_my_reviews}</a>
        </TopBar>
        <main class="page mall-page mall-home">
            <SearchBox />
            <Suspense fallback=move || view! { <div class="skeleton"></div> }>
                {move || home.get().map(|r| match r {
                    Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                    Ok(home) => view! { <Home home /> }.into_any(),
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn Home(home: MallHome) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let MallHome { banners, categories, featured, newest, storefronts, hot_words } = home;
    view! {
        {(!hot_words.is_empty()).then(|| view! {
            <p class="chips hot-words" aria-label=t.sh_hot_words>
                {hot_words.into_iter().map(|w| view! { <a class="chip" href=format!("/mall/search?q={}", encode_component(&w))>{w.clone()}</a> }).collect_view()}
            </p>
        })}
        {(!banners.is_empty()).then(|| view! {
            <div class="banner-strip" data-testid="banners">
                {banners.into_iter().map(|b| view! {
                    <a class="banner" href=b.link>
                        <img src=b.image alt="" width="1200" height="480" />
                        <span class="banner-title">{b.title.clone()}</span>
                    </a>
                }).collect_view()}
            </div>
        })}
        <nav class="category-grid" aria-label=t.sh_categories data-testid="category-grid">
            {categories.into_iter().map(|node| view! {
                <a class="category-tile" href=format!("/mall/c/{}", node.category.id.0)>
                    <CategoryIcon name=node.category.icon.clone() />
                    <span>{node.category.name.get(lang).to_string()}</span>
                </a>
            }).collect_view()}
        </nav>
        {(!featured.is_empty()).then(|| view! {
            <section data-testid="featured">
                <h2 class="section-title">{t.sh_featured}</h2>
                <ProductGrid items=featured />
            </section>
        })}
        {(!newest.is_empty()).then(|| view! {
            <section>
                <div class="row-between">
                    <h2 class="section-title">{t.sh_newest}</h2>
                    <a href="/mall/search?sort=newest">{t.sh_more}" ›"</a>
                </div>
                <ProductGrid items=newest />
            </section>
        })}
        {(!storefronts.is_empty()).then(|| view! {
            <section class="panel">
                <h2>{t.sh_storefronts}</h2>
                <ul class="plain-list storefront-list">
                    {storefronts.into_iter().map(|s| view! { <StorefrontRow s /> }).collect_view()}
                </ul>
            </section>
        })}
        <p class="muted mall-note">{t.sh_orders_next}</p>
    }
}

#[component]
fn StorefrontRow(s: StorefrontView) -> impl IntoView {
    let t = use_tr();
    view! {
        <li>
            <a class="row-link storefront-row" href=format!("/mall/s/{}", s.code)>
                {match s.logo {
                    Some(src) => view! { <img class="storefront-logo" src=src alt="" width="48" height="48" loading="lazy" /> }.into_any(),
                    None => view! { <span class="storefront-logo storefront-logo-empty">{s.name.chars().next().map(String::from).unwrap_or_default()}</span> }.into_any(),
                }}
                <span class="row-main">
                    <span>{s.name.clone()}</span>
                    <small class="muted">{s.pickup_unit.clone()}" · "{fill(t.sh_shop_products, &[("n", &s.products.to_string())])}</small>
                </span>
                <span aria-hidden="true">"›"</span>
            </a>
        </li>
    }
}
