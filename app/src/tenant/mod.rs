//! The tenant console: the shop's own pages, for its owner and staff. A tenant sees only its
//! own data: every server function here checks the caller belongs to the tenant it names.

mod cashier_page;
mod counter_page;
mod identify_member;
mod layout;
mod overview_page;
mod plates;
mod plates_page;
mod profile;
mod staff_list;

pub use cashier_page::CashierPage;
pub use counter_page::CounterPage;
pub use identify_member::{identify_member, IdentifyMember};
pub use layout::{TenantLayout, TenantScope};
pub use overview_page::TenantOverviewPage;
pub use plates::{issue_plate, list_plates, revoke_plate, IssuePlate, ListPlates, RevokePlate};
pub use plates_page::{PlatePrintPage, PlateSheet, PlatesPage, PlatesPanel};
pub use profile::{get_tenant_profile, GetTenantProfile};
pub use staff_list::{list_tenant_staff, ListTenantStaff};
