//! A dish as its owner edits it: every field the shopper sees, the photo (uploaded as a plain
//! multipart form to `/tenant/menu/dish/<id>/photo`), option groups and their options, and the
//! dishes recommended with it.

use super::TenantScope;
use crate::components::{read_error, ErrorBox};
use crate::i18n::{fill, use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use plaza_types::dto::{DishEdit, Localized};
use plaza_types::AppError;

#[server(endpoint = "tenant/menu/dish")]
pub async fn get_dish_edit(tenant: i64, dish: i64) -> Result<DishEdit, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::{StaffRole, TenantId};
    require_tenant_staff(TenantId(tenant), &[StaffRole::TenantOwner]).await?;
    let ctx = app()?;
    plaza_core::dining::menu_admin::dish_edit(&ctx.db, TenantId(tenant), dish).await.map_err(user_error)
}

/// A yuan amount typed in the form (`28`, `28.5`), or `None` for an empty optional one.
#[cfg(feature = "ssr")]
fn yuan(text: &str) -> Result<Option<plaza_types::Fen>, AppError> {
    match text.trim() {
        "" => Ok(None),
        t => plaza_types::Fen::from_yuan_str(t)
            .map(Some)
            .map_err(|_| AppError::invalid(plaza_types::error::Field::Price)),
    }
}

/// Creates (`dish` absent) or saves a dish; then its page.
#[server(endpoint = "tenant/menu/dish/save")]
#[allow(clippy::too_many_arguments)]
pub async fn save_dish(
    tenant: i64,
    dish: Option<i64>,
    category: i64,
    name_zh: String,
    name_en: Option<String>,
    description_zh: Option<String>,
    description_en: Option<String>,
    ingredients_zh: Option<String>,
    ingredients_en: Option<String>,
    taste_zh: Option<String>,
    taste_en: Option<String>,
    price: String,
    member_price: Option<String>,
) -> Result<i64, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_core::dining::menu_admin::{self, DishInput};
    use plaza_types::{StaffRole, TenantId};
    require_tenant_staff(TenantId(tenant), &[StaffRole::TenantOwner]).await?;
    let l = |zh: Option<String>, en: Option<String>| Localized::new(zh.unwrap_or_default(), en.unwrap_or_default());
    let input = DishInput {
        category_id: category,
        name: l(Some(name_zh), name_en),
        description: l(description_zh, description_en),
        ingredients: l(ingredients_zh, ingredients_en),
        taste: l(taste_zh, taste_en),
        price: yuan(&price)?.ok_or(AppError::invalid(plaza_types::error::Field::Price))?,
        member_price: yuan(member_price.as_deref().unwrap_or_default())?,
    };
    let ctx = app()?;
    let id = menu_admin::save_dish(&ctx.db, TenantId(tenant), dish, &input, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect(&format!("/tenant/menu/dish/{id}?saved=1"));
    Ok(id)
}

/// Adds an option group (`min`/`max` choices) or an option (`group` given) to a dish, or removes
/// one (`remove` = `group` or `option`).
#[server(endpoint = "tenant/menu/dish/options")]
#[allow(clippy::too_many_arguments)]
pub async fn edit_dish_options(
    tenant: i64,
    dish: i64,
    group: Option<i64>,
    option: Option<i64>,
    remove: Option<String>,
    name_zh: Option<String>,
    name_en: Option<String>,
    min: Option<i64>,
    max: Option<i64>,
    delta: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_core::dining::menu_admin;
    use plaza_types::{StaffRole, TenantId};
    require_tenant_staff(TenantId(tenant), &[StaffRole::TenantOwner]).await?;
    let ctx = app()?;
    let (db, t, now) = (&ctx.db, TenantId(tenant), plaza_core::Timestamp::now());
    let name = Localized::new(name_zh.unwrap_or_default(), name_en.unwrap_or_default());
    match (remove.as_deref(), group, option) {
        (Some("group"), Some(g), _) => menu_admin::delete_group(db, t, g, now).await,
        (Some("option"), _, Some(o)) => menu_admin::delete_option(db, t, o, now).await,
        (None, Some(g), None) => {
            let delta = yuan(delta.as_deref().unwrap_or_default())?.unwrap_or_default();
            menu_admin::add_option(db, t, g, &name, delta, now).await.map(drop)
        }
        (None, None, None) => {
            menu_admin::add_group(db, t, dish, &name, min.unwrap_or(0), max.unwrap_or(1), now).await.map(drop)
        }
        _ => return Err(AppError::NotFound),
    }
    .map_err(user_error)?;
    leptos_axum::redirect(&format!("/tenant/menu/dish/{dish}?saved=1#options"));
    Ok(())
}

