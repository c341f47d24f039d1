use super::code_refresh::{self, REFRESH_MARGIN_SECS};
use super::{get_member_code, get_my_card};
use crate::components::{awaited, ErrorBox, TopBar};
use crate::i18n::{fill, use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use plaza_types::dto::{MemberCard, MemberCodeView};
use plaza_types::member_code::group_digits;
use plaza_types::AppError;

/// 会员码: the member card and the dynamic code a cashier scans. The card is plain server-rendered
/// HTML; the code panel is an island that fetches a new code before the old one expires.
#[component]
pub fn CardPage() -> impl IntoView {
    let t = use_tr();
    let card = crate::components::page_resource(|| (), |_| get_my_card());
    let code = crate::components::page_resource(|| (), |_| get_member_code());
    view! {
        <Title text=t.card_title />
        // Without JavaScript the page reloads itself before the code expires.
        <noscript>
            <meta http-equiv="refresh" content=(60 - REFRESH_MARGIN_SECS).to_string() />
        </noscript>
        <TopBar title=t.card_title />
        // Awaited in place rather than under <Suspense>, which builds its children more than once
        // on the server (components::awaited).
        <main class="page card-page">
            {awaited(card, |result| match result {
                Ok(card) => view! { <MemberCardView card /> }.into_any(),
                Err(AppError::Unauthenticated) => view! { <Redirect path="/login?next=%2Fcard" /> }.into_any(),
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
            })}
            {awaited(code, move |result| match result {
                Ok(code) => view! { <MemberCodePanel initial=FirstCode(code) text=CodePanelText::new(t) /> }.into_any(),
                Err(AppError::Unauthenticated) => ().into_any(),
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
            })}
        </main>
    }
}

#[component]
fn MemberCardView(card: MemberCard) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let level = card.level.clone();
    view! {
        <section class=format!("member-card level-{}", card.level.code) aria-label=t.card_title>
            <div class="member-card-top">
                <a class="member-card-level" href="/levels" data-testid="level-badge">{move || level.name.get(lang).to_string()}</a>
                {card.paid.clone().map(|paid| view! {
                    <a class="member-card-paid" href="/membership" data-testid="paid-badge">
                        {paid.tier.get(lang).to_string()}
                        {paid.subcard.then(|| format!(" · {}", t.card_paid_subcard))}
                    </a>
                })}
                <span class="member-card-phone">{card.masked_phone.clone()}</span>
            </div>
            <p class="member-card-name">
                {move || super::display_name(t, &card.name, &card.phone_last4)}
            </p>
            // A term and its value per group, each group one link (stretched over it by CSS):
            // a <dl> may hold only dt/dd groups in <div>s.
            <dl class="member-card-stats">
                <div>
                    <dt>{t.points_available}</dt>
                    <dd data-testid="points-available">
                        <a href="/points" aria-label=format!("{} {}", t.points_available, card.points_available)>
                            {card.points_available}
                        </a>
                    </dd>
                </div>
                <div>
                    <dt>{t.points_pending}</dt>
                    <dd>
                        <a href="/points" aria-label=format!("{} {}", t.points_pending, card.points_pending)>
                            {card.points_pending}
                        </a>
                    </dd>
                </div>
                <div>
                    <dt>{t.stored_value}</dt>
                    <dd>
                        <a href="/balance" aria-label=format!("{} {}", t.stored_value, card.stored_value)>
                            {card.stored_value.to_string()}
                        </a>
                    </dd>
                </div>
            </dl>
            <a class="member-card-progress" href="/levels" data-testid="level-progress">
                {match (&card.progress.next, card.progress.needed) {
                    (Some(next), Some(needed)) => fill(t.level_next, &[("amount", &needed.to_string()), ("level", next.name.get(lang))]),
                    _ => t.level_top.to_string(),
                }}
                " ›"
            </a>
        </section>
        <nav class="card-links">
            <a href="/coupons">{t.my_coupons}<span class="muted small">{fill(t.coupons_count, &[("n", &card.usable_coupons.to_string())])}</span></a>
            <a href="/points">{t.my_points}
                {(card.points_expiring_soon > 0).then(|| view! {
                    <span class="muted small">{fill(t.expiring_soon, &[("n", &card.points_expiring_soon.to_string())])}</span>
                })}
            </a>
        </nav>
    }
}

