//! A tenant's reports and settlement statement (报表与结算, issue 13): for a period of mall days,
//! sales by day, the refunds, the products and dishes that sold best and the split by channel;
//! the statement of what the mall owes the tenant (sales − refunds − the mall's commission at the
//! rate in force on each sale's date − the coupons the tenant funds); the commission rates the
//! operator sets; both as CSV.
//!
//! Everything is read from the one line per sale and per refund that every purpose writes
//! (`tenant_sales`, in the completing or refunding transaction), joined to the payment's (or the
//! mall order's) tenders and the refund's: so a refund counts in the period it happened, and the
//! statement reconciles with the payments ledger. Who funds what is in
//! docs/decisions/0019-settlement-funding.md.

pub mod commission;
pub mod csv;
mod lines;
pub mod period;
pub mod report;
pub mod statement;
#[cfg(test)]
mod tests;

pub use period::{Period, Preset};

/// `amount × bps / 10 000`, rounded half up (amounts here are never negative).
pub fn commission_of(amount: i64, bps: i64) -> i64 {
    ((amount as i128 * bps as i128 + 5_000) / 10_000) as i64
}

#[cfg(test)]
mod unit {
    #[test]
    fn commission_rounds_half_up() {
        assert_eq!(super::commission_of(10_000, 500), 500);
        assert_eq!(super::commission_of(1_010, 500), 51); // 50.5
        assert_eq!(super::commission_of(1_009, 500), 50); // 50.45
        assert_eq!(super::commission_of(0, 500), 0);
        assert_eq!(super::commission_of(12_345, 0), 0);
    }
}