/// The dishes recommended with this one (`paired` holds their ids).
#[server(endpoint = "tenant/menu/dish/pairings")]
pub async fn set_dish_pairings(
    tenant: i64,
    dish: i64,
    paired: Option<std::collections::BTreeMap<String, i64>>,
) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::{StaffRole, TenantId};
    require_tenant_staff(TenantId(tenant), &[StaffRole::TenantOwner]).await?;
    let ctx = app()?;
    let paired: Vec<i64> = paired.unwrap_or_default().into_values().collect();
    plaza_core::dining::menu_admin::set_pairings(&ctx.db, TenantId(tenant), dish, &paired).await.map_err(user_error)?;
    leptos_axum::redirect(&format!("/tenant/menu/dish/{dish}?saved=1"));
    Ok(())
}

/// `/tenant/menu/dish/<id>` and `/tenant/menu/dish/new?category=<id>`.
#[component]
pub fn DishEditPage() -> impl IntoView {
    let t = use_tr();
    let scope = expect_context::<TenantScope>();
    let tenant = scope.tenant.id.0;
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let dish = Resource::new(id, move |id| async move {
        match id {
            Some(id) => get_dish_edit(tenant, id).await.map(Some),
            None => Ok(None),
        }
    });
    let categories = Resource::new(|| (), move |_| super::dining_menu::get_menu_admin(tenant));
    let save = ServerAction::<SaveDish>::new();
    let options = ServerAction::<EditDishOptions>::new();
    let pairings = ServerAction::<SetDishPairings>::new();
    let errors = Signal::derive(move || {
        read_error(query.with(|q| q.get("error")))
            .or_else(|| save.value().get().and_then(|r| r.err()))
            .or_else(|| options.value().get().and_then(|r| r.err()))
            .or_else(|| pairings.value().get().and_then(|r| r.err()))
    });
    let saved = move || query.with(|q| q.get("saved").is_some() || q.get("photo").is_some());
    let chosen_category = move || query.with(|q| q.get("category").and_then(|c| c.parse::<i64>().ok()));
    view! {
        <Title text=t.dn_edit_dish />
        <p><a href="/tenant/menu">"← "{t.dn_nav_menu}</a></p>
        <h1>{t.dn_edit_dish}</h1>
        <ErrorBox error=errors />
        {move || saved().then(|| view! { <p class="notice notice-ok" role="status" data-testid="dish-saved">{t.dn_saved}</p> })}
        <Suspense>
            {move || match (dish.get(), categories.get()) {
                (Some(Err(e)), _) | (_, Some(Err(e))) => Some(view! { <ErrorBox error=Some(e) /> }.into_any()),
                (Some(Ok(d)), Some(Ok(menu))) => {
                    let cats: Vec<(i64, Localized)> = menu.categories.iter().map(|c| (c.id, c.name.clone())).collect();
                    Some(view! { <DishForm d cats tenant chosen=chosen_category() save options pairings /> }.into_any())
                }
                _ => None,
            }}
        </Suspense>
    }
}

