//! The order's progress on the shopper's phone, live: follows `GET /events/orders/<no>` (the
//! browser reconnects by itself and resumes after the last change it saw) and moves the steps and
//! the call number without reloading, and takes the shopper's cancel button away once the kitchen
//! starts. A change the rest of the page shows too (paid, cancelled) reloads it.

use super::state_label;
use crate::i18n::use_tr;
use leptos::prelude::*;
use plaza_types::dto::{DiningState, DiningTicket, Fulfilment};

#[cfg_attr(feature = "islands-shopper", island)]
#[cfg_attr(not(feature = "islands-shopper"), component)]
pub fn OrderLive(ticket: DiningTicket, cursor: String) -> impl IntoView {
    let t = use_tr();
    let fulfilment = ticket.fulfilment;
    let current = RwSignal::new(ticket.clone());
    #[cfg(feature = "hydrate")]
    browser::follow(&format!("/events/orders/{}?after={cursor}", ticket.order_no), current);
    #[cfg(not(feature = "hydrate"))]
    let _ = cursor;
    let steps: [(DiningState, &'static str); 5] = [
        (DiningState::Paid, t.dn_step_paid),
        (DiningState::Accepted, t.dn_step_accepted),
        (DiningState::Preparing, t.dn_step_preparing),
        (DiningState::Ready, if fulfilment == Fulfilment::CallNumber { t.dn_step_ready } else { t.dn_step_serving }),
        (DiningState::Done, if fulfilment == Fulfilment::CallNumber { t.dn_step_collected } else { t.dn_step_served }),
    ];
    let number_label = move || match current.get().state {
        DiningState::Ready => t.dn_number_collect,
        _ => t.dn_number,
    };
    view! {
        <section class=move || format!("panel order-status order-{}", current.get().state.as_str())
            data-testid="order-status" data-state=move || current.get().state.as_str()>
            <p class="order-state" data-testid="order-state" aria-live="polite">
                {move || state_label(t, current.get().state, fulfilment)}
            </p>
            {move || current.get().number_text().map(|n| view! {
                <p class="order-number-label">{number_label()}</p>
                <p class="order-number" data-testid="pickup-number">{n}</p>
            })}
            {move || current.get().state.progress().map(|at| view! {
                <ol class="order-progress">
                    {steps.iter().enumerate().map(|(i, (_, label))| view! {
                        <li class=if i < at { "done" } else if i == at { "now" } else { "" }>{*label}</li>
                    }).collect_view()}
                </ol>
            })}
        </section>
        // Cancelling is for the shopper only until the kitchen starts: the button goes the moment
        // it does.
        {move || {
            let tk = current.get();
            tk.state.before_preparing().then(|| view! {
                <form method="post" action="/api/dining/order/cancel" class="stack order-cancel">
                    <input type="hidden" name="order_no" value=tk.order_no.clone() />
                    <button type="submit" class="button button-block" data-testid="cancel-order">{t.dn_cancel_order}</button>
                    <p class="muted small">{t.dn_cancel_hint}</p>
                </form>
            })
        }}
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use plaza_types::dto::{DiningState, DiningTicket};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    pub fn follow(url: &str, current: RwSignal<DiningTicket>) {
        let Ok(source) = web_sys::EventSource::new(url) else { return };
        let on_order = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let Some(next) = ev.data().as_string().and_then(|text| serde_json::from_str::<DiningTicket>(&text).ok())
            else {
                return;
            };
            let was = current.get_untracked();
            if next.order_id != was.order_id || next.version <= was.version {
                return;
            }
            // Not on cancelling: that may be this page's own cancel form still on its way, and a
            // reload would abandon it.
            let reload = was.state == DiningState::Pending
                || matches!(next.state, DiningState::Cancelled | DiningState::Released);
            current.set(next);
            if reload {
                if let Some(w) = web_sys::window() {
                    let _ = w.location().reload();
                }
            }
        });
        let _ = source.add_event_listener_with_callback("order", on_order.as_ref().unchecked_ref());
        on_order.forget();
        std::mem::forget(source);
    }
}
