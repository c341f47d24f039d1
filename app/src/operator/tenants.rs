use crate::components::ErrorBox;
use crate::home::kind_label;
use crate::i18n::{use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use plaza_types::dto::TenantSummary;
use plaza_types::AppError;

/// Every tenant, for operators.
#[server(endpoint = "ops/tenants")]
pub async fn list_tenants() -> Result<Vec<TenantSummary>, AppError> {
    use crate::server::{app, require_operator, user_error};
    require_operator().await?;
    let ctx = app()?;
    plaza_core::tenants::list(&ctx.db).await.map_err(user_error)
}

#[component]
pub fn OperatorTenantsPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let tenants = crate::components::page_resource(|| (), |_| list_tenants());
    view! {
        <Title text=t.nav_tenants />
        <h1>{t.nav_tenants}</h1>
        <Suspense>
            {move || tenants.get().map(|r| match r {
                Ok(list) => view! {
                    <table class="table">
                        <thead><tr>
                            <th>{t.unit_no}</th>
                            <th>{t.tenant_name}</th>
                            <th>{t.category}</th>
                            <th>{t.tenant_kind}</th>
                            <th>{t.status}</th>
                            <th></th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|tenant| {
                                let name = tenant.name.clone();
                                let category = tenant.category.clone();
                                view! {
                                    <tr>
                                        <td>{tenant.unit_no.clone()}</td>
                                        <td>{move || name.get(lang).to_string()}</td>
                                        <td>{move || category.get(lang).to_string()}</td>
                                        <td>{move || kind_label(t, tenant.kind)}</td>
                                        <td>{move || if tenant.active { t.status_active } else { t.status_inactive }}</td>
                                        <td class="actions">
                                            <a href=format!("/ops/tenants/{}/plates", tenant.id.0)>{t.nav_plates}</a>" · "
                                            <a href=format!("/ops/tenants/{}/reports", tenant.id.0) data-testid="tenant-reports">{t.rp_reports_link}</a>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
            })}
        </Suspense>
    }
}
