use super::StaffSignIn;
use crate::components::{ErrorBox, LangSwitch};
use crate::i18n::use_tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Staff sign-in for tenant staff and mall operators.
#[component]
pub fn StaffSignInPage() -> impl IntoView {
    let t = use_tr();
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next").unwrap_or_default());
    let action = ServerAction::<StaffSignIn>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    view! {
        <Title text=t.staff_sign_in_title />
        <main class="page sign-in staff-sign-in">
            <div class="sign-in-top">
                <LangSwitch />
            </div>
            <div class="brand-mark" aria-hidden="true">"P"</div>
            <h1>{t.staff_sign_in_title}</h1>
            <p class="muted">{t.staff_sign_in_hint}</p>
            <ActionForm action=action attr:class="stack">
                <input type="hidden" name="next" value=next />
                <label class="field">
                    <span>{t.field_username}</span>
                    <input type="text" name="username" autocomplete="username" autocapitalize="none" required maxlength="32" />
                </label>
                <label class="field">
                    <span>{t.field_password}</span>
                    <input type="password" name="password" autocomplete="current-password" required maxlength="256" />
                </label>
                <ErrorBox error=error />
                <button type="submit" class="button button-primary button-block">{t.sign_in}</button>
            </ActionForm>
            <p class="sign-in-foot">
                <a href="/login">{t.shopper_entry}</a>
            </p>
        </main>
    }
}
