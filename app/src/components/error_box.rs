use crate::error_text::error_text;
use crate::i18n::use_tr;
use leptos::prelude::*;
use plaza_types::AppError;

/// A user-facing error in the current language, announced to screen readers.
#[component]
pub fn ErrorBox(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let t = use_tr();
    move || {
        error.get().map(|e| {
            view! { <p class="notice notice-error" role="alert">{error_text(t, &e)}</p> }
        })
    }
}
