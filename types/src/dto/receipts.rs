use serde::{Deserialize, Serialize};

/// Where a receipt photo stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptStatus {
    /// Uploaded; the server is reading it.
    Recognising,
    /// Points awarded (pending until the refund window closes).
    Approved,
    /// A person at the mall will look at it.
    Review,
    /// Refused, with a reason the shopper can act on.
    Rejected,
}

impl ReceiptStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReceiptStatus::Recognising => "recognising",
            ReceiptStatus::Approved => "approved",
            ReceiptStatus::Review => "review",
            ReceiptStatus::Rejected => "rejected",
        }
    }

    pub fn parse(text: &str) -> Option<ReceiptStatus> {
        match text {
            "recognising" => Some(ReceiptStatus::Recognising),
            "approved" => Some(ReceiptStatus::Approved),
            "review" => Some(ReceiptStatus::Review),
            "rejected" => Some(ReceiptStatus::Rejected),
            _ => None,
        }
    }

    /// Settled: nothing more will happen without a person.
    pub fn is_final(self) -> bool {
        matches!(self, ReceiptStatus::Approved | ReceiptStatus::Rejected)
    }
}

/// One receipt as its shopper sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReceiptView {
    pub id: i64,
    pub status: ReceiptStatus,
    /// The matched tenant's name (Chinese), else the shop name as read.
    pub shop: Option<String>,
    pub total_fen: Option<i64>,
    pub purchased: Option<String>,
    pub points: i64,
    /// The points are still pending (the refund window is open).
    pub points_pending: bool,
    /// Why it is in review or refused: a stable code the page translates.
    pub reason: Option<String>,
    /// The operator's own words, when they refused it.
    pub note: String,
    pub uploaded_at: String,
}

/// One receipt in the operator's review queue, with everything read from it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewReceipt {
    pub id: i64,
    pub status: ReceiptStatus,
    pub member_id: i64,
    /// The member's phone, masked (138****8000).
    pub member_phone: String,
    pub merchant: Option<String>,
    pub unit_no: Option<String>,
    pub receipt_no: Option<String>,
    pub gross_fen: Option<i64>,
    pub discount_fen: Option<i64>,
    pub total_fen: Option<i64>,
    /// `consistent`, `inconsistent`, `unchecked`, `missing`.
    pub amount_check: Option<String>,
    pub purchased: Option<String>,
    pub tenant_id: Option<i64>,
    pub tenant_name: Option<String>,
    /// Match score in thousandths.
    pub tenant_score: Option<i64>,
    /// Every reason found, the deciding one first (stable codes).
    pub reasons: Vec<String>,
    pub note: String,
    pub uploaded_at: String,
    /// Minutes since upload (the queue is oldest first).
    pub age_minutes: i64,
}

/// The receipt rules as the operator edits them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReceiptRulesView {
    pub window_days: i64,
    pub min_amount_fen: i64,
    pub per_tenant_daily: i64,
    pub per_day: i64,
    /// Tenant codes that earn no receipt points.
    pub excluded_tenants: Vec<String>,
}
