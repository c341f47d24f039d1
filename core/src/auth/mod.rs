//! Who is calling: sessions for members (SMS sign-in) and staff (password sign-in).

pub mod client_address;
pub mod lockout;
pub mod passwords;
pub mod sessions;
pub mod sms_sign_in;
pub mod staff;

pub use plaza_platform::principal::{Principal, StaffPrincipal};

/// Where a sign-in came from, for rate limits and the session list.
#[derive(Clone, Debug, Default)]
pub struct ClientInfo {
    pub ip: String,
    pub user_agent: String,
}
