use crate::i18n::use_tr;
use crate::tenant::{PlateSheet, PlatesPanel};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn param(name: &str) -> i64 {
    use_params_map().with_untracked(|p| p.get(name).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0))
}

/// A tenant's plates from the operator console: issued, printed and revoked for the shop.
#[component]
pub fn OpsTenantPlatesPage() -> impl IntoView {
    let t = use_tr();
    let tenant = param("id");
    view! {
        <Title text=t.nav_plates />
        <p><a href="/ops/tenants">{t.nav_tenants}</a></p>
        <PlatesPanel tenant manage=true base=format!("/ops/tenants/{tenant}/plates") />
    }
}

#[component]
pub fn OpsPlatePrintPage() -> impl IntoView {
    view! { <PlateSheet tenant=param("id") plate=param("plate") /> }
}
