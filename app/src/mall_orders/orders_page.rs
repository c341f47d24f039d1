use super::{fulfilment_label, state_label};
use crate::components::{unless_signed_in, ErrorBox, TopBar};
use crate::i18n::{fill, use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use plaza_types::dto::MallOrderSummary;
use plaza_types::AppError;

/// The shopper's own mall orders, newest first.
#[server(endpoint = "mall/orders")]
pub async fn my_mall_orders() -> Result<Vec<MallOrderSummary>, AppError> {
    use crate::server::{app, require_member, user_error};
    use plaza_core::mall_orders::views::{self, ListFilter, Viewer};
    let member = require_member().await?;
    let ctx = app()?;
    views::list(&ctx.db, Viewer::Shopper(member), &ListFilter::default(), 100).await.map_err(user_error)
}

/// `/mall/orders` (我的订单 of the mall): each order with its shop, state and total.
#[component]
pub fn MyMallOrdersPage() -> impl IntoView {
    let t = use_tr();
    let orders = Resource::new(|| (), |_| my_mall_orders());
    view! {
        <Title text=t.mo_orders_title />
        <TopBar title=t.mo_orders_title />
        <main class="page mall-orders">
            <Suspense>
                {move || orders.get().map(|r| match r {
                    Err(e @ AppError::Unauthenticated) => unless_signed_in(e, "/mall/orders"),
                    Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <section class="panel panel-center"><p>{t.mo_orders_empty}</p>
                            <a class="button button-primary" href="/mall">{t.mo_go_shopping}</a></section>
                    }.into_any(),
                    Ok(list) => view! { <ul class="mo-order-list">{list.into_iter().map(|o| view! { <Row o /> }).collect_view()}</ul> }.into_any(),
                })}
            </Suspense>
        </main>
    }
}

#[component]
pub(super) fn Row(o: MallOrderSummary) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    view! {
        <li class="panel mo-order" data-testid="mall-order" data-state=o.state.as_str()>
            <a href=format!("/mall/order/{}", o.order_no)>
                <span class="mo-order-head"><strong>{o.shop.get(lang).to_string()}</strong>
                    <span class="badge">{state_label(t, o.state)}</span></span>
                <span class="small">{o.first_title.clone()}" · "{if o.item_count == 1 { t.mo_items_one.to_string() } else { fill(t.mo_items, &[("n", &o.item_count.to_string())]) }}
                    " · "{fulfilment_label(t, o.fulfilment)}</span>
                <span class="mo-order-foot"><span class="muted small">{o.placed_at.clone()}</span><strong>{o.total.to_string()}</strong></span>
            </a>
        </li>
    }
}
