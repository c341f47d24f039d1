use super::uploader::Uploader;
use crate::components::{read_error, ErrorBox, TopBar};
use crate::i18n::use_tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// 拍照积分: pick or take a photo and upload it. The form posts as plain multipart without
/// JavaScript; with it, the `Uploader` island shrinks the photo first and shows the progress.
#[component]
pub fn ReceiptsPage() -> impl IntoView {
    let t = use_tr();
    let query = use_query_map();
    let error = Signal::derive(move || read_error(query.read().get("error")));
    view! {
        <Title text=t.rc_title />
        <TopBar title=t.rc_title />
        <main class="page receipts-page">
            <p class="muted">{t.rc_intro}</p>
            <ErrorBox error />
            <Uploader />
            <a class="receipt-mine-link" href="/receipts/mine">{t.rc_mine}" ›"</a>
        </main>
    }
}
