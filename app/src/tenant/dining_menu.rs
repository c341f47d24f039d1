//! 菜单管理: the restaurant's fulfilment mode and pickup screen, its categories in order (with
//! serving windows), and its dishes by category with the sold-out switch. The owner manages it;
//! the sold-out switch is the kitchen's and the cashier's too.

use super::TenantScope;
use crate::components::{read_error, ErrorBox};
use crate::i18n::{fill, use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use plaza_types::dto::{Fulfilment, MenuAdmin, MenuCategoryAdmin};
use plaza_types::AppError;

/// A serving window typed as two times; both empty for "always".
#[cfg(feature = "ssr")]
fn window(from: Option<String>, until: Option<String>) -> Result<Option<plaza_types::dto::ServingWindow>, AppError> {
    plaza_types::dto::ServingWindow::parse(&from.unwrap_or_default(), &until.unwrap_or_default())
        .ok_or(AppError::invalid(plaza_types::error::Field::ServingHours))
}

#[server(endpoint = "tenant/menu")]
pub async fn get_menu_admin(tenant: i64) -> Result<MenuAdmin, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::{StaffRole, TenantId};
    require_tenant_staff(
        TenantId(tenant),
        &[StaffRole::TenantOwner, StaffRole::TenantKitchen, StaffRole::TenantCashier],
    )
    .await?;
    let ctx = app()?;
    plaza_core::dining::menu_admin::overview(&ctx.db, TenantId(tenant), &ctx.public_url).await.map_err(user_error)
}

#[server(endpoint = "tenant/menu/fulfilment")]
pub async fn set_fulfilment(tenant: i64, mode: String) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::{StaffRole, TenantId};
    let staff = require_tenant_staff(TenantId(tenant), &[StaffRole::TenantOwner]).await?;
    let mode = Fulfilment::parse(&mode).ok_or(AppError::invalid(plaza_types::error::Field::Category))?;
    let ctx = app()?;
    let actor = plaza_core::audit::Actor::Staff(staff.staff_id);
    plaza_core::dining::settings::set_fulfilment(&ctx.db, TenantId(tenant), mode, &actor, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/tenant/menu?saved=1");
    Ok(())
}

#[server(endpoint = "tenant/menu/category/add")]
pub async fn add_menu_category(
    tenant: i64,
    name_zh: String,
    name_en: Option<String>,
    from: Option<String>,
    until: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::dto::Localized;
    use plaza_types::{StaffRole, TenantId};
    require_tenant_staff(TenantId(tenant), &[StaffRole::TenantOwner]).await?;
    let window = window(from, until)?;
    let ctx = app()?;
    let name = Localized::new(name_zh, name_en.unwrap_or_default());
    plaza_core::dining::menu_admin::add_category(
        &ctx.db,
        TenantId(tenant),
        &name,
        window,
        plaza_core::Timestamp::now(),
    )
    .await
    .map_err(user_error)?;
    leptos_axum::redirect("/tenant/menu?saved=1");
    Ok(())
}

#[server(endpoint = "tenant/menu/category/update")]
pub async fn update_menu_category(
    tenant: i64,
    category: i64,
    name_zh: String,
    name_en: Option<String>,
    from: Option<String>,
    until: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::dto::Localized;
    use plaza_types::{StaffRole, TenantId};
    require_tenant_staff(TenantId(tenant), &[StaffRole::TenantOwner]).await?;
    let window = window(from, until)?;
    let ctx = app()?;
    let name = Localized::new(name_zh, name_en.unwrap_or_default());
    plaza_core::dining::menu_admin::update_category(&ctx.db, TenantId(tenant), category, &name, window)
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/tenant/menu?saved=1");
    Ok(())
}

/// Moves a category (`what` = `category`) or a dish (`dish`) up or down, or deletes it (`delete`).
#[server(endpoint = "tenant/menu/arrange")]
pub async fn arrange_menu(tenant: i64, what: String, id: i64, to: String) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_core::dining::menu_admin;
    use plaza_types::{StaffRole, TenantId};
    require_tenant_staff(TenantId(tenant), &[StaffRole::TenantOwner]).await?;
    let ctx = app()?;
    let (db, t) = (&ctx.db, TenantId(tenant));
    let now = plaza_core::Timestamp::now();
    match (what.as_str(), to.as_str()) {
        ("category", "up" | "down") => menu_admin::move_category(db, t, id, to == "up").await,
        ("category", "delete") => menu_admin::delete_category(db, t, id).await,
        ("dish", "up" | "down") => menu_admin::move_dish(db, t, id, to == "up").await,
        ("dish", "delete") => menu_admin::delete_dish(db, t, id, now).await,
        _ => return Err(AppError::NotFound),
    }
    .map_err(user_error)?;
    leptos_axum::redirect("/tenant/menu");
    Ok(())
}

