//! 美食广场: the mall's shared dining areas (food courts). The administrator creates an area,
//! lists the restaurants that serve it, adds and revokes its tables and prints their codes (A4,
//! six a page); operator staff read. A shopper scanning a food-court table chooses between the
//! area's restaurants.

use super::notices::is_admin;
use crate::components::{read_error, ErrorBox};
use crate::i18n::{fill, use_lang, use_tr};
use crate::tenant::TableSheets;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use plaza_types::dto::{DiningAreaAdmin, TenantSummary};
use plaza_types::AppError;

#[server(endpoint = "ops/dining")]
pub async fn get_food_courts() -> Result<(Vec<DiningAreaAdmin>, Vec<TenantSummary>), AppError> {
    use crate::server::{app, require_operator, user_error};
    require_operator().await?;
    let ctx = app()?;
    let areas = plaza_core::dining::tables::shared_areas(&ctx.db, &ctx.public_url).await.map_err(user_error)?;
    let restaurants = plaza_core::tenants::list(&ctx.db)
        .await
        .map_err(user_error)?
        .into_iter()
        .filter(|t| t.kind == plaza_types::dto::TenantKind::Restaurant)
        .collect();
    Ok((areas, restaurants))
}

/// Creates a food court (`name_zh`), adds or removes a restaurant of one (`area`, `tenant`,
/// `serves`), adds tables (`area`, `labels`) or revokes one (`revoke`). The administrator only.
#[server(endpoint = "ops/dining/edit")]
#[allow(clippy::too_many_arguments)]
pub async fn edit_food_court(
    name_zh: Option<String>,
    name_en: Option<String>,
    floor: Option<String>,
    area: Option<i64>,
    tenant: Option<i64>,
    serves: Option<bool>,
    labels: Option<String>,
    revoke: Option<i64>,
) -> Result<(), AppError> {
    use crate::server::{app, require_staff, user_error};
    use plaza_core::dining::tables::{self, AreaOwner};
    use plaza_types::dto::Localized;
    use plaza_types::{StaffRole, TenantId};
    let staff = require_staff(&[StaffRole::OperatorAdmin]).await?;
    let ctx = app()?;
    let actor = plaza_core::audit::Actor::Staff(staff.staff_id);
    let (db, now) = (&ctx.db, plaza_core::Timestamp::now());
    match (name_zh, area, tenant, labels, revoke) {
        (Some(zh), None, None, None, None) => {
            let name = Localized::new(zh, name_en.unwrap_or_default());
            tables::create_area(db, AreaOwner::Mall, &name, floor.as_deref().unwrap_or_default(), &actor, now)
                .await
                .map(drop)
        }
        (None, Some(area), Some(tenant), None, None) => {
            tables::set_area_restaurant(db, area, TenantId(tenant), serves.unwrap_or(true), &actor, now).await
        }
        (None, Some(area), None, Some(labels), None) => {
            tables::add_tables(db, AreaOwner::Mall, area, &labels, &actor, now).await.map(drop)
        }
        (None, None, None, None, Some(table)) => tables::revoke_table(db, AreaOwner::Mall, table, &actor, now).await,
        _ => return Err(AppError::invalid(plaza_types::error::Field::Table)),
    }
    .map_err(user_error)?;
    leptos_axum::redirect("/ops/dining?saved=1");
    Ok(())
}

