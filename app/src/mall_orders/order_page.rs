use super::{fulfilment_label, state_label, OrderAfterSalesPanel};
use crate::components::{unless_signed_in, ErrorBox, TopBar};
use crate::i18n::{fill, use_lang, use_tr};
use crate::mall_promotions::LineExplain;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use plaza_types::dto::{MallFulfilment, MallOrderState, MallOrderView};
use plaza_types::AppError;

/// One of the shopper's own orders, with its pickup code's QR (SVG) once there is one, and the
/// event outbox's cursor as it was read (the live updates follow from there).
#[server(endpoint = "mall/order")]
pub async fn get_mall_order(order_no: String) -> Result<(MallOrderView, Option<String>, String), AppError> {
    use crate::server::{app, require_member, user_error};
    use plaza_core::mall_orders::views::{self, Viewer};
    let member = require_member().await?;
    let ctx = app()?;
    let cursor = plaza_core::events::head(&ctx.db).await.map_err(user_error)?.to_string();
    let order = views::order(&ctx.db, Viewer::Shopper(member), &order_no, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    let qr = order.pickup_code.as_deref().map(plaza_core::codes::qr_svg);
    Ok((order, qr, cursor))
}

/// Cancels the shopper's own order before the shop accepts it (refunded in full when paid).
#[server(endpoint = "mall/order/cancel")]
pub async fn cancel_mall_order(order_no: String, reason: Option<String>) -> Result<(), AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    let ctx = app()?;
    let provider = ctx.payments.provider.clone();
    let now = plaza_core::Timestamp::now();
    plaza_core::mall_orders::shopper::cancel(
        &ctx.db,
        provider.as_ref(),
        member,
        &order_no,
        reason.as_deref().unwrap_or(""),
        now,
    )
    .await
    .map_err(user_error)?;
    leptos_axum::redirect(&format!("/mall/order/{order_no}"));
    Ok(())
}

/// The shopper confirms their delivery arrived.
#[server(endpoint = "mall/order/confirm")]
pub async fn confirm_mall_order(order_no: String) -> Result<(), AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    let ctx = app()?;
    plaza_core::mall_orders::shopper::confirm_receipt(&ctx.db, member, &order_no, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect(&format!("/mall/order/{order_no}"));
    Ok(())
}

/// `/mall/order/<no>`: the order's state (the time left to pay, the pickup code and its QR, the
/// carrier and tracking number), its lines and how they were priced and paid, its history, and
/// cancel / confirm receipt when they apply.
#[component]
pub fn MallOrderPage() -> impl IntoView {
    let t = use_tr();
    let params = use_params_map();
    let no = move || params.with(|p| p.get("no").unwrap_or_default());
    let order = crate::components::page_resource(no, get_mall_order);
    let aftersales_sent = use_query_map().with_untracked(|q| q.get("aftersales").is_some());
    let cancel = ServerAction::<CancelMallOrder>::new();
    let confirm = ServerAction::<ConfirmMallOrder>::new();
    view! {
        <Title text=t.mo_order_title />
        <TopBar title=t.mo_order_title />
        <main class="page mall-orders order-page">
            <ErrorBox error=Signal::derive(move || cancel.value().get().and_then(|r| r.err())) />
            <ErrorBox error=Signal::derive(move || confirm.value().get().and_then(|r| r.err())) />
            <Suspense>
                {move || order.get().map(|r| match r {
                    Err(e @ AppError::Unauthenticated) => unless_signed_in(e, &format!("/mall/order/{}", no())),
                    Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                    Ok((o, qr, cursor)) => {
                        let live_no = o.order_no.clone();
                        view! {
                        <div id="mo-live" data-order=live_no data-after=cursor>
                            <Order o qr cancel confirm aftersales_sent />
                        </div>
                        <LiveScript />
                    }.into_any()
                    }
                })}
            </Suspense>
        </main>
    }
}

/// Follows `/events/orders/<no>` (the shop accepts, marks ready, dispatches, …) and swaps in the
/// page as it is now, without reloading or any wasm: a few lines carrying the page's nonce. The
/// browser's EventSource reconnects by itself and resumes after the last change it saw. Without
/// JavaScript the page is as it was rendered.
#[component]
fn LiveScript() -> impl IntoView {
    let nonce = leptos::nonce::use_nonce();
    view! { <script nonce=nonce>{LIVE_JS}</script> }
}

