//! The 6-digit one-time code sent by SMS.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsCode(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a code has six digits")]
pub struct InvalidSmsCode;

impl SmsCode {
    pub fn parse(input: &str) -> Result<SmsCode, InvalidSmsCode> {
        let code: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
            Ok(SmsCode(code))
        } else {
            Err(InvalidSmsCode)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_digits_only() {
        assert_eq!(SmsCode::parse(" 123 456 ").unwrap().as_str(), "123456");
        assert!(SmsCode::parse("12345").is_err());
        assert!(SmsCode::parse("12345a").is_err());
        assert!(SmsCode::parse("1234567").is_err());
    }
}
