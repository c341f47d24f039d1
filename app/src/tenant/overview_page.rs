use super::{get_tenant_profile, list_tenant_staff, TenantScope};
use crate::components::ErrorBox;
use crate::home::kind_label;
use crate::i18n::{use_lang, use_tr, Tr};
use leptos::prelude::*;
use leptos_meta::Title;
use plaza_types::StaffRole;

pub fn role_label(t: &Tr, role: StaffRole) -> &'static str {
    match role {
        StaffRole::OperatorAdmin => t.role_operator_admin,
        StaffRole::OperatorStaff => t.role_operator_staff,
        StaffRole::TenantOwner => t.role_tenant_owner,
        StaffRole::TenantCashier => t.role_tenant_cashier,
        StaffRole::TenantKitchen => t.role_tenant_kitchen,
        StaffRole::TenantFulfilment => t.role_tenant_fulfilment,
    }
}

/// The shop at a glance: its record and, for the owner, its staff.
#[component]
pub fn TenantOverviewPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let scope = expect_context::<TenantScope>();
    let tenant_id = scope.tenant.id.0;
    let profile = crate::components::page_resource(move || tenant_id, get_tenant_profile);
    let is_owner = scope.role == StaffRole::TenantOwner;
    let staff = crate::components::page_resource(
        move || (tenant_id, is_owner),
        |(id, owner)| async move {
            if owner {
                Some(list_tenant_staff(id).await)
            } else {
                None
            }
        },
    );
    view! {
        <Title text=t.nav_tenant_overview />
        <h1>{t.nav_tenant_overview}</h1>
        <Suspense>
            {move || profile.get().map(|r| match r {
                Ok(p) => {
                    let name = p.name.clone();
                    let category = p.category.clone();
                    view! {
                        <section class="panel">
                            <dl class="facts">
                                <div><dt>{t.tenant_name}</dt><dd>{move || name.get(lang).to_string()}</dd></div>
                                <div><dt>{t.unit_no}</dt><dd>{p.unit_no.clone()}</dd></div>
                                <div><dt>{t.category}</dt><dd>{move || category.get(lang).to_string()}</dd></div>
                                <div><dt>{t.tenant_kind}</dt><dd>{move || kind_label(t, p.kind)}</dd></div>
                            </dl>
                        </section>
                    }.into_any()
                }
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
            })}
        </Suspense>
        <Suspense>
            {move || staff.get().flatten().map(|r| match r {
                Ok(list) => view! {
                    <section class="panel">
                        <h2>{t.staff_accounts}</h2>
                        <table class="table">
                            <thead><tr>
                                <th>{t.field_username}</th>
                                <th>{t.field_display_name}</th>
                                <th>{t.field_role}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|s| view! {
                                    <tr>
                                        <td>{s.username.clone()}</td>
                                        <td>{s.display_name.clone()}</td>
                                        <td>{move || role_label(t, s.role)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </section>
                }.into_any(),
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
            })}
        </Suspense>
    }
}
