use super::{dev_sms_code, RequestSmsCode, SignInWithCode};
use crate::components::{ErrorBox, LangSwitch};
use crate::i18n::{fill, use_tr};
use crate::mall::get_mall_info;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// 登录 / 注册: the mobile number, then the six-digit code. Works without JavaScript: each step
/// is a form post, and the server brings the browser back here at the next step.
#[component]
pub fn SignInPage() -> impl IntoView {
    let t = use_tr();
    let query = use_query_map();
    let phone = move || query.with(|q| q.get("phone").unwrap_or_default());
    let sent = move || query.with(|q| q.get("sent").is_some()) && !phone().is_empty();
    let next = move || query.with(|q| q.get("next").unwrap_or_default());

    let request = ServerAction::<RequestSmsCode>::new();
    let sign_in = ServerAction::<SignInWithCode>::new();
    let request_error = Signal::derive(move || request.value().get().and_then(|r| r.err()));
    let sign_in_error = Signal::derive(move || sign_in.value().get().and_then(|r| r.err()));

    let mall = Resource::new(|| (), |_| get_mall_info());
    let dev_code = Resource::new(
        move || (sent(), phone(), request.version().get()),
        |(sent, phone, _)| async move {
            if sent {
                dev_sms_code(phone).await.ok().flatten()
            } else {
                None
            }
        },
    );

    view! {
        <Title text=t.sign_in_title />
        <main class="page sign-in">
            <div class="sign-in-top">
                <LangSwitch />
            </div>
            <div class="brand-mark" aria-hidden="true">"P"</div>
            <Suspense>
                <p class="brand-name">
                    {move || mall.get().and_then(|m| m.ok()).map(|m| m.name.get(crate::i18n::use_lang()).to_string())}
                </p>
            </Suspense>
            <h1>{t.sign_in_title}</h1>
            <p class="muted">{t.sign_in_hint}</p>

            <Show
                when=sent
                fallback=move || {
                    view! {
                        <ActionForm action=request attr:class="stack">
                            <input type="hidden" name="next" value=next />
                            <label class="field">
                                <span>{t.field_phone}</span>
                                <input type="tel" name="phone" inputmode="numeric" autocomplete="tel" maxlength="20"
                                    required placeholder=t.phone_placeholder value=phone />
                            </label>
                            <ErrorBox error=request_error />
                            <button type="submit" class="button button-primary button-block">
                                {t.send_code}
                            </button>
                        </ActionForm>
                    }
                }
            >
                <p class="notice">
                    {move || fill(t.code_sent_to, &[("phone", &mask(&phone()))])}
                </p>
                <Suspense>
                    {move || dev_code.get().flatten().map(|code| view! {
                        <p class="notice notice-dev" data-testid="dev-code">
                            {t.dev_code_label}" "<strong>{code.clone()}</strong>
                        </p>
                    })}
                </Suspense>
                <ActionForm action=sign_in attr:class="stack">
                    <input type="hidden" name="phone" value=phone />
                    <input type="hidden" name="next" value=next />
                    <label class="field">
                        <span>{t.field_sms_code}</span>
                        <input type="text" name="code" inputmode="numeric" autocomplete="one-time-code"
                            pattern="[0-9]{6}" maxlength="6" required autofocus
                            placeholder=t.code_placeholder />
                    </label>
                    <ErrorBox error=sign_in_error />
                    <button type="submit" class="button button-primary button-block">{t.sign_in}</button>
                </ActionForm>
                <ActionForm action=request attr:class="resend">
                    <input type="hidden" name="phone" value=phone />
                    <input type="hidden" name="next" value=next />
                    <ErrorBox error=request_error />
                    <button type="submit" class="link-button">{t.resend_code}</button>
                    " · "
                    <a href=move || format!("/login?next={}", super::encode_component(&next()))>
                        {t.change_number}
                    </a>
                </ActionForm>
            </Show>
            <p class="sign-in-foot">
                <a href="/staff/login">{t.staff_entry}</a>
            </p>
        </main>
    }
}

fn mask(phone: &str) -> String {
    plaza_types::PhoneNumber::parse(phone).map(|p| p.masked()).unwrap_or_default()
}
