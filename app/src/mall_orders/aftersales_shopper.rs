//! The shopper's after-sales: the request form (/mall/order/<no>/aftersales — lines and units,
//! a reason from the list and words, up to 6 photos, whether the goods come back — posted as one
//! multipart form to `POST /mall/aftersales`, so it works without JavaScript) and, on the order
//! page, the order's requests with their state and history and the one dispute of a rejection.

use super::aftersales_card::{left_text, reason_label, AfterSalesCard};
use crate::components::{page_resource, read_error, unless_signed_in, ErrorBox, TopBar};
use crate::i18n::use_tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use plaza_types::dto::{AfterSalesReason, AfterSalesState, OrderAfterSales};
use plaza_types::AppError;

/// One of the shopper's own orders: may a request be made, which lines are left, its requests.
#[server(endpoint = "mall/aftersales")]
pub async fn get_order_aftersales(order_no: String) -> Result<OrderAfterSales, AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    plaza_core::mall_orders::aftersales::views::for_order(&app()?.db, member, &order_no, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)
}

/// The shopper disputes the shop's rejection of their request (once): the mall decides.
#[server(endpoint = "mall/aftersales/dispute")]
pub async fn dispute_aftersales(request: i64, order_no: String, note: String) -> Result<(), AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    plaza_core::mall_orders::aftersales::dispute(&app()?.db, member, request, &note, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect(&format!("/mall/order/{}", crate::auth::encode_component(&order_no)));
    Ok(())
}

/// On the order page: the link to ask, and the order's requests (a rejected one with its dispute
/// form). `submitted` (the page's `?aftersales`, read by the page itself: this panel renders
/// inside the page's `<Suspense>`, whose server-side copies may run after the router is gone)
/// shows that a request was just sent.
#[component]
pub fn OrderAfterSalesPanel(order_no: String, submitted: bool) -> impl IntoView {
    let t = use_tr();
    let dispute = ServerAction::<DisputeAftersales>::new();
    let no = order_no.clone();
    let found = page_resource(move || (no.clone(), dispute.version().get()), |(no, _)| get_order_aftersales(no));
    view! {
        {submitted.then(|| view! { <p class="notice notice-ok" role="status" data-testid="aftersales-sent">{t.as_submitted}</p> })}
        <ErrorBox error=Signal::derive(move || dispute.value().get().and_then(|r| r.err())) />
        <Suspense>
            {move || found.get().and_then(|r| r.ok()).map(|o| {
                let no = o.order_no.clone();
                view! {
                    {o.can_request.then(|| view! {
                        <a class="button button-block" href=format!("/mall/order/{no}/aftersales") data-testid="request-aftersales">{t.as_request}</a>
                    })}
                    {(!o.requests.is_empty()).then(|| view! { <h2>{t.as_title}</h2> })}
                    {o.requests.into_iter().map(|r| {
                        let disputable = r.state == AfterSalesState::Rejected && !r.disputed;
                        let (id, no) = (r.id, o.order_no.clone());
                        view! {
                            <AfterSalesCard r>
                                {disputable.then(|| view! {
                                    <details>
                                        <summary data-testid="dispute-aftersales">{t.as_dispute}</summary>
                                        <ActionForm action=dispute attr:class="stack">
                                            <input type="hidden" name="request" value=id />
                                            <input type="hidden" name="order_no" value=no />
                                            <label class="field"><span>{t.as_dispute_note}</span>
                                                <textarea name="note" rows="3" minlength="2" maxlength="200" required data-testid="dispute-note"></textarea></label>
                                            <button type="submit" class="button button-primary" data-testid="dispute-submit">{t.as_dispute_submit}</button>
                                        </ActionForm>
                                    </details>
                                })}
                            </AfterSalesCard>
                        }
                    }).collect_view()}
                }
            })}
        </Suspense>
    }
}

/// `/mall/order/<no>/aftersales`: the request form.
#[component]
pub fn AfterSalesRequestPage() -> impl IntoView {
    let t = use_tr();
    let no = use_params_map().with_untracked(|p| p.get("no").unwrap_or_default());
    let refused = use_query_map().with_untracked(|q| read_error(q.get("error")));
    let key = no.clone();
    let found = page_resource(move || key.clone(), get_order_aftersales);
    view! {
        <Title text=t.as_request_title />
        <TopBar title=t.as_request_title />
        <main class="page mall-orders">
            <ErrorBox error=refused />
            <Suspense fallback=move || view! { <div class="skeleton"></div> }>
                {move || found.get().map(|r| match r {
                    Err(e) => unless_signed_in(e, &format!("/mall/order/{no}/aftersales")),
                    Ok(o) if !o.can_request => view! {
                        <ErrorBox error=Some(AppError::AfterSales { problem: plaza_types::dto::AfterSalesProblem::NotEligible }) />
                        <a class="button-link" href=format!("/mall/order/{}", o.order_no)>{t.mo_order_title}</a>
                    }.into_any(),
                    Ok(o) => view! {
                        <form class="panel stack" method="post" action="/mall/aftersales" enctype="multipart/form-data" data-testid="aftersales-form">
                            <input type="hidden" name="order_no" value=o.order_no.clone() />
                            <fieldset class="stack">
                                <legend>{t.as_choose_lines}</legend>
                                {o.lines.iter().map(|l| view! {
                                    <label class="field"><span>{l.title.clone()}{(!l.spec.is_empty()).then(|| format!(" · {}", l.spec))}
                                        <small class="muted">" "{left_text(t, l.left, l.unit_price)}</small></span>
                                        <input type="number" name=format!("q[{}]", l.line_id) min="0" max=l.left value="0" inputmode="numeric" data-testid="aftersales-quantity" /></label>
                                }).collect_view()}
                            </fieldset>
                            <label class="field"><span>{t.as_reason}</span>
                                <select name="reason" required data-testid="aftersales-reason">
                                    {AfterSalesReason::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{reason_label(t, r)}</option> }).collect_view()}
                                </select></label>
                            <label class="field"><span>{t.as_reason_text}</span>
                                <textarea name="reason_text" rows="3" maxlength="200" data-testid="aftersales-words"></textarea></label>
                            <label class="field"><span>{t.as_photos}</span>
                                <input type="file" name="photos" accept="image/jpeg,image/png,image/webp" multiple data-testid="aftersales-photos" /></label>
                            <label class="choice"><input type="checkbox" name="returning" value="1" data-testid="aftersales-returning" /><span class="choice-text">{t.as_returning}</span></label>
                            <button type="submit" class="button button-primary button-block" data-testid="aftersales-submit">{t.as_submit}</button>
                        </form>
                    }.into_any(),
                })}
            </Suspense>
        </main>
    }
}
