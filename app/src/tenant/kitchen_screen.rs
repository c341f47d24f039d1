//! The kitchen screen in the browser (staff-only island): follows `GET /events/kitchen` (the
//! browser reconnects by itself and resumes after the last ticket it saw; a ticket is kept at
//! its highest version, so a repeat changes nothing), shows paid orders oldest first with their
//! waiting time counting, several orders of one table together under the table's name, and
//! moves an order one step per tap. A chime sounds for a new order once sound has been turned on
//! (browsers allow sound only after a tap). Without JavaScript the same buttons are forms that
//! post and come back.

use super::kitchen_page::{kitchen_move, kitchen_recall};
use crate::i18n::{fill, use_lang, use_tr};
use leptos::prelude::*;
use plaza_types::dto::{DiningState, DiningTicket, Fulfilment, KitchenBoard};

/// The most done orders kept for recall.
const DONE_KEPT: usize = 12;

/// Where the screen's stream stands.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Link {
    Connecting,
    Live,
    Reconnecting,
}

/// Puts a ticket where it belongs (open, done, or gone), unless a newer version is already there.
/// Returns whether it was new to this screen.
fn upsert(open: RwSignal<Vec<DiningTicket>>, done: RwSignal<Vec<DiningTicket>>, ticket: DiningTicket) -> bool {
    let version = |l: &Vec<DiningTicket>| l.iter().find(|t| t.order_id == ticket.order_id).map(|t| t.version);
    let known = open.with_untracked(version).or_else(|| done.with_untracked(version));
    if known.is_some_and(|v| v >= ticket.version) {
        return false;
    }
    open.update(|l| l.retain(|t| t.order_id != ticket.order_id));
    done.update(|l| l.retain(|t| t.order_id != ticket.order_id));
    if ticket.state.in_kitchen() {
        open.update(|l| {
            l.push(ticket);
            l.sort_by_key(|t| (t.paid_at, t.order_id));
        });
    } else if ticket.state == DiningState::Done {
        done.update(|l| {
            l.insert(0, ticket);
            l.truncate(DONE_KEPT);
        });
    }
    known.is_none()
}

/// The open orders of one table (several phones at one table each pay their own order), or one
/// order without a table. Groups come in the order of their oldest order.
#[derive(Clone, Debug, PartialEq)]
struct TableGroup {
    key: String,
    tickets: Vec<DiningTicket>,
}

fn by_table(open: &[DiningTicket]) -> Vec<TableGroup> {
    let mut groups: Vec<TableGroup> = Vec::new();
    for ticket in open {
        let key = if ticket.table.is_empty() {
            format!("order:{}", ticket.order_id)
        } else {
            format!("table:{}:{}", ticket.area.zh, ticket.table)
        };
        match groups.iter_mut().find(|g| g.key == key) {
            Some(group) => group.tickets.push(ticket.clone()),
            None => groups.push(TableGroup { key, tickets: vec![ticket.clone()] }),
        }
    }
    groups
}

fn waited(now: i64, paid_at: Option<i64>) -> (String, bool) {
    let secs = ((now - paid_at.unwrap_or(now)) / 1000).max(0);
    (format!("{:02}:{:02}", secs / 60, secs % 60), secs >= 15 * 60)
}

