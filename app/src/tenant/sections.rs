//! The tenant console's sections and which staff roles may open them, in one table. The menu
//! shows a role only its own sections, and a section opened by address says plainly that it is
//! not for this account. A new section (kitchen screen, menu, tables, products, orders) is one
//! row here and one route in the shell; the server functions behind it check the same roles.

use crate::components::{Icon, NavItem};
use plaza_types::StaffRole::{self, TenantCashier, TenantFulfilment, TenantKitchen, TenantOwner};

/// A section of the console and the roles that may open it.
#[derive(Clone, Copy)]
pub struct Section {
    pub nav: NavItem,
    pub roles: &'static [StaffRole],
}

const EVERYONE: &[StaffRole] = &[TenantOwner, TenantCashier, TenantKitchen, TenantFulfilment];
const TILL: &[StaffRole] = &[TenantOwner, TenantCashier];
const KITCHEN: &[StaffRole] = &[TenantOwner, TenantKitchen];
const FULFILMENT: &[StaffRole] = &[TenantOwner, TenantFulfilment];
const OWNER: &[StaffRole] = &[TenantOwner];

pub const SECTIONS: [Section; 12] = [
    Section {
        nav: NavItem { href: "/tenant", icon: Icon::Store, label: |t| t.nav_tenant_overview, coming: false },
        roles: EVERYONE,
    },
    Section {
        nav: NavItem { href: "/tenant/cashier", icon: Icon::Code, label: |t| t.nav_cashier, coming: false },
        roles: TILL,
    },
    Section {
        nav: NavItem { href: "/tenant/counter", icon: Icon::Chart, label: |t| t.nav_counter, coming: false },
        roles: TILL,
    },
    Section {
        nav: NavItem { href: "/tenant/plates", icon: Icon::Plate, label: |t| t.nav_plates, coming: false },
        roles: TILL,
    },
    Section {
        nav: NavItem { href: "/tenant/kitchen", icon: Icon::Dining, label: |t| t.nav_kitchen, coming: false },
        roles: KITCHEN,
    },
    Section {
        nav: NavItem { href: "/tenant/dining-orders", icon: Icon::Receipt, label: |t| t.dn_nav_orders, coming: false },
        roles: TILL,
    },
    Section {
        nav: NavItem { href: "/tenant/menu", icon: Icon::Ticket, label: |t| t.dn_nav_menu, coming: false },
        roles: OWNER,
    },
    Section {
        nav: NavItem { href: "/tenant/tables", icon: Icon::Code, label: |t| t.dn_nav_tables, coming: false },
        roles: OWNER,
    },
    Section {
        nav: NavItem { href: "/tenant/products", icon: Icon::Box, label: |t| t.nav_products, coming: false },
        roles: FULFILMENT,
    },
    Section {
        nav: NavItem { href: "/tenant/orders", icon: Icon::Receipt, label: |t| t.nav_orders, coming: false },
        roles: FULFILMENT,
    },
    Section {
        nav: NavItem { href: "/tenant/promotions", icon: Icon::Ticket, label: |t| t.nav_promotions, coming: true },
        roles: OWNER,
    },
    Section {
        nav: NavItem { href: "/tenant/reports", icon: Icon::Chart, label: |t| t.nav_reports, coming: true },
        roles: OWNER,
    },
];

/// The menu of one role, in table order.
pub fn menu_for(role: StaffRole) -> Vec<NavItem> {
    SECTIONS.iter().filter(|s| s.roles.contains(&role)).map(|s| s.nav).collect()
}

/// The section a console address belongs to: the longest `href` it starts with
/// (`/tenant/plates/3/print` is in 收款码牌).
pub fn section_of(path: &str) -> Option<&'static Section> {
    let path = path.trim_end_matches('/');
    SECTIONS
        .iter()
        .filter(|s| path == s.nav.href || path.strip_prefix(s.nav.href).is_some_and(|rest| rest.starts_with('/')))
        .max_by_key(|s| s.nav.href.len())
}

/// Whether `role` may open the page at `path`.
pub fn may_open(role: StaffRole, path: &str) -> bool {
    section_of(path).is_none_or(|s| s.roles.contains(&role))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn menu(role: StaffRole) -> Vec<&'static str> {
        menu_for(role).into_iter().map(|n| n.href).collect()
    }

    #[test]
    fn each_role_sees_only_its_sections() {
        assert_eq!(menu(TenantOwner).len(), SECTIONS.len());
        assert_eq!(
            menu(TenantCashier),
            ["/tenant", "/tenant/cashier", "/tenant/counter", "/tenant/plates", "/tenant/dining-orders"]
        );
        assert_eq!(menu(TenantKitchen), ["/tenant", "/tenant/kitchen"]);
        assert_eq!(menu(TenantFulfilment), ["/tenant", "/tenant/products", "/tenant/orders"]);
    }

    #[test]
    fn pages_belong_to_their_section() {
        assert_eq!(section_of("/tenant/plates/3/print").map(|s| s.nav.href), Some("/tenant/plates"));
        assert_eq!(section_of("/tenant/").map(|s| s.nav.href), Some("/tenant"));
        assert_eq!(section_of("/tenant/cashierx").map(|s| s.nav.href), Some("/tenant"));
        assert!(!may_open(TenantKitchen, "/tenant/counter"));
        assert!(!may_open(TenantKitchen, "/tenant/plates/3/print"));
        assert!(!may_open(TenantKitchen, "/tenant/cashier"));
        assert!(may_open(TenantKitchen, "/tenant"));
        assert!(may_open(TenantCashier, "/tenant/plates"));
        assert!(!may_open(TenantCashier, "/tenant/reports"));
        assert!(may_open(TenantKitchen, "/tenant/kitchen/ticket/3/1"));
        assert!(!may_open(TenantKitchen, "/tenant/menu/dish/3"));
        assert!(!may_open(TenantCashier, "/tenant/tables/2/print"));
    }
}
