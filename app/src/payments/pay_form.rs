//! The pay form: coupon, points and stored value as the shopper chooses them, and the breakdown
//! recomputed in the browser with the same arithmetic the payment engine uses
//! (`plaza_types::tender::split`). The amount left to pay travels with the form, so the server
//! refuses (and gives everything back) if the balances moved in between. Without JavaScript an
//! "update" button reloads the page with the new choices.

use crate::auth::encode_component;
use crate::components::on_live_tenders;
use crate::i18n::{fill, use_lang, use_tr};
use leptos::prelude::*;
use plaza_types::dto::PayOptions;
use plaza_types::tender::{split, Split, TenderInputs};
use plaza_types::Fen;
use serde::{Deserialize, Serialize};

/// The shopper's choices, as the pay page's query carries them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    /// The coupon's id, or `None` for no coupon.
    pub coupon: Option<String>,
    pub points: bool,
    pub sv: bool,
}

impl Selection {
    /// The query's choices once the shopper has chosen (`chosen`), else the best offer: the
    /// largest coupon, points and stored value.
    pub fn from_query(chosen: bool, coupon: Option<String>, points: bool, sv: bool, options: &PayOptions) -> Selection {
        if chosen {
            let coupon = coupon.filter(|c| options.coupons.iter().any(|u| u.id.to_string() == *c));
            Selection { coupon, points, sv }
        } else {
            Selection {
                coupon: options.coupons.first().map(|c| c.id.to_string()),
                points: options.points_available > 0,
                sv: options.stored_value.0 > 0,
            }
        }
    }

    /// The pay page showing these choices.
    #[cfg_attr(not(feature = "ssr"), allow(dead_code))]
    pub fn query(&self, code: &str, amount: &str) -> String {
        let mut url = format!("/p/{}/pay?amount={}&chosen=1", encode_component(code), encode_component(amount));
        if let Some(coupon) = &self.coupon {
            url.push_str(&format!("&coupon={}", encode_component(coupon)));
        }
        if self.points {
            url.push_str("&points=on");
        }
        if self.sv {
            url.push_str("&sv=on");
        }
        url
    }

    pub fn breakdown(&self, options: &PayOptions) -> Split {
        let discount = self
            .coupon
            .as_ref()
            .and_then(|id| options.coupons.iter().find(|c| c.id.to_string() == *id))
            .map_or(Fen::ZERO, |c| c.discount);
        split(TenderInputs {
            amount: options.amount,
            coupon_discount: discount,
            points_available: options.points_available,
            use_points: self.points,
            points_per_yuan: options.points_per_yuan,
            max_points_pct: options.max_points_pct,
            stored_value: options.stored_value,
            use_stored_value: self.sv,
        })
    }
}

