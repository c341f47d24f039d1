//! Plaza's business rules: one module per feature, each owning its SQL and its tests. What no
//! feature owns (database, audit, jobs, time, storage, events) is the `plaza-platform` crate.
//!
//! Functions take a [`Db`] or a write transaction plus typed inputs and an explicit `now`, and
//! return typed results or an [`Error`]. They know nothing of HTTP or HTML; the same tests run
//! against SQLite and, when `TEST_DATABASE_URL` is set, PostgreSQL.

pub mod anomaly;
pub mod auth;
pub mod checkin;
pub mod counter_sale;
pub mod coupons;
pub mod demo;
pub mod dining;
pub mod invites;
pub mod levels;
pub mod mall_orders;
pub mod members;
pub mod membership;
pub mod membership_purchase;
pub mod operator;
pub mod payment_providers;
pub mod payments;
pub mod plates;
pub mod points;
pub mod purposes;
pub mod receipts;
pub mod rewards;
pub mod scale_seed;
pub mod scheduled;
pub mod settlement;
pub mod shop;
pub mod sms;
pub mod stored_value;
pub mod tenants;
pub mod topup;

#[cfg(any(test, feature = "testing"))]
pub mod testing;

// The platform's modules under their old paths, so features write `crate::audit` whether the
// module lives here or in the platform crate.
pub use plaza_platform::{
    audit, codes, db, error, events, input, jobs, mall, principal, rate_limit, secrets, settings, storage, time,
};
pub use plaza_platform::{Backend, Db, Error, MallTz, Result, Secrets, Timestamp, WriteTx};
