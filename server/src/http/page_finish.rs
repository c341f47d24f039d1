//! The last look at a finished page, the one place that reads its whole HTML:
//!
//! - A page with no island loads no WebAssembly (issue 10, item 2). The shell always writes the
//!   hydration scripts into `<head>` before the body is rendered, so whether the page has an
//!   island is only known at the end; when the HTML holds no `<leptos-island`, the three elements
//!   that would fetch and start the bundle (the module preload, the wasm preload and the module
//!   script) are dropped.
//! - The page's Content-Security-Policy names the nonce its own inline scripts carry. The shell
//!   sets it while rendering, but under load a page now and then came out with the policy for
//!   pages without inline scripts (seen on the kitchen screen: its hydration blocked, the screen
//!   never live; and on the mall's order page, whose live script was blocked). The nonce the shell
//!   writes first into `<head>` (`<meta name="csp-nonce">`, on every page, before any content
//!   of the page) is the one the policy must allow, so it is read from there and the policy set
//!   to match.
//!
//! Everything else is passed through untouched.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;

/// Pages are small; anything larger is passed through as it is.
const MOST: usize = 4 << 20;

pub async fn finish(request: Request, next: Next) -> Response {
    let is_get = request.method() == Method::GET;
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_get || !is_html || response.headers().contains_key(header::CONTENT_ENCODING) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MOST).await {
        Ok(bytes) => bytes,
        Err(_) => return Response::from_parts(parts, Body::empty()),
    };
    let Ok(html) = std::str::from_utf8(&bytes) else { return Response::from_parts(parts, Body::from(bytes)) };
    if let Some(nonce) = head_nonce(html) {
        let allowed = parts
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|policy| policy.contains(&format!("'nonce-{nonce}'")));
        if !allowed {
            tracing::debug!("a page's policy missed its nonce; set from its head");
            if let Ok(policy) = HeaderValue::from_str(&plaza_app::server::csp::policy(Some(nonce))) {
                parts.headers.insert(header::CONTENT_SECURITY_POLICY, policy);
            }
        }
    }
    match without_hydration(html) {
        Some(html) => {
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(html))
        }
        None => Response::from_parts(parts, Body::from(bytes)),
    }
}

/// The nonce of the first nonced element of `<head>` (written by Leptos, before anything of the
/// page's content), if it is a plain token.
fn head_nonce(html: &str) -> Option<&str> {
    let head = &html[..html.find("</head>")?];
    let start = head.find(" nonce=\"")? + " nonce=\"".len();
    let nonce = &head[start..start + head[start..].find('"')?];
    let plain = !nonce.is_empty() && nonce.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_+/=".contains(&b));
    plain.then_some(nonce)
}

/// The page without its hydration scripts, or `None` when it keeps them (it has an island, or
/// they are not where the shell puts them).
fn without_hydration(html: &str) -> Option<String> {
    if html.contains("<leptos-island") {
        return None;
    }
    let start = html.find("<link rel=\"modulepreload\"")?;
    let head_end = html.find("</head>")?;
    if start > head_end {
        return None;
    }
    let script = start + html[start..head_end].find("<script type=\"module\"")?;
    let end = script + html[script..head_end].find("</script>")? + "</script>".len();
    let mut out = String::with_capacity(html.len());
    out.push_str(&html[..start]);
    out.push_str(&html[end..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::{head_nonce, without_hydration};

    #[test]
    fn the_nonce_is_read_from_the_head_only() {
        assert_eq!(head_nonce(HEAD), Some("n"));
        // A page with no hydration script: the shell's meta carries it.
        let mall = "<html><head><meta charset=\"utf-8\"><meta name=\"csp-nonce\" nonce=\"m-1\"><title>x</title></head>\
                    <body><script nonce=\"m-1\">live()</script></body></html>";
        assert_eq!(head_nonce(mall), Some("m-1"));
        let body_only = "<html><head><title>x</title></head><body><script nonce=\"evil\">x</script></body></html>";
        assert_eq!(head_nonce(body_only), None);
        let odd = "<html><head><script nonce=\"a b\">x</script></head></html>";
        assert_eq!(head_nonce(odd), None);
    }

    const HEAD: &str = "<html><head><meta charset=\"utf-8\"><link rel=\"modulepreload\" href=\"/pkg/plaza.js\" \
         crossorigin=\"n\"><link rel=\"preload\" href=\"/pkg/plaza.wasm\" as=\"fetch\" type=\"application/wasm\" \
         crossorigin=\"n\"><script type=\"module\" nonce=\"n\">((root) => {})(\"\", \"pkg\");</script>\
         <title>x</title></head>";

    #[test]
    fn a_page_without_islands_loses_its_hydration_scripts_and_nothing_else() {
        let page = format!("{HEAD}<body><main>hi</main><script nonce=\"n\">__RESOLVED=[]</script></body></html>");
        let out = without_hydration(&page).unwrap();
        assert!(!out.contains("/pkg/plaza.wasm") && !out.contains("/pkg/plaza.js") && !out.contains("type=\"module\""));
        assert!(out.contains("<meta charset=\"utf-8\"><title>x</title></head>"), "{out}");
        assert!(out.contains("<main>hi</main><script nonce=\"n\">__RESOLVED=[]</script>"));
    }

    #[test]
    fn a_page_with_an_island_keeps_them() {
        let page = format!("{HEAD}<body><leptos-island data-component=\"X\"></leptos-island></body></html>");
        assert_eq!(without_hydration(&page), None);
        assert_eq!(without_hydration("<html><head></head><body>no scripts</body></html>"), None);
    }
}
