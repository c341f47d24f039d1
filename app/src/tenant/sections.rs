//! The tenant console's sections, which staff roles may open them and which kinds of tenant
//! have them, in one table. The menu shows a role only its own sections of its tenant's kind (a
//! boutique has no kitchen, a restaurant no online orders), and a section opened by address says
//! plainly that it is not for this account. A new section is one row here and one route in the
//! shell; the server functions behind it check the same roles.

use crate::components::{Icon, NavItem};
use plaza_types::dto::TenantKind::{self, Plate, Restaurant, Store};
use plaza_types::StaffRole::{self, TenantCashier, TenantFulfilment, TenantKitchen, TenantOwner};

/// A section of the console, the roles that may open it and the kinds of tenant that have it.
#[derive(Clone, Copy)]
pub struct Section {
    pub nav: NavItem,
    pub roles: &'static [StaffRole],
    pub kinds: &'static [TenantKind],
}

const ALL_KINDS: &[TenantKind] = &[Plate, Restaurant, Store];
const RESTAURANT: &[TenantKind] = &[Restaurant];
const STORE: &[TenantKind] = &[Store];

const EVERYONE: &[StaffRole] = &[TenantOwner, TenantCashier, TenantKitchen, TenantFulfilment];
const TILL: &[StaffRole] = &[TenantOwner, TenantCashier];
const KITCHEN: &[StaffRole] = &[TenantOwner, TenantKitchen];
const FULFILMENT: &[StaffRole] = &[TenantOwner, TenantFulfilment];
const OWNER: &[StaffRole] = &[TenantOwner];

pub const SECTIONS: [Section; 12] = [
    Section {
        nav: NavItem { href: "/tenant", icon: Icon::Store, label: |t| t.nav_tenant_overview, coming: false },
        roles: EVERYONE,
        kinds: ALL_KINDS,
    },
    Section {
        nav: NavItem { href: "/tenant/cashier", icon: Icon::Code, label: |t| t.nav_cashier, coming: false },
        roles: TILL,
        kinds: ALL_KINDS,
    },
    Section {
        nav: NavItem { href: "/tenant/counter", icon: Icon::Chart, label: |t| t.nav_counter, coming: false },
        roles: TILL,
        kinds: ALL_KINDS,
    },
    Section {
        nav: NavItem { href: "/tenant/plates", icon: Icon::Plate, label: |t| t.nav_plates, coming: false },
        roles: TILL,
        kinds: ALL_KINDS,
    },
    Section {
        nav: NavItem { href: "/tenant/kitchen", icon: Icon::Dining, label: |t| t.nav_kitchen, coming: false },
        roles: KITCHEN,
        kinds: RESTAURANT,
    },
    Section {
        nav: NavItem { href: "/tenant/dining-orders", icon: Icon::Receipt, label: |t| t.dn_nav_orders, coming: false },
        roles: TILL,
        kinds: RESTAURANT,
    },
    Section {
        nav: NavItem { href: "/tenant/menu", icon: Icon::Ticket, label: |t| t.dn_nav_menu, coming: false },
        roles: OWNER,
        kinds: RESTAURANT,
    },
    Section {
        nav: NavItem { href: "/tenant/tables", icon: Icon::Code, label: |t| t.dn_nav_tables, coming: false },
        roles: OWNER,
        kinds: RESTAURANT,
    },
    Section {
        nav: NavItem { href: "/tenant/products", icon: Icon::Box, label: |t| t.nav_products, coming: false },
        roles: FULFILMENT,
        kinds: STORE,
    },
    Section {
        nav: NavItem { href: "/tenant/orders", icon: Icon::Receipt, label: |t| t.nav_orders, coming: false },
        roles: FULFILMENT,
        kinds: STORE,
    },
    Section {
        nav: NavItem { href: "/tenant/promotions", icon: Icon::Ticket, label: |t| t.nav_promotions, coming: false },
        roles: OWNER,
        kinds: STORE,
    },
    Section {
        nav: NavItem { href: "/tenant/reports", icon: Icon::Chart, label: |t| t.nav_reports, coming: false },
        roles: OWNER,
        kinds: ALL_KINDS,
    },
];

