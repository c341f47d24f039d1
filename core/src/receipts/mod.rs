//! Receipt-photo points (拍照积分): a shopper uploads a photo of a paper receipt; the server
//! reads it (OCR, off the request), matches the tenant, applies the mall's rules and either
//! awards points at once, sends it to an operator, or refuses it with a reason.
//!
//! - [`photo`]: upload validation and re-encoding (no EXIF kept);
//! - [`submit`]: a validated photo is stored (through the platform's [`crate::storage`], keys
//!   `receipts/…`) and becomes a receipt in `recognising`;
//! - [`recognise`]: the OCR through a [`ReceiptReader`], leased so a crashed reader's receipt is
//!   read again and two readers never settle one receipt twice;
//! - [`decide`]: rules, duplicates and caps on top of the fields read; approval through
//!   `award_for_purchase` keyed `("receipt", tenant:receipt key)` with claims that let one
//!   receipt, one file and one tenant+amount+minute earn once;
//! - [`review`]: the operator's queue, approval with corrected fields, refusal with a reason;
//! - [`views`]: what the shopper sees.

pub mod decide;
pub mod photo;
pub mod recognise;
pub mod review;
pub mod rules;
pub mod submit;
pub mod upload_limits;
pub mod views;

pub use recognise::{recognise, recognise_stale, ReceiptReader, SharedReader};
pub use rules::ReceiptRules;
pub use submit::submit;

#[cfg(test)]
mod tests;

/// What the receipts feature needs at run time: where photos go and what reads them (`None`
/// when the OCR models are missing: receipts then wait for an operator).
#[derive(Clone)]
pub struct ReceiptServices {
    pub store: crate::storage::SharedStorage,
    pub reader: Option<SharedReader>,
}

impl ReceiptServices {
    /// Reads receipt `id` in the background; the upload has already answered.
    pub fn spawn_recognise(&self, db: crate::Db, id: i64) {
        let services = self.clone();
        tokio::spawn(async move {
            let reader = services.reader.as_deref();
            match recognise(&db, services.store.as_ref(), reader, id, crate::Timestamp::now()).await {
                Ok(status) => tracing::info!(receipt = id, ?status, "receipt read"),
                // The sweeper takes it up again once the lease runs out.
                Err(error) => tracing::warn!(receipt = id, %error, "reading a receipt failed"),
            }
        });
    }
}