#[cfg_attr(feature = "islands-staff", island)]
#[cfg_attr(not(feature = "islands-staff"), component)]
pub fn KitchenScreen(board: KitchenBoard, tenant: i64, owner: bool) -> impl IntoView {
    let t = use_tr();
    let open = RwSignal::new(board.open.clone());
    let done = RwSignal::new(board.done.clone());
    let now = RwSignal::new(board.now);
    let link = RwSignal::new(Link::Connecting);
    let sound = RwSignal::new(false);
    let fresh = RwSignal::new(None::<i64>);
    let refused = RwSignal::new(None::<plaza_types::AppError>);
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    #[cfg(feature = "hydrate")]
    browser::start(&format!("/events/kitchen?after={}", board.cursor), board.now, open, done, now, link, sound, fresh);
    let toggle_sound = move |_| {
        let on = !sound.get_untracked();
        #[cfg(feature = "hydrate")]
        if on {
            browser::unlock_audio();
        }
        sound.set(on);
    };
    view! {
        <div class="kitchen" data-testid="kitchen">
            <div class="kitchen-bar">
                <h1>{t.nav_kitchen}</h1>
                <span class="kitchen-count" data-testid="kitchen-count">{move || fill(t.dn_kitchen_open, &[("n", &open.with(|l| l.len()).to_string())])}</span>
                <span data-testid="kitchen-status" hidden=move || !hydrated.get()
                    class=move || match link.get() { Link::Live => "live-dot live-on", Link::Connecting => "live-dot live-wait", Link::Reconnecting => "live-dot live-lost" }
                    data-state=move || match link.get() { Link::Live => "live", Link::Connecting => "connecting", Link::Reconnecting => "reconnecting" }>
                    {move || match link.get() { Link::Live => t.counter_live, Link::Connecting => t.counter_connecting, Link::Reconnecting => t.counter_offline }}
                </span>
                <noscript><a class="button button-small" href="/tenant/kitchen">{t.counter_refresh}</a></noscript>
                <button type="button" class="button button-small" on:click=toggle_sound aria-pressed=move || sound.get().to_string() data-testid="kitchen-sound">
                    {move || if sound.get() { t.counter_sound_off } else { t.counter_sound_on }}
                </button>
            </div>
            {move || refused.get().map(|e| view! { <p class="notice notice-error" role="alert">{crate::error_text::error_text(t, &e)}</p> })}
            {move || open.with(|l| l.is_empty()).then(|| view! { <p class="kitchen-empty muted">{t.dn_kitchen_empty}</p> })}
            <ul class="kitchen-cards" data-testid="kitchen-cards">
                <For each=move || open.with(|l| by_table(l))
                    key=|g| (g.key.clone(), g.tickets.iter().map(|tk| (tk.order_id, tk.version)).collect::<Vec<_>>())
                    let:group>
                    <Group group tenant owner now fresh refused open done />
                </For>
            </ul>
            {move || (!done.with(|d| d.is_empty())).then(|| view! {
                <section class="kitchen-done">
                    <h2>{t.dn_kitchen_done}</h2>
                    <ul>
                        <For each=move || done.get() key=|tk| (tk.order_id, tk.version) let:tk>
                            <DoneChip tk tenant refused open done />
                        </For>
                    </ul>
                </section>
            })}
        </div>
    }
}

/// A table's orders together under the table's name (one order alone is just its card).
#[component]
#[allow(clippy::too_many_arguments)]
fn Group(
    group: TableGroup,
    tenant: i64,
    owner: bool,
    now: RwSignal<i64>,
    fresh: RwSignal<Option<i64>>,
    refused: RwSignal<Option<plaza_types::AppError>>,
    open: RwSignal<Vec<DiningTicket>>,
    done: RwSignal<Vec<DiningTicket>>,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let n = group.tickets.len();
    let first = &group.tickets[0];
    let table = first.table.clone();
    let head = (n > 1).then(|| {
        let place = format!("{} · {}", first.area.get(lang), fill(t.dn_table_label, &[("n", &table)]));
        view! {
            <p class="kitchen-group-head">
                <strong>{place}</strong>
                <span class="badge">{fill(t.dn_kitchen_table_orders, &[("n", &n.to_string())])}</span>
            </p>
        }
    });
    let class = match n {
        1 => "kitchen-group",
        2 => "kitchen-group kitchen-group-many",
        _ => "kitchen-group kitchen-group-many kitchen-group-wide",
    };
    view! {
        <li class=class data-testid="kitchen-table" data-table=table data-orders=n>
            {head}
            <ul class="kitchen-group-cards">
                {group.tickets.into_iter().map(|tk| view! { <Card tk tenant owner now fresh refused open done /> }).collect_view()}
            </ul>
        </li>
    }
}

