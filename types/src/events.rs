//! What the event outbox carries to live screens: each variant is one kind of business event,
//! with the payload its screens need. The server writes them in the transaction of the change;
//! the browser reads the same types from server-sent events.

use crate::dto::{DiningTicket, SaleLine};
use crate::payment::{PaymentNo, PaymentState, Purpose};
use crate::Fen;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data")]
pub enum Event {
    /// A tenant's sale or refund line (the counter feed and the mall's live sales).
    #[serde(rename = "sale")]
    Sale(SaleLine),
    /// A payment reached a new state: paid, refunded (in part or whole), or closed unpaid.
    #[serde(rename = "payment")]
    Payment(PaymentChange),
    /// A food order was paid or moved (kitchen, pickup screen, the shopper's order page). Scoped
    /// to its restaurant and its member; an unpaid order's release to its member only.
    #[serde(rename = "dining")]
    Dining(DiningTicket),
    /// A mall order was paid or moved (the shop's order list, the shopper's order page). Scoped
    /// to its shop and its member; an unpaid order's release to its member only.
    #[serde(rename = "mall_order")]
    MallOrder(MallOrderChange),
}

/// A mall order's new state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MallOrderChange {
    pub order_no: String,
    pub tenant_id: i64,
    pub state: crate::dto::MallOrderState,
    pub version: i64,
}

/// A payment's new state, for the payer's own screens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentChange {
    pub payment_no: PaymentNo,
    pub purpose: Purpose,
    pub state: PaymentState,
    pub amount: Fen,
    /// What has been refunded so far.
    pub refunded: Fen,
}

impl Event {
    pub const SALE: &'static str = "sale";
    pub const PAYMENT: &'static str = "payment";
    pub const DINING: &'static str = "dining";
    pub const MALL_ORDER: &'static str = "mall_order";

    /// The kind stored beside the payload, which streams filter on.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Sale(_) => Event::SALE,
            Event::Payment(_) => Event::PAYMENT,
            Event::Dining(_) => Event::DINING,
            Event::MallOrder(_) => Event::MALL_ORDER,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_kind_is_the_serialised_tag() {
        let change = PaymentChange {
            payment_no: PaymentNo::parse("P1").unwrap(),
            purpose: Purpose::Plate,
            state: PaymentState::Paid,
            amount: Fen(100),
            refunded: Fen(0),
        };
        let event = Event::Payment(change);
        let json: serde_json::Value = serde_json::to_value(&event).unwrap();
        assert_eq!(json["kind"], event.kind());
        assert_eq!(serde_json::from_value::<Event>(json).unwrap(), event);
    }
}
