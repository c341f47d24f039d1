//! Interface language. The strings live in `locales/*.json` and are compiled into [`Tr`] by
//! `build.rs`; a page reads them through a signal, so switching language needs no reload.

use leptos::prelude::*;
use plaza_types::Lang;

include!(concat!(env!("OUT_DIR"), "/i18n.rs"));

pub fn tr(lang: Lang) -> &'static Tr {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// The page's language, fixed for the whole page: switching language reloads the page (a form
/// post to `/lang`), so views read plain values, never a signal that could be read after its
/// owner is gone (a page's `<Title>` is rendered after its body).
#[derive(Clone, Copy)]
struct LangContext(Lang);

/// Called once by the app root with the language of the request.
pub fn provide_lang(lang: Lang) {
    provide_context(LangContext(lang));
}

/// Islands hydrate without the app's context; on the client they read the language from
/// `<html lang>`, where the server put it.
pub fn use_lang() -> Lang {
    use_context::<LangContext>().map(|c| c.0).unwrap_or_else(request_lang)
}

/// The strings of the page's language: `t.tab_home`.
pub fn use_tr() -> &'static Tr {
    tr(use_lang())
}

/// Fills `{name}` placeholders.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(template.to_string(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

/// The language this request should render in: the device's cookie, else Chinese.
#[cfg(feature = "ssr")]
pub fn request_lang() -> Lang {
    crate::server::request_cookie(Lang::COOKIE).map(|v| Lang::from_tag(&v)).unwrap_or_default()
}

/// On the client, the server's choice is on `<html lang>`.
#[cfg(not(feature = "ssr"))]
pub fn request_lang() -> Lang {
    #[cfg(feature = "hydrate")]
    {
        let tag = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
            .unwrap_or_default();
        Lang::from_tag(&tag)
    }
    #[cfg(not(feature = "hydrate"))]
    Lang::Zh
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(fill("{n} 秒后重发", &[("n", "42")]), "42 秒后重发");
    }

    #[test]
    fn both_languages_translate_every_key() {
        // The build script guarantees the same keys; here, that none is left empty.
        let zh = format!("{:?}", ZH);
        let en = format!("{:?}", EN);
        assert!(!zh.contains(": \"\""), "an empty Chinese string");
        assert!(!en.contains(": \"\""), "an empty English string");
    }
}
