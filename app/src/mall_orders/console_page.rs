use super::console_actions::{
    AcceptShopOrder, DeliverShopOrder, DispatchShopOrder, HandOverShopOrder, RefundShopOrder,
};
use super::{fulfilment_label, state_label, ShopAfterSalesList, ShopOrderAfterSales};
use crate::components::ErrorBox;
use crate::i18n::{fill, use_tr};
use crate::tenant::TenantScope;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use plaza_types::dto::{MallFulfilment, MallOrderState, MallOrderSummary, MallOrderView};
use plaza_types::{AppError, StaffRole};

/// The shop's paid orders, by state or found by order number, pickup code or phone tail.
#[server(endpoint = "tenant/mall/orders")]
pub async fn get_shop_orders(
    tenant: i64,
    state: Option<String>,
    q: Option<String>,
) -> Result<Vec<MallOrderSummary>, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_core::mall_orders::views::{self, ListFilter, Viewer};
    use plaza_types::TenantId;
    require_tenant_staff(TenantId(tenant), &super::console_actions::ROLES).await?;
    let ctx = app()?;
    let filter = ListFilter { state: state.as_deref().and_then(MallOrderState::parse), query: q.unwrap_or_default() };
    views::list(&ctx.db, Viewer::Shop(TenantId(tenant)), &filter, 100).await.map_err(user_error)
}

/// One of the shop's paid orders (never its pickup code).
#[server(endpoint = "tenant/mall/order")]
pub async fn get_shop_order(tenant: i64, order_no: String) -> Result<MallOrderView, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_core::mall_orders::views::{self, Viewer};
    use plaza_types::TenantId;
    require_tenant_staff(TenantId(tenant), &super::console_actions::ROLES).await?;
    let ctx = app()?;
    views::order(&ctx.db, Viewer::Shop(TenantId(tenant)), &order_no, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)
}

const FILTERS: [MallOrderState; 7] = [
    MallOrderState::Paid,
    MallOrderState::Ready,
    MallOrderState::Accepted,
    MallOrderState::Shipped,
    MallOrderState::Delivered,
    MallOrderState::Completed,
    MallOrderState::Cancelled,
];

/// `/tenant/orders`: hand over by pickup code, and the orders by state or search.
#[component]
pub fn ShopOrdersPage() -> impl IntoView {
    let t = use_tr();
    let scope = expect_context::<TenantScope>();
    let tenant = scope.tenant.id.0;
    let query = use_query_map();
    let filter = move || query.with(|q| (q.get("state"), q.get("q")));
    let orders = Resource::new(filter, move |(state, q)| get_shop_orders(tenant, state, q));
    let hand_over = ServerAction::<HandOverShopOrder>::new();
    view! {
        <Title text=t.mo_console_title />
        <h1>{t.mo_console_title}</h1>
        <ErrorBox error=Signal::derive(move || hand_over.value().get().and_then(|r| r.err())) />
        <section class="panel">
            <h2>{t.mo_hand_over}</h2>
            <ActionForm action=hand_over attr:class="dn-inline-fields">
                <input type="hidden" name="tenant" value=tenant />
                <label class="field"><span>{t.mo_hand_over_code}</span>
                    <input type="text" name="code" inputmode="numeric" maxlength="12" autocomplete="off" required data-testid="pickup-code-input" /></label>
                <button type="submit" class="button button-primary" data-testid="hand-over">{t.mo_hand_over}</button>
            </ActionForm>
        </section>
        <form method="get" class="dn-inline-fields">
            <select name="state" aria-label=t.mo_state_filter>
                <option value="">{t.mo_all_states}</option>
                {FILTERS.into_iter().map(|s| view! {
                    <option value=s.as_str() selected=move || query.with(|q| q.get("state").as_deref() == Some(s.as_str()))>{state_label(t, s)}</option>
                }).collect_view()}
            </select>
            <input type="search" name="q" aria-label=t.mo_search_hint placeholder=t.mo_search_hint value=move || query.with(|q| q.get("q")) />
            <button type="submit" class="button">{t.mo_search}</button>
            <a class="chip" href="/tenant/orders?aftersales=waiting" data-testid="aftersales-filter">{t.as_filter}</a>
        </form>
        {move || query.with(|q| q.get("aftersales")).map(|which| view! { <ShopAfterSalesList tenant all=which == "all" /> })}
        <Suspense>
            {move || orders.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="muted">{t.mo_none_found}</p> }.into_any(),
                Ok(list) => view! {
                    <table class="table table-cards">
                        <thead><tr><th>{t.mo_order_no}</th><th>{t.mo_buyer}</th><th>{t.mo_fulfilment}</th><th>{t.mo_goods_total}</th><th></th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|o| view! {
                                <tr data-testid="shop-order" data-state=o.state.as_str()>
                                    <td><a href=format!("/tenant/orders/{}", o.order_no)>{o.order_no.clone()}</a><br />
                                        <span class="muted small">{o.placed_at.clone()}</span></td>
                                    <td data-label=t.mo_buyer>{o.buyer.clone()}</td>
                                    <td data-label=t.mo_fulfilment>{fulfilment_label(t, o.fulfilment)}<br /><span class="small">{o.first_title.clone()}" · "{if o.item_count == 1 { t.mo_items_one.to_string() } else { fill(t.mo_items, &[("n", &o.item_count.to_string())]) }}</span></td>
                                    <td data-label=t.mo_goods_total>{o.total.to_string()}</td>
                                    <td><span class="badge">{state_label(t, o.state)}</span></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            })}
        </Suspense>
    }
}