#[component]
fn DishForm(
    d: Option<DishEdit>,
    cats: Vec<(i64, Localized)>,
    tenant: i64,
    chosen: Option<i64>,
    save: ServerAction<SaveDish>,
    options: ServerAction<EditDishOptions>,
    pairings: ServerAction<SetDishPairings>,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let id = d.as_ref().map(|d| d.id);
    let category = d.as_ref().map(|d| d.category_id).or(chosen);
    let field = |get: fn(&DishEdit) -> String| d.as_ref().map(get).unwrap_or_default();
    let (name_zh, name_en) = (field(|d| d.name.zh.clone()), field(|d| d.name.en.clone()));
    let (description_zh, description_en) = (field(|d| d.description.zh.clone()), field(|d| d.description.en.clone()));
    let (ingredients_zh, ingredients_en) = (field(|d| d.ingredients.zh.clone()), field(|d| d.ingredients.en.clone()));
    let (taste_zh, taste_en) = (field(|d| d.taste.zh.clone()), field(|d| d.taste.en.clone()));
    let price = d.as_ref().map(|d| d.price.yuan_input()).unwrap_or_default();
    let member = d.as_ref().and_then(|d| d.member_price).map(|m| m.yuan_input()).unwrap_or_default();
    view! {
        <section class="panel">
            <ActionForm action=save attr:class="dn-dish-form">
                <input type="hidden" name="tenant" value=tenant />
                {id.map(|id| view! { <input type="hidden" name="dish" value=id /> })}
                <label class="field"><span>{t.field_category}</span>
                    <select name="category" required>
                        {cats.into_iter().map(|(cid, name)| view! {
                            <option value=cid selected=Some(cid) == category>{name.get(lang).to_string()}</option>
                        }).collect_view()}
                    </select></label>
                <label class="field"><span>{t.dn_name_zh}</span><input type="text" name="name_zh" required maxlength="30" value=name_zh data-testid="dish-name" /></label>
                <label class="field"><span>{t.dn_name_en}</span><input type="text" name="name_en" maxlength="60" value=name_en /></label>
                <label class="field"><span>{t.dn_price}</span><input type="text" name="price" required inputmode="decimal" value=price data-testid="dish-price" /></label>
                <label class="field"><span>{t.dn_member_price_field}</span><input type="text" name="member_price" inputmode="decimal" value=member /></label>
                <label class="field dn-wide"><span>{t.dn_description_zh}</span><textarea name="description_zh" maxlength="200" rows="2">{description_zh}</textarea></label>
                <label class="field dn-wide"><span>{t.dn_description_en}</span><textarea name="description_en" maxlength="400" rows="2">{description_en}</textarea></label>
                <label class="field"><span>{t.dn_ingredients}</span><input type="text" name="ingredients_zh" maxlength="100" value=ingredients_zh /></label>
                <label class="field"><span>{t.dn_ingredients_en}</span><input type="text" name="ingredients_en" maxlength="200" value=ingredients_en /></label>
                <label class="field"><span>{t.dn_taste}</span><input type="text" name="taste_zh" maxlength="20" value=taste_zh /></label>
                <label class="field"><span>{t.dn_taste_en}</span><input type="text" name="taste_en" maxlength="40" value=taste_en /></label>
                <div class="dn-wide"><button type="submit" class="button button-primary" data-testid="dish-save">{t.dn_save}</button></div>
            </ActionForm>
        </section>
        {d.map(|d| view! { <DishExtras d tenant options pairings /> })}
    }
}

