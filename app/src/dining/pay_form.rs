//! The checkout's pay form: the order's remark, coupon, points and stored value as the shopper
//! chooses them, and the breakdown recomputed in the browser with the engine's own arithmetic
//! (`plaza_types::tender::split`). The total and the amount left to pay travel with the form, so
//! the server refuses (and gives everything back) if either moved. Without JavaScript an "update"
//! button reloads the page with the new choices.

use crate::components::on_live_tenders;
use crate::i18n::{fill, use_lang, use_tr};
use leptos::prelude::*;
use plaza_types::dto::{DiningCheckout, UsableCoupon};
use plaza_types::tender::{split, Split, TenderInputs};
use plaza_types::Fen;
use serde::{Deserialize, Serialize};

/// What the checkout offers (the island's props).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenderOffer {
    pub code: String,
    pub shop: String,
    pub total: Fen,
    pub remark: String,
    /// Some line cannot be ordered now: paying is off until it is removed.
    pub blocked: bool,
    pub coupons: Vec<UsableCoupon>,
    pub points_available: i64,
    pub points_per_yuan: i64,
    pub max_points_pct: i64,
    pub stored_value: Fen,
    pub request_key: String,
}

/// The shopper's choices, as the cart page's query carries them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayChoices {
    pub coupon: Option<String>,
    pub points: bool,
    pub sv: bool,
}

impl PayChoices {
    /// The query's choices once the shopper has chosen (`chosen`), else the best offer: the
    /// largest coupon, points and stored value.
    pub fn from_query(chosen: bool, coupon: Option<String>, points: bool, sv: bool, c: &DiningCheckout) -> PayChoices {
        if chosen {
            let coupon = coupon.filter(|id| c.coupons.iter().any(|u| u.id.to_string() == *id));
            PayChoices { coupon, points, sv }
        } else {
            PayChoices {
                coupon: c.coupons.first().map(|u| u.id.to_string()),
                points: c.points_available > 0,
                sv: c.stored_value.0 > 0,
            }
        }
    }

    fn breakdown(&self, o: &TenderOffer) -> Split {
        let discount = self
            .coupon
            .as_ref()
            .and_then(|id| o.coupons.iter().find(|c| c.id.to_string() == *id))
            .map_or(Fen::ZERO, |c| c.discount);
        split(TenderInputs {
            amount: o.total,
            coupon_discount: discount,
            points_available: o.points_available,
            use_points: self.points,
            points_per_yuan: o.points_per_yuan,
            max_points_pct: o.max_points_pct,
            stored_value: o.stored_value,
            use_stored_value: self.sv,
        })
    }
}

#[cfg_attr(feature = "islands-shopper", island)]
#[cfg_attr(not(feature = "islands-shopper"), component)]
pub fn DiningPayForm(offer: TenderOffer, choices: PayChoices) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let first = choices.clone();
    let first_split = first.breakdown(&offer);
    let chosen = RwSignal::new(choices);
    // The inputs keep their own state; the live island reads them (components::on_live_tenders).
    let form = NodeRef::new();
    on_live_tenders(form, move |ticked| {
        let live = PayChoices { coupon: ticked.coupon, points: ticked.points, sv: ticked.sv };
        if chosen.with_untracked(|s| *s != live) {
            chosen.set(live);
        }
    });
    let o = StoredValue::new(offer.clone());
    let breakdown = Memo::new(move |_| o.with_value(|o| chosen.with(|s| s.breakdown(o))));
    let pay_label = move || {
        let left = breakdown.get().external;
        if left.0 == 0 {
            fill(t.dn_pay_internal, &[("amount", &o.with_value(|o| o.total.to_string()))])
        } else {
            fill(t.pay_button, &[("amount", &left.to_string())])
        }
    };
    let refresh = format!("/t/{}/{}/cart", offer.code, offer.shop);
    let coupon_rows = offer
        .coupons
        .iter()
        .map(|c| {
            let id = c.id.to_string();
            let set_id = id.clone();
            view! {
                <label class="choice" data-testid="coupon-choice">
                    <input type="radio" name="coupon" value=id.clone() checked=first.coupon.as_deref() == Some(id.as_str())
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
            ("n", &offer.points_available.to_string()),
            ("rate", &offer.points_per_yuan.to_string()),
            ("pct", &offer.max_points_pct.to_string()),
        ],
    );
    let sv_note = fill(t.pay_sv_note, &[("amount", &offer.stored_value.to_string())]);
    view! {
        <form node_ref=form method="post" action="/api/dining/order/place" class="stack pay-form" data-testid="checkout-form">
            <input type="hidden" name="code" value=offer.code.clone() />
            <input type="hidden" name="shop" value=offer.shop.clone() />
            <input type="hidden" name="request_key" value=offer.request_key.clone() />
            <input type="hidden" name="expected_total" value=offer.total.0.to_string() />
            <input type="hidden" name="expected_to_pay" value=first_split.external.0.to_string()
                prop:value=move || breakdown.get().external.0.to_string() />
            <section class="panel">
                <label class="field"><span>{t.dn_order_remark}</span>
                    <textarea name="remark" maxlength="100" rows="2" placeholder=t.dn_order_remark_hint data-testid="order-remark">{offer.remark.clone()}</textarea></label>
            </section>
            <section class="panel">
                <h2>{t.pay_coupons}</h2>
                {if offer.coupons.is_empty() {
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
                    <input type="checkbox" name="points" data-testid="use-points" disabled=offer.points_available == 0 checked=first.points
                        on:change=move |ev| chosen.update(|s| s.points = event_target_checked(&ev)) />
                    <span class="choice-text">{t.pay_use_points}<small class="muted">{points_note}</small></span>
                    <span class="choice-value">"-"{move || breakdown.get().points_value.to_string()}</span>
                </label>
                <label class="choice">
                    <input type="checkbox" name="sv" data-testid="use-sv" disabled=offer.stored_value.0 == 0 checked=first.sv
                        on:change=move |ev| chosen.update(|s| s.sv = event_target_checked(&ev)) />
                    <span class="choice-text">{t.pay_use_sv}<small class="muted">{sv_note}</small></span>
                    <span class="choice-value">"-"{move || breakdown.get().stored_value.to_string()}</span>
                </label>
            </section>
            <section class="panel breakdown" aria-live="polite">
                <dl class="facts">
                    <div><dt>{t.dn_total}</dt><dd data-testid="cart-total">{offer.total.to_string()}</dd></div>
                    <div><dt>{t.pay_coupon_off}</dt><dd>"-"{move || breakdown.get().coupon.to_string()}</dd></div>
                    <div><dt>{move || fill(t.pay_points_off, &[("n", &breakdown.get().points_used.to_string())])}</dt>
                        <dd>"-"{move || breakdown.get().points_value.to_string()}</dd></div>
                    <div><dt>{t.pay_sv_off}</dt><dd>"-"{move || breakdown.get().stored_value.to_string()}</dd></div>
                    <div class="total"><dt>{t.pay_to_pay}</dt><dd data-testid="bd-to-pay">{move || breakdown.get().external.to_string()}</dd></div>
                </dl>
            </section>
            <noscript>
                <button type="submit" class="button button-block" formmethod="get" formaction=refresh name="chosen" value="1">
                    {t.pay_update}
                </button>
            </noscript>
            <div class="action-bar">
                <button type="submit" class="button button-primary button-block" disabled=offer.blocked data-testid="place-order">{pay_label}</button>
            </div>
        </form>
    }
}
