//! The operator console: the mall's own staff steer the whole mall from here.

mod layout;
mod overview;
mod tenants;

pub use layout::OperatorLayout;
pub use overview::{get_operator_overview, GetOperatorOverview, OperatorOverviewPage};
pub use tenants::{list_tenants, ListTenants, OperatorTenantsPage};
