//! The decision from the fields alone: approve automatically, send to a person, or refuse.

use super::{AmountCheck, ReceiptFields, TenantMatch};
use serde::{Deserialize, Serialize};

/// The most one receipt may be worth automatically: ¥50,000 (the largest payment Plaza takes).
pub const MAX_RECEIPT_FEN: i64 = 5_000_000;
/// Below this the amount read is trusted only when cross-checked or signed.
const MIN_AMOUNT_CONFIDENCE: f32 = 0.8;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Auto,
    Review,
    Reject,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Auto => "auto",
            Decision::Review => "review",
            Decision::Reject => "reject",
        }
    }
}

/// Why a receipt is not approved automatically. The code (`as_str`) is stable for storage and
/// logs; `message_zh` is what the shopper reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Nothing legible: the photo must be taken again.
    Unreadable,
    /// No labelled amount read.
    AmountUnreadable,
    /// 合计 − 优惠 ≠ 实收 as read.
    AmountInconsistent,
    /// A single amount, without a currency sign or with low confidence: nothing backs it.
    AmountUnverified,
    /// Zero or negative.
    AmountImpossible,
    /// More than [`MAX_RECEIPT_FEN`].
    AmountTooLarge,
    DateUnreadable,
    /// A date but no time: the duplicate check by time cannot work.
    TimeUnreadable,
    TenantUnmatched,
    /// Matched weakly, or another tenant matches almost as well.
    TenantUncertain,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Unreadable => "unreadable",
            Reason::AmountUnreadable => "amount_unreadable",
            Reason::AmountInconsistent => "amount_inconsistent",
            Reason::AmountUnverified => "amount_unverified",
            Reason::AmountImpossible => "amount_impossible",
            Reason::AmountTooLarge => "amount_too_large",
            Reason::DateUnreadable => "date_unreadable",
            Reason::TimeUnreadable => "time_unreadable",
            Reason::TenantUnmatched => "tenant_unmatched",
            Reason::TenantUncertain => "tenant_uncertain",
        }
    }

    pub fn message_zh(self) -> &'static str {
        match self {
            Reason::Unreadable => "小票无法识别，请重拍",
            Reason::AmountUnreadable => "金额无法识别，请重拍",
            Reason::AmountInconsistent => "金额核对不一致，等待人工审核",
            Reason::AmountUnverified => "金额需人工确认",
            Reason::AmountImpossible => "金额无效",
            Reason::AmountTooLarge => "金额超出上限，等待人工审核",
            Reason::DateUnreadable => "消费日期无法识别，等待人工审核",
            Reason::TimeUnreadable => "消费时间无法识别，等待人工审核",
            Reason::TenantUnmatched => "未能识别商户，等待人工审核",
            Reason::TenantUncertain => "商户需人工确认",
        }
    }

    /// Reasons that refuse outright rather than ask a person.
    fn rejects(self) -> bool {
        matches!(self, Reason::Unreadable | Reason::AmountUnreadable | Reason::AmountImpossible)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub decision: Decision,
    /// Every reason found, the deciding one first; empty when approved.
    pub reasons: Vec<Reason>,
}

impl Assessment {
    pub fn reason(&self) -> Option<Reason> {
        self.reasons.first().copied()
    }
}

/// Auto only when the amount is cross-checked (or single but signed and clearly read), the
/// date and time were read and the tenant matched with confidence. A receipt that cannot be
/// read at all, or whose amount cannot be, is refused with "please retake".
pub fn assess(fields: &ReceiptFields, tenant: Option<&TenantMatch>) -> Assessment {
    let mut reasons = Vec::new();
    if fields.lines_read == 0 {
        return Assessment { decision: Decision::Reject, reasons: vec![Reason::Unreadable] };
    }
    match (fields.amount_check, fields.total()) {
        (AmountCheck::Missing, _) | (_, None) => reasons.push(Reason::AmountUnreadable),
        (check, Some(total)) => {
            if total.fen <= 0 {
                reasons.push(Reason::AmountImpossible);
            } else if total.fen > MAX_RECEIPT_FEN {
                reasons.push(Reason::AmountTooLarge);
            }
            match check {
                AmountCheck::Inconsistent => reasons.push(Reason::AmountInconsistent),
                AmountCheck::Unchecked if !total.signed || total.confidence < MIN_AMOUNT_CONFIDENCE => {
                    reasons.push(Reason::AmountUnverified)
                }
                _ => {}
            }
        }
    }
    match fields.purchased {
        None => reasons.push(Reason::DateUnreadable),
        Some(p) if p.time.is_none() => reasons.push(Reason::TimeUnreadable),
        Some(_) => {}
    }
    match tenant {
        None => reasons.push(Reason::TenantUnmatched),
        Some(t) if !t.is_confident() => reasons.push(Reason::TenantUncertain),
        Some(_) => {}
    }
    // A refusal outranks the rest: it is what the shopper must act on.
    reasons.sort_by_key(|r| !r.rejects());
    let decision = match reasons.first() {
        None => Decision::Auto,
        Some(r) if r.rejects() => Decision::Reject,
        Some(_) => Decision::Review,
    };
    Assessment { decision, reasons }
}
