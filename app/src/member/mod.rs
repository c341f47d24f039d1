//! The member's own pages: the card with the dynamic member code, and "me" (profile, language,
//! sign-out).

mod card_page;
mod code_refresh;
mod levels_page;
mod me_page;
mod member_code;
mod my_card;
mod update_profile;

pub use card_page::CardPage;
pub use levels_page::{get_levels, GetLevels, LevelsPage};
pub use me_page::MePage;
pub use member_code::{get_member_code, GetMemberCode};
pub use my_card::{get_my_card, GetMyCard};
pub use update_profile::{update_profile, UpdateProfile};

use crate::i18n::{fill, Tr};

/// The member's name, or "会员 1234" / "Member 1234" until they enter one.
pub fn display_name(t: &Tr, name: &str, phone_last4: &str) -> String {
    if name.is_empty() {
        fill(t.member_default_name, &[("last4", phone_last4)])
    } else {
        name.to_string()
    }
}
