//! `/balance/topup`: ready-made amounts with their bonus, or an amount of one's own with the
//! bonus shown as it is typed; paid through the payment engine.

use crate::components::{read_error, unless_signed_in, ErrorBox, TopBar};
use crate::i18n::{fill, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use plaza_types::dto::{topup_bonus, BonusTier, TopupOptions};
use plaza_types::{AppError, Fen};

#[server(endpoint = "stored-value/topup-options")]
pub async fn get_topup_options() -> Result<TopupOptions, AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    let ctx = app()?;
    plaza_core::topup::options(&ctx.db, member).await.map_err(user_error)
}

/// Starts a top-up: `preset` (fen, from a ready-made button) or `amount` (yuan, typed). The
/// browser goes on to the provider's page; a refusal returns here with the reason.
#[server(endpoint = "stored-value/topup")]
pub async fn start_topup(
    preset: Option<String>,
    amount: Option<String>,
    request_key: String,
) -> Result<String, AppError> {
    use crate::components::error_param;
    use crate::server::{app, require_member, user_error};
    use plaza_core::topup::{self, TopupPolicy};
    let member = match require_member().await {
        Ok(member) => member,
        Err(AppError::Unauthenticated) => {
            leptos_axum::redirect("/login?next=%2Fbalance%2Ftopup");
            return Err(AppError::Unauthenticated);
        }
        Err(e) => return Err(e),
    };
    let typed = amount.clone().unwrap_or_default();
    let attempt = async {
        let ctx = app()?;
        let policy: TopupPolicy = plaza_core::settings::get(ctx.db.pool()).await.map_err(user_error)?;
        let fen = match preset.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => Fen(p.parse().map_err(|_| AppError::invalid(plaza_types::error::Field::Amount))?),
            None => policy.parse_amount(&typed)?,
        };
        // One key per page shown and amount: a resubmitted form returns the payment it started,
        // another amount from the same page starts its own.
        let key = format!("{}:t{}", request_key.chars().take(40).collect::<String>(), fen.0);
        let provider = ctx.payments.provider.clone();
        topup::topup(&ctx.db, provider.as_ref(), member, fen, &key, plaza_core::Timestamp::now())
            .await
            .map_err(user_error)
    };
    match attempt.await {
        Ok(created) => {
            let next = created.pay_url.clone().unwrap_or_else(|| format!("/pay/result/{}", created.payment_no));
            leptos_axum::redirect(&next);
            Ok(created.payment_no.to_string())
        }
        Err(error) => {
            let keep = crate::auth::encode_component(&typed);
            leptos_axum::redirect(&format!("/balance/topup?amount={keep}&{}", error_param(&error)));
            Err(error)
        }
    }
}

/// The amount box with the bonus worked out as the shopper types (the server decides the same
/// way when the payment is created).
#[cfg_attr(feature = "islands-shopper", island)]
#[cfg_attr(not(feature = "islands-shopper"), component)]
fn TopupAmount(tiers: Vec<BonusTier>, min: Fen, max: Fen, initial: String) -> impl IntoView {
    let t = use_tr();
    let typed = RwSignal::new(initial);
    let tiers = StoredValue::new(tiers);
    // What was typed before the page came alive counts too (and is not overwritten).
    let input = NodeRef::<leptos::html::Input>::new();
    let ready = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            typed.set(el.value());
            ready.set(true);
        }
    });
    let line = move || {
        let fen = typed.with(|v| Fen::from_yuan_str(v).ok()).filter(|f| f.0 > 0);
        match fen {
            None => fill(t.topup_range, &[("min", &min.short()), ("max", &max.short())]),
            Some(f) if f < min || f > max => fill(t.topup_range, &[("min", &min.short()), ("max", &max.short())]),
            Some(f) => {
                let bonus = tiers.with_value(|tiers| topup_bonus(tiers, f));
                if bonus.0 > 0 {
                    fill(
                        t.topup_gets_bonus,
                        &[("bonus", &bonus.to_string()), ("total", &Fen(f.0 + bonus.0).to_string())],
                    )
                } else {
                    fill(t.topup_gets, &[("total", &f.to_string())])
                }
            }
        }
    };
    view! {
        <label class="field">
            <span>{t.topup_custom}</span>
            <input type="text" name="amount" inputmode="decimal" autocomplete="off" data-testid="topup-amount"
                node_ref=input data-ready=move || ready.get().to_string()
                placeholder=fill(t.topup_placeholder, &[("min", &min.short())])
                prop:value=move || typed.get()
                on:input=move |ev| typed.set(event_target_value(&ev)) />
        </label>
        <p class="topup-live" aria-live="polite" data-testid="topup-live">{line}</p>
    }
}

#[component]
pub fn TopupPage() -> impl IntoView {
    let t = use_tr();
    let query = use_query_map();
    let refused = move || read_error(query.with(|q| q.get("error")));
    let typed = move || query.with(|q| q.get("amount").unwrap_or_default());
    let options = crate::components::page_resource(|| (), |_| get_topup_options());
    view! {
        <Title text=t.topup_title />
        <TopBar title=t.topup_title>
            <a href="/balance">{t.balance_title}</a>
        </TopBar>
        <main class="page topup-page">
            <ErrorBox error=Signal::derive(refused) />
            <Suspense>
                {move || options.get().map(|r| match r {
                    Err(e) => unless_signed_in(e, "/balance/topup"),
                    Ok(o) => {
                        let tiers_line = o
                            .tiers
                            .iter()
                            .map(|tier| fill(t.topup_tier, &[("from", &tier.from.short()), ("bonus", &tier.bonus.short())]))
                            .map(|text| view! { <span class="topup-tier">{text}</span> })
                            .collect_view();
                        view! {
                            <section class="panel balance-panel">
                                <div class="balance-big">
                                    <span class="muted">{t.topup_current}</span>
                                    <strong data-testid="sv-balance">{o.balance.to_string()}</strong>
                                </div>
                            </section>
                            {(!o.tiers.is_empty()).then(|| view! { <p class="notice topup-tiers" data-testid="topup-tiers">{tiers_line}</p> })}
                            <form method="post" action="/api/stored-value/topup" class="panel stack">
                                <h2>{t.topup_pick}</h2>
                                <input type="hidden" name="request_key" value=o.request_key.clone() />
                                <div class="topup-grid">
                                    {o.presets.iter().map(|p| view! {
                                        <button type="submit" name="preset" value=p.amount.0 class="topup-choice" data-testid="topup-preset">
                                            <strong>{p.amount.short()}</strong>
                                            {if p.bonus.0 > 0 {
                                                view! { <small class="topup-bonus">{fill(t.topup_bonus, &[("bonus", &p.bonus.short())])}</small> }.into_any()
                                            } else {
                                                view! { <small class="muted">{t.topup_no_bonus}</small> }.into_any()
                                            }}
                                        </button>
                                    }).collect_view()}
                                </div>
                            </form>
                            <form method="post" action="/api/stored-value/topup" class="panel stack">
                                <input type="hidden" name="request_key" value=o.request_key.clone() />
                                <TopupAmount tiers=o.tiers.clone() min=o.min max=o.max initial=typed() />
                                <div class="action-bar">
                                    <button type="submit" class="button button-primary button-block" data-testid="topup-submit">{t.topup_submit}</button>
                                </div>
                            </form>
                            <p class="muted small">{t.topup_note}</p>
                        }.into_any()
                    }
                })}
            </Suspense>
        </main>
    }
}
