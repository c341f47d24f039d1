use crate::components::{ConsoleLayout, Icon, NavItem, StaffGate};
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

const NAV: [NavItem; 9] = [
    NavItem { href: "/tenant", icon: Icon::Store, label: |t| t.nav_tenant_overview, coming: false },
    NavItem { href: "/tenant/cashier", icon: Icon::Code, label: |t| t.nav_cashier, coming: false },
    NavItem { href: "/tenant/counter", icon: Icon::Chart, label: |t| t.nav_counter, coming: false },
    NavItem { href: "/tenant/plates", icon: Icon::Plate, label: |t| t.nav_plates, coming: false },
    NavItem { href: "/tenant/kitchen", icon: Icon::Dining, label: |t| t.nav_kitchen, coming: true },
    NavItem { href: "/tenant/products", icon: Icon::Box, label: |t| t.nav_products, coming: true },
    NavItem { href: "/tenant/orders", icon: Icon::Receipt, label: |t| t.nav_orders, coming: true },
    NavItem { href: "/tenant/promotions", icon: Icon::Ticket, label: |t| t.nav_promotions, coming: true },
    NavItem { href: "/tenant/reports", icon: Icon::Chart, label: |t| t.nav_reports, coming: true },
];

#[component]
pub fn TenantLayout() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let render = Arc::new(move |staff: StaffViewer| {
        let tenant = staff.tenant.clone().expect("the gate admits tenant staff only");
        provide_context(TenantScope { tenant: tenant.clone(), role: staff.role });
        let title = Signal::derive(move || format!("{} · {}", tenant.name.get(lang), t.tenant_console));
        let account = format!("{} ({})", staff.display_name, staff.username);
        view! { <ConsoleLayout title account nav=NAV.to_vec() /> }.into_any()
    });
    view! { <StaffGate accepts=|staff| staff.tenant.is_some() children=render /> }
}