const LIVE_JS: &str = r#"(function () {
  var box = document.getElementById("mo-live");
  if (!box || !window.EventSource || !window.DOMParser) return;
  var no = box.getAttribute("data-order");
  var url = "/events/orders/" + encodeURIComponent(no) + "?after=" + encodeURIComponent(box.getAttribute("data-after"));
  var busy = false, again = false;
  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        var next = html && new DOMParser().parseFromString(html, "text/html").getElementById("mo-live");
        if (next) box.innerHTML = next.innerHTML;
      })
      .catch(function () {})
      .then(function () { busy = false; if (again) { again = false; refresh(); } });
  }
  new EventSource(url).addEventListener("order", function (ev) {
    try { if (JSON.parse(ev.data).order_no !== no) return; } catch (e) { return; }
    refresh();
  });
})();"#;

#[component]
fn Order(
    o: MallOrderView,
    qr: Option<String>,
    cancel: ServerAction<CancelMallOrder>,
    confirm: ServerAction<ConfirmMallOrder>,
    aftersales_sent: bool,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let (no_confirm, no_cancel, no_aftersales) = (o.order_no.clone(), o.order_no.clone(), o.order_no.clone());
    view! {
        <section class="panel mo-status" data-testid="mall-order-state" data-state=o.state.as_str()>
            <p class="result-state">{state_label(t, o.state)}</p>
            <p class="muted">{o.shop.get(lang).to_string()}" · "{fulfilment_label(t, o.fulfilment)}</p>
            {o.expires_at.clone().map(|at| view! {
                <p class="notice" data-testid="time-left">{fill(t.mo_time_left, &[("at", &at), ("min", &o.seconds_left.unwrap_or(0).div_euclid(60).to_string())])}</p>
            })}
            {o.pay_url.clone().map(|url| view! { <a class="button button-primary" href=url data-testid="pay-now">{t.mo_pay_now}</a> })}
            {match (o.fulfilment, o.pickup_code.clone()) {
                (MallFulfilment::Pickup, Some(code)) => view! {
                    <div class="mo-pickup">
                        <p>{t.mo_pickup_code}</p>
                        <p class="mo-code" data-testid="pickup-code">{code}</p>
                        <div class="mo-qr" inner_html=qr.unwrap_or_default()></div>
                        <p class="small">{fill(t.mo_pickup_hint, &[("unit", &o.pickup_unit)])}</p>
                    </div>
                }.into_any(),
                (MallFulfilment::Pickup, None) if o.state == MallOrderState::Paid => view! { <p class="muted small">{t.mo_pickup_waiting}</p> }.into_any(),
                (MallFulfilment::Delivery, _) if !o.tracking_no.is_empty() => view! {
                    <p data-testid="tracking">{fill(t.mo_shipped_with, &[("carrier", &o.carrier), ("no", &o.tracking_no)])}</p>
                }.into_any(),
                _ => ().into_any(),
            }}
        </section>
        {(o.fulfilment == MallFulfilment::Delivery).then(|| view! {
            <section class="panel"><h2>{t.mo_ship_to}</h2><p>{o.ship_name.clone()}" "{o.ship_phone.clone()}</p><p>{o.ship_address.clone()}</p></section>
        })}
        <section class="panel">
            <ul class="mo-lines">
                {o.lines.iter().map(|l| view! {
                    <li data-testid="order-line">
                        <span>{l.title.clone()}{(!l.spec.is_empty()).then(|| format!(" · {}", l.spec))}" × "{l.quantity}
                            {(l.refunded_quantity > 0).then(|| view! { " "<span class="badge">{t.mo_refunded}" "{l.refunded_quantity}</span> })}
                            <br /><LineExplain price=explained(l) /></span>
                        <span>{l.line_total.to_string()}
                            {(l.unit_price != l.list_price).then(|| view! { " "<s class="muted small">{fill(t.mo_list_price, &[("price", &l.list_price.to_string())])}</s> })}</span>
                    </li>
                }).collect_view()}
            </ul>
            <dl class="facts">
                <div><dt>{t.mo_goods_total}</dt><dd>{o.list_total.to_string()}</dd></div>
                {savings(&o).into_iter().filter(|(_, off)| off.0 > 0).map(|(kind, off)| {
                    let label = match kind {
                        Saving::Member => t.mo_member_saving,
                        Saving::LimitedTime => t.mo_limited_saving,
                        Saving::Bundle => t.mo_bundle_saving,
                        Saving::SpendOff => t.mo_spend_saving,
                    };
                    view! { <div data-testid="order-saving"><dt>{label}</dt><dd>"-"{off.to_string()}</dd></div> }
                }).collect_view()}
                {(o.coupon.0 > 0).then(|| view! { <div><dt>{t.pay_coupon_off}</dt><dd>"-"{o.coupon.to_string()}</dd></div> })}
                {(o.points.0 > 0).then(|| view! { <div><dt>{fill(t.pay_points_off, &[("n", "")])}</dt><dd>"-"{o.points.to_string()}</dd></div> })}
                {(o.stored_value.0 > 0).then(|| view! { <div><dt>{t.pay_sv_off}</dt><dd>"-"{o.stored_value.to_string()}</dd></div> })}
                <div class="total"><dt>{t.pay_external}</dt><dd data-testid="order-external">{o.external.to_string()}</dd></div>
                {(o.refunded.0 > 0).then(|| view! { <div><dt>{t.mo_refunded}</dt><dd data-testid="order-refunded">{o.refunded.to_string()}</dd></div> })}
            </dl>
            <p class="muted small">{t.mo_order_no}" "{o.order_no.clone()}" · "{t.mo_placed_at}" "{o.placed_at.clone()}</p>
        </section>
        {o.confirmable.then(|| view! {
            <ActionForm action=confirm>
                <input type="hidden" name="order_no" value=no_confirm />
                <button type="submit" class="button button-primary button-block" data-testid="confirm-receipt">{t.mo_confirm_receipt}</button>
            </ActionForm>
        })}
        {o.cancellable.then(|| view! {
            <details class="panel">
                <summary data-testid="cancel-order">{t.mo_cancel}</summary>
                <ActionForm action=cancel attr:class="stack">
                    <input type="hidden" name="order_no" value=no_cancel />
                    <input type="text" name="reason" maxlength="100" placeholder=t.mo_cancel_reason />
                    <button type="submit" class="button button-danger" data-testid="cancel-confirm">{t.mo_cancel_confirm}</button>
                </ActionForm>
            </details>
        })}
        <OrderAfterSalesPanel order_no=no_aftersales submitted=aftersales_sent />
        <section class="panel">
            <h2>{t.mo_history}</h2>
            <ol class="mo-steps">
                {o.steps.iter().map(|s| view! { <li><span>{state_label(t, s.state)}</span>" "<span class="muted small">{s.at.clone()}</span></li> }).collect_view()}
            </ol>
        </section>
        <a class="button-link" href="/mall/orders">{t.mo_orders_title}</a>
    }
}

