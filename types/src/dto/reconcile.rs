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
    pub detail: DifferenceDetail,
    /// `open`, `completed`, `already_complete`, `unknown_payment`, `query_says_…`, …
    pub resolution: String,
    pub found_at: String,
}

/// Why a line is a difference, with the values it names, so the page says it in the reader's
/// language. Stored as this JSON in `reconcile_differences.detail`; rows written before that hold
/// English words, read back as [`DifferenceDetail::Text`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum DifferenceDetail {
    /// Paid here through the provider; not in its bill.
    NotInBill,
    /// The provider collected it as transaction `txn`; we have no such payment.
    CollectedUnknownHere { txn: String },
    /// The provider collected it as `txn`; here the payment is `state` (`paying`, `closed`, …).
    CollectedNotPaidHere { txn: String, state: String },
    /// Paid on both sides, `theirs` collected and `ours` here.
    AmountsDiffer { theirs: Fen, ours: Fen },
    /// A refund of payment `payment` here (`pending`, `succeeded`), not in the bill.
    RefundNotInBill { payment: String, state: String },
    /// A refund of payment `payment` in the bill (the provider's `status`), unknown here.
    RefundUnknownHere { payment: String, status: String },
    /// A refund for `theirs` there and `ours` here.
    RefundAmountsDiffer { theirs: Fen, ours: Fen },
    /// A refund ended otherwise there (`SUCCESS`, `FAIL`) than here (`succeeded`, `failed`).
    RefundEndingsDiffer { theirs: String, ours: String },
    /// A detail kept as English words, before details were kept in parts.
    Text { text: String },
}

impl DifferenceDetail {
    /// In English, for the audit log (the words the details were written in before).
    pub fn english(&self) -> String {
        match self {
            DifferenceDetail::NotInBill => "paid here, not in the provider's bill".into(),
            DifferenceDetail::CollectedUnknownHere { txn } => format!("collected as {txn}, unknown here"),
            DifferenceDetail::CollectedNotPaidHere { txn, state } => format!("collected as {txn}, {state} here"),
            DifferenceDetail::AmountsDiffer { theirs, ours } => {
                format!("{} fen collected, {} fen here", theirs.0, ours.0)
            }
            DifferenceDetail::RefundNotInBill { payment, state } => {
                format!("refund of {payment} here ({state}), not in the provider's bill")
            }
            DifferenceDetail::RefundUnknownHere { payment, status } => {
                format!("refund of {payment} at the provider ({status}), unknown here")
            }
            DifferenceDetail::RefundAmountsDiffer { theirs, ours } => {
                format!("{} fen refunded there, {} fen here", theirs.0, ours.0)
            }
            DifferenceDetail::RefundEndingsDiffer { theirs, ours } => format!("{theirs} there, {ours} here"),
            DifferenceDetail::Text { text } => text.clone(),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_are_json_in_parts_and_say_in_english_what_they_said_before() {
        let detail = DifferenceDetail::CollectedNotPaidHere { txn: "4200001".into(), state: "closed".into() };
        let stored = serde_json::to_string(&detail).unwrap();
        assert_eq!(stored, r#"{"why":"collected_not_paid_here","txn":"4200001","state":"closed"}"#);
        assert_eq!(serde_json::from_str::<DifferenceDetail>(&stored).unwrap(), detail);
        assert_eq!(detail.english(), "collected as 4200001, closed here");
        let amounts = DifferenceDetail::AmountsDiffer { theirs: Fen(1200), ours: Fen(1000) };
        assert_eq!(serde_json::to_string(&amounts).unwrap(), r#"{"why":"amounts_differ","theirs":1200,"ours":1000}"#);
        assert_eq!(amounts.english(), "1200 fen collected, 1000 fen here");
        assert_eq!(DifferenceDetail::NotInBill.english(), "paid here, not in the provider's bill");
    }
}