#[component]
fn Card(
    tk: DiningTicket,
    tenant: i64,
    owner: bool,
    now: RwSignal<i64>,
    fresh: RwSignal<Option<i64>>,
    refused: RwSignal<Option<plaza_types::AppError>>,
    open: RwSignal<Vec<DiningTicket>>,
    done: RwSignal<Vec<DiningTicket>>,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let order = tk.order_id;
    let state = tk.state;
    let paid_at = tk.paid_at;
    let heading = match (tk.fulfilment, tk.number_text()) {
        (Fulfilment::CallNumber, Some(n)) => n,
        _ => fill(t.dn_table_label, &[("n", &tk.table)]),
    };
    let place = if tk.table.is_empty() {
        tk.area.get(lang).to_string()
    } else {
        format!("{} · {}", tk.area.get(lang), fill(t.dn_table_label, &[("n", &tk.table)]))
    };
    let (next_label, class) = match state {
        DiningState::Paid | DiningState::Accepted => (t.dn_kitchen_start, "kitchen-card kitchen-new"),
        DiningState::Preparing => (t.dn_kitchen_ready, "kitchen-card kitchen-preparing"),
        _ => (
            if tk.fulfilment == Fulfilment::CallNumber { t.dn_kitchen_collected } else { t.dn_kitchen_served },
            "kitchen-card kitchen-ready",
        ),
    };
    let state_text = crate::dining::state_label(t, state, tk.fulfilment);
    let may_cancel = state.before_preparing() || owner;
    let order_no = tk.order_no.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        leptos::task::spawn_local(async move {
            match kitchen_move(tenant, order, state.as_str().to_string(), None).await {
                Ok(ticket) => {
                    refused.set(None);
                    upsert(open, done, ticket);
                }
                Err(e) => refused.set(Some(e)),
            }
        });
    };
    view! {
        <li class=move || if fresh.get() == Some(order) { format!("{class} kitchen-fresh") } else { class.to_string() }
            data-testid="kitchen-card" data-order=order data-no=tk.order_no.clone() data-state=state.as_str() data-number=tk.pickup_no.map(|n| n.to_string())>
            <div class="kitchen-card-head">
                <strong class="kitchen-card-no">{heading}</strong>
                <span class=move || if waited(now.get(), paid_at).1 { "kitchen-wait kitchen-late" } else { "kitchen-wait" } data-testid="kitchen-wait">
                    {move || waited(now.get(), paid_at).0}
                </span>
            </div>
            <p class="kitchen-card-place">{place}" · "<span class="kitchen-card-state">{state_text}</span></p>
            <ul class="kitchen-items">
                {tk.items.iter().map(|i| view! {
                    <li>
                        <span class="kitchen-qty">{i.quantity}</span>
                        <span>{i.name.get(lang).to_string()}
                            {(!i.options.get(lang).is_empty()).then(|| view! { <small>{i.options.get(lang).to_string()}</small> })}
                            {(!i.remark.is_empty()).then(|| view! { <em class="kitchen-remark">{i.remark.clone()}</em> })}
                        </span>
                    </li>
                }).collect_view()}
            </ul>
            {(!tk.remark.is_empty()).then(|| view! { <p class="kitchen-remark kitchen-order-remark">{t.dn_order_remark}"："{tk.remark.clone()}</p> })}
            <form method="post" action="/api/tenant/kitchen/move" on:submit=submit>
                <input type="hidden" name="tenant" value=tenant />
                <input type="hidden" name="order" value=order />
                <input type="hidden" name="from" value=state.as_str() />
                <input type="hidden" name="back" value="/tenant/kitchen" />
                <button type="submit" class="button button-primary button-block kitchen-next" data-testid="kitchen-next">{next_label}</button>
            </form>
            <div class="kitchen-card-foot">
                <form method="post" action="/api/tenant/kitchen/print" target="_blank" class="inline-form">
                    <input type="hidden" name="tenant" value=tenant />
                    <input type="hidden" name="order" value=order />
                    <button type="submit" class="link-button" data-testid="kitchen-print">{t.dn_print_ticket}</button>
                </form>
                {may_cancel.then(|| view! {
                    <details class="kitchen-cancel">
                        <summary>{t.dn_cancel_order}</summary>
                        <form method="post" action="/api/tenant/dining/cancel" class="stack">
                            <input type="hidden" name="tenant" value=tenant />
                            <input type="hidden" name="order_no" value=order_no.clone() />
                            <input type="hidden" name="back" value="/tenant/kitchen" />
                            <input type="text" name="reason" maxlength="100" required=!state.before_preparing() placeholder=t.dn_cancel_reason_hint />
                            <button type="submit" class="button button-small button-danger" data-testid="kitchen-cancel">{t.dn_cancel_confirm}</button>
                        </form>
                    </details>
                })}
            </div>
        </li>
    }
}

