//! Types shared by the server and the browser build. Nothing here touches a database or the DOM.
//!
//! Input is parsed into these types once, at the edge; the rest of the code cannot hold an invalid
//! phone number, amount or role.

pub mod dto;
pub mod error;
pub mod events;
pub mod ids;
pub mod lang;
pub mod member_code;
pub mod money;
pub mod payment;
pub mod phone;
pub mod pricing;
pub mod roles;
pub mod sms_code;
pub mod tender;

pub use error::AppError;
pub use ids::{MemberId, StaffId, TenantId};
pub use lang::Lang;
pub use money::Fen;
pub use payment::{PaymentNo, PaymentState, Purpose};
pub use phone::PhoneNumber;
pub use roles::StaffRole;
pub use sms_code::SmsCode;
