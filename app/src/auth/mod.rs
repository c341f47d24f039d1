//! Signing in and out: shoppers by SMS code, staff by password.

mod dev_code;
mod next;
mod request_code;
mod sign_in;
mod sign_in_page;
mod sign_out;
mod staff_sign_in;
mod staff_sign_in_page;
mod viewer;

pub use dev_code::{dev_sms_code, DevSmsCode};
pub use next::{encode_component, safe_next};
pub use request_code::{request_sms_code, RequestSmsCode};
pub use sign_in::{sign_in_with_code, SignInWithCode};
pub use sign_in_page::SignInPage;
pub use sign_out::{sign_out, sign_out_everywhere, SignOut, SignOutButton, SignOutEverywhere};
pub use staff_sign_in::{staff_sign_in, StaffSignIn};
pub use staff_sign_in_page::StaffSignInPage;
pub use viewer::{get_viewer, GetViewer};
