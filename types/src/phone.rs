//! Mainland China mobile numbers: the member's unique identity.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Eleven digits starting `1[3-9]`, stored without spaces or country code.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a mainland China mobile number")]
pub struct InvalidPhone;

impl PhoneNumber {
    /// Accepts `13800138000`, `138 0013 8000`, `138-0013-8000`, `+86 138 0013 8000`, `0086…`.
    pub fn parse(input: &str) -> Result<PhoneNumber, InvalidPhone> {
        let digits: String =
            input.trim().chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '\u{3000}')).collect();
        let digits = digits.strip_prefix("+86").or_else(|| digits.strip_prefix("0086")).unwrap_or(&digits);
        let bytes = digits.as_bytes();
        let valid = bytes.len() == 11
            && bytes.iter().all(u8::is_ascii_digit)
            && bytes[0] == b'1'
            && (b'3'..=b'9').contains(&bytes[1]);
        if valid {
            Ok(PhoneNumber(digits.to_string()))
        } else {
            Err(InvalidPhone)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `138****8000`: the form shown in lists and to tenant staff.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = InvalidPhone;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        PhoneNumber::parse(&value)
    }
}

impl From<PhoneNumber> for String {
    fn from(value: PhoneNumber) -> Self {
        value.0
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_spellings() {
        for input in ["13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "008613800138000"] {
            assert_eq!(PhoneNumber::parse(input).unwrap().as_str(), "13800138000", "{input}");
        }
    }

    #[test]
    fn refuses_non_mobile_numbers() {
        for input in ["", "1380013800", "138001380001", "12800138000", "23800138000", "1380013800a", "+1 415 555 0100"]
        {
            assert_eq!(PhoneNumber::parse(input), Err(InvalidPhone), "{input}");
        }
    }

    #[test]
    fn masks_the_middle() {
        assert_eq!(PhoneNumber::parse("13800138000").unwrap().masked(), "138****8000");
    }
}
