//! The product page's offers: the limited-time price of the chosen SKU (or the lowest of the
//! product's) with its end in mall time, the shop's 满减 tiers and the bundles holding the
//! product. Server-rendered; the end is text in mall time, and a few lines of script (carrying the
//! page's nonce, no wasm) add a live countdown beside it; without JavaScript the end time is all
//! there is. An `AnyView`, so the product page's view type stays within the compiler's recursion
//! limit.

use super::tier_text;
use crate::i18n::{fill, use_tr};
use leptos::prelude::*;
use plaza_types::dto::ProductPromotions;

/// Counts down to `data-ends` (epoch ms) of the limited-time offer, once a second, in the words of
/// the span's `data-*` templates; at the end it says the offer is over (the price on the page is
/// the one it was rendered with, so the shopper is told to look again).
const COUNTDOWN_JS: &str = r#"(function () {
  var end = document.querySelector('[data-testid="limited-ends"]');
  var out = document.querySelector('[data-testid="limited-countdown"]');
  if (!end || !out) return;
  var at = +end.getAttribute("data-ends");
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var left = Math.floor((at - Date.now()) / 1000);
    out.hidden = false;
    if (left <= 0) { out.textContent = out.getAttribute("data-over"); clearInterval(timer); return; }
    var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
    var time = (d > 0 ? out.getAttribute("data-days").replace("{d}", d) : "") + two(h) + ":" + two(m) + ":" + two(s);
    out.textContent = out.getAttribute("data-left").replace("{time}", time);
  }
  var timer = setInterval(tick, 1000);
  tick();
})();"#;

#[component]
pub fn ProductOffers(offers: ProductPromotions, chosen: Option<i64>) -> AnyView {
    let t = use_tr();
    let limited = match chosen {
        Some(sku) => offers.limited.iter().find(|l| l.sku_id == sku).cloned(),
        None => offers.limited.iter().min_by_key(|l| l.price).cloned(),
    };
    if limited.is_none() && offers.tiers.is_empty() && offers.bundles.is_empty() {
        return ().into_any();
    }
    let tiers = offers.tiers.iter().map(|x| tier_text(t, x)).collect::<Vec<_>>().join(" · ");
    view! {
        <div class="pr-offers" data-testid="product-offers">
            {limited.map(|l| view! {
                <p class="pr-limited" data-testid="limited-offer">
                    <span class="badge pr-badge">{t.pr_product_limited}</span>" "
                    <strong>{l.price.to_string()}</strong>" "
                    <time class="muted small" datetime=l.ends_at.clone() data-ends=l.ends_at_ms data-testid="limited-ends">
                        {fill(t.pr_ends_at, &[("end", &l.ends_at)])}
                    </time>" "
                    <span class="pr-countdown small" hidden data-testid="limited-countdown"
                        data-left=t.pr_countdown data-days=t.pr_countdown_days data-over=t.pr_countdown_over></span>
                </p>
                <script nonce=leptos::nonce::use_nonce()>{COUNTDOWN_JS}</script>
            })}
            {(!tiers.is_empty()).then(|| view! {
                <p class="small" data-testid="product-tiers"><span class="badge pr-badge">{t.pr_spend_off}</span>" "{tiers}</p>
            })}
            {(!offers.bundles.is_empty()).then(|| view! {
                <p class="small"><span class="badge pr-badge">{t.pr_bundle}</span>" "{offers.bundles.join(" · ")}</p>
            })}
        </div>
    }
    .into_any()
}
