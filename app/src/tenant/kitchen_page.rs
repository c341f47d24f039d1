//! 后厨屏: the kitchen screen (a 1280 × 800 tablet) with the restaurant's paid orders live, the
//! ticket printout, and the sold-out switch for the dishes. The kitchen and the owner use it; a
//! restaurant's staff only ever reach their own restaurant's orders.

use super::dining_menu::{get_menu_admin, SetDishSoldOut};
use super::dining_tables::PrintButton;
use super::kitchen_screen::KitchenScreen;
use super::TenantScope;
use crate::components::{read_error, ErrorBox};
use crate::i18n::{fill, use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use plaza_types::dto::{DiningTicket, Fulfilment, KitchenBoard};
use plaza_types::{AppError, StaffRole};

#[cfg(feature = "ssr")]
const KITCHEN: [StaffRole; 2] = [StaffRole::TenantOwner, StaffRole::TenantKitchen];

/// The kitchen screen's orders. The restaurant's own staff opening it marks the paid orders on
/// it as accepted.
#[server(endpoint = "tenant/kitchen")]
pub async fn get_kitchen_board(tenant: i64) -> Result<KitchenBoard, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_core::dining::kitchen;
    use plaza_types::TenantId;
    let roles = [StaffRole::TenantOwner, StaffRole::TenantKitchen, StaffRole::OperatorAdmin, StaffRole::OperatorStaff];
    let staff = require_tenant_staff(TenantId(tenant), &roles).await?;
    let ctx = app()?;
    let now = plaza_core::Timestamp::now();
    let board = kitchen::board(&ctx.db, TenantId(tenant), now).await.map_err(user_error)?;
    if !staff.role.is_operator() {
        let paid: Vec<i64> =
            board.open.iter().filter(|t| t.state == plaza_types::dto::DiningState::Paid).map(|t| t.order_id).collect();
        kitchen::acknowledge(&ctx.db, TenantId(tenant), &paid, now).await.map_err(user_error)?;
    }
    Ok(board)
}

/// One tap: the order moves on from `from` (what the screen showed). Forms without JavaScript
/// send `back` and are sent back there.
#[server(endpoint = "tenant/kitchen/move")]
pub async fn kitchen_move(
    tenant: i64,
    order: i64,
    from: String,
    back: Option<String>,
) -> Result<DiningTicket, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::TenantId;
    let staff = require_tenant_staff(TenantId(tenant), &KITCHEN).await?;
    let from = plaza_types::dto::DiningState::parse(&from).ok_or(AppError::NotUsable)?;
    let ctx = app()?;
    let actor = format!("staff:{}", staff.staff_id.0);
    let ticket = plaza_core::dining::kitchen::advance(
        &ctx.db,
        TenantId(tenant),
        order,
        from,
        &actor,
        plaza_core::Timestamp::now(),
    )
    .await
    .map_err(user_error)?;
    if let Some(back) = back {
        leptos_axum::redirect(&crate::auth::safe_next(&back, "/tenant/kitchen"));
    }
    Ok(ticket)
}

/// Brings a done order back to the screen (as ready).
#[server(endpoint = "tenant/kitchen/recall")]
pub async fn kitchen_recall(tenant: i64, order: i64, back: Option<String>) -> Result<DiningTicket, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::TenantId;
    let staff = require_tenant_staff(TenantId(tenant), &KITCHEN).await?;
    let ctx = app()?;
    let actor = format!("staff:{}", staff.staff_id.0);
    let ticket =
        plaza_core::dining::kitchen::recall(&ctx.db, TenantId(tenant), order, &actor, plaza_core::Timestamp::now())
            .await
            .map_err(user_error)?;
    if let Some(back) = back {
        leptos_axum::redirect(&crate::auth::safe_next(&back, "/tenant/kitchen"));
    }
    Ok(ticket)
}

