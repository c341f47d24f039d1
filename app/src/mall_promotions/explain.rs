//! The price engine's explanation as the shopper reads it, on the cart, checkout and product
//! pages: which price a line is at and why, what bundles and 满减 took off, a shop's tiers, and
//! the stacking rules in one sentence.

use super::tier_text;
use crate::i18n::{fill, use_tr};
use leptos::prelude::*;
use plaza_types::pricing::{AppliedBundle, ExplainedLine, Tier, UnitRule};
use plaza_types::Fen;

/// Under a line: `限时价 ¥30.00（至 12-05 10:00）· 套餐 −¥4.00 · 满减 −¥2.50`.
#[component]
pub fn LineExplain(price: ExplainedLine, #[prop(optional)] ends_at: Option<String>) -> impl IntoView {
    let t = use_tr();
    let mut parts: Vec<String> = Vec::new();
    match price.rule {
        UnitRule::LimitedTime => parts.push(match ends_at {
            Some(end) => fill(t.pr_line_limited_until, &[("price", &price.unit_price.to_string()), ("end", &end)]),
            None => fill(t.pr_line_limited, &[("price", &price.unit_price.to_string())]),
        }),
        UnitRule::Member => parts.push(fill(t.pr_line_member, &[("price", &price.unit_price.to_string())])),
        UnitRule::List => {}
    }
    if price.rule == UnitRule::Member && price.limited_price.is_some() {
        parts.push(t.pr_line_not_combined.to_string());
    }
    if price.bundle_off.0 > 0 {
        parts.push(fill(t.pr_line_bundle, &[("off", &price.bundle_off.to_string())]));
    }
    if price.spend_off.0 > 0 {
        parts.push(fill(t.pr_line_spend_off, &[("off", &price.spend_off.to_string())]));
    }
    (!parts.is_empty())
        .then(|| view! { <span class="small pr-explain" data-testid="line-explain">{parts.join(" · ")}</span> })
}

/// A shop's 满减 tiers, the one reached and what is left to the next; its bundles applied.
#[component]
pub fn ShopTiers(
    tiers: Vec<Tier>,
    reached: Option<Tier>,
    #[prop(optional)] spend_off: Fen,
    next: Option<Tier>,
    #[prop(optional)] everyday_total: Fen,
    #[prop(optional)] bundles: Vec<AppliedBundle>,
) -> impl IntoView {
    let t = use_tr();
    if tiers.is_empty() && bundles.is_empty() {
        return None;
    }
    let list = tiers.iter().map(|x| tier_text(t, x)).collect::<Vec<_>>().join(" · ");
    let reached = reached.map(|_| fill(t.pr_tier_reached, &[("off", &spend_off.to_string())]));
    let next = next.map(|n| {
        let left = Fen((n.threshold.0 - everyday_total.0).max(0));
        fill(t.pr_tier_next, &[("left", &left.to_string()), ("off", &n.off.to_string())])
    });
    Some(view! {
        <p class="pr-tiers small" data-testid="shop-tiers">
            {(!list.is_empty()).then(|| view! { <span class="badge pr-badge">{t.pr_spend_off}</span>" "{list.clone()} })}
            {reached.map(|r| view! { " — "<strong data-testid="tier-reached">{r}</strong> })}
            {next.map(|n| view! { " — "<span data-testid="tier-next">{n}</span> })}
            {bundles.into_iter().map(|b| view! {
                <br /><span class="badge pr-badge">{t.pr_bundle}</span>" "
                {fill(t.pr_bundle_applied, &[("name", &b.name), ("sets", &b.sets.to_string()), ("saved", &b.saved.to_string())])}
            }).collect_view()}
        </p>
    })
}

/// The stacking rules, said once on the cart and checkout pages.
#[component]
pub fn StackingRules() -> impl IntoView {
    let t = use_tr();
    view! { <p class="muted small" data-testid="stacking-rules">{t.pr_stacking}</p> }
}
