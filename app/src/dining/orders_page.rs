use super::state_label;
use crate::components::{unless_signed_in, ErrorBox, TopBar};
use crate::i18n::{fill, use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use plaza_types::dto::DiningOrderSummary;

/// 我的订单: the member's food orders, newest first.
#[server(endpoint = "dining/orders")]
pub async fn my_orders() -> Result<Vec<DiningOrderSummary>, plaza_types::AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    let ctx = app()?;
    plaza_core::dining::views::of_member_list(&ctx.db, member, 50).await.map_err(user_error)
}

#[component]
pub fn MyOrdersPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let orders = Resource::new(|| (), |_| my_orders());
    view! {
        <Title text=t.dn_my_orders />
        <TopBar title=t.dn_my_orders />
        <main class="page dining-page orders-page">
            <Suspense>
                {move || orders.get().map(|r| match r {
                    Err(e @ plaza_types::AppError::Unauthenticated) => unless_signed_in(e, "/dining/orders"),
                    Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <section class="panel panel-center"><p class="muted">{t.dn_no_orders}</p></section>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="panel order-list" data-testid="my-orders">
                            {list.into_iter().map(|o| {
                                let sub = match o.pickup_no {
                                    Some(n) => fill(t.dn_number_short, &[("n", &plaza_types::dto::pickup_text(n))]),
                                    None => fill(t.dn_table_label, &[("n", &o.table)]),
                                };
                                view! {
                                    <li>
                                        <a class="row-link" href=format!("/dining/order/{}", o.order_no) data-testid="my-order">
                                            <span class="row-main">
                                                <strong>{o.restaurant.get(lang).to_string()}</strong>
                                                <span class="muted small">{o.created_at.clone()}" · "{sub}" · "{if o.items == 1 { t.dn_items_one.to_string() } else { fill(t.dn_items_n, &[("n", &o.items.to_string())]) }}</span>
                                            </span>
                                            <span class="order-list-side">
                                                <span>{o.total.to_string()}</span>
                                                <span class="badge" data-testid="my-order-state">{state_label(t, o.state, o.fulfilment)}</span>
                                            </span>
                                        </a>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
        </main>
    }
}
