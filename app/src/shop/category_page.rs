//! /mall/c/<id>: a category's products; a first-level category also shows its children.

use super::list::{ListQuery, ProductList};
use super::search_page::SearchBox;
use crate::components::{page_resource, ErrorBox, TopBar};
use crate::i18n::{use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use plaza_types::dto::CategoryNode;
use plaza_types::AppError;

/// The category tree as shoppers see it (active categories only).
#[server(endpoint = "shop/categories")]
pub async fn get_categories() -> Result<Vec<CategoryNode>, AppError> {
    use crate::server::{app, user_error};
    plaza_core::shop::categories::tree(&app()?.db, false).await.map_err(user_error)
}

#[component]
pub fn CategoryPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let id = use_params_map().with_untracked(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let mut list = use_query_map().with_untracked(ListQuery::from_query);
    list.category = Some(id);
    let tree = page_resource(|| (), |_| get_categories());
    let base = format!("/mall/c/{id}");
    view! {
        <Suspense>
            {move || tree.get().map(|r| {
                let tree = match r {
                    Ok(tree) => tree,
                    Err(e) => return view! { <ErrorBox error=Some(e) /> }.into_any(),
                };
                let parent = tree.iter().find(|n| n.category.id.0 == id || n.children.iter().any(|c| c.id.0 == id)).cloned();
                let Some(parent) = parent else {
                    return view! { <ErrorBox error=Some(AppError::NotFound) /> }.into_any();
                };
                let own = if parent.category.id.0 == id {
                    parent.category.clone()
                } else {
                    parent.children.iter().find(|c| c.id.0 == id).cloned().unwrap_or(parent.category.clone())
                };
                let name = own.name.get(lang).to_string();
                let parent_href = format!("/mall/c/{}", parent.category.id.0);
                let all_here = parent.category.id.0 == id;
                view! {
                    <Title text=name.clone() />
                    <TopBar title=name.clone() />
                    <main class="page mall-page">
                        <SearchBox />
                        <nav class="chips category-chips" aria-label=t.sh_categories>
                            <a class="chip" href=parent_href aria-current=all_here.then_some("true")>{t.sh_all}</a>
                            {parent.children.iter().map(|c| view! {
                                <a class="chip" href=format!("/mall/c/{}", c.id.0) aria-current=(c.id.0 == id).then_some("true")>{c.name.get(lang).to_string()}</a>
                            }).collect_view()}
                        </nav>
                        <ProductList base=base.clone() query=list.clone() />
                    </main>
                }.into_any()
            })}
        </Suspense>
    }
}