impl Section {
    fn open_to(&self, role: StaffRole, kind: TenantKind) -> bool {
        self.roles.contains(&role) && self.kinds.contains(&kind)
    }
}

/// The menu of one role at one kind of tenant, in table order.
pub fn menu_for(role: StaffRole, kind: TenantKind) -> Vec<NavItem> {
    SECTIONS.iter().filter(|s| s.open_to(role, kind)).map(|s| s.nav).collect()
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

/// Whether `role` at a tenant of this kind may open the page at `path`.
pub fn may_open(role: StaffRole, kind: TenantKind, path: &str) -> bool {
    section_of(path).is_none_or(|s| s.open_to(role, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn menu(role: StaffRole, kind: TenantKind) -> Vec<&'static str> {
        menu_for(role, kind).into_iter().map(|n| n.href).collect()
    }

    #[test]
    fn each_role_sees_only_its_sections_of_its_kind() {
        assert_eq!(
            menu(TenantOwner, Plate),
            ["/tenant", "/tenant/cashier", "/tenant/counter", "/tenant/plates", "/tenant/reports"]
        );
        assert_eq!(
            menu(TenantOwner, Restaurant),
            [
                "/tenant",
                "/tenant/cashier",
                "/tenant/counter",
                "/tenant/plates",
                "/tenant/kitchen",
                "/tenant/dining-orders",
                "/tenant/menu",
                "/tenant/tables",
                "/tenant/reports"
            ]
        );
        assert_eq!(
            menu(TenantOwner, Store),
            [
                "/tenant",
                "/tenant/cashier",
                "/tenant/counter",
                "/tenant/plates",
                "/tenant/products",
                "/tenant/orders",
                "/tenant/promotions",
                "/tenant/reports"
            ]
        );
        assert_eq!(
            menu(TenantCashier, Restaurant),
            ["/tenant", "/tenant/cashier", "/tenant/counter", "/tenant/plates", "/tenant/dining-orders"]
        );
        assert_eq!(menu(TenantCashier, Store), ["/tenant", "/tenant/cashier", "/tenant/counter", "/tenant/plates"]);
        assert_eq!(menu(TenantKitchen, Restaurant), ["/tenant", "/tenant/kitchen"]);
        assert_eq!(menu(TenantKitchen, Store), ["/tenant"]);
        assert_eq!(menu(TenantFulfilment, Store), ["/tenant", "/tenant/products", "/tenant/orders"]);
        assert_eq!(menu(TenantFulfilment, Restaurant), ["/tenant"]);
    }

    #[test]
    fn pages_belong_to_their_section() {
        assert_eq!(section_of("/tenant/plates/3/print").map(|s| s.nav.href), Some("/tenant/plates"));
        assert_eq!(section_of("/tenant/").map(|s| s.nav.href), Some("/tenant"));
        assert_eq!(section_of("/tenant/cashierx").map(|s| s.nav.href), Some("/tenant"));
        assert!(!may_open(TenantKitchen, Restaurant, "/tenant/counter"));
        assert!(!may_open(TenantKitchen, Restaurant, "/tenant/plates/3/print"));
        assert!(!may_open(TenantKitchen, Restaurant, "/tenant/cashier"));
        assert!(may_open(TenantKitchen, Restaurant, "/tenant"));
        assert!(may_open(TenantCashier, Plate, "/tenant/plates"));
        assert!(!may_open(TenantCashier, Plate, "/tenant/reports"));
        assert!(may_open(TenantKitchen, Restaurant, "/tenant/kitchen/ticket/3/1"));
        assert!(!may_open(TenantKitchen, Restaurant, "/tenant/menu/dish/3"));
        assert!(!may_open(TenantCashier, Restaurant, "/tenant/tables/2/print"));
        // A boutique's owner has no kitchen; a restaurant's, no online orders.
        assert!(!may_open(TenantOwner, Store, "/tenant/kitchen"));
        assert!(!may_open(TenantOwner, Plate, "/tenant/menu"));
        assert!(!may_open(TenantOwner, Restaurant, "/tenant/products/4"));
        assert!(may_open(TenantOwner, Store, "/tenant/orders"));
    }
}
