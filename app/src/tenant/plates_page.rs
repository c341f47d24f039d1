use super::plates::{list_plates, IssuePlate, RevokePlate};
use super::TenantScope;
use crate::components::ErrorBox;
use crate::i18n::{use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use plaza_types::StaffRole;

/// 码牌: the shop's plates; the owner issues, prints and revokes them.
#[component]
pub fn PlatesPage() -> impl IntoView {
    let scope = expect_context::<TenantScope>();
    let manage = scope.role == StaffRole::TenantOwner;
    view! { <PlatesPanel tenant=scope.tenant.id.0 manage base="/tenant/plates".to_string() /> }
}

/// A tenant's plates, in its own console (`base` = `/tenant/plates`) or the operator's
/// (`/ops/tenants/<id>/plates`); `manage` shows the issue and revoke forms.
#[component]
pub fn PlatesPanel(tenant: i64, manage: bool, base: String) -> impl IntoView {
    let t = use_tr();
    let is_owner = manage;
    let query = use_query_map();
    let issue = ServerAction::<IssuePlate>::new();
    let revoke = ServerAction::<RevokePlate>::new();
    let plates = crate::components::page_resource(|| (), move |_| list_plates(tenant));
    let issued = move || query.with(|q| q.get("issued"));
    let issue_back = base.clone();
    view! {
        <Title text=t.nav_plates />
        <h1>{t.nav_plates}</h1>
        <p class="muted">{t.plates_intro}</p>
        {move || issued().map(|_| view! { <p class="notice notice-ok" role="status">{t.plates_issued}</p> })}
        <ErrorBox error=Signal::derive(move || issue.value().get().and_then(|r| r.err())) />
        <ErrorBox error=Signal::derive(move || revoke.value().get().and_then(|r| r.err())) />
        {is_owner.then(|| view! {
            <section class="panel">
                <h2>{t.plates_issue_title}</h2>
                <ActionForm action=issue attr:class="inline-form">
                    <input type="hidden" name="tenant" value=tenant />
                    <input type="hidden" name="back" value=issue_back />
                    <label class="field"><span>{t.plates_name}</span>
                        <input type="text" name="name" required maxlength="30" placeholder=t.plates_name_placeholder data-testid="plate-name" /></label>
                    <button type="submit" class="button button-primary" data-testid="plate-issue">{t.plates_issue}</button>
                </ActionForm>
            </section>
        })}
        <Suspense>
            {move || plates.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="muted">{t.plates_empty}</p> }.into_any(),
                Ok(list) => view! {
                    <table class="table table-cards">
                        <thead><tr><th>{t.plates_name}</th><th>{t.plates_link}</th><th>{t.plates_state}</th><th></th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|p| {
                                let active = p.plate.active;
                                let print = format!("{base}/{}/print", p.plate.id);
                                let back = base.clone();
                                view! {
                                    <tr data-testid="plate-row" data-code=p.plate.code.clone()>
                                        <td><strong>{p.plate.name.clone()}</strong></td>
                                        <td class="plate-url"><a href=p.url.clone() data-testid="plate-link">{p.url.clone()}</a></td>
                                        <td data-label=t.plates_state data-testid="plate-state">{if active { t.plates_active } else { t.plates_revoked }}</td>
                                        <td class="actions">
                                            {active.then(|| view! { <a class="button button-small" href=print>{t.plates_print}</a> })}
                                            {(active && is_owner).then(|| view! {
                                                <ActionForm action=revoke attr:class="inline">
                                                    <input type="hidden" name="tenant" value=tenant />
                                                    <input type="hidden" name="plate" value=p.plate.id />
                                                    <input type="hidden" name="back" value=back />
                                                    <button type="submit" class="button button-small button-danger">{t.plates_revoke}</button>
                                                </ActionForm>
                                            })}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
pub fn PlatePrintPage() -> impl IntoView {
    let scope = expect_context::<TenantScope>();
    let params = use_params_map();
    let plate = params.with_untracked(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    view! { <PlateSheet tenant=scope.tenant.id.0 plate /> }
}

/// The printable sheet: the QR code large, the shop's name and unit number, the plate's name.
#[component]
pub fn PlateSheet(tenant: i64, plate: i64) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let id = move || plate;
    let plates = crate::components::page_resource(|| (), move |_| list_plates(tenant));
    view! {
        <Title text=t.plates_print />
        <Suspense>
            {move || plates.get().map(|r| match r.map(|list| list.into_iter().find(|p| p.plate.id == id() && p.plate.active)) {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(None) => view! { <ErrorBox error=Some(plaza_types::AppError::NotFound) /> }.into_any(),
                Ok(Some(p)) => view! {
                    <p class="no-print"><button type="button" class="button" onclick="window.print()">{t.plates_print}</button></p>
                    <article class="plate-sheet" data-testid="plate-sheet">
                        <p class="plate-sheet-brand">{t.plates_sheet_brand}</p>
                        <div class="plate-sheet-qr" inner_html=p.qr_svg.clone()></div>
                        <p class="plate-sheet-shop">{p.plate.tenant.get(lang).to_string()}</p>
                        <p class="plate-sheet-unit">{p.plate.unit_no.clone()}" · "{p.plate.name.clone()}</p>
                        <p class="plate-sheet-hint">{t.plates_sheet_hint}</p>
                        <p class="plate-sheet-url">{p.url.clone()}</p>
                    </article>
                }.into_any(),
            })}
        </Suspense>
    }
}
