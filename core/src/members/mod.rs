//! Members: one per verified mobile number; profile, card and the dynamic member code.

mod card;
pub mod code;
pub mod profile;

pub use card::card;
pub use profile::{find_or_create_by_phone, identity, update_profile, viewer, ProfileUpdate};
