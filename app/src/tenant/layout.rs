use super::sections::{may_open, menu_for};
use crate::components::{ConsoleLayout, StaffGate};
use crate::i18n::{use_lang, use_tr};
use leptos::prelude::*;
use plaza_types::dto::{StaffViewer, TenantRef};
use plaza_types::StaffRole;
use std::sync::Arc;

/// The tenant the console is working for, and the caller's role there.
#[derive(Clone, Debug)]
pub struct TenantScope {
    pub tenant: TenantRef,
    pub role: StaffRole,
}

#[component]
pub fn TenantLayout() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let render = Arc::new(move |staff: StaffViewer| {
        let tenant = staff.tenant.clone().expect("the gate admits tenant staff only");
        provide_context(TenantScope { tenant: tenant.clone(), role: staff.role });
        let (role, kind) = (staff.role, tenant.kind);
        let title = Signal::derive(move || format!("{} · {}", tenant.name.get(lang), t.tenant_console));
        let account = format!("{} ({})", staff.display_name, staff.username);
        // Each page is its own load (no client-side routing), so the address is read once.
        let denied = !may_open(role, kind, &leptos_router::hooks::use_location().pathname.get_untracked());
        view! { <ConsoleLayout title account nav=menu_for(role, kind) denied /> }.into_any()
    });
    view! { <StaffGate accepts=|staff| staff.tenant.is_some() children=render /> }
}
