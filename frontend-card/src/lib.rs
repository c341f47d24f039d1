//! Hydrates the member-card page's island (islands-card) of the server-rendered page; the shell
//! picks the bundle by the page's area (docs/decisions/0002-islands.md, 0024-bundles-by-area.md).
//! Everything else lives in `plaza-app`.
#![cfg(target_arch = "wasm32")]

// Linking plaza-app brings in its `#[island]` components, which the loader script looks up by name.
use plaza_app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
