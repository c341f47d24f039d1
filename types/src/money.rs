//! Money as integer fen (1 yuan = 100 fen). Never a float.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fen(pub i64);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("not an amount")]
    NotANumber,
    #[error("more than two decimals")]
    TooPrecise,
    #[error("negative")]
    Negative,
    #[error("too large")]
    TooLarge,
}

/// The largest amount a single entry may carry: ¥10,000,000.00.
const MAX_FEN: i64 = 1_000_000_000;

impl Fen {
    pub const ZERO: Fen = Fen(0);

    /// Parses a yuan amount as typed by a person: `12`, `12.3`, `12.30`, `¥12.30`, `￥ 1,234.5`.
    pub fn from_yuan_str(input: &str) -> Result<Fen, AmountError> {
        let cleaned: String =
            input.trim().trim_start_matches(['¥', '￥']).chars().filter(|c| !c.is_whitespace() && *c != ',').collect();
        if cleaned.starts_with('-') {
            return Err(AmountError::Negative);
        }
        let (whole, frac) = match cleaned.split_once('.') {
            Some((w, f)) => (w, f),
            None => (cleaned.as_str(), ""),
        };
        if whole.is_empty() && frac.is_empty() {
            return Err(AmountError::NotANumber);
        }
        if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
            return Err(AmountError::NotANumber);
        }
        if frac.len() > 2 {
            return Err(AmountError::TooPrecise);
        }
        if whole.len() > 12 {
            return Err(AmountError::TooLarge);
        }
        let yuan: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| AmountError::NotANumber)? };
        let mut cents: i64 = if frac.is_empty() { 0 } else { frac.parse().map_err(|_| AmountError::NotANumber)? };
        if frac.len() == 1 {
            cents *= 10;
        }
        let fen = yuan.checked_mul(100).and_then(|v| v.checked_add(cents)).ok_or(AmountError::TooLarge)?;
        if fen > MAX_FEN {
            return Err(AmountError::TooLarge);
        }
        Ok(Fen(fen))
    }

    /// `¥100` for whole yuan, `¥12.50` otherwise: for labels where ".00" is noise.
    pub fn short(self) -> String {
        if self.0 % 100 == 0 {
            let sign = if self.0 < 0 { "-" } else { "" };
            format!("{sign}¥{}", self.0.unsigned_abs() / 100)
        } else {
            self.to_string()
        }
    }

    /// `12.30`: yuan with two decimals and no currency sign (what providers' APIs read; a
    /// negative amount keeps its sign).
    pub fn yuan_decimal(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    /// `500` for whole yuan, `500.50` otherwise: what an amount box shows, and reads back with
    /// [`Fen::from_yuan_str`].
    pub fn yuan_input(self) -> String {
        if self.0 % 100 == 0 {
            (self.0 / 100).to_string()
        } else {
            self.yuan_decimal()
        }
    }

    /// Whole yuan, rounded down: the base for "1 point per ¥1".
    pub fn whole_yuan(self) -> i64 {
        self.0.div_euclid(100)
    }
}

impl fmt::Display for Fen {
    /// `¥12.30`; negative amounts as `-¥12.30`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}¥{}.{:02}", abs / 100, abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_people_type() {
        assert_eq!(Fen::from_yuan_str("12"), Ok(Fen(1200)));
        assert_eq!(Fen::from_yuan_str("12.3"), Ok(Fen(1230)));
        assert_eq!(Fen::from_yuan_str("¥12.30"), Ok(Fen(1230)));
        assert_eq!(Fen::from_yuan_str("￥ 1,234.05"), Ok(Fen(123_405)));
        assert_eq!(Fen::from_yuan_str(".5"), Ok(Fen(50)));
        assert_eq!(Fen::from_yuan_str("0"), Ok(Fen(0)));
    }

    #[test]
    fn refuses_bad_amounts() {
        assert_eq!(Fen::from_yuan_str(""), Err(AmountError::NotANumber));
        assert_eq!(Fen::from_yuan_str("."), Err(AmountError::NotANumber));
        assert_eq!(Fen::from_yuan_str("12.345"), Err(AmountError::TooPrecise));
        assert_eq!(Fen::from_yuan_str("-3"), Err(AmountError::Negative));
        assert_eq!(Fen::from_yuan_str("1e5"), Err(AmountError::NotANumber));
        assert_eq!(Fen::from_yuan_str("10000000.01"), Err(AmountError::TooLarge));
        assert_eq!(Fen::from_yuan_str("99999999999999999999"), Err(AmountError::TooLarge));
    }

    #[test]
    fn displays_in_yuan() {
        assert_eq!(Fen(1230).to_string(), "¥12.30");
        assert_eq!(Fen(5).to_string(), "¥0.05");
        assert_eq!(Fen(-250).to_string(), "-¥2.50");
        assert_eq!(Fen(1999).whole_yuan(), 19);
        assert_eq!(Fen(10_000).short(), "¥100");
        assert_eq!(Fen(1_250).short(), "¥12.50");
        assert_eq!(Fen(1_230).yuan_decimal(), "12.30");
        assert_eq!(Fen(5).yuan_decimal(), "0.05");
        assert_eq!(Fen(-250).yuan_decimal(), "-2.50");
        assert_eq!(Fen(50_000).yuan_input(), "500");
        assert_eq!(Fen(50_050).yuan_input(), "500.50");
        for fen in [0, 5, 99, 100, 12_345, 50_000] {
            assert_eq!(Fen::from_yuan_str(&Fen(fen).yuan_input()), Ok(Fen(fen)), "round trip {fen}");
        }
    }
}
