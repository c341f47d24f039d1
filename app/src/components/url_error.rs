//! Errors carried back to a page in its address. Forms here post as plain HTML (with or without
//! JavaScript); a refused post redirects back with `error=…` so the page can say why, in the
//! reader's language, with the form still filled from the other parameters.

use crate::auth::encode_component;
use plaza_types::AppError;

/// The query pair for `error`.
pub fn error_param(error: &AppError) -> String {
    let json = serde_json::to_string(error).unwrap_or_else(|_| r#"{"error":"internal"}"#.to_string());
    format!("error={}", encode_component(&json))
}

/// The error a page was sent back with, if any.
pub fn read_error(value: Option<String>) -> Option<AppError> {
    value.and_then(|v| serde_json::from_str(&v).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_survives_the_round_trip() {
        let error = AppError::AmountOutOfRange { min_fen: 1, max_fen: 5_000_000 };
        let param = error_param(&error);
        let value = param.strip_prefix("error=").unwrap();
        let decoded = percent_decode(value);
        assert_eq!(read_error(Some(decoded)), Some(error));
        assert_eq!(read_error(Some("nonsense".into())), None);
    }

    fn percent_decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }
}