/// The kinds of saving an order's lines carry, in the order the price engine applies them.
#[derive(Clone, Copy)]
enum Saving {
    Member,
    LimitedTime,
    Bundle,
    SpendOff,
}

/// What member prices, limited-time prices, bundles and 满减 took off the order, from its lines.
fn savings(o: &plaza_types::dto::MallOrderView) -> [(Saving, plaza_types::Fen); 4] {
    use plaza_types::pricing::UnitRule;
    let below_list = |rule: UnitRule| -> i64 {
        o.lines.iter().filter(|l| l.rule == rule).map(|l| (l.list_price.0 - l.unit_price.0) * l.quantity).sum()
    };
    [
        (Saving::Member, plaza_types::Fen(below_list(UnitRule::Member))),
        (Saving::LimitedTime, plaza_types::Fen(below_list(UnitRule::LimitedTime))),
        (Saving::Bundle, plaza_types::Fen(o.lines.iter().map(|l| l.bundle_off.0).sum())),
        (Saving::SpendOff, plaza_types::Fen(o.lines.iter().map(|l| l.spend_off.0).sum())),
    ]
}

/// A placed line as the price engine explained it when the order was placed.
fn explained(l: &plaza_types::dto::MallOrderLine) -> plaza_types::pricing::ExplainedLine {
    plaza_types::pricing::ExplainedLine {
        sku: l.sku_id,
        quantity: l.quantity,
        list_price: l.list_price,
        rule: l.rule,
        unit_price: l.unit_price,
        bundle_off: l.bundle_off,
        spend_off: l.spend_off,
        paid: l.line_total,
        ..Default::default()
    }
}
