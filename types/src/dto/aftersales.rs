//! After-sales (售后) of mall orders: a shopper's refund request for some lines, the shop's
//! decision, one dispute of a rejection and the operator's arbitration, as pages see them.

use super::Localized;
use crate::Fen;
use serde::{Deserialize, Serialize};

/// Where a request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AfterSalesState {
    /// Waiting for the shop.
    Requested,
    /// Approved (by the shop or the operator); the refund is on its way through the engine.
    Refunding,
    Refunded,
    /// The shop said no, with a reason; the shopper may dispute it once.
    Rejected,
    /// Waiting for the operator.
    Disputed,
    /// The operator upheld the shop's rejection.
    Upheld,
}

impl AfterSalesState {
    pub const ALL: [AfterSalesState; 6] = [
        AfterSalesState::Requested,
        AfterSalesState::Refunding,
        AfterSalesState::Refunded,
        AfterSalesState::Rejected,
        AfterSalesState::Disputed,
        AfterSalesState::Upheld,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AfterSalesState::Requested => "requested",
            AfterSalesState::Refunding => "refunding",
            AfterSalesState::Refunded => "refunded",
            AfterSalesState::Rejected => "rejected",
            AfterSalesState::Disputed => "disputed",
            AfterSalesState::Upheld => "upheld",
        }
    }

    pub fn parse(value: &str) -> Option<AfterSalesState> {
        AfterSalesState::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Still waiting for someone (an order has at most one such request).
    pub fn is_open(self) -> bool {
        matches!(self, AfterSalesState::Requested | AfterSalesState::Refunding | AfterSalesState::Disputed)
    }
}

/// Why the shopper asks (the list on the form; "other" needs words).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AfterSalesReason {
    Damaged,
    NotAsDescribed,
    WrongItem,
    Missing,
    Quality,
    NoLongerWanted,
    Other,
}

impl AfterSalesReason {
    pub const ALL: [AfterSalesReason; 7] = [
        AfterSalesReason::Damaged,
        AfterSalesReason::NotAsDescribed,
        AfterSalesReason::WrongItem,
        AfterSalesReason::Missing,
        AfterSalesReason::Quality,
        AfterSalesReason::NoLongerWanted,
        AfterSalesReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AfterSalesReason::Damaged => "damaged",
            AfterSalesReason::NotAsDescribed => "not_as_described",
            AfterSalesReason::WrongItem => "wrong_item",
            AfterSalesReason::Missing => "missing",
            AfterSalesReason::Quality => "quality",
            AfterSalesReason::NoLongerWanted => "no_longer_wanted",
            AfterSalesReason::Other => "other",
        }
    }

    pub fn parse(value: &str) -> Option<AfterSalesReason> {
        AfterSalesReason::ALL.into_iter().find(|r| r.as_str() == value)
    }
}

/// What after-sales refused, said plainly to whoever asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AfterSalesProblem {
    /// The order already has a request waiting.
    AlreadyOpen,
    /// The order is not paid, or its after-sales window (days after completion) has closed.
    NotEligible,
    /// No lines chosen, or more units than are left to refund.
    Lines,
    /// A reason from the list; "other" needs 2–200 characters of words.
    Reason,
    /// At most 6 photos.
    TooManyPhotos,
    /// Someone decided already (a second tap, or another screen).
    AlreadyDecided,
    /// Only a rejection may be disputed, and only once.
    NotDisputable,
    /// A rejection, a dispute or an arbitration needs 2–200 characters of words.
    Note,
}

/// One line of a request: what and how many, at the price paid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AfterSalesLine {
    pub line_id: i64,
    pub title: String,
    pub spec: String,
    pub quantity: i64,
    pub amount: Fen,
}

/// A request's photo, served only to its shopper, its shop's staff and operators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AfterSalesPhoto {
    pub url: String,
    pub thumb: String,
}

/// Who did a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AfterSalesParty {
    Shopper,
    Shop,
    Operator,
    System,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AfterSalesStep {
    pub state: AfterSalesState,
    pub by: AfterSalesParty,
    pub note: String,
    pub at: String,
}

/// One request as its shopper, its shop and operators see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AfterSalesView {
    pub id: i64,
    pub order_no: String,
    pub shop: Localized,
    /// The buyer's phone, masked (staff views only).
    pub buyer: String,
    pub state: AfterSalesState,
    pub reason: AfterSalesReason,
    pub reason_text: String,
    /// The goods are being sent or brought back.
    pub returning: bool,
    pub amount: Fen,
    pub lines: Vec<AfterSalesLine>,
    pub photos: Vec<AfterSalesPhoto>,
    /// Why the shop rejected it.
    pub shop_note: String,
    pub dispute_note: String,
    /// The operator's words on the arbitration.
    pub operator_note: String,
    pub disputed: bool,
    /// The refund that paid it, once approved.
    pub refund_no: Option<String>,
    pub created_at: String,
    pub steps: Vec<AfterSalesStep>,
}

/// A line the shopper may still ask to refund.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundableLine {
    pub line_id: i64,
    pub title: String,
    pub spec: String,
    pub left: i64,
    pub unit_price: Fen,
}

/// An order's after-sales as its shopper sees it: whether a request may be made now (and of
/// which lines), and its requests, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderAfterSales {
    pub order_no: String,
    pub can_request: bool,
    pub lines: Vec<RefundableLine>,
    pub requests: Vec<AfterSalesView>,
}
