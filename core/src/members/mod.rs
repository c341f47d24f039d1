//! Members: one per verified mobile number; profile, card and the dynamic member code.

pub mod code;
pub mod profile;

pub use profile::{card, find_or_create_by_phone, identity, update_profile, viewer, ProfileUpdate};