/// Prints (records) a copy of the order's ticket and opens it.
#[server(endpoint = "tenant/kitchen/print")]
pub async fn print_ticket(tenant: i64, order: i64) -> Result<i64, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::TenantId;
    let roles = [StaffRole::TenantOwner, StaffRole::TenantKitchen, StaffRole::TenantCashier];
    let staff = require_tenant_staff(TenantId(tenant), &roles).await?;
    let ctx = app()?;
    let actor = format!("staff:{}", staff.staff_id.0);
    let copy =
        plaza_core::dining::kitchen::print(&ctx.db, TenantId(tenant), order, &actor, plaza_core::Timestamp::now())
            .await
            .map_err(user_error)?;
    leptos_axum::redirect(&format!("/tenant/kitchen/ticket/{order}/{copy}"));
    Ok(copy)
}

/// A printed copy of a ticket: the ticket, its copy number and when it was printed.
#[server(endpoint = "tenant/kitchen/ticket")]
pub async fn get_printed_ticket(tenant: i64, order: i64, copy: i64) -> Result<(DiningTicket, i64, String), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::TenantId;
    let roles = [StaffRole::TenantOwner, StaffRole::TenantKitchen, StaffRole::TenantCashier];
    require_tenant_staff(TenantId(tenant), &roles).await?;
    let ctx = app()?;
    plaza_core::dining::kitchen::printed(&ctx.db, TenantId(tenant), order, copy).await.map_err(user_error)
}

/// Cancels an order and refunds it in full: before preparing the restaurant's staff, after
/// only the owner, with a reason.
#[server(endpoint = "tenant/dining/cancel")]
pub async fn cancel_dining_order(
    tenant: i64,
    order_no: String,
    reason: Option<String>,
    back: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_core::dining::cancel::{cancel, Canceller};
    use plaza_types::TenantId;
    let roles = [StaffRole::TenantOwner, StaffRole::TenantKitchen, StaffRole::TenantCashier];
    let staff = require_tenant_staff(TenantId(tenant), &roles).await?;
    let ctx = app()?;
    let who = Canceller::Staff {
        tenant: TenantId(tenant),
        staff: staff.staff_id,
        owner: staff.role == StaffRole::TenantOwner,
    };
    let (db, provider) = (ctx.db.clone(), ctx.payments.provider.clone());
    let reason = reason.unwrap_or_default();
    // Run to the end even if the browser goes away meanwhile: a cancellation stopped between
    // marking the order and refunding it would leave it cancelling.
    tokio::spawn(
        async move { cancel(&db, provider.as_ref(), &order_no, who, &reason, plaza_core::Timestamp::now()).await },
    )
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(user_error)?;
    let back = crate::auth::safe_next(back.as_deref().unwrap_or_default(), "/tenant/kitchen");
    leptos_axum::redirect(&back);
    Ok(())
}

/// 后厨屏.
#[component]
pub fn KitchenPage() -> impl IntoView {
    let t = use_tr();
    let scope = expect_context::<TenantScope>();
    let tenant = scope.tenant.id.0;
    let owner = scope.role == StaffRole::TenantOwner;
    let query = use_query_map();
    let board = Resource::new(|| (), move |_| get_kitchen_board(tenant));
    let refused = move || read_error(query.with(|q| q.get("error")));
    view! {
        <Title text=t.nav_kitchen />
        <ErrorBox error=Signal::derive(refused) />
        <Suspense>
            {move || board.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(board) => view! { <KitchenScreen board tenant owner /> }.into_any(),
            })}
        </Suspense>
        <SoldOutPanel tenant />
    }
}

