use crate::i18n::use_tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let t = use_tr();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=t.not_found_title />
        <main class="page page-center">
            <h1>{t.not_found_title}</h1>
            <p class="muted">{t.not_found_body}</p>
            <a class="button" href="/">{t.back_home}</a>
        </main>
    }
}

/// A console section whose feature has not been built yet. It says so, and offers nothing that
/// pretends to work.
#[component]
pub fn NotYetPage() -> impl IntoView {
    let t = use_tr();
    let params = use_params_map();
    let feature = move || params.with(|p| p.get("feature").unwrap_or_default());
    view! {
        <Title text=t.not_yet_title />
        <section class="panel not-yet" data-feature=feature>
            <h1>{t.not_yet_title}</h1>
            <p class="muted">{t.not_yet_body}</p>
        </section>
    }
}
