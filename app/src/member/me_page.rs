use super::{get_my_card, UpdateProfile};
use crate::auth::{SignOut, SignOutEverywhere};
use crate::components::{ErrorBox, LangSwitch, TopBar};
use crate::i18n::{use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use plaza_types::dto::MemberCard;
use plaza_types::AppError;

/// 我的: profile, language, and signing out. Anonymous visitors get the way in.
#[component]
pub fn MePage() -> impl IntoView {
    let t = use_tr();
    let save = ServerAction::<UpdateProfile>::new();
    let card = crate::components::page_resource(move || save.version().get(), |_| get_my_card());
    view! {
        <Title text=t.me_title />
        <TopBar title=t.me_title>
            <LangSwitch />
        </TopBar>
        <main class="page me-page">
            <Suspense>
                {move || card.get().map(|result| match result {
                    Ok(card) => view! { <Profile card save /> }.into_any(),
                    Err(AppError::Unauthenticated) => view! { <SignedOut /> }.into_any(),
                    Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                })}
            </Suspense>
            <nav class="panel link-list">
                <a href="/dining/orders">{t.dn_my_orders}</a>
                <a href="/mall/orders">{t.mo_orders_title}</a>
                <a href="/mall/cart">{t.mo_cart_title}</a>
                <a href="/points">{t.my_points}</a>
                <a href="/coupons">{t.my_coupons}</a>
                <a href="/membership">{t.ms_link}</a>
                <a href="/balance">{t.my_balance}</a>
                <a href="/rewards/mine">{t.my_rewards}</a>
                <a href="/invite">{t.my_invite}</a>
            </nav>
            <section class="panel">
                <h2>{t.settings}</h2>
                <div class="row-between">
                    <span>{t.language}</span>
                    <LangSwitch />
                </div>
                <div class="row-between">
                    <span>{t.staff_entry}</span>
                    <a href="/staff/login">{t.open}</a>
                </div>
            </section>
        </main>
    }
}

#[component]
fn SignedOut() -> impl IntoView {
    let t = use_tr();
    view! {
        <section class="panel panel-center">
            <p>{t.me_signed_out}</p>
            <a class="button button-primary" href="/login?next=%2Fme">{t.sign_in_or_up}</a>
        </section>
    }
}

#[component]
fn Profile(card: MemberCard, save: ServerAction<UpdateProfile>) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let sign_out = ServerAction::<SignOut>::new();
    let sign_out_all = ServerAction::<SignOutEverywhere>::new();
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let query = leptos_router::hooks::use_query_map();
    let saved = move || query.with(|q| q.get("saved").is_some()) && save.value().with(|v| !matches!(v, Some(Err(_))));
    let birthday_locked = card.birthday.is_some();
    let level = card.level.clone();
    let (name, last4) = (card.name.clone(), card.phone_last4.clone());
    let shown = move || super::display_name(t, &name, &last4);
    view! {
        <section class="panel profile-head">
            <div class="avatar" aria-hidden="true">{
                let shown = shown.clone();
                move || shown().chars().next().map(String::from).unwrap_or_default()
            }</div>
            <div>
                <p class="profile-name">{shown}</p>
                <p class="muted">
                    {card.masked_phone.clone()}" · "{move || level.name.get(lang).to_string()}" · "
                    {t.member_since}" "{card.member_since.clone()}
                </p>
            </div>
        </section>
        <section class="panel">
            <h2>{t.profile}</h2>
            <ActionForm action=save attr:class="stack">
                <label class="field">
                    <span>{t.field_name}</span>
                    <input type="text" name="name" maxlength="20" required value=card.name.clone() autocomplete="name" />
                </label>
                <label class="field">
                    <span>{t.field_birthday}</span>
                    <input type="date" name="birthday" value=card.birthday.clone().unwrap_or_default()
                        readonly=birthday_locked autocomplete="bday" />
                    <small class="muted">{t.birthday_once}</small>
                </label>
                <ErrorBox error=error />
                <Show when=saved>
                    <p class="notice notice-ok" role="status">{t.saved}</p>
                </Show>
                <button type="submit" class="button button-primary">{t.save}</button>
            </ActionForm>
        </section>
        <section class="panel">
            <ActionForm action=sign_out attr:class="row-between">
                <span>{t.sign_out_hint}</span>
                <button type="submit" class="button">{t.sign_out}</button>
            </ActionForm>
            <ActionForm action=sign_out_all attr:class="row-between">
                <span>{t.sign_out_everywhere_hint}</span>
                <button type="submit" class="button">{t.sign_out_everywhere}</button>
            </ActionForm>
        </section>
    }
}