/// `/tenant/orders/<no>`: one order as a packing slip (prints as it is), with the step the shop
/// takes next and the after-sales refund.
#[component]
pub fn ShopOrderPage() -> impl IntoView {
    let t = use_tr();
    let scope = expect_context::<TenantScope>();
    let tenant = scope.tenant.id.0;
    let owner = scope.role == StaffRole::TenantOwner;
    let params = use_params_map();
    let query = use_query_map();
    let no = move || params.with(|p| p.get("no").unwrap_or_default());
    let order = Resource::new(no, move |no| get_shop_order(tenant, no));
    let accept = ServerAction::<AcceptShopOrder>::new();
    let dispatch = ServerAction::<DispatchShopOrder>::new();
    let deliver = ServerAction::<DeliverShopOrder>::new();
    let refund = ServerAction::<RefundShopOrder>::new();
    let errors = move || {
        accept
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| dispatch.value().get().and_then(|r| r.err()))
            .or_else(|| deliver.value().get().and_then(|r| r.err()))
            .or_else(|| refund.value().get().and_then(|r| r.err()))
    };
    view! {
        <Title text=t.mo_order_title />
        <p><a href="/tenant/orders">{t.mo_console_title}</a></p>
        <ErrorBox error=Signal::derive(errors) />
        <Suspense>
            {move || order.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(o) => {
                    let handed = query.with(|q| q.get("handed").is_some());
                    view! { <Slip o tenant owner handed accept dispatch deliver refund /> }.into_any()
                }
            })}
        </Suspense>
    }
}

