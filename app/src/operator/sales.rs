use crate::components::{read_error, ErrorBox};
use crate::i18n::use_tr;
use crate::payments::{get_sales_board, page_nonce, SalesFeed};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// 实时销售: every tenant's sales as they land, with today's mall-wide totals and refunds.
#[component]
pub fn OpsSalesPage() -> impl IntoView {
    let t = use_tr();
    let query = use_query_map();
    let refused = move || read_error(query.with(|q| q.get("error")));
    let refunded = move || query.with(|q| q.get("refunded").is_some());
    let board = crate::components::page_resource(|| (), |_| get_sales_board(None));
    view! {
        <Title text=t.ops_nav_sales />
        <h1>{t.ops_nav_sales}</h1>
        <ErrorBox error=Signal::derive(refused) />
        {move || refunded().then(|| view! { <p class="notice notice-ok" role="status">{t.counter_refunded}</p> })}
        <Suspense>
            {move || board.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(board) => view! {
                    <SalesFeed board tenant=None show_tenant=true can_refund=true nonce=page_nonce() back="/ops/sales".to_string() />
                }.into_any(),
            })}
        </Suspense>
    }
}
