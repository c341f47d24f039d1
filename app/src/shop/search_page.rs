//! /mall/search?q=…: the search box and what it found, with sorting, filters and pages.

use super::list::{ListQuery, ProductList};
use crate::components::TopBar;
use crate::i18n::use_tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The mall's search box: a GET form, so it works before (and without) any script.
#[component]
pub fn SearchBox(#[prop(optional, into)] value: String, #[prop(optional)] autofocus: bool) -> impl IntoView {
    let t = use_tr();
    view! {
        <form class="search-box" method="get" action="/mall/search" role="search">
            <input type="search" name="q" value=value placeholder=t.sh_search_placeholder aria-label=t.sh_search
                maxlength="60" enterkeyhint="search" autofocus=autofocus data-testid="mall-search" />
            <button type="submit" class="button button-primary">{t.sh_search}</button>
        </form>
    }
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let t = use_tr();
    let query = use_query_map();
    let list = query.with_untracked(ListQuery::from_query);
    let title = if list.q.is_empty() { t.sh_search.to_string() } else { list.q.clone() };
    view! {
        <Title text=title.clone() />
        <TopBar title=t.tab_shop />
        <main class="page mall-page">
            <SearchBox value=list.q.clone() autofocus=list.q.is_empty() />
            <ProductList base="/mall/search".to_string() query=list />
        </main>
    }
}
