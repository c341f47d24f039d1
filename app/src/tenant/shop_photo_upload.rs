//! A product's photo upload (gallery or description) with each photo's progress. Rendered on
//! the server as the plain multipart form to `/tenant/shop/photos`, which is what works without
//! JavaScript; in the browser the island sends the chosen photos one by one to the same route
//! with `XMLHttpRequest` (same limits and checks), shows a bar and a percentage per photo and
//! goes back to the product once they are in. A refused photo keeps its reason on screen.

use crate::error_text::error_text;
use crate::i18n::use_tr;
use leptos::prelude::*;
use plaza_types::AppError;

#[derive(Clone, Debug, PartialEq)]
// Only the browser moves a row past `Waiting`.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Progress {
    Waiting,
    /// Fraction sent, 0–1.
    Sending(f64),
    Done,
    Refused(AppError),
    Failed,
}

#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
struct Row {
    name: String,
    progress: Progress,
}

/// `kind` is `gallery` or `description`; the gallery's form carries the test ids.
#[cfg_attr(feature = "islands-staff", island)]
#[cfg_attr(not(feature = "islands-staff"), component)]
pub fn ShopPhotoUpload(product: i64, kind: String) -> impl IntoView {
    let t = use_tr();
    let rows = RwSignal::new(Vec::<Row>::new());
    // Set once the island runs in the browser; tests wait for it before choosing photos.
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let busy = move || rows.with(|r| r.iter().any(|r| matches!(r.progress, Progress::Waiting | Progress::Sending(_))));
    let gallery = kind == "gallery";
    let on_submit = {
        let _kind = kind.clone();
        move |_ev: leptos::ev::SubmitEvent| {
            #[cfg(feature = "hydrate")]
            browser::start(_ev, product, _kind.clone(), rows);
        }
    };
    let label = if gallery { t.stc_upload } else { t.stc_upload_description_photo };
    let choose = if gallery { t.stc_choose_photos } else { t.stc_choose_description_photos };
    view! {
        <form method="post" action="/tenant/shop/photos" enctype="multipart/form-data" class="shop-upload" data-upload=kind.clone() on:submit=on_submit data-ready=move || ready.get().then_some("1")>
            <input type="hidden" name="product" value=product />
            <input type="hidden" name="kind" value=kind.clone() />
            <input type="file" name="photo" accept="image/jpeg,image/png,image/webp" multiple required aria-label=choose data-testid=gallery.then_some("photo-input") />
            <button type="submit" class="button" disabled=busy data-testid=gallery.then_some("photo-upload")>{label}</button>
            <ul class="plain-list upload-list" role="status">
                {move || rows.get().into_iter().map(|row| {
                    let (percent, note) = match &row.progress {
                        Progress::Waiting => (0.0, Some(t.stc_upload_waiting.to_string())),
                        Progress::Sending(done) => (done * 100.0, None),
                        Progress::Done => (100.0, None),
                        Progress::Refused(error) => (0.0, Some(error_text(t, error))),
                        Progress::Failed => (0.0, Some(t.rc_upload_failed.to_string())),
                    };
                    let failed = matches!(row.progress, Progress::Refused(_) | Progress::Failed);
                    view! {
                        <li class="upload-row" data-testid="upload-row">
                            <span class="upload-name">{row.name}</span>
                            {(!failed).then(|| view! {
                                <progress max="100" value=format!("{percent:.0}")></progress>
                                <span class="upload-percent">{format!("{percent:.0}%")}</span>
                            })}
                            {note.map(|n| view! { <span class=if failed { "upload-note notice-error" } else { "upload-note muted" }>{n}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </form>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{Progress, Row};
    use leptos::prelude::*;
    use plaza_types::AppError;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    pub fn start(ev: leptos::ev::SubmitEvent, product: i64, kind: String, rows: RwSignal<Vec<Row>>) {
        let Some(form) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok()) else { return };
        let input: Option<web_sys::HtmlInputElement> =
            form.query_selector("input[type=file]").ok().flatten().and_then(|e| e.dyn_into().ok());
        let Some(files) = input.as_ref().and_then(|i| i.files()) else { return };
        let files: Vec<web_sys::File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
        if files.is_empty() {
            return;
        }
        ev.prevent_default();
        rows.set(files.iter().map(|f| Row { name: f.name(), progress: Progress::Waiting }).collect());
        leptos::task::spawn_local(async move {
            let mut added = 0;
            for (i, file) in files.iter().enumerate() {
                let set = move |p: Progress| rows.update(|r| r[i].progress = p);
                set(Progress::Sending(0.0));
                let result = send(product, &kind, file, move |f| set(Progress::Sending(f))).await;
                set(match result {
                    Ok((200, _)) => {
                        added += 1;
                        Progress::Done
                    }
                    Ok((401, _)) => return go("/staff/login"),
                    Ok((status, body)) => match serde_json::from_str::<AppError>(&body) {
                        Ok(error) if status < 500 => Progress::Refused(error),
                        _ => Progress::Failed,
                    },
                    Err(_) => Progress::Failed,
                });
            }
            let all = rows.with_untracked(|r| r.iter().all(|r| r.progress == Progress::Done));
            if all {
                let fragment = if kind == "description" { "description" } else { "photos" };
                go(&format!("/tenant/products/{product}?uploaded={added}#{fragment}"));
            } else if added > 0 {
                // The photos that went in show once the page is read again; the refused keep
                // their reason here until then.
                if let Some(input) = input {
                    input.set_value("");
                }
            }
        });
    }

    fn go(to: &str) {
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_href(to);
        }
    }

    /// POSTs one photo, reporting upload progress; the response's status and body.
    async fn send(
        product: i64,
        kind: &str,
        file: &web_sys::File,
        on_progress: impl Fn(f64) + 'static,
    ) -> Result<(u16, String), JsValue> {
        let body = web_sys::FormData::new()?;
        body.append_with_str("product", &product.to_string())?;
        body.append_with_str("kind", kind)?;
        body.append_with_blob_and_filename("photo", file, &file.name())?;
        let xhr = web_sys::XmlHttpRequest::new()?;
        xhr.open("POST", "/tenant/shop/photos")?;
        xhr.set_request_header("Accept", "application/json")?;
        xhr.set_timeout(120_000);
        let progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                on_progress(e.loaded() / e.total());
            }
        });
        xhr.upload()?.set_onprogress(Some(progress.as_ref().unchecked_ref()));
        let done = js_sys::Promise::new(&mut |resolve, reject| {
            xhr.set_onload(Some(&resolve));
            xhr.set_onerror(Some(&reject));
            xhr.set_ontimeout(Some(&reject));
            xhr.set_onabort(Some(&reject));
        });
        xhr.send_with_opt_form_data(Some(&body))?;
        let result = JsFuture::from(done).await;
        drop(progress);
        result?;
        Ok((xhr.status()?, xhr.response_text()?.unwrap_or_default()))
    }
}