#[component]
pub fn OpsFoodCourtsPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let query = use_query_map();
    let data = Resource::new(|| (), |_| get_food_courts());
    let edit = ServerAction::<EditFoodCourt>::new();
    let admin = is_admin();
    let errors = Signal::derive(move || {
        read_error(query.with(|q| q.get("error"))).or_else(|| edit.value().get().and_then(|r| r.err()))
    });
    view! {
        <Title text=t.dn_food_courts />
        <h1>{t.dn_food_courts}</h1>
        <p class="muted">{t.dn_food_courts_intro}</p>
        <ErrorBox error=errors />
        {move || query.with(|q| q.get("saved").is_some()).then(|| view! { <p class="notice notice-ok" role="status">{t.dn_saved}</p> })}
        {admin.then(|| view! {
            <section class="panel">
                <h2>{t.dn_add_food_court}</h2>
                <ActionForm action=edit attr:class="dn-inline-fields">
                    <label class="field"><span>{t.dn_name_zh}</span><input type="text" name="name_zh" required maxlength="20" /></label>
                    <label class="field"><span>{t.dn_name_en}</span><input type="text" name="name_en" maxlength="40" /></label>
                    <label class="field"><span>{t.dn_floor}</span><input type="text" name="floor" maxlength="10" /></label>
                    <button type="submit" class="button button-primary">{t.dn_add}</button>
                </ActionForm>
            </section>
        })}
        <Suspense>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok((areas, restaurants)) => areas.into_iter().map(|a| {
                    let serving: Vec<i64> = a.restaurants.iter().map(|r| r.id).collect();
                    let print = format!("/ops/dining/{}/print", a.id);
                    view! {
                        <section class="panel" data-testid="food-court">
                            <div class="row-between">
                                <h2>{a.name.get(lang).to_string()}" "<small class="muted">{a.floor.clone()}</small></h2>
                                <a class="button button-small" href=print>{t.dn_print_codes}</a>
                            </div>
                            <h3>{t.dn_court_restaurants}</h3>
                            <ul class="dn-court-restaurants">
                                {restaurants.clone().into_iter().map(|r| {
                                    let serves = serving.contains(&r.id.0);
                                    view! {
                                        <li>
                                            <span class=if serves { "" } else { "muted" }>{r.name.get(lang).to_string()}" "{r.unit_no.clone()}</span>
                                            {admin.then(|| view! {
                                                <ActionForm action=edit attr:class="inline-form">
                                                    <input type="hidden" name="area" value=a.id />
                                                    <input type="hidden" name="tenant" value=r.id.0 />
                                                    <input type="hidden" name="serves" value=(!serves).to_string() />
                                                    <button type="submit" class="button button-small">{if serves { t.dn_court_remove } else { t.dn_court_add }}</button>
                                                </ActionForm>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            <h3>{fill(t.dn_tables_n, &[("n", &a.tables.iter().filter(|tb| tb.active).count().to_string())])}</h3>
                            <ul class="dn-court-tables">
                                {a.tables.clone().into_iter().filter(|tb| tb.active).map(|tb| view! {
                                    <li>
                                        <a href=tb.url.clone()>{tb.label.clone()}</a>
                                        {admin.then(|| view! {
                                            <ActionForm action=edit attr:class="inline-form">
                                                <input type="hidden" name="revoke" value=tb.id />
                                                <button type="submit" class="link-button" aria-label=fill(t.dn_revoke_table, &[("n", &tb.label)])>"×"</button>
                                            </ActionForm>
                                        })}
                                    </li>
                                }).collect_view()}
                            </ul>
                            {admin.then(|| view! {
                                <ActionForm action=edit attr:class="dn-inline-fields">
                                    <input type="hidden" name="area" value=a.id />
                                    <label class="field"><span>{t.dn_add_tables}</span><input type="text" name="labels" required maxlength="200" placeholder=t.dn_tables_hint /></label>
                                    <button type="submit" class="button">{t.dn_add}</button>
                                </ActionForm>
                            })}
                        </section>
                    }
                }).collect_view().into_any(),
            })}
        </Suspense>
    }
}

/// `/ops/dining/<area>/print`.
#[component]
pub fn OpsFoodCourtPrintPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let area = move || params.with(|p| p.get("area").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let data = Resource::new(|| (), |_| get_food_courts());
    let mall = Resource::new(|| (), |_| crate::mall::get_mall_info());
    view! {
        <Suspense>
            {move || data.get().map(|r| match r.map(|(areas, _)| areas.into_iter().find(|a| a.id == area())) {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(None) => view! { <ErrorBox error=Some(AppError::NotFound) /> }.into_any(),
                Ok(Some(a)) => {
                    let brand = mall.get().and_then(|m| m.ok()).map(|m| m.name.get(lang).to_string()).unwrap_or_default();
                    view! { <TableSheets area=a brand /> }.into_any()
                }
            })}
        </Suspense>
    }
}
