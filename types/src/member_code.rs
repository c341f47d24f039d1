//! The dynamic member code: 32 digits, so it fits a compact Code 128 (set C) barcode and a QR code,
//! and a cashier can type it when a scanner fails.
//!
//! Layout: `8` (format) · member id (10 digits) · expiry in Unix seconds (10) · MAC (11).
//! The MAC is computed on the server; this module only knows the layout.

use crate::MemberId;
use serde::{Deserialize, Serialize};

pub const MEMBER_CODE_LEN: usize = 32;
const FORMAT_DIGIT: u8 = b'8';

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberCodeParts {
    pub member_id: MemberId,
    pub expires_at_secs: i64,
    pub mac: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a member code")]
pub struct NotAMemberCode;

impl MemberCodeParts {
    /// Accepts the digits with any spaces a person or scanner put between groups.
    pub fn parse(input: &str) -> Result<MemberCodeParts, NotAMemberCode> {
        let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        let bytes = digits.as_bytes();
        if bytes.len() != MEMBER_CODE_LEN || bytes[0] != FORMAT_DIGIT || !bytes.iter().all(u8::is_ascii_digit) {
            return Err(NotAMemberCode);
        }
        let number = |range: std::ops::Range<usize>| digits[range].parse::<u64>().map_err(|_| NotAMemberCode);
        Ok(MemberCodeParts {
            member_id: MemberId(number(1..11)? as i64),
            expires_at_secs: number(11..21)? as i64,
            mac: number(21..32)?,
        })
    }

    pub fn to_digits(&self) -> String {
        format!(
            "{}{:010}{:010}{:011}",
            FORMAT_DIGIT as char,
            self.member_id.0,
            self.expires_at_secs,
            self.mac % 100_000_000_000
        )
    }

    /// The bytes the MAC covers: everything but the MAC itself.
    pub fn signed_payload(&self) -> String {
        format!("member-code:v8:{}:{}", self.member_id.0, self.expires_at_secs)
    }
}

/// Groups the digits by four for reading aloud or typing.
pub fn group_digits(code: &str) -> String {
    code.as_bytes().chunks(4).map(|chunk| std::str::from_utf8(chunk).unwrap_or_default()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let parts = MemberCodeParts { member_id: MemberId(42), expires_at_secs: 1_795_000_000, mac: 12_345_678_901 };
        let digits = parts.to_digits();
        assert_eq!(digits.len(), MEMBER_CODE_LEN);
        assert_eq!(MemberCodeParts::parse(&digits), Ok(parts.clone()));
        assert_eq!(MemberCodeParts::parse(&group_digits(&digits)), Ok(parts));
    }

    #[test]
    fn refuses_other_strings() {
        assert!(MemberCodeParts::parse("").is_err());
        assert!(MemberCodeParts::parse(&"9".repeat(32)).is_err());
        assert!(MemberCodeParts::parse(&format!("8{}", "1".repeat(30))).is_err());
        assert!(MemberCodeParts::parse(&format!("8{}x", "1".repeat(30))).is_err());
    }
}
