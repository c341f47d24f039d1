//! A refused form, without the error in the address bar.
//!
//! When a plain form post to a server function fails, Leptos sends the browser back to the page
//! with the error in the address (`?__path=…&__err=<base64>`), where the page's `ServerAction`
//! finds it. The server moves that pair into a short-lived cookie instead (see
//! [`error_to_flash`]); the next page rendered reads it once, hands it to the page's actions
//! exactly as the address would have, and clears it.

/// The cookie holding `<server function path>|<encoded error>` for the next page.
pub const FLASH_COOKIE: &str = "plaza_flash";

/// Seconds the cookie lives: long enough for the redirect it travels with.
pub const FLASH_MAX_AGE_SECS: u32 = 60;

/// For a redirect `location` carrying a server function's error: the same address without it,
/// and the cookie value to carry the error instead. `None` when there is no error to move.
pub fn error_to_flash(location: &str) -> Option<(String, String)> {
    let (address, query) = location.split_once('?')?;
    let (query, fragment) = match query.split_once('#') {
        Some((q, f)) => (q, Some(f)),
        None => (query, None),
    };
    let mut path = None;
    let mut error = None;
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("__path", value)) => path = Some(percent_decode(value)?),
            Some(("__err", value)) => error = Some(percent_decode(value)?),
            _ => kept.push(pair),
        }
    }
    let (path, error) = (path?, error?);
    if path.contains('|') || !error.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'=')) {
        return None;
    }
    let mut clean = address.to_string();
    if !kept.is_empty() {
        clean.push('?');
        clean.push_str(&kept.join("&"));
    }
    if let Some(fragment) = fragment {
        clean.push('#');
        clean.push_str(fragment);
    }
    let cookie_safe = path.bytes().all(|b| b.is_ascii_graphic() && !matches!(b, b';' | b',' | b'"' | b'\\'));
    cookie_safe.then(|| (clean, format!("{path}|{error}")))
}

/// The `(path, error)` a flash cookie carries.
pub fn read_flash(value: &str) -> Option<(&str, &str)> {
    value.split_once('|').filter(|(path, error)| path.starts_with('/') && !error.is_empty())
}

fn percent_decode(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = value.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Called once by the app root: a flashed error becomes the page's action error, and the cookie
/// is cleared so a reload shows the page without it.
#[cfg(feature = "ssr")]
pub fn provide_flashed_error() {
    use leptos::prelude::*;
    let Some(value) = crate::server::request_cookie(FLASH_COOKIE) else { return };
    if let Some((path, error)) = read_flash(&value) {
        provide_context(leptos::server::ServerActionError::new(path, error));
    }
    crate::server::clear_cookie(FLASH_COOKIE);
}

#[cfg(not(feature = "ssr"))]
pub fn provide_flashed_error() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_leaves_the_address_for_the_cookie() {
        let location = "http://127.0.0.1:3000/login?phone=13800138000&sent=1&next=%2Fcard\
                        &__path=%2Fapi%2Fauth%2Frequest-code&__err=eyJlcnJvciI6InRvb19tYW55In0%3D";
        let (clean, cookie) = error_to_flash(location).unwrap();
        assert_eq!(clean, "http://127.0.0.1:3000/login?phone=13800138000&sent=1&next=%2Fcard");
        assert_eq!(cookie, "/api/auth/request-code|eyJlcnJvciI6InRvb19tYW55In0=");
        assert_eq!(read_flash(&cookie), Some(("/api/auth/request-code", "eyJlcnJvciI6InRvb19tYW55In0=")));
    }

    #[test]
    fn an_address_without_an_error_is_left_alone() {
        assert_eq!(error_to_flash("/login?phone=1&sent=1"), None);
        assert_eq!(error_to_flash("/login"), None);
        assert_eq!(error_to_flash("/x?__err=abc"), None, "no path: not Leptos's pair");
    }

    #[test]
    fn only_the_error_pair_is_taken() {
        let (clean, _) = error_to_flash("/ops/members?__path=%2Fapi%2Fx&q=8000&__err=YWJj#top").unwrap();
        assert_eq!(clean, "/ops/members?q=8000#top");
        let (clean, _) = error_to_flash("/card?__path=%2Fapi%2Fx&__err=YWJj").unwrap();
        assert_eq!(clean, "/card");
    }

    #[test]
    fn odd_values_stay_in_the_address() {
        assert_eq!(error_to_flash("/x?__path=%2Fapi%7Cx&__err=YWJj"), None);
        assert_eq!(error_to_flash("/x?__path=%2Fapi&__err=a%3Bb"), None);
        assert_eq!(read_flash("nonsense"), None);
    }
}
