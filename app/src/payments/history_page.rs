use super::result_page::state_label;
use crate::components::{unless_signed_in, TopBar};
use crate::i18n::{use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use plaza_types::dto::PaymentView;
use plaza_types::AppError;

#[server(endpoint = "pay/mine")]
pub async fn my_payments() -> Result<Vec<PaymentView>, AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    let ctx = app()?;
    let tz = plaza_core::mall::timezone(&ctx.db).await.map_err(user_error)?;
    plaza_core::payments::views::history(&ctx.db, member, 100, &tz).await.map_err(user_error)
}

/// 支付记录: the member's payments, newest first.
#[component]
pub fn PaymentsPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let list = crate::components::page_resource(|| (), |_| my_payments());
    view! {
        <Title text=t.pay_history />
        <TopBar title=t.pay_history />
        <main class="page">
            <Suspense>
                {move || list.get().map(|r| match r {
                    Err(e) => unless_signed_in(e, "/me/payments"),
                    Ok(list) if list.is_empty() => view! { <p class="muted">{t.pay_history_empty}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="plain-list">
                            {list.into_iter().map(|p| {
                                let title = p.tenant.as_ref().map(|n| n.get(lang).to_string()).unwrap_or_else(|| p.subject.clone());
                                view! {
                                    <li data-testid="payment-row">
                                        <a class="row-link" href=format!("/pay/result/{}", p.payment_no)>
                                            <span class="row-main">
                                                <span>{title}</span>
                                                <small class="muted">{p.paid_at.clone().unwrap_or(p.created_at.clone())}" · "{state_label(t, p.state)}</small>
                                            </span>
                                            <strong>{p.breakdown.amount.to_string()}</strong>
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
