//! The address of the page being shown, as a path a form can send the browser back to.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// `/ops/members` and `q=8000` → `/ops/members?q=8000`. The router keeps the query without its
/// `?`; a one-time error the page was sent back with (`__err`, `__path`) is not carried along.
pub fn page_address(path: &str, search: &str) -> String {
    let kept: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("__err=") && !pair.starts_with("__path="))
        .collect();
    if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

/// The current page's address (path and query), read without tracking.
pub fn current_address() -> String {
    let location = use_location();
    page_address(&location.pathname.get_untracked(), &location.search.get_untracked())
}

#[cfg(test)]
mod tests {
    use super::page_address;

    #[test]
    fn the_query_keeps_its_question_mark() {
        assert_eq!(page_address("/ops/members", "q=8000"), "/ops/members?q=8000");
        assert_eq!(
            page_address("/login", "phone=13800138000&sent=1&next=%2Fcard"),
            "/login?phone=13800138000&sent=1&next=%2Fcard"
        );
        assert_eq!(page_address("/card", ""), "/card");
        assert_eq!(page_address("/login", "?sent=1"), "/login?sent=1");
    }

    #[test]
    fn a_one_time_error_is_not_carried_along() {
        assert_eq!(page_address("/login", "phone=1&__path=%2Fapi%2Fx&__err=abc"), "/login?phone=1");
        assert_eq!(page_address("/login", "__err=abc"), "/login");
    }
}
