//! What a payment is, as types: its number, what it pays for, and where it stands. Stored as
//! text; parsed once when read, so no code matches on strings.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A payment number: `P`, the UTC time to the second, 8 random characters (23 in all, within
/// WeChat's 32 for `out_trade_no`). Parsed from what a browser or provider sends.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PaymentNo(String);

impl PaymentNo {
    /// Accepts what Plaza issues: 1–32 characters of `A-Z a-z 0-9 _ -` (providers' limit).
    pub fn parse(value: &str) -> Option<PaymentNo> {
        let ok = !value.is_empty()
            && value.len() <= 32
            && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        ok.then(|| PaymentNo(value.to_string()))
    }

    /// A number made by the engine (already well formed).
    pub fn issued(value: String) -> PaymentNo {
        debug_assert!(PaymentNo::parse(&value).is_some(), "{value}");
        PaymentNo(value)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PaymentNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::ops::Deref for PaymentNo {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for PaymentNo {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PaymentNo {
    type Error = String;
    fn try_from(value: String) -> Result<PaymentNo, String> {
        PaymentNo::parse(&value).ok_or(value)
    }
}

/// What a payment pays for. Each purpose has its own details and its own fulfilment; adding one
/// here makes the compiler list every place that must handle it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// A counter QR plate: an amount paid to one tenant.
    Plate,
    /// Buying or renewing a paid membership tier.
    Membership,
    /// Topping up stored value.
    Topup,
    /// A food order placed from a restaurant table (scan-to-order).
    Dining,
    /// The online mall's cart: one order per shop under one payment.
    Mall,
}

impl Purpose {
    pub const ALL: [Purpose; 5] = [Purpose::Plate, Purpose::Membership, Purpose::Topup, Purpose::Dining, Purpose::Mall];

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Plate => "plate",
            Purpose::Membership => "membership",
            Purpose::Topup => "topup",
            Purpose::Dining => "dining",
            Purpose::Mall => "mall",
        }
    }

    pub fn parse(value: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.as_str() == value)
    }
}

impl TryFrom<String> for Purpose {
    type Error = String;
    fn try_from(value: String) -> Result<Purpose, String> {
        Purpose::parse(&value).ok_or(value)
    }
}

/// Where a payment stands. It only moves forward: created/paying → paid → partially refunded →
/// refunded, or created/paying → closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    /// Covered by internal tenders, completing at once.
    Created,
    /// Waiting for the provider.
    Paying,
    Paid,
    PartiallyRefunded,
    Refunded,
    /// Cancelled, timed out or refused before it was paid; its tenders were given back.
    Closed,
}

impl PaymentState {
    pub const ALL: [PaymentState; 6] = [
        PaymentState::Created,
        PaymentState::Paying,
        PaymentState::Paid,
        PaymentState::PartiallyRefunded,
        PaymentState::Refunded,
        PaymentState::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentState::Created => "created",
            PaymentState::Paying => "paying",
            PaymentState::Paid => "paid",
            PaymentState::PartiallyRefunded => "partially_refunded",
            PaymentState::Refunded => "refunded",
            PaymentState::Closed => "closed",
        }
    }

    pub fn parse(value: &str) -> Option<PaymentState> {
        PaymentState::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Not yet paid and not closed: the provider may still collect.
    pub fn is_open(self) -> bool {
        matches!(self, PaymentState::Created | PaymentState::Paying)
    }

    /// The money arrived (whatever was refunded since).
    pub fn was_paid(self) -> bool {
        matches!(self, PaymentState::Paid | PaymentState::PartiallyRefunded | PaymentState::Refunded)
    }
}

impl TryFrom<String> for PaymentState {
    type Error = String;
    fn try_from(value: String) -> Result<PaymentState, String> {
        PaymentState::parse(&value).ok_or(value)
    }
}

impl fmt::Display for PaymentState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for p in Purpose::ALL {
            assert_eq!(Purpose::parse(p.as_str()), Some(p));
            assert_eq!(serde_json::to_string(&p).unwrap(), format!("\"{}\"", p.as_str()));
        }
        for s in PaymentState::ALL {
            assert_eq!(PaymentState::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.as_str()));
        }
        assert_eq!(Purpose::parse("parking"), None);
        assert_eq!(PaymentState::parse("PAID"), None);
    }

    #[test]
    fn payment_numbers_are_what_providers_accept() {
        assert!(PaymentNo::parse("P20261202120000ABCDEFGH").is_some());
        assert!(PaymentNo::parse("").is_none());
        assert!(PaymentNo::parse(&"P".repeat(33)).is_none());
        assert!(PaymentNo::parse("P2026 x").is_none());
        assert!(PaymentNo::parse("P/../x").is_none());
    }
}
