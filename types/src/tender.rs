//! How a purchase is paid: the split tender, in the fixed order coupon → points → stored value →
//! the external provider for the rest. Pure arithmetic shared by the server and the browser, so
//! the pay page recomputes the breakdown live and the payment engine takes exactly what was shown.

use crate::Fen;
use serde::{Deserialize, Serialize};

/// The most one payment may be: ¥50,000.
pub const MAX_PAYMENT: Fen = Fen(5_000_000);
/// The smallest amount a counter plate takes.
pub const MIN_PLATE_PAYMENT: Fen = Fen(1);

/// Reads an amount typed on a keypad: yuan with at most two decimals, within `min..=max`. The
/// pay page checks as the shopper types and the server checks again, with this one function.
pub fn parse_amount_within(input: &str, min: Fen, max: Fen) -> Result<Fen, crate::AppError> {
    use crate::money::AmountError;
    let range = crate::AppError::AmountOutOfRange { min_fen: min.0, max_fen: max.0 };
    match Fen::from_yuan_str(input) {
        Ok(fen) if fen >= min && fen <= max => Ok(fen),
        Ok(_) | Err(AmountError::TooLarge) | Err(AmountError::Negative) => Err(range),
        Err(AmountError::TooPrecise) => Err(crate::AppError::AmountTooPrecise),
        Err(AmountError::NotANumber) => Err(crate::AppError::invalid(crate::error::Field::Amount)),
    }
}

/// What the shopper has and chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TenderInputs {
    pub amount: Fen,
    /// What the chosen coupon takes off this amount (0 without a coupon).
    pub coupon_discount: Fen,
    pub points_available: i64,
    pub use_points: bool,
    /// Points worth ¥1 (100 by default).
    pub points_per_yuan: i64,
    /// Most of the amount points may cover, in percent (50 by default).
    pub max_points_pct: i64,
    pub stored_value: Fen,
    pub use_stored_value: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Split {
    pub coupon: Fen,
    pub points_used: i64,
    pub points_value: Fen,
    pub stored_value: Fen,
    /// Left for WeChat Pay / Alipay (the sandbox in development).
    pub external: Fen,
}

impl Split {
    pub fn total(&self) -> Fen {
        Fen(self.coupon.0 + self.points_value.0 + self.stored_value.0 + self.external.0)
    }
}

pub fn split(i: TenderInputs) -> Split {
    let amount = i.amount.0.max(0);
    let coupon = i.coupon_discount.0.clamp(0, amount);
    let mut left = amount - coupon;

    let (mut points_used, mut points_value) = (0, 0);
    if i.use_points && i.points_available > 0 && i.points_per_yuan > 0 {
        let cap = (amount * i.max_points_pct.clamp(0, 100) / 100).min(left);
        // Value in fen of the points available: points × 100 / points-per-yuan, rounded down.
        let affordable = (i.points_available as i128 * 100 / i.points_per_yuan as i128) as i64;
        points_value = affordable.min(cap);
        // The fewest whole points worth that value.
        points_used = ((points_value as i128 * i.points_per_yuan as i128 + 99) / 100) as i64;
        if points_used > i.points_available {
            points_used = i.points_available;
            points_value = (points_used as i128 * 100 / i.points_per_yuan as i128) as i64;
        }
        left -= points_value;
    }

    let stored_value = if i.use_stored_value { i.stored_value.0.clamp(0, left) } else { 0 };
    left -= stored_value;
    Split {
        coupon: Fen(coupon),
        points_used,
        points_value: Fen(points_value),
        stored_value: Fen(stored_value),
        external: Fen(left),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(amount: i64) -> TenderInputs {
        TenderInputs {
            amount: Fen(amount),
            coupon_discount: Fen(0),
            points_available: 0,
            use_points: true,
            points_per_yuan: 100,
            max_points_pct: 50,
            stored_value: Fen(0),
            use_stored_value: true,
        }
    }

    #[test]
    fn coupon_then_points_then_stored_value_then_the_provider() {
        let s = split(TenderInputs {
            coupon_discount: Fen(2_000),
            points_available: 3_000,
            stored_value: Fen(5_000),
            ..inputs(12_000)
        });
        assert_eq!(
            s,
            Split {
                coupon: Fen(2_000),
                points_used: 3_000,
                points_value: Fen(3_000),
                stored_value: Fen(5_000),
                external: Fen(2_000)
            }
        );
        assert_eq!(s.total(), Fen(12_000));
    }

    #[test]
    fn points_cover_at_most_half_of_the_amount() {
        let s = split(TenderInputs { points_available: 100_000, ..inputs(10_000) });
        assert_eq!((s.points_used, s.points_value, s.external), (5_000, Fen(5_000), Fen(5_000)));
        // …and never more than what the coupon left.
        let s = split(TenderInputs { coupon_discount: Fen(9_000), points_available: 100_000, ..inputs(10_000) });
        assert_eq!((s.points_value, s.external), (Fen(1_000), Fen(0)));
    }

    #[test]
    fn other_point_rates_round_in_the_shoppers_favour_never_beyond_the_balance() {
        // 50 points = ¥1: 155 points are worth ¥3.10.
        let s = split(TenderInputs { points_available: 155, points_per_yuan: 50, ..inputs(10_000) });
        assert_eq!((s.points_used, s.points_value), (155, Fen(310)));
        // 200 points = ¥1: 301 points are worth ¥1.50 and 300 points are used.
        let s = split(TenderInputs { points_available: 301, points_per_yuan: 200, ..inputs(10_000) });
        assert_eq!((s.points_used, s.points_value), (300, Fen(150)));
    }

    #[test]
    fn the_shopper_may_keep_points_and_stored_value() {
        let s = split(TenderInputs {
            points_available: 500,
            use_points: false,
            stored_value: Fen(900),
            use_stored_value: false,
            ..inputs(1_000)
        });
        assert_eq!(s.external, Fen(1_000));
    }

    #[test]
    fn a_coupon_bigger_than_the_amount_covers_it_and_no_more() {
        let s = split(TenderInputs { coupon_discount: Fen(5_000), ..inputs(3_000) });
        assert_eq!((s.coupon, s.external), (Fen(3_000), Fen(0)));
    }
}
