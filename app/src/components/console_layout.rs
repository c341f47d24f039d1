use super::{Icon, IconSvg, LangSwitch};
use crate::auth::SignOutButton;
use crate::i18n::{use_tr, Tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, A};

/// One entry of a console's side navigation.
#[derive(Clone, Copy)]
pub struct NavItem {
    pub href: &'static str,
    pub icon: Icon,
    pub label: fn(&Tr) -> &'static str,
    /// Shown with a "coming" badge: the page says the feature is not available yet.
    pub coming: bool,
}

/// The desktop frame of the tenant and operator consoles: side navigation, a header with the
/// signed-in account, and the page.
#[component]
pub fn ConsoleLayout(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] account: Signal<String>,
    nav: Vec<NavItem>,
    /// The page asked for is not one this account's role may open: say so instead.
    #[prop(optional)]
    denied: bool,
) -> impl IntoView {
    let t = use_tr();
    let links = nav
        .into_iter()
        .map(|item| {
            let exact = item.href.matches('/').count() == 1;
            view! {
                <A href=item.href exact=exact attr:class=if item.coming { "console-nav-link console-nav-coming" } else { "console-nav-link" }>
                    <IconSvg icon=item.icon />
                    <span>{move || (item.label)(t)}</span>
                    {item.coming.then(|| view! { <span class="badge badge-muted">{t.coming_badge}</span> })}
                </A>
            }
        })
        .collect_view();
    view! {
        <div class="console">
            <aside class="console-side">
                <div class="console-brand">{title}</div>
                <nav aria-label=t.console_nav_label>{links}</nav>
            </aside>
            <div class="console-main">
                <header class="console-header">
                    <span class="console-account">{account}</span>
                    <LangSwitch />
                    <SignOutButton />
                </header>
                <main class="console-content">
                    {if denied {
                        view! {
                            <Title text=t.err_forbidden />
                            <section class="panel not-yet" data-testid="not-for-role">
                                <p class="notice notice-error" role="alert">{t.err_forbidden}</p>
                                <p class="muted">{t.console_not_for_role}</p>
                            </section>
                        }
                        .into_any()
                    } else {
                        view! { <Outlet /> }.into_any()
                    }}
                </main>
            </div>
        </div>
    }
}
