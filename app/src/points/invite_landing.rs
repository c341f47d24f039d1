use crate::i18n::{fill, use_lang, use_tr};
use crate::mall::get_mall_info;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Where an invite link lands (`/i/<code>`): remembers the code on this device until the
/// newcomer signs up, and shows the way in.
#[component]
pub fn InviteLandingPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let params = use_params_map();
    let code = params.with_untracked(|p| p.get("code").unwrap_or_default());
    #[cfg(feature = "ssr")]
    crate::server::set_invite_cookie(&code);
    #[cfg(not(feature = "ssr"))]
    let _ = &code;
    let mall = crate::components::page_resource(|| (), |_| get_mall_info());
    view! {
        <Title text=t.invite_title />
        <main class="page sign-in">
            <div class="brand-mark" aria-hidden="true">"P"</div>
            <Suspense>
                {move || mall.get().and_then(|m| m.ok()).map(|m| view! {
                    <h1>{fill(t.invite_landing_title, &[("mall", m.name.get(lang))])}</h1>
                })}
            </Suspense>
            <p class="muted">{t.invite_landing_body}</p>
            <a class="button button-primary button-block" href="/login?next=%2Fcoupons%2Fclaim">{t.invite_join}</a>
        </main>
    }
}