/// The sold-out switch: the owner, the kitchen and the cashier. `back` is where the form was.
#[server(endpoint = "tenant/menu/sold-out")]
pub async fn set_dish_sold_out(tenant: i64, dish: i64, sold_out: bool, back: Option<String>) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::{StaffRole, TenantId};
    let roles = [StaffRole::TenantOwner, StaffRole::TenantKitchen, StaffRole::TenantCashier];
    let staff = require_tenant_staff(TenantId(tenant), &roles).await?;
    let ctx = app()?;
    let actor = plaza_core::audit::Actor::Staff(staff.staff_id);
    plaza_core::dining::menu_admin::set_sold_out(
        &ctx.db,
        TenantId(tenant),
        dish,
        sold_out,
        &actor,
        plaza_core::Timestamp::now(),
    )
    .await
    .map_err(user_error)?;
    let back = crate::auth::safe_next(back.as_deref().unwrap_or_default(), "/tenant/menu");
    leptos_axum::redirect(&back);
    Ok(())
}

/// 菜单管理.
#[component]
pub fn MenuAdminPage() -> impl IntoView {
    let t = use_tr();
    let scope = expect_context::<TenantScope>();
    let tenant = scope.tenant.id.0;
    let query = use_query_map();
    let menu = Resource::new(|| (), move |_| get_menu_admin(tenant));
    let fulfilment = ServerAction::<SetFulfilment>::new();
    let add = ServerAction::<AddMenuCategory>::new();
    let update = ServerAction::<UpdateMenuCategory>::new();
    let arrange = ServerAction::<ArrangeMenu>::new();
    let sold_out = ServerAction::<SetDishSoldOut>::new();
    let errors = Signal::derive(move || {
        read_error(query.with(|q| q.get("error")))
            .or_else(|| fulfilment.value().get().and_then(|r| r.err()))
            .or_else(|| add.value().get().and_then(|r| r.err()))
            .or_else(|| update.value().get().and_then(|r| r.err()))
            .or_else(|| arrange.value().get().and_then(|r| r.err()))
            .or_else(|| sold_out.value().get().and_then(|r| r.err()))
    });
    view! {
        <Title text=t.dn_nav_menu />
        <h1>{t.dn_nav_menu}</h1>
        <ErrorBox error=errors />
        {move || query.with(|q| q.get("saved").is_some()).then(|| view! { <p class="notice notice-ok" role="status">{t.dn_saved}</p> })}
        <Suspense>
            {move || menu.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(menu) => view! { <MenuAdminView menu tenant fulfilment add update arrange sold_out /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn MenuAdminView(
    menu: MenuAdmin,
    tenant: i64,
    fulfilment: ServerAction<SetFulfilment>,
    add: ServerAction<AddMenuCategory>,
    update: ServerAction<UpdateMenuCategory>,
    arrange: ServerAction<ArrangeMenu>,
    sold_out: ServerAction<SetDishSoldOut>,
) -> impl IntoView {
    let t = use_tr();
    let mode = menu.settings.fulfilment;
    let pickup = menu.settings.pickup_url.clone();
    view! {
        <section class="panel">
            <h2>{t.dn_fulfilment}</h2>
            <ActionForm action=fulfilment attr:class="inline-form dn-fulfilment">
                <input type="hidden" name="tenant" value=tenant />
                {[(Fulfilment::CallNumber, t.dn_mode_call_number, t.dn_mode_call_number_hint),
                  (Fulfilment::TableDelivery, t.dn_mode_table_delivery, t.dn_mode_table_delivery_hint)]
                    .into_iter().map(|(m, label, hint)| view! {
                        <label class="choice">
                            <input type="radio" name="mode" value=m.as_str() checked=m == mode />
                            <span class="choice-text">{label}<small class="muted">{hint}</small></span>
                        </label>
                    }).collect_view()}
                <button type="submit" class="button" data-testid="save-fulfilment">{t.dn_save}</button>
            </ActionForm>
            {(!pickup.is_empty()).then(|| view! {
                <p class="small">{t.dn_pickup_screen}"："<a href=pickup.clone() target="_blank" data-testid="pickup-link">{pickup.clone()}</a></p>
            })}
        </section>
        <section class="panel">
            <h2>{t.dn_add_category}</h2>
            <ActionForm action=add attr:class="dn-inline-fields">
                <input type="hidden" name="tenant" value=tenant />
                <label class="field"><span>{t.dn_name_zh}</span><input type="text" name="name_zh" required maxlength="12" data-testid="category-name" /></label>
                <label class="field"><span>{t.dn_name_en}</span><input type="text" name="name_en" maxlength="24" /></label>
                <label class="field"><span>{t.dn_serving_from}</span><input type="time" name="from" /></label>
                <label class="field"><span>{t.dn_serving_until}</span><input type="time" name="until" /></label>
                <button type="submit" class="button button-primary" data-testid="category-add">{t.dn_add}</button>
            </ActionForm>
            <p class="muted small">{t.dn_serving_hint}</p>
        </section>
        {menu.categories.is_empty().then(|| view! { <p class="muted">{t.dn_menu_admin_empty}</p> })}
        {menu.categories.into_iter().map(|c| view! { <CategoryPanel c tenant update arrange sold_out /> }).collect_view()}
    }
}

#[component]
fn CategoryPanel(
    c: MenuCategoryAdmin,
    tenant: i64,
    update: ServerAction<UpdateMenuCategory>,
    arrange: ServerAction<ArrangeMenu>,
    sold_out: ServerAction<SetDishSoldOut>,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let arrange_button = move |what: &'static str, id: i64, to: &'static str, label: &'static str| {
        view! {
            <ActionForm action=arrange attr:class="inline-form">
                <input type="hidden" name="tenant" value=tenant />
                <input type="hidden" name="what" value=what />
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="to" value=to />
                <button type="submit" class="button button-small">{label}</button>
            </ActionForm>
        }
    };
    let (from, until) =
        c.window.map(|w| (plaza_types::dto::hhmm(w.from), plaza_types::dto::hhmm(w.until))).unwrap_or_default();
    let new_dish = format!("/tenant/menu/dish/new?category={}", c.id);
    let window_text = c.window.map(|w| fill(t.dn_serving_window, &[("hours", &w.text())]));
    view! {
        <section class="panel dn-category" data-testid="admin-category">
            <div class="row-between">
                <h2>{c.name.get(lang).to_string()}{window_text.map(|w| view! { " " <small class="muted">{w}</small> })}</h2>
                <div class="actions">
                    {arrange_button("category", c.id, "up", "↑")}
                    {arrange_button("category", c.id, "down", "↓")}
                    {c.dishes.is_empty().then(|| arrange_button("category", c.id, "delete", t.dn_delete))}
                </div>
            </div>
            <details>
                <summary>{t.dn_edit_category}</summary>
                <ActionForm action=update attr:class="dn-inline-fields">
                    <input type="hidden" name="tenant" value=tenant />
                    <input type="hidden" name="category" value=c.id />
                    <label class="field"><span>{t.dn_name_zh}</span><input type="text" name="name_zh" required maxlength="12" value=c.name.zh.clone() /></label>
                    <label class="field"><span>{t.dn_name_en}</span><input type="text" name="name_en" maxlength="24" value=c.name.en.clone() /></label>
                    <label class="field"><span>{t.dn_serving_from}</span><input type="time" name="from" value=from /></label>
                    <label class="field"><span>{t.dn_serving_until}</span><input type="time" name="until" value=until /></label>
                    <button type="submit" class="button">{t.dn_save}</button>
                </ActionForm>
            </details>
            <table class="table dn-dishes">
                <tbody>
                    {c.dishes.into_iter().map(|d| {
                        let edit = format!("/tenant/menu/dish/{}", d.id);
                        view! {
                            <tr data-testid="admin-dish" data-dish=d.id>
                                <td class="dn-thumb">{d.thumb.clone().map(|src| view! { <img src=src width="48" height="48" alt="" loading="lazy" /> })}</td>
                                <td><a href=edit.clone()><strong>{d.name.get(lang).to_string()}</strong></a>
                                    {(d.groups > 0).then(|| view! { " " <span class="badge badge-muted">{fill(t.dn_groups_n, &[("n", &d.groups.to_string())])}</span> })}</td>
                                <td>{d.price.to_string()}{d.member_price.map(|m| view! { " " <span class="muted small">{fill(t.dn_member_price, &[("price", &m.to_string())])}</span> })}</td>
                                <td class="actions">
                                    <ActionForm action=sold_out attr:class="inline-form">
                                        <input type="hidden" name="tenant" value=tenant />
                                        <input type="hidden" name="dish" value=d.id />
                                        <input type="hidden" name="sold_out" value=(!d.sold_out).to_string() />
                                        <input type="hidden" name="back" value="/tenant/menu" />
                                        <button type="submit" class=if d.sold_out { "button button-small button-danger" } else { "button button-small" }
                                            data-testid="sold-out-toggle">{if d.sold_out { t.dn_sold_out_undo } else { t.dn_mark_sold_out }}</button>
                                    </ActionForm>
                                    {arrange_button("dish", d.id, "up", "↑")}
                                    {arrange_button("dish", d.id, "down", "↓")}
                                    <a class="button button-small" href=edit>{t.dn_edit}</a>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <a class="button button-small" href=new_dish data-testid="dish-new">{t.dn_new_dish}</a>
        </section>
    }
}
