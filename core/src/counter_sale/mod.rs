//! Points for a sale rung up on a shop's own till (门店消费积分): the cashier scans the member's
//! code ([`check`]), types the amount and the till's receipt number, and the points follow the
//! earning rules through [`award_for_purchase`](crate::points::award_for_purchase) — once per receipt
//! number, with the member code used once. The shop's owner may reverse an award on the day it
//! was made ([`reverse`]), which frees the receipt number for a corrected award.

mod award;
mod check;
mod reverse;
#[cfg(test)]
mod tests;

pub use award::{award, Awarded, CounterSale};
pub use check::{check, view_check, CHECK_TTL_SECS};
pub use reverse::{reverse, today};

/// The `source` of counter-sale awards in the points ledger.
pub const SOURCE: &str = "counter_sale";

/// A till's receipt number as typed: trimmed, letters upper-cased, 1–40 of letters, digits and
/// `-_/.#`. `None` if it cannot be one.
pub fn receipt_number(typed: &str) -> Option<String> {
    let no: String = typed.trim().to_ascii_uppercase();
    let valid = (1..=40).contains(&no.chars().count())
        && no.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.' | '#'));
    valid.then_some(no)
}

#[cfg(test)]
mod unit {
    use super::receipt_number;

    #[test]
    fn receipt_numbers_are_kept_as_printed_but_upper_case() {
        assert_eq!(receipt_number(" ys-20261202-0042 ").as_deref(), Some("YS-20261202-0042"));
        assert_eq!(receipt_number("A1/2#3").as_deref(), Some("A1/2#3"));
        assert_eq!(receipt_number(""), None);
        assert_eq!(receipt_number("有 中文"), None);
        assert_eq!(receipt_number(&"9".repeat(41)), None);
    }
}
