//! The reconciliation page: the daily runs against the provider's bills, the differences found
//! and what was done about them, and the refunds that need an operator.

use crate::Fen;
use serde::{Deserialize, Serialize};

/// One provider's bill day: what the bill says (theirs) and what our books say (ours).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconcileRun {
    pub provider: String,
    pub bill_date: String,
    /// `done` or `failed` (then `error` says why).
    pub state: String,
    pub error: String,
    pub their_payments: i64,
    pub their_paid: Fen,
    pub their_refunds: i64,
    pub their_refunded: Fen,
    pub their_fee: Fen,
    pub our_payments: i64,
    pub our_paid: Fen,
    pub our_refunds: i64,
    pub our_refunded: Fen,
    pub differences: i64,
    pub attempts: i64,
    pub finished_at: String,
}

/// One difference and what was done about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconcileDifference {
    pub provider: String,
    pub bill_date: String,
    /// `missing_here`, `missing_there`, `amount_mismatch`, `refund_mismatch`.
    pub kind: String,
    pub number: String,
    pub ours: Option<Fen>,
    pub theirs: Option<Fen>,
    pub detail: String,
    /// `open`, `completed`, `already_complete`, `unknown_payment`, `query_says_…`, …
    pub resolution: String,
    pub found_at: String,
}

/// A refund waiting at the provider too long, or ABNORMAL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttentionRefund {
    pub refund_no: String,
    pub payment_no: String,
    pub amount: Fen,
    pub external: Fen,
    /// `PROCESSING` or `ABNORMAL`.
    pub provider_state: String,
    pub created_at: String,
    pub waiting_hours: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconcilePage {
    /// The provider whose bills are reconciled (`wechat`, `alipay`); `sandbox` keeps none.
    pub provider: String,
    /// Yesterday in Beijing time: the default day to run again.
    pub yesterday: String,
    pub runs: Vec<ReconcileRun>,
    pub differences: Vec<ReconcileDifference>,
    pub refunds: Vec<AttentionRefund>,
}