#[cfg_attr(feature = "islands-shopper", island)]
#[cfg_attr(not(feature = "islands-shopper"), component)]
pub fn PayForm(options: PayOptions, amount_text: String, selection: Selection) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    // The inputs keep their own state (components::on_live_tenders): `checked` is only the
    // server's first choice, and the live island reads the boxes as they are.
    let first = selection.clone();
    let first_split = first.breakdown(&options);
    let chosen = RwSignal::new(selection);
    let form = NodeRef::new();
    on_live_tenders(form, move |ticked| {
        let live = Selection { coupon: ticked.coupon, points: ticked.points, sv: ticked.sv };
        if chosen.with_untracked(|s| *s != live) {
            chosen.set(live);
        }
    });
    let opts = StoredValue::new(options.clone());
    let breakdown = Memo::new(move |_| opts.with_value(|o| chosen.with(|s| s.breakdown(o))));
    let pay_label = move || {
        let left = breakdown.get().external;
        if left.0 == 0 {
            t.pay_confirm.to_string()
        } else {
            fill(t.pay_button, &[("amount", &left.to_string())])
        }
    };
    let refresh_url = format!("/p/{}/pay", options.plate.code);
    let coupon_rows = options
        .coupons
        .iter()
        .map(|c| {
            let id = c.id.to_string();
            let set_id = id.clone();
            let initially = first.coupon.as_deref() == Some(id.as_str());
            view! {
                <label class="choice" data-testid="coupon-choice">
                    <input type="radio" name="coupon" value=id.clone() checked=initially
                        on:change=move |_| chosen.update(|s| s.coupon = Some(set_id.clone())) />
                    <span class="choice-text">{c.name.get(lang).to_string()}</span>
                    <span class="choice-value">"-"{c.discount.to_string()}</span>
                </label>
            }
        })
        .collect_view();
    let points_note = fill(
        t.pay_points_note,
        &[
            ("n", &options.points_available.to_string()),
            ("rate", &options.points_per_yuan.to_string()),
            ("pct", &options.max_points_pct.to_string()),
        ],
    );
    let sv_note = fill(t.pay_sv_note, &[("amount", &options.stored_value.to_string())]);
    view! {
        <form node_ref=form method="post" action="/api/pay/plate" class="stack pay-form" data-testid="pay-form">
            <input type="hidden" name="code" value=options.plate.code.clone() />
            <input type="hidden" name="amount" value=amount_text />
            <input type="hidden" name="request_key" value=options.request_key.clone() />
            <input type="hidden" name="expected_to_pay" value=first_split.external.0.to_string() prop:value=move || breakdown.get().external.0.to_string() />
            <section class="panel">
                <h2>{t.pay_coupons}</h2>
                {if options.coupons.is_empty() {
                    view! { <p class="muted small">{t.pay_no_coupons}</p> }.into_any()
                } else {
                    view! {
                        {coupon_rows}
                        <label class="choice">
                            <input type="radio" name="coupon" value="" checked=first.coupon.is_none()
                                on:change=move |_| chosen.update(|s| s.coupon = None) />
                            <span class="choice-text">{t.pay_no_coupon}</span>
                        </label>
                    }.into_any()
                }}
            </section>
            <section class="panel">
                <label class="choice">
                    <input type="checkbox" name="points" data-testid="use-points"
                        disabled=options.points_available == 0 checked=first.points
                        on:change=move |ev| chosen.update(|s| s.points = event_target_checked(&ev)) />
                    <span class="choice-text">{t.pay_use_points}<small class="muted">{points_note}</small></span>
                    <span class="choice-value">"-"{move || breakdown.get().points_value.to_string()}</span>
                </label>
                <label class="choice">
                    <input type="checkbox" name="sv" data-testid="use-sv"
                        disabled=options.stored_value.0 == 0 checked=first.sv
                        on:change=move |ev| chosen.update(|s| s.sv = event_target_checked(&ev)) />
                    <span class="choice-text">{t.pay_use_sv}<small class="muted">{sv_note}</small></span>
                    <span class="choice-value">"-"{move || breakdown.get().stored_value.to_string()}</span>
                </label>
            </section>
            <section class="panel breakdown" aria-live="polite">
                <dl class="facts">
                    <div><dt>{t.pay_amount}</dt><dd>{options.amount.to_string()}</dd></div>
                    <div><dt>{t.pay_coupon_off}</dt><dd data-testid="bd-coupon">"-"{move || breakdown.get().coupon.to_string()}</dd></div>
                    <div><dt>{move || fill(t.pay_points_off, &[("n", &breakdown.get().points_used.to_string())])}</dt>
                        <dd data-testid="bd-points">"-"{move || breakdown.get().points_value.to_string()}</dd></div>
                    <div><dt>{t.pay_sv_off}</dt><dd data-testid="bd-sv">"-"{move || breakdown.get().stored_value.to_string()}</dd></div>
                    <div class="total"><dt>{t.pay_to_pay}</dt><dd data-testid="bd-to-pay">{move || breakdown.get().external.to_string()}</dd></div>
                </dl>
            </section>
            <noscript>
                <button type="submit" class="button button-block" formmethod="get" formaction=refresh_url name="chosen" value="1">
                    {t.pay_update}
                </button>
            </noscript>
            <div class="action-bar">
                <button type="submit" class="button button-primary button-block" data-testid="pay-submit">{pay_label}</button>
            </div>
        </form>
    }
}
