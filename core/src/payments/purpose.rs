//! The seam between the payment engine and what a payment is for.
//!
//! The engine settles tenders and moves a payment's state; everything a purpose means — a plate's
//! sale and points, a membership period, stored value credited, a food order sent to the kitchen —
//! happens in the purpose's own module, inside the engine's transaction:
//!
//! - when a payment is made, its [`Details`] write the purpose's own row (`plate_payments`,
//!   `membership_purchases`, `topup_payments`, …) in the transaction that creates the payment;
//! - when it completes, closes or is refunded, the engine calls the installed [`Purposes`], whose
//!   one implementation (`crate::purposes`) matches on [`Purpose`] exhaustively: adding a purpose
//!   makes the compiler list every place that must handle it.
//!
//! Features sit above the engine (they start payments), so the engine cannot call them by name
//! without an import cycle; the dispatcher is installed once at start (`crate::purposes::install`,
//! which the server and the test database call) and a missing installation is an error, never a
//! silent no-op.

use super::Payment;
use crate::{Result, Timestamp, WriteTx};
use async_trait::async_trait;
use plaza_types::{Fen, Purpose, TenantId};
use std::sync::OnceLock;

/// A purpose's details for a payment being made: written in the payment's own transaction.
#[async_trait]
pub trait Details: Send + Sync + std::fmt::Debug {
    fn purpose(&self) -> Purpose;
    /// The one tenant this payment pays, when there is one (plates, food orders).
    fn tenant(&self) -> Option<TenantId>;
    /// Writes the purpose's row for `payment_id`.
    async fn record(&self, tx: &mut WriteTx, payment_id: i64, now: Timestamp) -> Result<()>;
}

/// What completing did for the shopper to see.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fulfilled {
    /// Points the purchase earned (pending during the refund window).
    pub points: i64,
}

/// One refund as the engine decided it, for the purpose to reverse what it granted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefundLine {
    pub refund_id: i64,
    pub refund_no: String,
    pub amount: Fen,
    /// Money that goes back (provider + stored value): what points were earned on.
    pub money: Fen,
    pub reason: String,
}

/// What reversing did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reversed {
    pub points_reversed: i64,
}

/// What each purpose does at the engine's three moments. One implementation, installed once.
#[async_trait]
pub trait Purposes: Send + Sync + 'static {
    /// Inside the completing transaction, after the tenders were settled: deliver the purchase.
    async fn fulfil(&self, tx: &mut WriteTx, payment: &Payment, now: Timestamp) -> Result<Fulfilled>;
    /// Inside the transaction that claims a refund, before any money moves: refuse (with a user
    /// error) a refund this purpose cannot take back.
    async fn may_refund(&self, tx: &mut WriteTx, payment: &Payment, amount: Fen, now: Timestamp) -> Result<()>;
    /// Inside the refund's transaction, once the money went back: reverse what was granted.
    async fn reverse(
        &self,
        tx: &mut WriteTx,
        payment: &Payment,
        refund: &RefundLine,
        now: Timestamp,
    ) -> Result<Reversed>;
    /// Inside the transaction that closes an unpaid payment: release what the purpose held.
    async fn closed(&self, tx: &mut WriteTx, payment: &Payment, now: Timestamp) -> Result<()>;
}

static INSTALLED: OnceLock<&'static dyn Purposes> = OnceLock::new();

/// Installs the dispatcher; later calls keep the first (there is only one).
pub fn install(purposes: &'static dyn Purposes) {
    let _ = INSTALLED.set(purposes);
}

/// The installed dispatcher.
pub(crate) fn purposes() -> Result<&'static dyn Purposes> {
    INSTALLED.get().copied().ok_or_else(|| crate::Error::internal("payment purposes are not installed"))
}
