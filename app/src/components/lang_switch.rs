use crate::i18n::{use_lang, use_tr};
use leptos::prelude::*;

/// 中文 / English: posts to `/lang`, which remembers the choice on this device (a cookie) and
/// brings the browser back to the same page, now in the other language.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let t = use_tr();
    let back = super::current_address();
    view! {
        <form method="post" action="/lang" class="lang-switch">
            <input type="hidden" name="lang" value=move || lang.other().tag() />
            <input type="hidden" name="back" value=back />
            <button type="submit" class="link-button" title=t.lang_switch_label
                lang=move || lang.other().tag()>
                {t.lang_switch_to}
            </button>
        </form>
    }
}
