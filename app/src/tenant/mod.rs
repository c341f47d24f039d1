//! The tenant console: the shop's own pages, for its owner and staff. A tenant sees only its
//! own data: every server function here checks the caller belongs to the tenant it names.

mod cashier_page;
mod identify_member;
mod layout;
mod overview_page;
mod profile;
mod staff_list;

pub use cashier_page::CashierPage;
pub use identify_member::{identify_member, IdentifyMember};
pub use layout::{TenantLayout, TenantScope};
pub use overview_page::TenantOverviewPage;
pub use profile::{get_tenant_profile, GetTenantProfile};
pub use staff_list::{list_tenant_staff, ListTenantStaff};
