//! What server functions return to pages. Plain data, serialisable, no behaviour beyond display.

mod cashier;
mod coupons;
mod dining;
mod localized;
mod mall;
mod mall_orders;
mod member;
mod membership;
mod operator;
mod operator_forms;
mod payments;
mod points;
mod receipts;
mod reports;
mod rewards;
mod session;
mod shop;
mod tenant;

pub use cashier::*;
pub use coupons::*;
pub use dining::*;
pub use localized::*;
pub use mall::*;
pub use mall_orders::*;
pub use member::*;
pub use membership::*;
pub use operator::*;
pub use operator_forms::*;
pub use payments::*;
pub use points::*;
pub use receipts::*;
pub use reports::*;
pub use rewards::*;
pub use session::*;
pub use shop::*;
pub use tenant::*;
