use super::TenantScope;
use crate::components::{read_error, ErrorBox};
use crate::i18n::use_tr;
use crate::payments::{get_sales_board, page_nonce, SalesFeed};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use plaza_types::StaffRole;

/// 收款台: this shop's payments as they land, today's totals, and refunds for the owner.
#[component]
pub fn CounterPage() -> impl IntoView {
    let t = use_tr();
    let scope = expect_context::<TenantScope>();
    let tenant = scope.tenant.id.0;
    let can_refund = scope.role == StaffRole::TenantOwner;
    let query = use_query_map();
    let refused = move || read_error(query.with(|q| q.get("error")));
    let refunded = move || query.with(|q| q.get("refunded").is_some());
    let board = crate::components::page_resource(|| (), move |_| get_sales_board(Some(tenant)));
    view! {
        <Title text=t.nav_counter />
        <h1>{t.nav_counter}</h1>
        <ErrorBox error=Signal::derive(refused) />
        {move || refunded().then(|| view! { <p class="notice notice-ok" role="status">{t.counter_refunded}</p> })}
        <Suspense>
            {move || board.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(board) => view! {
                    <SalesFeed board tenant=Some(tenant) show_tenant=false can_refund nonce=page_nonce() back="/tenant/counter".to_string() />
                }.into_any(),
            })}
        </Suspense>
    }
}
