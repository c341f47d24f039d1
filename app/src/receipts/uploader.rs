//! The browser side of an upload: the photo shrunk on the phone (canvas, long side 1,600 px,
//! JPEG 0.85 — a 3 MB camera photo becomes ~0.3 MB), sent with `XMLHttpRequest` so the upload's
//! progress can be shown, kept for a retry when the connection fails; and the watch that follows
//! a receipt while the server reads it. Rendered on the server as the plain form, which is what
//! works without JavaScript.

use crate::error_text::error_text;
use crate::i18n::use_tr;
use leptos::prelude::*;
use plaza_types::AppError;

#[derive(Clone, Debug, PartialEq)]
// Only the browser moves past `Idle`.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Phase {
    Idle,
    Preparing,
    /// Fraction sent, 0–1.
    Uploading(f64),
    /// The server refused the photo: a new one is needed.
    Refused(AppError),
    /// The connection failed: the same photo can be sent again.
    Failed,
}

#[cfg_attr(feature = "islands-shopper", island)]
#[cfg_attr(not(feature = "islands-shopper"), component)]
pub fn Uploader() -> impl IntoView {
    let t = use_tr();
    let phase = RwSignal::new(Phase::Idle);
    // Set once the island runs in the browser (effects run there only): until then the form
    // is the plain one, and tests wait for this before choosing a photo.
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let busy = move || matches!(phase.get(), Phase::Preparing | Phase::Uploading(_));
    let on_change = move |_ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        browser::start_from_input(_ev, phase);
    };
    let on_submit = move |_ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        browser::start_from_form(_ev, phase);
    };
    let retry = move |_| {
        #[cfg(feature = "hydrate")]
        browser::retry(phase);
    };
    view! {
        <form class="panel receipt-upload" method="post" action="/receipts/upload" enctype="multipart/form-data" on:submit=on_submit data-ready=move || ready.get().then_some("1")>
            <label class="receipt-pick">
                <span class="receipt-pick-label">{t.rc_pick}</span>
                <input type="file" name="photo" accept="image/jpeg,image/png,image/webp,image/*" capture="environment" required on:change=on_change data-testid="receipt-file" />
            </label>
            {move || match phase.get() {
                Phase::Idle => None,
                Phase::Preparing => Some(view! { <p class="muted" role="status">{t.rc_preparing}</p> }.into_any()),
                Phase::Uploading(done) => Some(view! {
                    <div role="status">
                        <p class="muted">{t.rc_uploading}" "{format!("{:.0}%", done * 100.0)}</p>
                        <progress class="receipt-progress" max="100" value=format!("{:.0}", done * 100.0) data-testid="receipt-progress"></progress>
                    </div>
                }.into_any()),
                Phase::Refused(error) => Some(view! { <p class="notice notice-error" role="alert">{error_text(t, &error)}</p> }.into_any()),
                Phase::Failed => Some(view! {
                    <div class="notice notice-error" role="alert">
                        <p>{t.rc_upload_failed}</p>
                        <button type="button" class="button" on:click=retry data-testid="receipt-retry">{t.rc_retry}</button>
                    </div>
                }.into_any()),
            }}
            <button type="submit" class="button button-primary" disabled=busy>{t.rc_submit}</button>
        </form>
    }
}

