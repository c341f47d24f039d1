use super::{Icon, IconSvg};
use crate::i18n::{use_tr, Tr};
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};

/// The shopper's frame: the page, and the bottom tab bar (首页 / 会员码 / 扫一扫 / 商城 / 我的).
#[component]
pub fn ShopperLayout() -> impl IntoView {
    let t = use_tr();
    let tab = move |href: &'static str, icon: Icon, label: fn(&Tr) -> &'static str, exact: bool| {
        view! {
            <A href=href exact=exact attr:class="tab">
                <IconSvg icon=icon />
                <span>{move || label(t)}</span>
            </A>
        }
    };
    view! {
        <div class="shopper">
            <div class="shopper-page">
                <Outlet />
            </div>
            <nav class="tab-bar" aria-label=t.tab_bar_label>
                {tab("/", Icon::Home, |t| t.tab_home, true)}
                {tab("/card", Icon::Code, |t| t.tab_card, false)}
                {tab("/scan", Icon::Scan, |t| t.tab_scan, false)}
                {tab("/mall", Icon::Bag, |t| t.tab_shop, false)}
                {tab("/me", Icon::User, |t| t.tab_me, false)}
            </nav>
        </div>
    }
}

/// The title bar at the top of a shopper page.
#[component]
pub fn TopBar(#[prop(into)] title: Signal<String>, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    view! {
        <header class="top-bar">
            <h1>{title}</h1>
            <div class="top-bar-end">{children.map(|c| c())}</div>
        </header>
    }
}
