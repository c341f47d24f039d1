//! Where to go after signing in: only a path on this site, never another origin.

/// `next` if it is a local path (`/card`, `/tenant/cashier?x=1`), else `fallback`.
pub fn safe_next(next: &str, fallback: &str) -> String {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\');
    if local {
        next.to_string()
    } else {
        fallback.to_string()
    }
}

/// Percent-encodes a query component.
pub fn encode_component(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths() {
        assert_eq!(safe_next("/card", "/"), "/card");
        assert_eq!(safe_next("/tenant/cashier?a=1", "/"), "/tenant/cashier?a=1");
        for evil in ["https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)", ""] {
            assert_eq!(safe_next(evil, "/"), "/", "{evil}");
        }
    }

    #[test]
    fn encodes() {
        assert_eq!(encode_component("/card?a=1&b"), "%2Fcard%3Fa%3D1%26b");
    }
}