/// Follows a receipt being read and reloads its page once it is decided.
#[cfg_attr(feature = "islands-shopper", island)]
#[cfg_attr(not(feature = "islands-shopper"), component)]
pub fn StatusWatch(id: i64) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        // Recognition takes a second or two; give up after two minutes (the page says what to do).
        for _ in 0..80 {
            gloo_timers::future::TimeoutFuture::new(1_500).await;
            if let Ok(r) = super::get_receipt(id).await {
                if r.status != plaza_types::dto::ReceiptStatus::Recognising {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().reload();
                    }
                    return;
                }
            }
        }
    });
    let _ = id;
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::Phase;
    use leptos::prelude::*;
    use plaza_types::AppError;
    use std::cell::RefCell;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    /// The long side of the photo sent (OCR-NOTES: enough for receipt text, ~0.3 MB).
    const LONG_SIDE: f64 = 1600.0;
    const JPEG_QUALITY: f64 = 0.85;

    thread_local! {
        /// The shrunk photo, kept for a retry.
        static PENDING: RefCell<Option<web_sys::Blob>> = const { RefCell::new(None) };
    }

    fn chosen_file(input: &web_sys::HtmlInputElement) -> Option<web_sys::File> {
        input.files().and_then(|files| files.get(0))
    }

    pub fn start_from_input(ev: leptos::ev::Event, phase: RwSignal<Phase>) {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        if let Some(file) = chosen_file(&input) {
            start(file, phase);
        }
    }

    pub fn start_from_form(ev: leptos::ev::SubmitEvent, phase: RwSignal<Phase>) {
        let Some(form) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok()) else { return };
        let input = form.query_selector("input[type=file]").ok().flatten().and_then(|e| e.dyn_into().ok());
        if let Some(file) = input.as_ref().and_then(chosen_file) {
            ev.prevent_default();
            start(file, phase);
        }
    }

    pub fn retry(phase: RwSignal<Phase>) {
        if let Some(blob) = PENDING.with(|p| p.borrow().clone()) {
            leptos::task::spawn_local(async move { send(blob, phase).await });
        }
    }

    fn start(file: web_sys::File, phase: RwSignal<Phase>) {
        if matches!(phase.get_untracked(), Phase::Preparing | Phase::Uploading(_)) {
            return;
        }
        phase.set(Phase::Preparing);
        leptos::task::spawn_local(async move {
            // A photo the browser cannot draw (HEIC outside Safari) goes as it is: the server
            // says plainly what it accepts.
            let blob = shrink(&file).await.unwrap_or_else(|_| file.clone().into());
            PENDING.with(|p| *p.borrow_mut() = Some(blob.clone()));
            send(blob, phase).await;
        });
    }

    /// Draws the photo (EXIF orientation applied by the browser) at most `LONG_SIDE` px long
    /// and encodes it as JPEG.
    async fn shrink(file: &web_sys::File) -> Result<web_sys::Blob, JsValue> {
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        let bitmap: web_sys::ImageBitmap =
            JsFuture::from(window.create_image_bitmap_with_blob(file)?).await?.dyn_into()?;
        let (w, h) = (bitmap.width() as f64, bitmap.height() as f64);
        let scale = (LONG_SIDE / w.max(h)).min(1.0);
        let (cw, ch) = ((w * scale).round().max(1.0), (h * scale).round().max(1.0));
        let document = window.document().ok_or(JsValue::NULL)?;
        let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
        canvas.set_width(cw as u32);
        canvas.set_height(ch as u32);
        let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d")?.ok_or(JsValue::NULL)?.dyn_into()?;
        ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, cw, ch)?;
        bitmap.close();
        let mut failed = None;
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            if let Err(e) = canvas.to_blob_with_type_and_encoder_options(&resolve, "image/jpeg", &JPEG_QUALITY.into()) {
                failed = Some(e);
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
        JsFuture::from(promise).await?.dyn_into()
    }

    async fn send(blob: web_sys::Blob, phase: RwSignal<Phase>) {
        phase.set(Phase::Uploading(0.0));
        match post(&blob, phase).await {
            Ok((status, body)) if status == 201 => {
                let id = serde_json::from_str::<serde_json::Value>(&body).ok().and_then(|v| v["id"].as_i64());
                PENDING.with(|p| *p.borrow_mut() = None);
                if let (Some(id), Some(w)) = (id, web_sys::window()) {
                    let _ = w.location().set_href(&format!("/receipts/{id}"));
                }
            }
            Ok((401, _)) => {
                if let Some(w) = web_sys::window() {
                    let _ = w.location().set_href("/login?next=%2Freceipts");
                }
            }
            Ok((status, body)) => match serde_json::from_str::<AppError>(&body) {
                Ok(error) if status < 500 => phase.set(Phase::Refused(error)),
                _ => phase.set(Phase::Failed),
            },
            Err(_) => phase.set(Phase::Failed),
        }
    }

    /// POSTs the photo, reporting upload progress; the response's status and body.
    async fn post(blob: &web_sys::Blob, phase: RwSignal<Phase>) -> Result<(u16, String), JsValue> {
        let xhr = web_sys::XmlHttpRequest::new()?;
        xhr.open("POST", "/receipts/upload")?;
        xhr.set_request_header("Accept", "application/json")?;
        xhr.set_request_header("Content-Type", "image/jpeg")?;
        xhr.set_timeout(120_000);
        let progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                phase.set(Phase::Uploading(e.loaded() / e.total()));
            }
        });
        xhr.upload()?.set_onprogress(Some(progress.as_ref().unchecked_ref()));
        let done = js_sys::Promise::new(&mut |resolve, reject| {
            xhr.set_onload(Some(&resolve));
            xhr.set_onerror(Some(&reject));
            xhr.set_ontimeout(Some(&reject));
            xhr.set_onabort(Some(&reject));
        });
        xhr.send_with_opt_blob(Some(blob))?;
        let result = JsFuture::from(done).await;
        drop(progress);
        result?;
        Ok((xhr.status()?, xhr.response_text()?.unwrap_or_default()))
    }
}
