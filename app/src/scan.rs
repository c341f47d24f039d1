//! 扫一扫: the in-app scanner for the mall's QR codes (payment plates, table codes). A code that
//! leads into Plaza opens its page; anything else is shown, never opened blindly.

use crate::components::{CameraScanner, TopBar};
use crate::i18n::use_tr;
use leptos::prelude::*;
use leptos_meta::Title;

#[derive(Clone, Debug, PartialEq)]
enum Scanned {
    Nothing,
    MemberCode,
    Other(String),
}

#[component]
pub fn ScanPage() -> impl IntoView {
    let t = use_tr();
    view! {
        <Title text=t.tab_scan />
        <TopBar title=t.tab_scan />
        <main class="page scan-page">
            <p class="muted">{t.scan_hint}</p>
            <ShopperScanner />
        </main>
    }
}

/// The camera and what to do with a scanned code, in the browser.
#[cfg_attr(feature = "islands-shopper", island)]
#[cfg_attr(not(feature = "islands-shopper"), component)]
fn ShopperScanner() -> impl IntoView {
    let t = use_tr();
    let scanned = RwSignal::new(Scanned::Nothing);
    let on_code = Callback::new(move |text: String| {
        if let Some(path) = plaza_path(&text) {
            #[cfg(feature = "hydrate")]
            if let Some(window) = web_sys::window() {
                let _ = window.location().assign(&path);
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = path;
        } else if plaza_types::member_code::MemberCodeParts::parse(&text).is_ok() {
            scanned.set(Scanned::MemberCode);
        } else {
            scanned.set(Scanned::Other(text));
        }
    });
    view! {
            <CameraScanner on_code />
            {move || match scanned.get() {
                Scanned::Nothing => ().into_any(),
                Scanned::MemberCode => view! { <p class="notice">{t.scan_member_code}</p> }.into_any(),
                Scanned::Other(text) => view! {
                    <div class="notice">
                        <p>{t.scan_other}</p>
                        <p class="scan-text">{text}</p>
                    </div>
                }.into_any(),
            }}
    }
}

/// The path of a scanned Plaza URL on this site (`https://<this host>/p/…` → `/p/…`).
fn plaza_path(text: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        let origin = web_sys::window()?.location().origin().ok()?;
        local_path(&origin, text)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = text;
        None
    }
}

/// `text` as a path on the site at `origin`, through the same check as a form's `next`: a code
/// reading `https://<this host>//evil.example` is another site, and is shown, not opened.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn local_path(origin: &str, text: &str) -> Option<String> {
    let rest = text.strip_prefix(origin)?;
    let path = if rest.is_empty() { "/" } else { rest };
    let safe = crate::auth::safe_next(path, "");
    (!safe.is_empty()).then_some(safe)
}

#[cfg(test)]
mod tests {
    use super::local_path;

    /// Finding 10 of issue 14: the in-app scanner followed `https://<host>//evil.example` off-site.
    #[test]
    fn only_paths_on_this_site_are_opened() {
        let origin = "https://plaza.example.com";
        assert_eq!(local_path(origin, "https://plaza.example.com/p/ABC").as_deref(), Some("/p/ABC"));
        assert_eq!(local_path(origin, "https://plaza.example.com").as_deref(), Some("/"));
        for evil in [
            "https://plaza.example.com//evil.example",
            "https://plaza.example.com/\\evil.example",
            "https://plaza.example.com.evil.example/p/ABC",
            "https://plaza.example.com@evil.example/",
            "https://evil.example/p/ABC",
        ] {
            assert_eq!(local_path(origin, evil), None, "{evil}");
        }
    }
}
