//! Matching a day's bill with our books, line by line, by our own numbers: pure, so every kind of
//! difference is tested without a provider or a database.

use crate::payment_providers::bill::{BillLine, BillLineKind, DailyBill};
use plaza_types::dto::DifferenceDetail;
use plaza_types::Fen;
use std::collections::BTreeMap;

/// What a difference is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// The provider collected it; we do not have it as paid.
    MissingHere,
    /// We have it as paid through the provider; the provider's bill does not.
    MissingThere,
    /// Both have it, for different amounts.
    AmountMismatch,
    /// A refund on one side only, for another amount, or ended otherwise.
    RefundMismatch,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::MissingHere => "missing_here",
            Kind::MissingThere => "missing_there",
            Kind::AmountMismatch => "amount_mismatch",
            Kind::RefundMismatch => "refund_mismatch",
        }
    }
}

/// One payment as our books hold it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ours {
    /// `paid`, `partially_refunded`, `refunded`; or, for a number the bill names that we did not
    /// count as paid that day, whatever state it has (`paying`, `closed`, …).
    pub state: String,
    /// The provider's share, in fen.
    pub external_fen: i64,
}

/// One refund as our books hold it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OurRefund {
    pub payment_no: String,
    pub external_fen: i64,
    /// `pending`, `succeeded` or `failed`.
    pub state: String,
}

/// A difference found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    /// The payment number, or the refund number for a refund difference.
    pub number: String,
    pub our_fen: Option<i64>,
    pub their_fen: Option<i64>,
    pub detail: DifferenceDetail,
}

/// Our side of a day: payments paid that day and refunds asked for that day (by number), and any
/// other payment or refund the bill names (paid or asked on a neighbouring day, or not paid).
#[derive(Clone, Debug, Default)]
pub struct Books {
    pub paid: BTreeMap<String, Ours>,
    pub refunds: BTreeMap<String, OurRefund>,
    pub other_payments: BTreeMap<String, Ours>,
    pub other_refunds: BTreeMap<String, OurRefund>,
}

/// A detail as `reconcile_differences.detail` keeps it: JSON in parts.
pub fn stored(detail: &DifferenceDetail) -> String {
    serde_json::to_string(detail).unwrap_or_default()
}

/// A stored detail: the JSON [`stored`] writes, or an older row's English words.
pub fn from_stored(text: &str) -> DifferenceDetail {
    serde_json::from_str(text).unwrap_or_else(|_| DifferenceDetail::Text { text: text.to_string() })
}

fn is_paid(state: &str) -> bool {
    matches!(state, "paid" | "partially_refunded" | "refunded")
}

/// Every difference between the bill and our books.
pub fn differences(bill: &DailyBill, books: &Books) -> Vec<Found> {
    let mut found = Vec::new();
    let mut unseen_paid = books.paid.clone();
    let mut unseen_refunds: BTreeMap<&String, &OurRefund> =
        books.refunds.iter().filter(|(_, r)| r.state != "failed").collect();
    for line in &bill.lines {
        match line.kind {
            BillLineKind::Payment if line.status == "SUCCESS" => {
                let ours = unseen_paid
                    .remove(&line.out_trade_no)
                    .or_else(|| books.other_payments.get(&line.out_trade_no).cloned());
                found.extend(payment(line, ours));
            }
            // A payment the provider revoked: not collected, so not a line to match.
            BillLineKind::Payment => {}
            BillLineKind::Refund => {
                let ours = unseen_refunds
                    .remove(&line.out_refund_no)
                    .or_else(|| books.other_refunds.get(&line.out_refund_no))
                    .cloned();
                found.extend(refund(line, ours));
            }
        }
    }
    for (no, ours) in unseen_paid {
        found.push(Found {
            kind: Kind::MissingThere,
            number: no,
            our_fen: Some(ours.external_fen),
            their_fen: None,
            detail: DifferenceDetail::NotInBill,
        });
    }
    for (no, ours) in unseen_refunds {
        found.push(Found {
            kind: Kind::RefundMismatch,
            number: no.clone(),
            our_fen: Some(ours.external_fen),
            their_fen: None,
            detail: DifferenceDetail::RefundNotInBill { payment: ours.payment_no.clone(), state: ours.state.clone() },
        });
    }
    found
}

fn payment(line: &BillLine, ours: Option<Ours>) -> Option<Found> {
    let their = line.amount.0;
    let make = |kind, our_fen, detail: DifferenceDetail| Found {
        kind,
        number: line.out_trade_no.clone(),
        our_fen,
        their_fen: Some(their),
        detail,
    };
    match ours {
        None => Some(make(
            Kind::MissingHere,
            None,
            DifferenceDetail::CollectedUnknownHere { txn: line.provider_txn.clone() },
        )),
        Some(o) if !is_paid(&o.state) => Some(make(
            Kind::MissingHere,
            Some(o.external_fen),
            DifferenceDetail::CollectedNotPaidHere { txn: line.provider_txn.clone(), state: o.state },
        )),
        Some(o) if o.external_fen != their => Some(make(
            Kind::AmountMismatch,
            Some(o.external_fen),
            DifferenceDetail::AmountsDiffer { theirs: Fen(their), ours: Fen(o.external_fen) },
        )),
        Some(_) => None,
    }
}

fn refund(line: &BillLine, ours: Option<OurRefund>) -> Option<Found> {
    let their = line.amount.0;
    let make = |our_fen, detail: DifferenceDetail| Found {
        kind: Kind::RefundMismatch,
        number: line.out_refund_no.clone(),
        our_fen,
        their_fen: Some(their),
        detail,
    };
    let Some(o) = ours else {
        return Some(make(
            None,
            DifferenceDetail::RefundUnknownHere { payment: line.out_trade_no.clone(), status: line.status.clone() },
        ));
    };
    if o.external_fen != their {
        let detail = DifferenceDetail::RefundAmountsDiffer { theirs: Fen(their), ours: Fen(o.external_fen) };
        return Some(make(Some(o.external_fen), detail));
    }
    // The bill is a snapshot taken when the refund was accepted: PROCESSING there is no
    // difference; an ending that contradicts ours is.
    let contradicts = matches!((line.status.as_str(), o.state.as_str()), ("SUCCESS", "failed") | ("FAIL", "succeeded"));
    let detail = DifferenceDetail::RefundEndingsDiffer { theirs: line.status.clone(), ours: o.state.clone() };
    contradicts.then(|| make(Some(o.external_fen), detail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_are_kept_in_parts_and_older_words_still_read() {
        let detail = DifferenceDetail::RefundEndingsDiffer { theirs: "SUCCESS".into(), ours: "failed".into() };
        assert_eq!(from_stored(&stored(&detail)), detail);
        let old = "paid here, not in the provider's bill";
        assert_eq!(from_stored(old), DifferenceDetail::Text { text: old.into() });
        assert_eq!(from_stored(""), DifferenceDetail::Text { text: String::new() });
    }
}
