//! The product page's offers: the limited-time price of the chosen SKU (or the lowest of the
//! product's) with its end in mall time, the shop's 满减 tiers and the bundles holding the
//! product. Server-rendered; no script. An `AnyView`, so the product page's view type stays
//! within the compiler's recursion limit.

use super::tier_text;
use crate::i18n::{fill, use_tr};
use leptos::prelude::*;
use plaza_types::dto::ProductPromotions;

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
                    </time>
                </p>
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
