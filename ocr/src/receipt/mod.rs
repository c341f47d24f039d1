//! Receipt fields from OCR lines: pure functions, tested on stored lines without the model.
//!
//! ```
//! use plaza_ocr::receipt::{self, Decision, TenantEntry};
//! use plaza_ocr::Line;
//! let lines: Vec<Line> = ["面面俱到", "B1-16", "单号：S2611050042", "日期：2026-11-0512:31",
//!     "合计： ￥46.00", "优惠： -￥5.00", "实收： ￥41.00"].into_iter().map(Line::plain).collect();
//! let tenants = [TenantEntry { id: 7, name: "面面俱到".into(), aliases: vec![], units: vec!["B1-16".into()] }];
//! let read = receipt::read(&lines, &tenants);
//! assert_eq!(read.fields.total_fen(), Some(4100));
//! assert_eq!(read.assessment.decision, Decision::Auto);
//! ```

mod amounts;
mod dates;
mod decision;
mod numbers;
mod tenants;
mod text;

pub use amounts::{Amount, AmountCheck, Amounts};
pub use dates::{purchase_time, PurchaseTime};
pub use decision::{assess, Assessment, Decision, Reason, MAX_RECEIPT_FEN};
pub use numbers::{mentions_unit, receipt_key, receipt_no, unit_no};
pub use tenants::{match_tenant, TenantEntry, TenantMatch};
pub use text::{fold_lookalikes, normalise};

use crate::Line;
use serde::{Deserialize, Serialize};

/// What a receipt says, as read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReceiptFields {
    /// The shop's name as printed at the top (not yet matched to a tenant).
    pub merchant: Option<String>,
    pub unit_no: Option<String>,
    pub receipt_no: Option<String>,
    pub gross: Option<Amount>,
    pub discount: Option<Amount>,
    pub paid: Option<Amount>,
    pub amount_check: AmountCheck,
    pub purchased: Option<PurchaseTime>,
    /// How many lines were read at all (0: nothing legible).
    pub lines_read: usize,
}

impl ReceiptFields {
    pub fn extract(lines: &[Line]) -> ReceiptFields {
        let amounts = Amounts::read(lines);
        ReceiptFields {
            merchant: merchant(lines),
            unit_no: unit_no(lines),
            receipt_no: receipt_no(lines),
            gross: amounts.gross,
            discount: amounts.discount,
            paid: amounts.paid,
            amount_check: amounts.check(),
            purchased: purchase_time(lines),
            lines_read: lines.len(),
        }
    }

    fn amounts(&self) -> Amounts {
        Amounts { gross: self.gross, discount: self.discount, paid: self.paid }
    }

    /// The amount points would be awarded on (what was paid), as read; whether it can be
    /// trusted is [`assess`]'s business.
    pub fn total(&self) -> Option<Amount> {
        self.amounts().total()
    }

    pub fn total_fen(&self) -> Option<i64> {
        self.total().map(|a| a.fen)
    }

    /// The duplicate key of the receipt number (look-alikes folded).
    pub fn receipt_key(&self) -> Option<String> {
        self.receipt_no.as_deref().map(receipt_key)
    }

    /// The second duplicate key, for slips whose number was not read (or to catch one slip sent
    /// by two members): tenant, minute and amount, e.g. `12|2026-11-05 12:31|4100`.
    pub fn time_amount_key(&self, tenant_id: i64) -> Option<String> {
        let minute = self.purchased?.minute_text()?;
        Some(format!("{tenant_id}|{minute}|{}", self.total_fen()?))
    }
}

/// Fields, tenant and decision together: what a caller usually wants.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReadReceipt {
    pub fields: ReceiptFields,
    pub tenant: Option<TenantMatch>,
    pub assessment: Assessment,
}

/// Extracts the fields, matches the tenant and decides from the fields alone (no database:
/// upload window, caps and duplicates are the caller's rules on top).
pub fn read(lines: &[Line], tenants: &[TenantEntry]) -> ReadReceipt {
    let fields = ReceiptFields::extract(lines);
    let tenant = match_tenant(lines, tenants);
    let assessment = assess(&fields, tenant.as_ref());
    ReadReceipt { fields, tenant, assessment }
}

/// Words that label a line rather than name the shop.
const NOT_A_NAME: &[&str] = &[
    // Not 日期/时间: a shop may be called 鲜果时间; date lines fail on their digits anyway.
    "单号", "流水", "小票", "交易", "订单", "收银", "合计", "实收", "谢谢", "欢迎", "地址", "电话", "铺位", "No.",
    "Date", "Tel",
];

/// The shop's name: the first header line that is mostly letters (not a label, date, unit or
/// figure).
fn merchant(lines: &[Line]) -> Option<String> {
    lines.iter().take(3).find_map(|line| {
        let text = text::normalise(&line.text).trim().to_string();
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        let digits = text.chars().filter(|c| c.is_ascii_digit()).count();
        let labelled = NOT_A_NAME.iter().any(|w| text.contains(w)) || text.contains(':');
        (letters >= 2 && letters > digits * 2 && !labelled).then_some(text)
    })
}

#[cfg(test)]
mod tests;
