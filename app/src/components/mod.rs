//! Building blocks shared by several features.

mod camera_scanner;
mod console_layout;
mod error_box;
pub mod flash;
mod here;
mod icons;
mod lang_switch;
mod not_found;
mod page_resource;
mod shopper_layout;
mod signed_in;
mod staff_gate;
mod ticked_tenders;
mod url_error;

pub use camera_scanner::CameraScanner;
pub use console_layout::{ConsoleLayout, NavItem};
pub use error_box::ErrorBox;
pub use here::{current_address, page_address};
pub use icons::{Icon, IconSvg};
pub use lang_switch::LangSwitch;
pub use not_found::{NotFoundPage, NotYetPage};
pub use page_resource::{awaited, page_resource};
pub use shopper_layout::{ShopperLayout, TopBar};
pub use signed_in::unless_signed_in;
pub use staff_gate::StaffGate;
pub use ticked_tenders::{on_live_tenders, TickedTenders};
pub use url_error::{error_param, read_error};
