//! Hydrates the interactive islands of the server-rendered page (see
//! docs/decisions/0002-islands.md). Everything else lives in `plaza-app`.

// Linking plaza-app brings in its `#[island]` components, which the loader script looks up by name.
use plaza_app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
