//! Coupons and the card-coupon centre: templates an operator defines, coupons issued from them
//! (claim centre, hand-out, batches, birthdays, the points mall, gift packs), and the
//! reserve → redeem / release cycle the payment engine drives. Stock and per-member limits hold
//! under any concurrency: both are conditional updates inside the issuing transaction.

pub mod admin;
pub mod checkout;
pub mod choices;
pub mod issue;
pub mod lifecycle;
pub mod packs;
pub mod templates;
pub mod wallet;

pub use checkout::usable_for;
pub use issue::{claim, hand_out, issue, issue_batch, issue_birthday_gifts, BatchReport};
pub use lifecycle::{discount_for, redeem, release, reserve};
pub use templates::{create_template, set_template_status, NewTemplate, Validity};

#[cfg(test)]
mod tests;

use rand::Rng;

/// A coupon's code: 12 characters without look-alikes (no 0/O, 1/I/L).
pub(crate) fn new_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut rng = rand::rngs::OsRng;
    (0..12).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
}