#[component]
#[allow(clippy::too_many_arguments)]
fn Slip(
    o: MallOrderView,
    tenant: i64,
    owner: bool,
    handed: bool,
    accept: ServerAction<AcceptShopOrder>,
    dispatch: ServerAction<DispatchShopOrder>,
    deliver: ServerAction<DeliverShopOrder>,
    refund: ServerAction<RefundShopOrder>,
) -> impl IntoView {
    let t = use_tr();
    let no = o.order_no.clone();
    let (no_accept, no_dispatch, no_deliver, no_refund) = (no.clone(), no.clone(), no.clone(), no.clone());
    let no_aftersales = no.clone();
    let refundable = owner
        && !matches!(o.state, MallOrderState::Cancelling | MallOrderState::Cancelled | MallOrderState::Expired)
        && o.lines.iter().any(|l| l.quantity > l.refunded_quantity);
    view! {
        <h1>{t.mo_order_no}" "{o.order_no.clone()}</h1>
        {handed.then(|| fill(t.mo_handed_over, &[("no", &no)])).map(|text| view! { <p class="notice notice-ok" data-testid="handed-over">{text}</p> })}
        <p data-testid="shop-order-state" data-state=o.state.as_str()><span class="badge">{state_label(t, o.state)}</span>" "
            {fulfilment_label(t, o.fulfilment)}" · "{o.placed_at.clone()}</p>
        {(o.fulfilment == MallFulfilment::Delivery).then(|| view! {
            <section class="panel"><h2>{t.mo_ship_to}</h2><p>{o.ship_name.clone()}" "{o.ship_phone.clone()}</p><p>{o.ship_address.clone()}</p>
                {(!o.tracking_no.is_empty()).then(|| view! { <p>{fill(t.mo_shipped_with, &[("carrier", &o.carrier), ("no", &o.tracking_no)])}</p> })}</section>
        })}
        <table class="table">
            <tbody>
                {o.lines.iter().map(|l| view! {
                    <tr><td>{l.title.clone()}{(!l.spec.is_empty()).then(|| format!(" · {}", l.spec))}</td><td>"× "{l.quantity}</td>
                        <td>{l.line_total.to_string()}</td>
                        <td>{(l.refunded_quantity > 0).then(|| format!("{} {}", t.mo_refunded, l.refunded_quantity))}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
        <p>{t.mo_goods_total}" "<strong>{o.total.to_string()}</strong>
            {(o.refunded.0 > 0).then(|| view! { " · "{t.mo_refunded}" "{o.refunded.to_string()} })}</p>
        <div class="stack">
            {(o.state == MallOrderState::Paid).then(|| view! {
                <ActionForm action=accept>
                    <input type="hidden" name="tenant" value=tenant />
                    <input type="hidden" name="order_no" value=no_accept />
                    <button type="submit" class="button button-primary" data-testid="accept-order">{t.mo_accept}</button>
                </ActionForm>
            })}
            {(o.fulfilment == MallFulfilment::Delivery && matches!(o.state, MallOrderState::Paid | MallOrderState::Accepted)).then(|| view! {
                <ActionForm action=dispatch attr:class="dn-inline-fields">
                    <input type="hidden" name="tenant" value=tenant />
                    <input type="hidden" name="order_no" value=no_dispatch />
                    <label class="field"><span>{t.mo_carrier}</span><input type="text" name="carrier" maxlength="30" required data-testid="carrier" /></label>
                    <label class="field"><span>{t.mo_tracking_no}</span><input type="text" name="tracking_no" maxlength="40" required data-testid="tracking-no" /></label>
                    <button type="submit" class="button button-primary" data-testid="dispatch">{t.mo_dispatch}</button>
                </ActionForm>
            })}
            {(o.state == MallOrderState::Shipped).then(|| view! {
                <ActionForm action=deliver>
                    <input type="hidden" name="tenant" value=tenant />
                    <input type="hidden" name="order_no" value=no_deliver />
                    <button type="submit" class="button" data-testid="mark-delivered">{t.mo_mark_delivered}</button>
                </ActionForm>
            })}
            {refundable.then(|| view! {
                <details class="panel">
                    <summary data-testid="refund-lines">{t.mo_refund_lines}</summary>
                    <ActionForm action=refund attr:class="stack">
                        <input type="hidden" name="tenant" value=tenant />
                        <input type="hidden" name="order_no" value=no_refund />
                        {o.lines.iter().filter(|l| l.quantity > l.refunded_quantity).map(|l| view! {
                            <label class="field"><span>{l.title.clone()}" ("{t.mo_refund_quantity}" ≤ "{l.quantity - l.refunded_quantity}")"</span>
                                <input type="number" name=format!("lines[{}]", l.line_id) min="0" max=l.quantity - l.refunded_quantity value="0" data-testid="refund-quantity" /></label>
                        }).collect_view()}
                        <label class="choice"><input type="checkbox" name="restock" checked=true /><span class="choice-text">{t.mo_restock}</span></label>
                        <label class="field"><span>{t.mo_refund_reason}</span><input type="text" name="reason" minlength="2" maxlength="100" required data-testid="refund-reason" /></label>
                        <button type="submit" class="button button-danger" data-testid="refund-submit">{t.mo_refund_submit}</button>
                    </ActionForm>
                </details>
            })}
        </div>
        <ShopOrderAfterSales tenant order_no=no_aftersales />
    }
}
