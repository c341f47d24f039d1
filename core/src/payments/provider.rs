//! The external providers behind one trait: WeChat Pay, Alipay, and the built-in sandbox that
//! behaves like them (a hosted pay page, signed and encrypted notifications with retries).

use crate::{Db, Result, Timestamp};
use async_trait::async_trait;
use plaza_types::Fen;
use std::sync::Arc;

/// What the provider is asked to collect.
#[derive(Clone, Debug)]
pub struct ProviderOrder {
    pub payment_no: String,
    pub amount: Fen,
    pub description: String,
}

/// What the provider says became of an order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProviderStatus {
    /// Waiting for the shopper.
    Open,
    Paid {
        transaction_id: String,
        amount: Fen,
        paid_at: Timestamp,
    },
    /// Cancelled by the shopper or closed by us; it can no longer be paid.
    Closed,
    Unknown,
}

#[async_trait]
pub trait PaymentProvider: Send + Sync + 'static {
    fn name(&self) -> &'static str;

    /// Starts collecting; returns where to send the shopper (a pay page or a QR-code URL).
    async fn start(&self, db: &Db, order: &ProviderOrder, now: Timestamp) -> Result<String>;

    /// Asks what became of an order (the browser's return, the timeout job).
    async fn query(&self, db: &Db, payment_no: &str) -> Result<ProviderStatus>;

    /// Closes an unpaid order so it can no longer be paid (before we give the tenders back).
    async fn close(&self, db: &Db, payment_no: &str, now: Timestamp) -> Result<ProviderStatus>;

    /// Refunds part of a paid order; returns the provider's refund id.
    async fn refund(&self, db: &Db, payment_no: &str, refund_no: &str, amount: Fen, now: Timestamp) -> Result<String>;
}

pub type SharedProvider = Arc<dyn PaymentProvider>;
