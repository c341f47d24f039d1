//! The camera scanner. Its decoder is a separate WebAssembly module (`/pkg/scanner.js`, the
//! `plaza-scanner` crate), loaded only when a page starts the camera, so pages that never scan
//! do not pay for it.

use crate::i18n::use_tr;
use leptos::prelude::*;

// The server never starts a camera.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Debug, PartialEq)]
enum ScanState {
    Idle,
    Starting,
    Scanning,
    Failed(String),
}

/// A video preview and a start button; calls `on_code` with the text of the first code seen.
#[component]
pub fn CameraScanner(on_code: Callback<String>) -> impl IntoView {
    let t = use_tr();
    let video = NodeRef::<leptos::html::Video>::new();
    let state = RwSignal::new(ScanState::Idle);
    // Rendered disabled on the server; enabled once the island is alive in the browser, so a
    // tap can never land on a button that does nothing yet.
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));

    let start = move |_| {
        if matches!(state.get_untracked(), ScanState::Starting | ScanState::Scanning) {
            return;
        }
        state.set(ScanState::Starting);
        #[cfg(feature = "hydrate")]
        {
            let Some(element) = video.get_untracked() else { return };
            let element: web_sys::HtmlVideoElement = element;
            wasm_bindgen_futures::spawn_local(async move {
                let done = move |text: String| {
                    state.set(ScanState::Idle);
                    on_code.run(text);
                };
                match browser::start(element, done).await {
                    Ok(()) => state.set(ScanState::Scanning),
                    Err(message) => state.set(ScanState::Failed(message)),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (video, on_code);
    };
    let stop = move |_| {
        #[cfg(feature = "hydrate")]
        browser::stop();
        state.set(ScanState::Idle);
    };
    on_cleanup(move || {
        #[cfg(feature = "hydrate")]
        browser::stop();
    });

    let status = move || match state.get() {
        ScanState::Idle => String::new(),
        ScanState::Starting => t.camera_starting.to_string(),
        ScanState::Scanning => t.camera_scanning.to_string(),
        ScanState::Failed(reason) => format!("{} ({reason})", t.camera_failed),
    };
    let active = move || matches!(state.get(), ScanState::Starting | ScanState::Scanning);
    view! {
        <div class="scanner" class:scanner-active=active>
            <video node_ref=video class="scanner-video" playsinline="" muted="" aria-label=t.camera_preview></video>
            <div class="scanner-actions">
                <Show
                    when=active
                    fallback=move || view! {
                        <button type="button" class="button button-primary" on:click=start data-testid="start-camera"
                            disabled=move || !ready.get()>
                            {t.camera_start}
                        </button>
                    }
                >
                    <button type="button" class="button" on:click=stop>{t.camera_stop}</button>
                </Show>
            </div>
            <p class="muted scanner-status" role="status" data-testid="scanner-status">{status}</p>
            <noscript><p class="notice">{t.camera_needs_js}</p></noscript>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use js_sys::{Function, Promise, Reflect};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    #[wasm_bindgen(inline_js = "let loading = null;
export function plaza_scanner() {
  if (!loading) {
    loading = import('/pkg/scanner.js').then(async (m) => { await m.default({ module_or_path: '/pkg/scanner_bg.wasm' }); return m; });
    loading.catch(() => { loading = null; });
  }
  return loading;
}")]
    extern "C" {
        fn plaza_scanner() -> Promise;
    }

    async fn module() -> Result<JsValue, String> {
        JsFuture::from(plaza_scanner()).await.map_err(describe)
    }

    fn describe(error: JsValue) -> String {
        error
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| error.as_string())
            .unwrap_or_else(|| "error".to_string())
    }

    fn export(module: &JsValue, name: &str) -> Result<Function, String> {
        Reflect::get(module, &JsValue::from_str(name))
            .map_err(describe)?
            .dyn_into::<Function>()
            .map_err(|_| format!("scanner has no {name}"))
    }

    pub async fn start(video: web_sys::HtmlVideoElement, on_code: impl FnOnce(String) + 'static) -> Result<(), String> {
        let module = module().await?;
        let callback = Closure::once_into_js(move |text: String| on_code(text));
        let started = export(&module, "start")?.call2(&module, &video, &callback).map_err(describe)?;
        JsFuture::from(Promise::from(started)).await.map_err(describe)?;
        Ok(())
    }

    pub fn stop() {
        wasm_bindgen_futures::spawn_local(async {
            if let Ok(module) = module().await {
                if let Ok(stop) = export(&module, "stop") {
                    let _ = stop.call0(&module);
                }
            }
        });
    }
}
