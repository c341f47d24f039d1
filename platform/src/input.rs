//! Reading what staff typed into a form: whole numbers, yuan amounts and mall-local dates.
//! Each reader names the field it reads, so a refusal tells the operator which box is wrong.

use crate::Result;
use plaza_types::error::Field;
use plaza_types::{AppError, Fen};

pub fn invalid(field: Field) -> crate::Error {
    AppError::invalid(field).into()
}

/// A whole number, optionally signed (`+100`, `-20`).
pub fn number(input: &str, field: Field) -> Result<i64> {
    input.trim().parse::<i64>().map_err(|_| invalid(field))
}

/// A whole number, or `None` for an empty box.
pub fn optional_number(input: &str, field: Field) -> Result<Option<i64>> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        number(input, field).map(Some)
    }
}

/// A yuan amount (`12`, `12.50`, `¥12.5`); an empty box is zero.
pub fn yuan_or_zero(input: &str, field: Field) -> Result<Fen> {
    if input.trim().is_empty() {
        return Ok(Fen::ZERO);
    }
    Fen::from_yuan_str(input).map_err(|_| invalid(field))
}

/// A signed yuan amount as an adjustment is typed: `-12.50`, `+8`, `8`.
pub fn signed_yuan(input: &str, field: Field) -> Result<Fen> {
    let text = input.trim();
    let (negative, magnitude) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if magnitude.trim_start().starts_with(['-', '+']) {
        return Err(invalid(field));
    }
    let fen = Fen::from_yuan_str(magnitude).map_err(|_| invalid(field))?;
    Ok(if negative { Fen(-fen.0) } else { fen })
}

/// A calendar date, `2026-03-10`.
pub fn date(input: &str) -> Result<jiff::civil::Date> {
    input.trim().parse::<jiff::civil::Date>().map_err(|_| invalid(Field::Date))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_numbers_amounts_and_dates() {
        assert_eq!(number(" +100 ", Field::Amount).unwrap(), 100);
        assert_eq!(number("-20", Field::Amount).unwrap(), -20);
        assert!(number("1.5", Field::Amount).is_err());
        assert_eq!(optional_number("  ", Field::Amount).unwrap(), None);
        assert_eq!(optional_number("7", Field::Amount).unwrap(), Some(7));
        assert_eq!(yuan_or_zero("", Field::Amount).unwrap(), Fen(0));
        assert_eq!(yuan_or_zero("¥12.5", Field::Amount).unwrap(), Fen(1_250));
        assert_eq!(signed_yuan("-12.50", Field::Amount).unwrap(), Fen(-1_250));
        assert_eq!(signed_yuan("+8", Field::Amount).unwrap(), Fen(800));
        assert_eq!(signed_yuan("0.05", Field::Amount).unwrap(), Fen(5));
        for bad in ["", "--3", "-+3", "+-3", "abc", "1.234"] {
            assert!(signed_yuan(bad, Field::Amount).is_err(), "{bad}");
        }
        assert_eq!(date("2026-03-10").unwrap(), jiff::civil::date(2026, 3, 10));
        assert!(matches!(date("2026-02-30"), Err(crate::Error::User(AppError::Invalid { field: Field::Date }))));
    }
}
