//! The pickup wall, live: follows `GET /events/pickup/<shop>` (numbers only) and moves numbers
//! between "preparing" and "please collect"; a number called is highlighted for a while.

use crate::i18n::use_tr;
use leptos::prelude::*;
use plaza_types::dto::{pickup_text, PickupBoard};

#[cfg_attr(feature = "islands-staff", island)]
#[cfg_attr(not(feature = "islands-staff"), component)]
pub fn PickupWall(board: PickupBoard) -> impl IntoView {
    let t = use_tr();
    let preparing = RwSignal::new(board.preparing.clone());
    let ready = RwSignal::new(board.ready.clone());
    let called = RwSignal::new(None::<i64>);
    #[cfg(feature = "hydrate")]
    browser::follow(&format!("/events/pickup/{}?after={}", board.code, board.cursor), preparing, ready, called);
    view! {
        <div class="pickup-columns">
            <section class="pickup-col pickup-ready" data-testid="pickup-ready">
                <h2>{t.dn_pickup_collect}</h2>
                <ul>
                    {move || ready.get().into_iter().rev().map(|n| view! {
                        <li class=move || if called.get() == Some(n) { "pickup-called" } else { "" }>{pickup_text(n)}</li>
                    }).collect_view()}
                </ul>
            </section>
            <section class="pickup-col pickup-preparing" data-testid="pickup-preparing">
                <h2>{t.dn_pickup_preparing}</h2>
                <ul>
                    {move || preparing.get().into_iter().map(|n| view! { <li>{pickup_text(n)}</li> }).collect_view()}
                </ul>
            </section>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use plaza_types::dto::{PickupChange, PickupColumn};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    pub fn follow(url: &str, preparing: RwSignal<Vec<i64>>, ready: RwSignal<Vec<i64>>, called: RwSignal<Option<i64>>) {
        let Ok(source) = web_sys::EventSource::new(url) else { return };
        let on_number = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let Some(change) = ev.data().as_string().and_then(|text| serde_json::from_str::<PickupChange>(&text).ok())
            else {
                return;
            };
            let n = change.number;
            preparing.update(|l| l.retain(|x| *x != n));
            ready.update(|l| l.retain(|x| *x != n));
            match change.column {
                PickupColumn::Preparing => preparing.update(|l| {
                    l.push(n);
                    l.sort_unstable();
                }),
                PickupColumn::Ready => {
                    ready.update(|l| l.push(n));
                    called.set(Some(n));
                }
                PickupColumn::Gone => {}
            }
        });
        let _ = source.add_event_listener_with_callback("number", on_number.as_ref().unchecked_ref());
        on_number.forget();
        std::mem::forget(source);
    }
}
