//! The live counter feed in the browser: follows `GET /events/sales` (server-sent events; the
//! browser reconnects by itself and resumes after the last line it saw), puts each new sale on
//! top with a visible banner and, once the cashier turned it on, a chime.

use crate::i18n::{fill, use_lang, use_tr};
use leptos::prelude::*;
use plaza_types::dto::{SaleLine, SalesBoard};

#[cfg_attr(feature = "islands-staff", island)]
#[cfg_attr(not(feature = "islands-staff"), component)]
pub fn SalesFeed(
    board: SalesBoard,
    tenant: Option<i64>,
    show_tenant: bool,
    can_refund: bool,
    nonce: String,
    back: String,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let newest_seen = board.lines.iter().map(|l| l.id).max().unwrap_or(0);
    let lines = RwSignal::new(board.lines);
    let totals = RwSignal::new(board.totals);
    let alert = RwSignal::new(None::<SaleLine>);
    let sound = RwSignal::new(false);
    let live = RwSignal::new(FeedState::Connecting);
    // The status line speaks only for a page that can follow the stream; without JavaScript the
    // `<noscript>` note below says the page must be refreshed instead.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let mut url = format!("/events/sales?after={}", board.cursor);
    if let Some(tenant) = tenant {
        url.push_str(&format!("&tenant={tenant}"));
    }
    #[cfg(feature = "hydrate")]
    browser::connect(&url, lines, totals, alert, sound, live);
    #[cfg(not(feature = "hydrate"))]
    let _ = url;
    let toggle_sound = move |_| {
        let on = !sound.get_untracked();
        #[cfg(feature = "hydrate")]
        if on {
            // Browsers let a page make sound only after a tap: make the audio context now.
            browser::unlock_audio();
        }
        sound.set(on);
    };
    let refresh = back.clone();
    let render_line = move |line: SaleLine| {
        let class = match (line.refund, line.id > newest_seen) {
            (true, _) => "sale-line sale-refund",
            (false, true) => "sale-line sale-new",
            (false, false) => "sale-line",
        };
        let tenders = [
            (t.tender_coupon, line.coupon),
            (t.tender_points, line.points),
            (t.tender_sv, line.stored_value),
            (t.tender_external, line.external),
        ]
        .into_iter()
        .filter(|(_, fen)| fen.0 > 0)
        .map(|(label, fen)| format!("{label} {fen}"))
        .collect::<Vec<_>>()
        .join(" · ");
        let refund_key: String = format!("{}-{}", line.payment_no, nonce);
        let payment_no = line.payment_no.clone();
        let full = line.amount.yuan_decimal();
        let back = back.clone();
        view! {
            <li class=class data-testid="sale-line" data-payment=line.payment_no.clone()>
                <div class="sale-main">
                    <span class="sale-time">{line.at.clone()}</span>
                    {show_tenant.then(|| view! { <span class="sale-tenant">{line.tenant.get(lang).to_string()}</span> })}
                    <span class="sale-member">{line.member.clone()}</span>
                    <strong class="sale-amount" data-testid="sale-amount">
                        {if line.refund { format!("{} {}", t.counter_refund_line, line.amount) } else { line.amount.to_string() }}
                    </strong>
                </div>
                <div class="sale-tenders muted small">{tenders}</div>
                {(can_refund && !line.refund).then(|| view! {
                    <details class="sale-refund-form">
                        <summary>{t.counter_refund}</summary>
                        <form method="post" action="/api/sales/refund" class="inline-form">
                            <input type="hidden" name="payment_no" value=payment_no />
                            <input type="hidden" name="refund_key" value=refund_key />
                            <input type="hidden" name="back" value=back />
                            <label class="field"><span>{t.counter_refund_amount}</span>
                                <input type="text" name="amount" inputmode="decimal" value=full required data-testid="refund-amount" /></label>
                            <label class="field"><span>{t.counter_refund_reason}</span>
                                <input type="text" name="reason" required minlength="2" maxlength="100" data-testid="refund-reason" /></label>
                            <button type="submit" class="button button-danger" data-testid="refund-submit">{t.counter_refund_submit}</button>
                        </form>
                    </details>
                })}
            </li>
        }
    };
    view! {
        <div class="counter">
            <div class="counter-status">
                <span class=move || live.get().class() data-testid="feed-status" hidden=move || !hydrated.get()
                    data-live=move || (live.get() == FeedState::Live).to_string() data-state=move || live.get().name()>
                    {move || match live.get() {
                        FeedState::Connecting => t.counter_connecting,
                        FeedState::Live => t.counter_live,
                        FeedState::Reconnecting => t.counter_offline,
                    }}
                </span>
                <noscript>
                    <span class="live-dot" data-testid="feed-static">
                        {t.counter_no_js}" "<a href=refresh>{t.counter_refresh}</a>
                    </span>
                </noscript>
                <button type="button" class="button button-small" on:click=toggle_sound aria-pressed=move || sound.get().to_string()>
                    {move || if sound.get() { t.counter_sound_off } else { t.counter_sound_on }}
                </button>
            </div>
            {move || alert.get().map(|line| view! {
                <div class="sale-alert" role="status" data-testid="sale-alert">
                    {fill(t.counter_new_sale, &[("amount", &line.amount.to_string())])}
                    {show_tenant.then(|| format!(" · {}", line.tenant.get(lang)))}
                </div>
            })}
            <dl class="counter-totals">
                <div><dt>{t.counter_today_count}</dt><dd data-testid="today-count">{move || totals.get().sales}</dd></div>
                <div><dt>{t.counter_today_amount}</dt><dd data-testid="today-amount">{move || totals.get().amount.to_string()}</dd></div>
                <div><dt>{t.counter_today_refunds}</dt><dd>{move || totals.get().refunds.to_string()}</dd></div>
                <div><dt>{t.counter_today_net}</dt><dd data-testid="today-net">{move || totals.get().net.to_string()}</dd></div>
            </dl>
            {move || lines.with(|l| l.is_empty()).then(|| view! { <p class="muted">{t.counter_empty}</p> })}
            <ul class="sale-list" data-testid="sale-list">
                {move || lines.get().into_iter().map(render_line.clone()).collect_view()}
            </ul>
        </div>
    }
}