/// The words of the code panel in the page's language, handed to the island by the server: the
/// card's bundle (`plaza-card`) then links no translation table, which would be a quarter of it
/// (docs/decisions/0024-bundles-by-area.md). Errors the refresh can meet have their text here.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct CodePanelText {
    label: String,
    refreshes_in: String,
    refresh_now: String,
    hint: String,
    signed_out: String,
    unavailable: String,
    failed: String,
}

impl CodePanelText {
    fn new(t: &crate::i18n::Tr) -> Self {
        CodePanelText {
            label: t.member_code_label.into(),
            refreshes_in: t.code_refreshes_in.into(),
            refresh_now: t.refresh_now.into(),
            hint: t.member_code_hint.into(),
            signed_out: t.err_unauthenticated.into(),
            unavailable: t.err_unavailable.into(),
            failed: t.err_internal.into(),
        }
    }

    fn error(&self, error: &AppError) -> String {
        match error {
            AppError::Unauthenticated => self.signed_out.clone(),
            AppError::Unavailable => self.unavailable.clone(),
            _ => self.failed.clone(),
        }
    }
}

/// The code the page was rendered with, as the island's props carry it to the browser: without
/// its two pictures, which are already in the page and which hydration leaves as they are (an
/// `inner_html` from the server is not set again). They were a third of the page's HTML a second
/// time, escaped twice (JSON in an attribute); the browser's first refresh brings new ones.
#[derive(Clone, Debug)]
struct FirstCode(MemberCodeView);

impl serde::Serialize for FirstCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let MemberCodeView { digits, expires_at_secs, ttl_secs, .. } = &self.0;
        let without_pictures = MemberCodeView {
            digits: digits.clone(),
            qr_svg: String::new(),
            barcode_svg: String::new(),
            expires_at_secs: *expires_at_secs,
            ttl_secs: *ttl_secs,
        };
        without_pictures.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for FirstCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        MemberCodeView::deserialize(deserializer).map(FirstCode)
    }
}

/// The barcode, digits and QR of the member code; refreshes itself in the browser. It must not
/// call `use_tr()` (nor render a component that does, such as `ErrorBox`): see [`CodePanelText`].
#[cfg_attr(feature = "islands-card", island)]
#[cfg_attr(not(feature = "islands-card"), component)]
fn MemberCodePanel(initial: FirstCode, text: CodePanelText) -> impl IntoView {
    let code = RwSignal::new(initial.0);
    let error = RwSignal::new(None::<AppError>);
    let tick = RwSignal::new(0u32);
    let seconds_left = RwSignal::new(None::<i64>);
    // A new code whenever `tick` moves (the first run only records the starting point).
    Effect::new(move |previous: Option<u32>| {
        let now = tick.get();
        if previous.is_some() {
            leptos::task::spawn_local(async move {
                match get_member_code().await {
                    Ok(fresh) => {
                        error.set(None);
                        code.set(fresh);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
        now
    });
    Effect::new(move |_| code_refresh::schedule(tick, code.with(|c| c.ttl_secs), seconds_left));

    let refreshes_in = text.refreshes_in.clone();
    let label = move || {
        let left = seconds_left.get().unwrap_or_else(|| code.with(|c| c.ttl_secs)).to_string();
        fill(&refreshes_in, &[("n", &left)])
    };
    let error_text = text.clone();
    view! {
        <section class="code-panel" aria-label=text.label>
            <div class="barcode" inner_html=move || code.with(|c| c.barcode_svg.clone())></div>
            <p class="code-digits" data-testid="member-code" data-code=move || code.with(|c| c.digits.clone())>
                {move || code.with(|c| group_digits(&c.digits))}
            </p>
            <div class="qr" inner_html=move || code.with(|c| c.qr_svg.clone())></div>
            {move || error.get().map(|e| view! { <p class="notice notice-error" role="alert">{error_text.error(&e)}</p> })}
            <p class="muted code-hint">
                <span>{label}</span>
                " · "
                <a href="/card" on:click=move |ev| {
                    ev.prevent_default();
                    tick.update(|n| *n += 1);
                }>{text.refresh_now}</a>
            </p>
            <p class="muted code-hint">{text.hint}</p>
        </section>
    }
}