/// Photo, option groups and pairings of a saved dish.
#[component]
fn DishExtras(
    d: DishEdit,
    tenant: i64,
    options: ServerAction<EditDishOptions>,
    pairings: ServerAction<SetDishPairings>,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let dish = d.id;
    let remove = move |what: &'static str, group: Option<i64>, option: Option<i64>| {
        view! {
            <ActionForm action=options attr:class="inline-form">
                <input type="hidden" name="tenant" value=tenant />
                <input type="hidden" name="dish" value=dish />
                <input type="hidden" name="remove" value=what />
                {group.map(|g| view! { <input type="hidden" name="group" value=g /> })}
                {option.map(|o| view! { <input type="hidden" name="option" value=o /> })}
                <button type="submit" class="button button-small button-danger">{t.dn_delete}</button>
            </ActionForm>
        }
    };
    view! {
        <section class="panel">
            <h2 id="dish-photo-title">{t.dn_photo}</h2>
            {d.photo.clone().map(|src| view! { <img class="dn-photo" src=src width="400" height="300" alt="" /> })}
            <form method="post" action=format!("/tenant/menu/dish/{dish}/photo") enctype="multipart/form-data" class="inline-form">
                <input type="file" name="photo" accept="image/jpeg,image/png,image/webp" required aria-labelledby="dish-photo-title" data-testid="dish-photo" />
                <button type="submit" class="button" data-testid="dish-photo-upload">{t.dn_upload_photo}</button>
            </form>
            <p class="muted small">{t.dn_photo_hint}</p>
        </section>
        <section class="panel" id="options">
            <h2>{t.dn_option_groups}</h2>
            <p class="muted small">{t.dn_option_groups_hint}</p>
            {d.groups.clone().into_iter().map(|g| {
                let rule = fill(t.dn_group_rule, &[("min", &g.min.to_string()), ("max", &g.max.to_string())]);
                view! {
                    <div class="dn-group" data-testid="admin-group">
                        <div class="row-between">
                            <strong>{g.name.get(lang).to_string()}" "<small class="muted">{rule}</small></strong>
                            {remove("group", Some(g.id), None)}
                        </div>
                        <ul class="dn-options">
                            {g.options.clone().into_iter().map(|o| view! {
                                <li>{o.name.get(lang).to_string()}
                                    {(o.price_delta.0 > 0).then(|| format!(" +{}", o.price_delta))}
                                    " "{remove("option", None, Some(o.id))}</li>
                            }).collect_view()}
                        </ul>
                        <ActionForm action=options attr:class="dn-inline-fields">
                            <input type="hidden" name="tenant" value=tenant />
                            <input type="hidden" name="dish" value=dish />
                            <input type="hidden" name="group" value=g.id />
                            <label class="field"><span>{t.dn_option_name}</span><input type="text" name="name_zh" required maxlength="12" data-testid="option-name" /></label>
                            <label class="field"><span>{t.dn_name_en}</span><input type="text" name="name_en" maxlength="24" /></label>
                            <label class="field"><span>{t.dn_price_delta}</span><input type="text" name="delta" inputmode="decimal" placeholder="0" /></label>
                            <button type="submit" class="button" data-testid="option-add">{t.dn_add_option}</button>
                        </ActionForm>
                    </div>
                }
            }).collect_view()}
            <h3>{t.dn_add_group}</h3>
            <ActionForm action=options attr:class="dn-inline-fields">
                <input type="hidden" name="tenant" value=tenant />
                <input type="hidden" name="dish" value=dish />
                <label class="field"><span>{t.dn_group_name}</span><input type="text" name="name_zh" required maxlength="10" placeholder=t.dn_group_name_hint data-testid="group-name" /></label>
                <label class="field"><span>{t.dn_name_en}</span><input type="text" name="name_en" maxlength="20" /></label>
                <label class="field"><span>{t.dn_group_min}</span><input type="number" name="min" value="1" min="0" max="20" /></label>
                <label class="field"><span>{t.dn_group_max}</span><input type="number" name="max" value="1" min="1" max="20" /></label>
                <button type="submit" class="button" data-testid="group-add">{t.dn_add}</button>
            </ActionForm>
        </section>
        <section class="panel">
            <h2>{t.dn_pairings}</h2>
            <ActionForm action=pairings attr:class="stack">
                <input type="hidden" name="tenant" value=tenant />
                <input type="hidden" name="dish" value=dish />
                <div class="dn-pairings">
                    {d.others.clone().into_iter().map(|(oid, name)| view! {
                        <label class="choice">
                            <input type="checkbox" name=format!("paired[d{oid}]") value=oid checked=d.pairings.contains(&oid) />
                            <span class="choice-text">{name.get(lang).to_string()}</span>
                        </label>
                    }).collect_view()}
                </div>
                <p class="muted small">{t.dn_pairings_hint}</p>
                <div><button type="submit" class="button">{t.dn_save}</button></div>
            </ActionForm>
        </section>
    }
}
