//! 商城类目: the mall's category tree — first-level categories and their second-level ones
//! (where products go), each with its names, icon and order; hidden instead of deleted while
//! products use them. Both operator roles; audited.

use super::shop_home::OpsShopTabs;
use crate::components::{read_error, ErrorBox};
use crate::i18n::use_tr;
use crate::shop::CategoryIcon;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use plaza_types::dto::{CategoryNode, CategoryView, CATEGORY_ICONS};
use plaza_types::AppError;

#[server(endpoint = "ops/shop/categories")]
pub async fn get_ops_categories() -> Result<Vec<CategoryNode>, AppError> {
    use crate::server::{app, require_operator, user_error};
    require_operator().await?;
    plaza_core::shop::categories::tree(&app()?.db, true).await.map_err(user_error)
}

/// Adds a category (no `id`), saves one (`id`), or deletes an empty one (`id` and `delete`).
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "ops/shop/category")]
pub async fn edit_category(
    id: Option<i64>,
    parent: Option<String>,
    name_zh: String,
    name_en: String,
    icon: String,
    sort: i64,
    active: Option<String>,
    delete: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{app, require_operator, user_error};
    use plaza_core::shop::categories::{self, CategoryInput};
    use plaza_types::dto::CategoryId;
    let staff = require_operator().await?;
    let db = &app()?.db;
    let actor = plaza_core::audit::Actor::Staff(staff.staff_id);
    let now = plaza_core::Timestamp::now();
    let input = CategoryInput {
        parent: parent.and_then(|p| p.trim().parse().ok()).map(CategoryId),
        name_zh,
        name_en,
        icon,
        sort,
    };
    match (id, delete) {
        (Some(id), Some(_)) => categories::delete(db, CategoryId(id), &actor, now).await,
        (Some(id), None) => categories::update(db, CategoryId(id), &input, active.is_some(), &actor, now).await,
        (None, _) => categories::create(db, &input, &actor, now).await.map(drop),
    }
    .map_err(user_error)?;
    leptos_axum::redirect("/ops/shop/categories?saved=1");
    Ok(())
}

/// `/ops/shop/categories`.
#[component]
pub fn OpsShopCategoriesPage() -> impl IntoView {
    let t = use_tr();
    let query = use_query_map();
    let edit = ServerAction::<EditCategory>::new();
    let tree = Resource::new(move || edit.version().get(), |_| get_ops_categories());
    let error = Signal::derive(move || {
        read_error(query.with(|q| q.get("error"))).or_else(|| edit.value().get().and_then(|r| r.err()))
    });
    view! {
        <Title text=t.sop_tab_categories />
        <h1>{t.sop_title}</h1>
        <OpsShopTabs current="/ops/shop/categories" />
        <ErrorBox error />
        {move || query.with(|q| q.get("saved").is_some()).then(|| view! { <p class="notice notice-ok" role="status">{t.stc_saved}</p> })}
        <p class="muted small">{t.sop_categories_hint}</p>
        <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
            {move || tree.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(tree) => {
                    let parents: Vec<CategoryView> = tree.iter().map(|n| n.category.clone()).collect();
                    view! {
                        {tree.into_iter().map(|n| {
                            let parents = parents.clone();
                            view! {
                                <section class="panel ops-category" data-testid="ops-category">
                                    <CategoryForm c=Some(n.category.clone()) parents=Vec::new() edit />
                                    <ul class="plain-list ops-subcategories">
                                        {n.children.into_iter().map(|c| view! { <li><CategoryForm c=Some(c) parents=parents.clone() edit /></li> }).collect_view()}
                                    </ul>
                                    <details>
                                        <summary>{t.sop_add_subcategory}</summary>
                                        <CategoryForm c=None parents=parents.clone() parent=n.category.id.0 edit />
                                    </details>
                                </section>
                            }
                        }).collect_view()}
                        <section class="panel">
                            <h2>{t.sop_add_category}</h2>
                            <CategoryForm c=None parents=Vec::new() edit />
                        </section>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

/// One category's form; `parents` empty for a first-level one.
#[component]
fn CategoryForm(
    c: Option<CategoryView>,
    parents: Vec<CategoryView>,
    #[prop(optional)] parent: Option<i64>,
    edit: ServerAction<EditCategory>,
) -> impl IntoView {
    let t = use_tr();
    let lang = crate::i18n::use_lang();
    let id = c.as_ref().map(|c| c.id.0);
    let parent = c.as_ref().and_then(|c| c.parent.map(|p| p.0)).or(parent);
    let icon = c.as_ref().map(|c| c.icon.clone()).unwrap_or_else(|| "box".into());
    let level_two = parent.is_some();
    view! {
        <ActionForm action=edit attr:class="ops-category-form">
            {id.map(|id| view! { <input type="hidden" name="id" value=id /> })}
            {if level_two && !parents.is_empty() {
                view! {
                    <label class="field"><span>{t.sop_parent}</span>
                        <select name="parent">
                            {parents.into_iter().map(|p| view! { <option value=p.id.0 selected=Some(p.id.0) == parent>{p.name.get(lang).to_string()}</option> }).collect_view()}
                        </select>
                    </label>
                }.into_any()
            } else {
                view! { <input type="hidden" name="parent" value=parent.map(|p| p.to_string()).unwrap_or_default() /> }.into_any()
            }}
            <CategoryIcon name=icon.clone() />
            <label class="field"><span>{t.sop_name_zh}</span><input type="text" name="name_zh" value=c.as_ref().map(|c| c.name.zh.clone()) required maxlength="12" data-testid="category-name" /></label>
            <label class="field"><span>{t.sop_name_en}</span><input type="text" name="name_en" value=c.as_ref().map(|c| c.name.en.clone()) maxlength="24" /></label>
            <label class="field"><span>{t.sop_icon}</span>
                <select name="icon">
                    {CATEGORY_ICONS.into_iter().map(|i| view! { <option value=i selected=i == icon>{i}</option> }).collect_view()}
                </select>
            </label>
            <label class="field"><span>{t.sop_sort}</span><input type="number" name="sort" value=c.as_ref().map(|c| c.sort).unwrap_or(0) min="-1000" max="1000" /></label>
            {id.is_some().then(|| view! {
                <label class="check"><input type="checkbox" name="active" value="on" checked=c.as_ref().is_some_and(|c| c.active) />" "{t.sop_shown}</label>
            })}
            <span>
                <button type="submit" class="button button-small button-primary">{if id.is_some() { t.stc_save } else { t.sop_add }}</button>
                {id.is_some().then(|| view! { " "<button type="submit" name="delete" value="1" class="button button-small">{t.stc_remove}</button> })}
            </span>
        </ActionForm>
    }
}
