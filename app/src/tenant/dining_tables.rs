//! 桌台桌码: the restaurant's dining areas and tables, each table with the plain https link its QR
//! code holds, added in ranges (`1-12`), revoked when a sticker is lost, and printed as A4 sheets
//! with six codes a page and the table number large. Food-court areas are the mall's: listed
//! here read-only, managed by the operators (`/ops/dining`).

use super::TenantScope;
use crate::components::{read_error, ErrorBox};
use crate::i18n::{fill, use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use plaza_types::dto::DiningAreaAdmin;
use plaza_types::AppError;

#[server(endpoint = "tenant/tables")]
pub async fn get_dining_areas(tenant: i64) -> Result<Vec<DiningAreaAdmin>, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::{StaffRole, TenantId};
    let roles = [StaffRole::TenantOwner, StaffRole::OperatorAdmin, StaffRole::OperatorStaff];
    require_tenant_staff(TenantId(tenant), &roles).await?;
    let ctx = app()?;
    plaza_core::dining::tables::areas_of(&ctx.db, TenantId(tenant), &ctx.public_url).await.map_err(user_error)
}

/// Adds an area (`name_zh` given), tables to an area (`area` and `labels`), revokes a table
/// (`revoke` = its id) or archives an empty area (`archive` = its id).
#[server(endpoint = "tenant/tables/edit")]
pub async fn edit_dining_tables(
    tenant: i64,
    name_zh: Option<String>,
    name_en: Option<String>,
    area: Option<i64>,
    labels: Option<String>,
    revoke: Option<i64>,
    archive: Option<i64>,
) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_core::dining::tables::{self, AreaOwner};
    use plaza_types::dto::Localized;
    use plaza_types::{StaffRole, TenantId};
    let staff = require_tenant_staff(TenantId(tenant), &[StaffRole::TenantOwner]).await?;
    let ctx = app()?;
    let actor = plaza_core::audit::Actor::Staff(staff.staff_id);
    let (owner, now) = (AreaOwner::Restaurant(TenantId(tenant)), plaza_core::Timestamp::now());
    match (name_zh, area, labels, revoke, archive) {
        (Some(zh), None, None, None, None) => {
            let name = Localized::new(zh, name_en.unwrap_or_default());
            tables::create_area(&ctx.db, owner, &name, "", &actor, now).await.map(drop)
        }
        (None, Some(area), Some(labels), None, None) => {
            tables::add_tables(&ctx.db, owner, area, &labels, &actor, now).await.map(drop)
        }
        (None, None, None, Some(table), None) => tables::revoke_table(&ctx.db, owner, table, &actor, now).await,
        (None, None, None, None, Some(area)) => tables::archive_area(&ctx.db, owner, area, &actor, now).await,
        _ => return Err(AppError::invalid(plaza_types::error::Field::Table)),
    }
    .map_err(user_error)?;
    leptos_axum::redirect("/tenant/tables?saved=1");
    Ok(())
}

