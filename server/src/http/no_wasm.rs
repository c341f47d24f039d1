//! A page with no island loads no WebAssembly (issue 10, item 2). The shell always writes the
//! hydration scripts into `<head>` before the body is rendered, so whether the page has an island
//! is only known at the end; this reads the finished HTML and, when it holds no `<leptos-island`,
//! drops the three elements that would fetch and start the bundle (the module preload, the wasm
//! preload and the module script). Everything else is passed through untouched.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::Response;

/// Pages are small; anything larger is passed through as it is.
const MOST: usize = 4 << 20;

pub async fn strip_when_no_island(request: Request, next: Next) -> Response {
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
    match std::str::from_utf8(&bytes).ok().and_then(without_hydration) {
        Some(html) => {
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(html))
        }
        None => Response::from_parts(parts, Body::from(bytes)),
    }
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
    use super::without_hydration;

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
