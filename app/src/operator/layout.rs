use super::notices::OperatorScope;
use crate::components::{ConsoleLayout, Icon, NavItem, StaffGate};
use crate::i18n::use_tr;
use leptos::prelude::*;
use plaza_types::dto::StaffViewer;
use std::sync::Arc;

const NAV: &[NavItem] = &[
    NavItem { href: "/ops", icon: Icon::Chart, label: |t| t.nav_ops_overview, coming: false },
    NavItem { href: "/ops/sales", icon: Icon::Chart, label: |t| t.ops_nav_sales, coming: false },
    NavItem { href: "/ops/tenants", icon: Icon::Store, label: |t| t.nav_tenants, coming: false },
    NavItem { href: "/ops/dining", icon: Icon::Dining, label: |t| t.dn_food_courts, coming: false },
    NavItem { href: "/ops/shop", icon: Icon::Bag, label: |t| t.sop_title, coming: false },
    NavItem { href: "/ops/members", icon: Icon::Users, label: |t| t.nav_members, coming: false },
    NavItem { href: "/ops/points", icon: Icon::Gift, label: |t| t.nav_points_rules, coming: false },
    NavItem { href: "/ops/coupons", icon: Icon::Ticket, label: |t| t.nav_coupons, coming: false },
    NavItem { href: "/ops/rewards", icon: Icon::Bag, label: |t| t.ops_nav_rewards, coming: false },
    NavItem { href: "/ops/stored-value", icon: Icon::Box, label: |t| t.ops_nav_stored_value, coming: false },
    NavItem { href: "/ops/anomalies", icon: Icon::Scan, label: |t| t.ops_nav_anomalies, coming: false },
    NavItem { href: "/ops/audit", icon: Icon::Shield, label: |t| t.nav_audit, coming: false },
    NavItem { href: "/ops/reconcile", icon: Icon::Receipt, label: |t| t.recon_title, coming: false },
    NavItem { href: "/ops/membership", icon: Icon::Code, label: |t| t.nav_paid_membership, coming: false },
    NavItem { href: "/ops/receipts", icon: Icon::Receipt, label: |t| t.nav_receipts, coming: false },
    NavItem { href: "/ops/aftersales", icon: Icon::Shield, label: |t| t.as_ops_title, coming: false },
    NavItem { href: "/ops/campaigns", icon: Icon::Users, label: |t| t.nav_campaigns, coming: true },
    NavItem { href: "/ops/parking", icon: Icon::Car, label: |t| t.nav_parking, coming: true },
];

#[component]
pub fn OperatorLayout() -> impl IntoView {
    let t = use_tr();
    let render = Arc::new(move |staff: StaffViewer| {
        provide_context(OperatorScope { role: staff.role });
        let title = t.operator_console;
        let account = format!("{} ({})", staff.display_name, staff.username);
        view! { <ConsoleLayout title account nav=NAV.to_vec() /> }.into_any()
    });
    view! { <StaffGate accepts=|staff| staff.role.is_operator() children=render /> }
}
