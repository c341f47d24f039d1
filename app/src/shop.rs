//! 商城: the mall's online shop. Storefronts arrive with the BBC-mall feature; until then the tab
//! says so plainly.

use crate::components::TopBar;
use crate::i18n::use_tr;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ShopPage() -> impl IntoView {
    let t = use_tr();
    view! {
        <Title text=t.tab_shop />
        <TopBar title=t.tab_shop />
        <main class="page">
            <section class="panel panel-center not-yet" data-feature="shop">
                <h2>{t.shop_coming_title}</h2>
                <p class="muted">{t.shop_coming_body}</p>
            </section>
        </main>
    }
}
