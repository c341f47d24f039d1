use super::order_live::OrderLive;
use super::state_label;
use crate::components::{unless_signed_in, ErrorBox, TopBar};
use crate::i18n::{fill, use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use plaza_types::dto::{DiningOrderView, DiningState};
use plaza_types::AppError;

/// The shopper's own order, after asking the provider about an open payment (the browser's return
/// from the provider completes or closes it through the same command as the notification).
#[server(endpoint = "dining/order")]
pub async fn get_order(order_no: String) -> Result<DiningOrderView, AppError> {
    use crate::server::{app, require_member, user_error};
    use plaza_core::dining::views;
    let member = require_member().await?;
    let ctx = app()?;
    let now = plaza_core::Timestamp::now();
    let provider = ctx.payments.provider.clone();
    views::settle(&ctx.db, provider.as_ref(), member, &order_no, now).await.map_err(user_error)?;
    let tz = plaza_core::mall::timezone(&ctx.db).await.map_err(user_error)?;
    views::of_member(&ctx.db, member, &order_no, &tz).await.map_err(user_error)
}

/// The shopper cancels their order before the kitchen starts on it: refunded in full.
#[server(endpoint = "dining/order/cancel")]
pub async fn cancel_my_order(order_no: String) -> Result<(), AppError> {
    use crate::server::{app, require_member, user_error};
    use plaza_core::dining::cancel::{cancel, Canceller};
    let member = require_member().await?;
    let ctx = app()?;
    let (db, provider, no) = (ctx.db.clone(), ctx.payments.provider.clone(), order_no.clone());
    // Run to the end even if the phone goes away meanwhile: a cancellation stopped between
    // marking the order and refunding it would leave it cancelling.
    tokio::spawn(async move {
        cancel(&db, provider.as_ref(), &no, Canceller::Member(member), "", plaza_core::Timestamp::now()).await
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(user_error)?;
    leptos_axum::redirect(&format!("/dining/order/{order_no}?cancelled=1"));
    Ok(())
}

/// `/dining/order/<no>`: the order followed live — paid → accepted → preparing → ready (the call
/// number shown big) → collected or served — with what was ordered and how it was paid.
#[component]
pub fn OrderPage() -> impl IntoView {
    let t = use_tr();
    let params = use_params_map();
    let no = move || params.with(|p| p.get("no").unwrap_or_default());
    let order = Resource::new(no, get_order);
    let cancel = ServerAction::<CancelMyOrder>::new();
    view! {
        <Title text=t.dn_order_title />
        <TopBar title=t.dn_order_title />
        <main class="page dining-page order-page">
            <ErrorBox error=Signal::derive(move || cancel.value().get().and_then(|r| r.err())) />
            <Suspense>
                {move || order.get().map(|r| match r {
                    Err(e @ AppError::Unauthenticated) => unless_signed_in(e, &format!("/dining/order/{}", no())),
                    Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                    Ok(o) => view! { <Order o /> }.into_any(),
                })}
            </Suspense>
            <a class="button-link" href="/dining/orders">{t.dn_my_orders}</a>
        </main>
    }
}

#[component]
fn Order(o: DiningOrderView) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let ticket = o.ticket.clone();
    let state = ticket.state;
    let moving = !matches!(state, DiningState::Done | DiningState::Cancelled | DiningState::Released);
    let b = o.breakdown;
    let again = o.table_code.clone().map(|code| format!("/t/{code}/{}", o.restaurant.code));
    view! {
        <section class="panel order-head">
            <p class="order-restaurant">{o.restaurant.name.get(lang).to_string()}</p>
            {(!ticket.table.is_empty()).then(|| view! {
                <p class="muted small">{ticket.area.get(lang).to_string()}" · "{fill(t.dn_table_label, &[("n", &ticket.table)])}</p>
            })}
        </section>
        {moving.then(|| view! { <noscript><meta http-equiv="refresh" content="10" /></noscript> })}
        <OrderLive ticket=ticket.clone() cursor=o.cursor.clone() />
        {(state == DiningState::Pending).then(|| view! {
            <section class="panel">
                <p class="muted">{t.dn_awaiting_payment}</p>
                {o.pay_url.clone().map(|url| view! { <a class="button button-primary button-block" href=url data-testid="continue-paying">{t.pay_continue}</a> })}
            </section>
        })}
        {(state == DiningState::Released).then(|| view! {
            <p class="notice" data-testid="order-released">{t.dn_released_note}</p>
        })}
        {o.cancel_reason.clone().filter(|_| matches!(state, DiningState::Cancelled | DiningState::Cancelling)).map(|r| view! {
            <p class="notice" data-testid="cancel-reason">{t.dn_cancel_reason}"："{r}</p>
        })}
        <section class="panel">
            <h2>{t.dn_items}</h2>
            <ul class="order-items">
                {ticket.items.iter().map(|i| view! {
                    <li>
                        <span class="order-item-name">{i.name.get(lang).to_string()}" × "{i.quantity}</span>
                        <span class="order-item-total">{i.total.to_string()}</span>
                        {(!i.options.get(lang).is_empty()).then(|| view! { <span class="muted small order-item-sub">{i.options.get(lang).to_string()}</span> })}
                        {(!i.remark.is_empty()).then(|| view! { <span class="small order-item-sub">{t.field_remark}"："{i.remark.clone()}</span> })}
                    </li>
                }).collect_view()}
            </ul>
            {(!ticket.remark.is_empty()).then(|| view! { <p class="small">{t.dn_order_remark}"："{ticket.remark.clone()}</p> })}
            <dl class="facts order-money">
                <div><dt>{t.dn_total}</dt><dd>{b.amount.to_string()}</dd></div>
                {(b.coupon.0 > 0).then(|| view! { <div><dt>{t.pay_coupon_off}</dt><dd>"-"{b.coupon.to_string()}</dd></div> })}
                {(b.points_used > 0).then(|| view! {
                    <div><dt>{fill(t.pay_points_off, &[("n", &b.points_used.to_string())])}</dt><dd>"-"{b.points_value.to_string()}</dd></div>
                })}
                {(b.stored_value.0 > 0).then(|| view! { <div><dt>{t.pay_sv_off}</dt><dd>"-"{b.stored_value.to_string()}</dd></div> })}
                {(b.to_pay.0 > 0).then(|| view! { <div><dt>{t.pay_external}</dt><dd>{b.to_pay.to_string()}</dd></div> })}
                {(o.refunded.0 > 0).then(|| view! { <div><dt>{t.pay_refunded}</dt><dd data-testid="refunded">{o.refunded.to_string()}</dd></div> })}
                {(o.points_earned > 0).then(|| view! {
                    <div><dt>{t.dn_points_earned}</dt><dd data-testid="order-points">{fill(t.dn_points_n, &[("n", &o.points_earned.to_string())])}</dd></div>
                })}
                <div><dt>{t.pay_no}</dt><dd class="small">{ticket.order_no.clone()}</dd></div>
                <div><dt>{t.dn_ordered_at}</dt><dd>{o.created_at.clone()}</dd></div>
            </dl>
        </section>
        <section class="panel">
            <h2>{t.dn_history}</h2>
            <ol class="order-steps" data-testid="order-history">
                {o.steps.iter().map(|s| view! {
                    <li><span>{state_label(t, s.state, ticket.fulfilment)}</span>" "<span class="muted small">{s.at.clone()}</span></li>
                }).collect_view()}
            </ol>
        </section>
        {again.map(|href| view! { <a class="button button-block" href=href>{t.dn_order_more}</a> })}
    }
}