/// 桌台桌码.
#[component]
pub fn TablesPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let scope = expect_context::<TenantScope>();
    let tenant = scope.tenant.id.0;
    let query = use_query_map();
    let areas = Resource::new(|| (), move |_| get_dining_areas(tenant));
    let edit = ServerAction::<EditDiningTables>::new();
    let errors = Signal::derive(move || {
        read_error(query.with(|q| q.get("error"))).or_else(|| edit.value().get().and_then(|r| r.err()))
    });
    let form = move |fields: AnyView, button: &'static str, testid: &'static str| {
        view! {
            <ActionForm action=edit attr:class="dn-inline-fields">
                <input type="hidden" name="tenant" value=tenant />
                {fields}
                <button type="submit" class="button" data-testid=testid>{button}</button>
            </ActionForm>
        }
    };
    view! {
        <Title text=t.dn_nav_tables />
        <h1>{t.dn_nav_tables}</h1>
        <p class="muted">{t.dn_tables_intro}</p>
        <ErrorBox error=errors />
        {move || query.with(|q| q.get("saved").is_some()).then(|| view! { <p class="notice notice-ok" role="status">{t.dn_saved}</p> })}
        <section class="panel">
            <h2>{t.dn_add_area}</h2>
            {form(view! {
                <label class="field"><span>{t.dn_name_zh}</span><input type="text" name="name_zh" required maxlength="20" placeholder=t.dn_area_hint data-testid="area-name" /></label>
                <label class="field"><span>{t.dn_name_en}</span><input type="text" name="name_en" maxlength="40" /></label>
            }.into_any(), t.dn_add, "area-add")}
        </section>
        <Suspense>
            {move || areas.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(areas) => areas.into_iter().map(|a| {
                    let print = format!("/tenant/tables/{}/print", a.id);
                    let shared = a.shared;
                    let empty = a.tables.iter().all(|t| !t.active);
                    view! {
                        <section class="panel" data-testid="admin-area">
                            <div class="row-between">
                                <h2>{a.name.get(lang).to_string()}" "<small class="muted">{a.floor.clone()}</small></h2>
                                <div class="actions">
                                    <a class="button button-small" href=print data-testid="tables-print">{t.dn_print_codes}</a>
                                    {(!shared && empty).then(|| form(view! { <input type="hidden" name="archive" value=a.id /> }.into_any(), t.dn_archive_area, "area-archive"))}
                                </div>
                            </div>
                            {shared.then(|| {
                                let names = a.restaurants.iter().map(|r| r.name.get(lang).to_string()).collect::<Vec<_>>().join("、");
                                view! { <p class="notice small">{fill(t.dn_shared_area_note, &[("restaurants", &names)])}</p> }
                            })}
                            <table class="table dn-tables">
                                <tbody>
                                    {a.tables.iter().map(|tb| view! {
                                        <tr data-testid="admin-table" data-label=tb.label.clone() data-code=tb.code.clone()>
                                            <td><strong>{fill(t.dn_table_label, &[("n", &tb.label)])}</strong></td>
                                            <td class="plate-url"><a href=tb.url.clone() data-testid="table-link">{tb.url.clone()}</a></td>
                                            <td>{if tb.active { t.plates_active } else { t.plates_revoked }}</td>
                                            <td class="actions">
                                                {(tb.active && !shared).then(|| form(view! { <input type="hidden" name="revoke" value=tb.id /> }.into_any(), t.plates_revoke, "table-revoke"))}
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            {(!shared).then(|| form(view! {
                                <input type="hidden" name="area" value=a.id />
                                <label class="field"><span>{t.dn_add_tables}</span>
                                    <input type="text" name="labels" required maxlength="200" placeholder=t.dn_tables_hint data-testid="table-labels" /></label>
                            }.into_any(), t.dn_add, "tables-add"))}
                        </section>
                    }
                }).collect_view().into_any(),
            })}
        </Suspense>
    }
}

/// `/tenant/tables/<area>/print`.
#[component]
pub fn TablesPrintPage() -> impl IntoView {
    let scope = expect_context::<TenantScope>();
    let tenant = scope.tenant.id.0;
    let lang = use_lang();
    let params = use_params_map();
    let area = move || params.with(|p| p.get("area").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let areas = Resource::new(|| (), move |_| get_dining_areas(tenant));
    let brand = scope.tenant.name.get(lang).to_string();
    view! {
        <Suspense>
            {move || areas.get().map(|r| match r.map(|list| list.into_iter().find(|a| a.id == area())) {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(None) => view! { <ErrorBox error=Some(AppError::NotFound) /> }.into_any(),
                Ok(Some(a)) => view! { <TableSheets area=a brand=brand.clone() /> }.into_any(),
            })}
        </Suspense>
    }
}

/// The printable A4 sheets of an area's active tables: six a page, the number large.
#[component]
pub fn TableSheets(area: DiningAreaAdmin, brand: String) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let area_name = area.name.get(lang).to_string();
    view! {
        <Title text=t.dn_print_codes />
        <div class="no-print dn-print-bar">
            <PrintButton label=t.dn_print />
            <span class="muted">{t.dn_print_hint}</span>
        </div>
        <div class="table-sheets" data-testid="table-sheets">
            {area.tables.into_iter().filter(|tb| tb.active).map(|tb| view! {
                <article class="table-card" data-testid="table-card">
                    <p class="table-card-brand">{brand.clone()}</p>
                    <div class="table-card-qr" inner_html=tb.qr_svg.clone()></div>
                    <p class="table-card-label">{tb.label.clone()}</p>
                    <p class="table-card-area">{area_name.clone()}" · "{t.dn_scan_to_order}</p>
                    <p class="table-card-url">{tb.url.clone()}</p>
                </article>
            }).collect_view()}
        </div>
    }
}

/// A print button that works under the page's Content-Security-Policy: its one line of script
/// carries the page's nonce (inline `onclick` handlers are refused).
#[component]
pub fn PrintButton(label: &'static str) -> impl IntoView {
    let nonce = leptos::nonce::use_nonce();
    view! {
        <button type="button" class="button button-primary" id="print-page">{label}</button>
        <script nonce=nonce>"document.getElementById('print-page').addEventListener('click', function () { window.print(); });"</script>
    }
}
