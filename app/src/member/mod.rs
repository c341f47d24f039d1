//! The member's own pages: the card with the dynamic member code, and "me" (profile, language,
//! sign-out).

mod card_page;
mod code_refresh;
mod me_page;
mod member_code;
mod my_card;
mod update_profile;

pub use card_page::CardPage;
pub use me_page::MePage;
pub use member_code::{get_member_code, GetMemberCode};
pub use my_card::{get_my_card, GetMyCard};
pub use update_profile::{update_profile, UpdateProfile};