#[component]
fn DoneChip(
    tk: DiningTicket,
    tenant: i64,
    refused: RwSignal<Option<plaza_types::AppError>>,
    open: RwSignal<Vec<DiningTicket>>,
    done: RwSignal<Vec<DiningTicket>>,
) -> impl IntoView {
    let t = use_tr();
    let order = tk.order_id;
    let label = match (tk.fulfilment, tk.number_text()) {
        (Fulfilment::CallNumber, Some(n)) => n,
        _ => fill(t.dn_table_label, &[("n", &tk.table)]),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        leptos::task::spawn_local(async move {
            match kitchen_recall(tenant, order, None).await {
                Ok(ticket) => {
                    refused.set(None);
                    upsert(open, done, ticket);
                }
                Err(e) => refused.set(Some(e)),
            }
        });
    };
    view! {
        <li class="kitchen-done-chip" data-testid="kitchen-done" data-order=order>
            <span>{label}</span>
            <form method="post" action="/api/tenant/kitchen/recall" on:submit=submit class="inline-form">
                <input type="hidden" name="tenant" value=tenant />
                <input type="hidden" name="order" value=order />
                <input type="hidden" name="back" value="/tenant/kitchen" />
                <button type="submit" class="button button-small" data-testid="kitchen-recall">{t.dn_recall}</button>
            </form>
        </li>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{upsert, Link};
    use leptos::prelude::*;
    use plaza_types::dto::{DiningState, DiningTicket};
    use std::cell::RefCell;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    thread_local! {
        static AUDIO: RefCell<Option<web_sys::AudioContext>> = const { RefCell::new(None) };
    }

    pub fn unlock_audio() {
        AUDIO.with(|audio| {
            if audio.borrow().is_none() {
                *audio.borrow_mut() = web_sys::AudioContext::new().ok();
            }
        });
        chime();
    }

    /// Three short rising tones: a new order.
    fn chime() {
        AUDIO.with(|audio| {
            let Some(ctx) = audio.borrow().clone() else { return };
            let start = ctx.current_time();
            for (i, freq) in [660.0_f32, 880.0, 1175.0].into_iter().enumerate() {
                let (Ok(osc), Ok(gain)) = (ctx.create_oscillator(), ctx.create_gain()) else { return };
                osc.frequency().set_value(freq);
                gain.gain().set_value(0.2);
                let _ = osc.connect_with_audio_node(&gain);
                let _ = gain.connect_with_audio_node(&ctx.destination());
                let at = start + i as f64 * 0.16;
                let _ = osc.start_with_when(at);
                let _ = osc.stop_with_when(at + 0.14);
            }
        });
    }

    #[allow(clippy::too_many_arguments)]
    pub fn start(
        url: &str,
        server_now: i64,
        open: RwSignal<Vec<DiningTicket>>,
        done: RwSignal<Vec<DiningTicket>>,
        now: RwSignal<i64>,
        link: RwSignal<Link>,
        sound: RwSignal<bool>,
        fresh: RwSignal<Option<i64>>,
    ) {
        // The waiting times count from the server's clock, whatever the tablet's says.
        let loaded = js_sys::Date::now() as i64;
        let tick = Closure::<dyn FnMut()>::new(move || now.set(server_now + js_sys::Date::now() as i64 - loaded));
        if let Some(w) = web_sys::window() {
            let _ = w.set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), 1_000);
        }
        tick.forget();
        let Ok(source) = web_sys::EventSource::new(url) else { return };
        let on_ticket = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let Some(ticket) = ev.data().as_string().and_then(|text| serde_json::from_str::<DiningTicket>(&text).ok())
            else {
                return;
            };
            let (order, paid) = (ticket.order_id, ticket.state == DiningState::Paid);
            if upsert(open, done, ticket) && paid {
                fresh.set(Some(order));
                if sound.get_untracked() {
                    chime();
                }
            }
        });
        let on_open = Closure::<dyn FnMut()>::new(move || link.set(Link::Live));
        let on_error = Closure::<dyn FnMut()>::new(move || link.set(Link::Reconnecting));
        let _ = source.add_event_listener_with_callback("ticket", on_ticket.as_ref().unchecked_ref());
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_ticket.forget();
        on_open.forget();
        on_error.forget();
        std::mem::forget(source);
    }
}
