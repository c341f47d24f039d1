//! Plaza's pages, components and thin server functions, one folder per feature.
//!
//! Server functions here only check who is calling, parse input into domain types, call one
//! business function in `plaza-core`, and map its error. No SQL and no business rule lives here.

#![recursion_limit = "256"]

pub mod auth;
pub mod components;
pub mod coupons;
pub mod dining;
pub mod error_text;
pub mod home;
pub mod i18n;
pub mod mall;
pub mod mall_orders;
pub mod mall_promotions;
pub mod member;
pub mod membership;
pub mod operator;
pub mod payments;
pub mod points;
pub mod receipts;
pub mod scan;
#[cfg(feature = "ssr")]
pub mod server;
mod shell;
pub mod shop;
pub mod stored_value;
pub mod tenant;

pub use shell::{shell, App};
