//! Points: one pool for the whole mall.
//!
//! Every earning is a **lot** (pending during the refund window, then available, then spent or
//! expired); every change is a row in the append-only `points_movements`; the per-member
//! `points_accounts` row caches the balance and changes only in the same transaction, by
//! conditional updates. Invariant (tested with random sequences):
//! `account.available = Σ remaining of available lots − account.debt` and
//! `account.pending = Σ remaining of pending lots`, no lot below zero.

pub mod account;
pub mod award;
pub mod check;
mod earning_context;
pub mod earning_rules;
pub mod history;
pub mod maintenance;
pub mod policy;
pub mod restore;
pub mod spend;

pub use account::Balance;
pub use award::{award_for_purchase, credit, reverse_for_refund, Award, AwardOutcome, Credit};
pub use policy::{NegativeBalance, PointsPolicy};
pub use restore::restore_spend;
pub(crate) use spend::spend_unaudited;
pub use spend::{adjust, spend, Spent};

#[cfg(test)]
mod ledger_tests;
