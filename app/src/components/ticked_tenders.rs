//! The tender choices (coupon, points, stored value) as a pay form's inputs hold them when its
//! island comes alive. A shopper may tick or untick a box before the page's WebAssembly has
//! loaded, and a browser may restore a form's state on its own; the breakdown, the amount sent as
//! `expected_to_pay` and the pay button must follow what the form will send. So the inputs keep
//! their own state (no `prop:checked` bound to a signal, which hydration would write over them)
//! and the island reads them once it is live.

use leptos::prelude::*;

/// What the form's inputs hold: the checked `coupon` radio's value (empty or none: no coupon),
/// and whether the `points` and `sv` boxes are ticked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TickedTenders {
    pub coupon: Option<String>,
    pub points: bool,
    pub sv: bool,
}

/// Calls `apply` with the inputs' choices once `form` is live in the browser (on the server:
/// never).
pub fn on_live_tenders(form: NodeRef<leptos::html::Form>, apply: impl Fn(TickedTenders) + 'static) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(form) = form.get() {
            apply(read(&form));
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (form, apply);
}

#[cfg(feature = "hydrate")]
fn read(form: &web_sys::HtmlFormElement) -> TickedTenders {
    use wasm_bindgen::JsCast;
    let input = |selector: &str| {
        form.query_selector(selector).ok().flatten().and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
    };
    TickedTenders {
        coupon: input("input[name=coupon]:checked").map(|i| i.value()).filter(|v| !v.is_empty()),
        points: input("input[name=points]").is_some_and(|i| i.checked()),
        sv: input("input[name=sv]").is_some_and(|i| i.checked()),
    }
}
