//! The Content-Security-Policy of every page: our own files, and of inline scripts only those
//! carrying the nonce Leptos puts on the ones it writes (a new nonce per response), so markup
//! injected into a page cannot run.

use http::header::CONTENT_SECURITY_POLICY;
use http::HeaderValue;
use leptos::prelude::*;

/// The policy, for a page whose inline scripts and styles carry `nonce` (none: no inline script
/// may run at all).
pub fn policy(nonce: Option<&str>) -> String {
    let inline = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'{inline} 'wasm-unsafe-eval'; style-src 'self'{inline}; \
         img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Sets the page's policy with this response's nonce (called while the page renders).
pub fn set_content_security_policy() {
    let Some(nonce) = leptos::nonce::use_nonce() else { return };
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else { return };
    if let Ok(value) = HeaderValue::from_str(&policy(Some(&nonce))) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::policy;

    #[test]
    fn only_nonced_inline_scripts_run() {
        let with = policy(Some("abc123"));
        assert!(with.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"), "{with}");
        assert!(!with.contains("unsafe-inline"));
        assert!(policy(None).contains("script-src 'self' 'wasm-unsafe-eval';"));
        assert!(with.contains("frame-ancestors 'none'"));
    }
}