/// 沽清: the dishes and their sold-out switch, for the kitchen.
#[component]
fn SoldOutPanel(tenant: i64) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let menu = Resource::new(|| (), move |_| get_menu_admin(tenant));
    let toggle = ServerAction::<SetDishSoldOut>::new();
    view! {
        <details class="panel kitchen-sold-out" data-testid="sold-out-panel">
            <summary>{t.dn_sold_out_panel}</summary>
            <ErrorBox error=Signal::derive(move || toggle.value().get().and_then(|r| r.err())) />
            <Suspense>
                {move || menu.get().and_then(|r| r.ok()).map(|menu| view! {
                    <ul class="kitchen-dishes">
                        {menu.categories.into_iter().flat_map(|c| c.dishes).map(|d| view! {
                            <li class=if d.sold_out { "kitchen-dish kitchen-dish-out" } else { "kitchen-dish" }>
                                <span>{d.name.get(lang).to_string()}</span>
                                <ActionForm action=toggle attr:class="inline-form">
                                    <input type="hidden" name="tenant" value=tenant />
                                    <input type="hidden" name="dish" value=d.id />
                                    <input type="hidden" name="sold_out" value=(!d.sold_out).to_string() />
                                    <input type="hidden" name="back" value="/tenant/kitchen" />
                                    <button type="submit" class="button button-small" data-testid="kitchen-sold-out">
                                        {if d.sold_out { t.dn_sold_out_undo } else { t.dn_mark_sold_out }}
                                    </button>
                                </ActionForm>
                            </li>
                        }).collect_view()}
                    </ul>
                })}
            </Suspense>
        </details>
    }
}

/// `/tenant/kitchen/ticket/<order>/<copy>`: the printable ticket; every copy after the first says
/// DUPLICATE (重打).
#[component]
pub fn TicketPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let scope = expect_context::<TenantScope>();
    let tenant = scope.tenant.id.0;
    let restaurant = scope.tenant.name.get(lang).to_string();
    let params = use_params_map();
    let key = move || {
        params.with(|p| {
            let n = |k: &str| p.get(k).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
            (n("order"), n("copy"))
        })
    };
    let ticket = Resource::new(key, move |(order, copy)| get_printed_ticket(tenant, order, copy));
    view! {
        <Title text=t.dn_ticket />
        <Suspense>
            {move || ticket.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok((ticket, copy, printed)) => {
                    let heading = match (ticket.fulfilment, ticket.number_text()) {
                        (Fulfilment::CallNumber, Some(n)) => fill(t.dn_number_short, &[("n", &n)]),
                        _ => fill(t.dn_table_label, &[("n", &ticket.table)]),
                    };
                    view! {
                        <div class="no-print dn-print-bar"><PrintButton label=t.dn_print /></div>
                        <article class="kitchen-ticket" data-testid="ticket" data-copy=copy>
                            {(copy > 1).then(|| view! { <p class="ticket-duplicate" data-testid="ticket-duplicate">{fill(t.dn_duplicate, &[("n", &copy.to_string())])}</p> })}
                            <p class="ticket-shop">{restaurant.clone()}</p>
                            <p class="ticket-heading">{heading}</p>
                            <p class="ticket-meta">{ticket.area.get(lang).to_string()}" · "{fill(t.dn_table_label, &[("n", &ticket.table)])}" · "{ticket.paid_time.clone()}</p>
                            <ul class="ticket-items">
                                {ticket.items.iter().map(|i| view! {
                                    <li>
                                        <span class="ticket-qty">{i.quantity}" ×"</span>
                                        <span class="ticket-item">{i.name.zh.clone()}
                                            {(!i.options.zh.is_empty()).then(|| view! { <small>{i.options.zh.clone()}</small> })}
                                            {(!i.remark.is_empty()).then(|| view! { <em>{i.remark.clone()}</em> })}
                                        </span>
                                    </li>
                                }).collect_view()}
                            </ul>
                            {(!ticket.remark.is_empty()).then(|| view! { <p class="ticket-remark">{t.dn_order_remark}"："{ticket.remark.clone()}</p> })}
                            <p class="ticket-foot">{ticket.order_no.clone()}" · "{fill(t.dn_printed_at, &[("at", &printed)])}</p>
                        </article>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}
