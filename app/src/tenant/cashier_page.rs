use super::{identify_member, TenantScope};
use crate::auth::encode_component;
use crate::components::{CameraScanner, ErrorBox};
use crate::i18n::{use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use plaza_types::dto::MemberIdentity;

/// 会员识别: scan the member's code with the camera, or type it; see who the member is.
/// The lookup is a plain GET of `?code=…`, so it works without JavaScript too.
#[component]
pub fn CashierPage() -> impl IntoView {
    let t = use_tr();
    let scope = expect_context::<TenantScope>();
    let tenant_id = scope.tenant.id.0;
    let query = use_query_map();
    let code = move || query.with(|q| q.get("code").unwrap_or_default());
    let result = Resource::new(code, move |code| async move {
        if code.trim().is_empty() {
            None
        } else {
            Some(identify_member(tenant_id, code).await)
        }
    });
    view! {
        <Title text=t.nav_cashier />
        <h1>{t.nav_cashier}</h1>
        <div class="cashier">
            <section class="panel">
                <h2>{t.scan_member_code_title}</h2>
                <CashierScanner />
            </section>
            <section class="panel">
                <h2>{t.type_member_code_title}</h2>
                <Form method="GET" action="" attr:class="stack">
                    <label class="field">
                        <span>{t.field_member_code}</span>
                        <input type="text" name="code" inputmode="numeric" autocomplete="off" required
                            value=code placeholder=t.member_code_placeholder data-testid="code-input" />
                    </label>
                    <button type="submit" class="button button-primary">{t.identify}</button>
                </Form>
                <Transition>
                    {move || result.get().flatten().map(|r| match r {
                        Ok(member) => view! { <MemberFound member /> }.into_any(),
                        Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                    })}
                </Transition>
            </section>
        </div>
    }
}

/// The camera, in the browser: a scanned code opens this page with `?code=…`, exactly as typing it does.
#[island]
fn CashierScanner() -> impl IntoView {
    let on_code = Callback::new(move |text: String| {
        let target = format!("/tenant/cashier?code={}", encode_component(&text));
        #[cfg(feature = "hydrate")]
        if let Some(window) = web_sys::window() {
            let _ = window.location().assign(&target);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = target;
    });
    view! { <CameraScanner on_code /> }
}

#[component]
fn MemberFound(member: MemberIdentity) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let level = member.level.clone();
    view! {
        <div class="member-found" role="status" data-testid="member-found">
            <p class="member-found-title">{t.member_identified}</p>
            <dl class="facts">
                <div><dt>{t.field_name}</dt><dd>{move || crate::member::display_name(t, &member.name, &member.phone_last4)}</dd></div>
                <div><dt>{t.field_phone}</dt><dd data-testid="member-phone">{member.masked_phone.clone()}</dd></div>
                <div><dt>{t.level}</dt><dd>{move || level.name.get(lang).to_string()}</dd></div>
            </dl>
        </div>
    }
}