/// Where the screen's stream stands: connecting when the page opens, live once the server
/// answered, reconnecting after the connection dropped (the browser retries by itself).
// The server renders the first state only; the browser moves between them.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeedState {
    Connecting,
    Live,
    Reconnecting,
}

impl FeedState {
    fn name(self) -> &'static str {
        match self {
            FeedState::Connecting => "connecting",
            FeedState::Live => "live",
            FeedState::Reconnecting => "reconnecting",
        }
    }

    fn class(self) -> &'static str {
        match self {
            FeedState::Live => "live-dot live-on",
            FeedState::Connecting => "live-dot live-wait",
            FeedState::Reconnecting => "live-dot live-lost",
        }
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::FeedState;
    use leptos::prelude::*;
    use plaza_types::dto::{SaleLine, SalesTotals};
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

    /// Two short rising tones.
    fn chime() {
        AUDIO.with(|audio| {
            let Some(ctx) = audio.borrow().clone() else { return };
            let start = ctx.current_time();
            for (i, freq) in [880.0_f32, 1320.0].into_iter().enumerate() {
                let (Ok(osc), Ok(gain)) = (ctx.create_oscillator(), ctx.create_gain()) else { return };
                osc.frequency().set_value(freq);
                gain.gain().set_value(0.15);
                let _ = osc.connect_with_audio_node(&gain);
                let _ = gain.connect_with_audio_node(&ctx.destination());
                let at = start + i as f64 * 0.18;
                let _ = osc.start_with_when(at);
                let _ = osc.stop_with_when(at + 0.15);
            }
        });
    }

    pub fn connect(
        url: &str,
        lines: RwSignal<Vec<SaleLine>>,
        totals: RwSignal<SalesTotals>,
        alert: RwSignal<Option<SaleLine>>,
        sound: RwSignal<bool>,
        live: RwSignal<FeedState>,
    ) {
        let Ok(source) = web_sys::EventSource::new(url) else { return };
        let on_sale = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let Some(line) = ev.data().as_string().and_then(|text| serde_json::from_str::<SaleLine>(&text).ok()) else {
                return;
            };
            if lines.with_untracked(|l| l.iter().any(|x| x.id == line.id)) {
                return;
            }
            lines.update(|l| {
                l.insert(0, line.clone());
                l.truncate(200);
            });
            if !line.refund {
                alert.set(Some(line));
                if sound.get_untracked() {
                    chime();
                }
            }
        });
        let on_totals = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            if let Some(t) = ev.data().as_string().and_then(|text| serde_json::from_str::<SalesTotals>(&text).ok()) {
                totals.set(t);
            }
        });
        let on_open = Closure::<dyn FnMut()>::new(move || live.set(FeedState::Live));
        let on_error = Closure::<dyn FnMut()>::new(move || live.set(FeedState::Reconnecting));
        let _ = source.add_event_listener_with_callback("sale", on_sale.as_ref().unchecked_ref());
        let _ = source.add_event_listener_with_callback("totals", on_totals.as_ref().unchecked_ref());
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // The screen lives as long as the page: the listeners stay.
        on_sale.forget();
        on_totals.forget();
        on_open.forget();
        on_error.forget();
        std::mem::forget(source);
    }
}
