//! Receipt-photo points (拍照积分): the upload page (a plain multipart form; the `Uploader`
//! island shrinks the photo and shows upload progress), each receipt's status page (live while
//! it is being read), and the member's receipts. The upload itself is `POST /receipts/upload`
//! in the server crate (server functions carry no file bodies).

mod history_page;
mod status_page;
mod upload_page;
mod uploader;

pub use history_page::{my_receipts, MyReceipts, MyReceiptsPage};
pub use status_page::{get_receipt, GetReceipt, ReceiptPage};
pub use upload_page::ReceiptsPage;

use crate::i18n::Tr;
use plaza_types::dto::ReceiptStatus;

pub fn status_label(t: &Tr, status: ReceiptStatus) -> &'static str {
    match status {
        ReceiptStatus::Recognising => t.rc_status_recognising,
        ReceiptStatus::Approved => t.rc_status_approved,
        ReceiptStatus::Review => t.rc_status_review,
        ReceiptStatus::Rejected => t.rc_status_rejected,
    }
}

/// A reason code (see core/src/receipts/decide.rs and plaza-ocr's `Reason`) in plain words;
/// an operator's own reason reads as "审核未通过" here (the note says the rest).
pub fn reason_text(t: &Tr, code: &str) -> &'static str {
    reason_words(t, code).unwrap_or(t.rc_reason_operator)
}

/// The words of a reason code the system writes, `None` for anything else.
pub fn reason_words(t: &Tr, code: &str) -> Option<&'static str> {
    Some(match code {
        "unreadable" => t.rc_reason_unreadable,
        "amount_unreadable" => t.rc_reason_amount_unreadable,
        "amount_inconsistent" => t.rc_reason_amount_inconsistent,
        "amount_unverified" => t.rc_reason_amount_unverified,
        "amount_impossible" => t.rc_reason_amount_impossible,
        "amount_too_large" => t.rc_reason_amount_too_large,
        "date_unreadable" => t.rc_reason_date_unreadable,
        "time_unreadable" => t.rc_reason_time_unreadable,
        "tenant_unmatched" => t.rc_reason_tenant_unmatched,
        "tenant_uncertain" => t.rc_reason_tenant_uncertain,
        "duplicate_photo" => t.rc_reason_duplicate_photo,
        "duplicate_receipt" => t.rc_reason_duplicate_receipt,
        "duplicate_pending" => t.rc_reason_duplicate_pending,
        "similar_receipt" => t.rc_reason_similar_receipt,
        "below_minimum" => t.rc_reason_below_minimum,
        "late" => t.rc_reason_late,
        "purchase_in_future" => t.rc_reason_purchase_in_future,
        "tenant_excluded" => t.rc_reason_tenant_excluded,
        "receipt_no_unreadable" => t.rc_reason_receipt_no_unreadable,
        "tenant_daily_cap" => t.rc_reason_tenant_daily_cap,
        "daily_cap" => t.rc_reason_daily_cap,
        "ocr_unavailable" => t.rc_reason_ocr_unavailable,
        "ocr_failed" => t.rc_reason_ocr_failed,
        "photo_missing" => t.rc_reason_photo_missing,
        _ => return None,
    })
}
