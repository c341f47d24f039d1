//! 售后仲裁 (operators, both roles): after-sales requests the shopper disputed after the shop's
//! rejection, with both sides' words and the shopper's photos; the operator refunds (through the
//! payment engine, as the shop's approval would) or upholds the rejection, with words everyone
//! sees. Audited.

use crate::components::{read_error, ErrorBox};
use crate::i18n::use_tr;
use crate::mall_orders::AfterSalesCard;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use plaza_types::dto::{AfterSalesState, AfterSalesView};
use plaza_types::AppError;

#[server(endpoint = "ops/aftersales")]
pub async fn get_ops_disputes(all: bool) -> Result<Vec<AfterSalesView>, AppError> {
    use crate::server::{app, require_operator, user_error};
    require_operator().await?;
    plaza_core::mall_orders::aftersales::views::disputes(&app()?.db, !all).await.map_err(user_error)
}

/// `ruling`: `refund` or `uphold`.
#[server(endpoint = "ops/aftersales/decide")]
pub async fn arbitrate_aftersales(request: i64, ruling: String, note: String) -> Result<(), AppError> {
    use crate::server::{app, require_operator, user_error};
    use plaza_core::mall_orders::aftersales::{arbitrate, Ruling};
    let staff = require_operator().await?;
    let ruling = match ruling.as_str() {
        "refund" => Ruling::Refund,
        "uphold" => Ruling::Uphold,
        _ => return Err(AppError::invalid(plaza_types::error::Field::Reason)),
    };
    let ctx = app()?;
    let provider = ctx.payments.provider.clone();
    let now = plaza_core::Timestamp::now();
    arbitrate(&ctx.db, provider.as_ref(), staff.staff_id, request, ruling, &note, now).await.map_err(user_error)?;
    leptos_axum::redirect("/ops/aftersales?saved=1");
    Ok(())
}

/// `/ops/aftersales`.
#[component]
pub fn OpsAfterSalesPage() -> impl IntoView {
    let t = use_tr();
    let query = use_query_map();
    let decide = ServerAction::<ArbitrateAftersales>::new();
    let all = move || query.with(|q| q.get("all").is_some());
    let list = Resource::new(move || (all(), decide.version().get()), |(all, _)| get_ops_disputes(all));
    let error = Signal::derive(move || {
        read_error(query.with(|q| q.get("error"))).or_else(|| decide.value().get().and_then(|r| r.err()))
    });
    view! {
        <Title text=t.as_ops_title />
        <h1>{t.as_ops_title}</h1>
        <ErrorBox error />
        {move || query.with(|q| q.get("saved").is_some()).then(|| view! { <p class="notice notice-ok" role="status">{t.stc_saved}</p> })}
        <p class="chips">
            <a class="chip" href="/ops/aftersales" aria-current=move || (!all()).then_some("page")>{t.as_ops_waiting}</a>
            <a class="chip" href="/ops/aftersales?all=1" aria-current=move || all().then_some("page")>{t.as_ops_all}</a>
        </p>
        <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(rows) if rows.is_empty() => view! { <p class="panel muted">{t.as_none}</p> }.into_any(),
                Ok(rows) => rows.into_iter().map(|r| {
                    let waiting = r.state == AfterSalesState::Disputed;
                    let id = r.id;
                    view! {
                        <AfterSalesCard r>
                            {waiting.then(|| view! {
                                <ActionForm action=decide attr:class="stack">
                                    <input type="hidden" name="request" value=id />
                                    <label class="field"><span>{t.as_ops_note}</span>
                                        <textarea name="note" rows="3" minlength="2" maxlength="200" required data-testid="arbitration-note"></textarea></label>
                                    <label class="choice"><input type="radio" name="ruling" value="refund" required data-testid="arbitrate-refund" /><span class="choice-text">{t.as_ops_refund}</span></label>
                                    <label class="choice"><input type="radio" name="ruling" value="uphold" required data-testid="arbitrate-uphold" /><span class="choice-text">{t.as_ops_uphold}</span></label>
                                    <button type="submit" class="button button-primary" data-testid="arbitrate-submit">{t.as_ops_title}</button>
                                </ActionForm>
                            })}
                        </AfterSalesCard>
                    }
                }).collect_view().into_any(),
            })}
        </Suspense>
    }
}
