//! Plaza's business rules: one module per feature, each owning its SQL and its tests.
//!
//! Functions take a [`Db`] or a write transaction plus typed inputs and an explicit `now`, and
//! return typed results or an [`Error`]. They know nothing of HTTP or HTML; the same tests run
//! against SQLite and, when `TEST_DATABASE_URL` is set, PostgreSQL.

pub mod anomaly;
pub mod audit;
pub mod auth;
pub mod checkin;
pub mod codes;
pub mod coupons;
pub mod db;
pub mod demo;
pub mod error;
pub mod invites;
pub mod jobs;
pub mod levels;
pub mod mall;
pub mod members;
pub mod membership;
pub mod operator;
pub mod payment_providers;
pub mod payments;
pub mod plates;
pub mod points;
pub mod rate_limit;
pub mod receipts;
pub mod rewards;
pub mod scheduled;
pub mod secrets;
pub mod settings;
pub mod sms;
pub mod stored_value;
pub mod tenants;
pub mod time;

#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use db::{Backend, Db, WriteTx};
pub use error::{Error, Result};
pub use secrets::Secrets;
pub use time::Timestamp;
