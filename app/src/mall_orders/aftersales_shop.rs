//! The shop's after-sales in /tenant/orders (its owner and fulfilment staff): the list of
//! requests (waiting or all), and on an order's page its requests with approve (the refund goes
//! through the payment engine) or reject with a reason the shopper sees.

use super::aftersales_card::AfterSalesCard;
use crate::components::ErrorBox;
use crate::i18n::use_tr;
use leptos::prelude::*;
use plaza_types::dto::{AfterSalesState, AfterSalesView};
use plaza_types::AppError;

/// The shop's requests: waiting for it, or all.
#[server(endpoint = "tenant/mall/aftersales")]
pub async fn get_shop_aftersales(tenant: i64, all: bool) -> Result<Vec<AfterSalesView>, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::TenantId;
    require_tenant_staff(TenantId(tenant), &super::console_actions::ROLES).await?;
    plaza_core::mall_orders::aftersales::views::for_shop(&app()?.db, TenantId(tenant), !all).await.map_err(user_error)
}

/// The requests of one of the shop's orders.
#[server(endpoint = "tenant/mall/aftersales/order")]
pub async fn get_shop_order_aftersales(tenant: i64, order_no: String) -> Result<Vec<AfterSalesView>, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::TenantId;
    require_tenant_staff(TenantId(tenant), &super::console_actions::ROLES).await?;
    plaza_core::mall_orders::aftersales::views::for_shop_order(&app()?.db, TenantId(tenant), &order_no)
        .await
        .map_err(user_error)
}

/// Approves a request of the shop's: refunded through the engine (stock back if the goods came back).
#[server(endpoint = "tenant/mall/aftersales/approve")]
pub async fn approve_aftersales(tenant: i64, request: i64, order_no: String) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::TenantId;
    let staff = require_tenant_staff(TenantId(tenant), &super::console_actions::ROLES).await?;
    let ctx = app()?;
    let provider = ctx.payments.provider.clone();
    let now = plaza_core::Timestamp::now();
    plaza_core::mall_orders::aftersales::approve(
        &ctx.db,
        provider.as_ref(),
        TenantId(tenant),
        staff.staff_id,
        request,
        now,
    )
    .await
    .map_err(user_error)?;
    leptos_axum::redirect(&format!("/tenant/orders/{}", crate::auth::encode_component(&order_no)));
    Ok(())
}

/// Rejects a request of the shop's with a reason the shopper sees.
#[server(endpoint = "tenant/mall/aftersales/reject")]
pub async fn reject_aftersales(tenant: i64, request: i64, order_no: String, reason: String) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::TenantId;
    require_tenant_staff(TenantId(tenant), &super::console_actions::ROLES).await?;
    let now = plaza_core::Timestamp::now();
    plaza_core::mall_orders::aftersales::reject(&app()?.db, TenantId(tenant), request, &reason, now)
        .await
        .map_err(user_error)?;
    leptos_axum::redirect(&format!("/tenant/orders/{}", crate::auth::encode_component(&order_no)));
    Ok(())
}

/// The list under the orders page's after-sales filter.
#[component]
pub fn ShopAfterSalesList(tenant: i64, all: bool) -> impl IntoView {
    let t = use_tr();
    let list = Resource::new(move || (), move |_| get_shop_aftersales(tenant, all));
    view! {
        <p class="chips">
            <a class="chip" href="/tenant/orders?aftersales=waiting" aria-current=(!all).then_some("page")>{t.as_filter_waiting}</a>
            <a class="chip" href="/tenant/orders?aftersales=all" aria-current=all.then_some("page")>{t.as_filter_all}</a>
        </p>
        <Suspense>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(rows) if rows.is_empty() => view! { <p class="muted">{t.as_none}</p> }.into_any(),
                Ok(rows) => rows.into_iter().map(|r| {
                    let href = format!("/tenant/orders/{}", r.order_no);
                    view! {
                        <AfterSalesCard r>
                            <a class="button" href=href data-testid="aftersales-open">{t.as_order}</a>
                        </AfterSalesCard>
                    }
                }).collect_view().into_any(),
            })}
        </Suspense>
    }
}

/// On the order's page: its requests, a waiting one with approve and reject.
#[component]
pub fn ShopOrderAfterSales(tenant: i64, order_no: String) -> impl IntoView {
    let t = use_tr();
    let approve = ServerAction::<ApproveAftersales>::new();
    let reject = ServerAction::<RejectAftersales>::new();
    let no = order_no.clone();
    let list = Resource::new(
        move || (no.clone(), approve.version().get(), reject.version().get()),
        move |(no, _, _)| get_shop_order_aftersales(tenant, no),
    );
    let error =
        move || approve.value().get().and_then(|r| r.err()).or_else(|| reject.value().get().and_then(|r| r.err()));
    view! {
        <ErrorBox error=Signal::derive(error) />
        <Suspense>
            {move || list.get().and_then(|r| r.ok()).filter(|rows| !rows.is_empty()).map(|rows| view! {
                <h2>{t.as_title}</h2>
                {rows.into_iter().map(|r| {
                    let waiting = r.state == AfterSalesState::Requested;
                    let (id, no_a, no_r) = (r.id, r.order_no.clone(), r.order_no.clone());
                    view! {
                        <AfterSalesCard r>
                            {waiting.then(|| view! {
                                <div class="stack">
                                    <ActionForm action=approve>
                                        <input type="hidden" name="tenant" value=tenant />
                                        <input type="hidden" name="request" value=id />
                                        <input type="hidden" name="order_no" value=no_a />
                                        <button type="submit" class="button button-primary" data-testid="aftersales-approve">{t.as_approve}</button>
                                    </ActionForm>
                                    <details>
                                        <summary data-testid="aftersales-reject">{t.as_reject}</summary>
                                        <ActionForm action=reject attr:class="stack">
                                            <input type="hidden" name="tenant" value=tenant />
                                            <input type="hidden" name="request" value=id />
                                            <input type="hidden" name="order_no" value=no_r />
                                            <label class="field"><span>{t.as_reject_reason}</span>
                                                <input type="text" name="reason" minlength="2" maxlength="200" required data-testid="aftersales-reject-reason" /></label>
                                            <button type="submit" class="button button-danger" data-testid="aftersales-reject-submit">{t.as_reject}</button>
                                        </ActionForm>
                                    </details>
                                </div>
                            })}
                        </AfterSalesCard>
                    }
                }).collect_view()}
            })}
        </Suspense>
    }
}
