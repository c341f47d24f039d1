use crate::components::ErrorBox;
use crate::i18n::use_tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use plaza_types::dto::SandboxOrderView;
use plaza_types::AppError;

/// The payer's own sandbox order (only in sandbox mode; another member's is not found).
#[cfg(feature = "ssr")]
async fn own_order(
    payment_no: &str,
) -> Result<(crate::server::AppContext, plaza_core::payments::sandbox::Sandbox), AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    let ctx = app()?;
    let sandbox = ctx.payments.sandbox.clone().ok_or(AppError::Unavailable)?;
    let payment = plaza_core::payments::find(ctx.db.pool(), payment_no).await.map_err(user_error)?;
    if payment.is_none_or(|p| p.member_id != member.0) {
        return Err(AppError::NotFound);
    }
    Ok((ctx, sandbox))
}

#[server(endpoint = "sandbox/order")]
pub async fn get_sandbox_order(payment_no: String) -> Result<SandboxOrderView, AppError> {
    use crate::server::user_error;
    let (ctx, _) = own_order(&payment_no).await?;
    let order = plaza_core::payments::sandbox::order(&ctx.db, &payment_no).await.map_err(user_error)?;
    let order = order.ok_or(AppError::NotFound)?;
    Ok(SandboxOrderView {
        payment_no: order.payment_no,
        amount: order.amount,
        description: order.description,
        state: order.state,
    })
}

/// Where the provider sends the shopper when they are done: the `redirect_url` / `return_url` the
/// provider's page accepted (carried as `back`) when it leads to a page of this site, else the
/// payment's result page.
#[cfg(feature = "ssr")]
fn way_back(ctx: &crate::server::AppContext, back: Option<&str>, payment_no: &str) -> String {
    let result = format!("/pay/result/{payment_no}");
    let site = ctx.public_url.trim_end_matches('/');
    match back.and_then(|b| b.strip_prefix(site)) {
        Some(path) => crate::auth::safe_next(path, &result),
        None => result,
    }
}

/// The shopper pays on the sandbox's page: the sandbox takes the money, queues its signed
/// notification, and sends the browser back the way the provider would (to the result page,
/// which asks the sandbox too).
#[server(endpoint = "sandbox/confirm")]
pub async fn sandbox_confirm(payment_no: String, back: Option<String>) -> Result<(), AppError> {
    use crate::server::user_error;
    let (ctx, sandbox) = own_order(&payment_no).await?;
    plaza_core::payments::sandbox::confirm(&ctx.db, &sandbox, &payment_no, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect(&way_back(&ctx, back.as_deref(), &payment_no));
    Ok(())
}

#[server(endpoint = "sandbox/cancel")]
pub async fn sandbox_cancel(payment_no: String, back: Option<String>) -> Result<(), AppError> {
    use crate::server::user_error;
    let (ctx, _) = own_order(&payment_no).await?;
    plaza_core::payments::sandbox::cancel(&ctx.db, &payment_no).await.map_err(user_error)?;
    leptos_axum::redirect(&way_back(&ctx, back.as_deref(), &payment_no));
    Ok(())
}

/// 模拟支付: stands in for WeChat Pay's cashier in development and tests. It looks like a
/// provider's page on purpose (a different header), so nobody mistakes it for part of Plaza.
#[component]
pub fn SandboxPayPage() -> impl IntoView {
    let t = use_tr();
    let params = use_params_map();
    let payment_no = move || params.with(|p| p.get("no").unwrap_or_default());
    let query = use_query_map();
    let back = move || query.with_untracked(|q| q.get("back").unwrap_or_default());
    let order = crate::components::page_resource(payment_no, get_sandbox_order);
    view! {
        <Title text=t.sandbox_title />
        <div class="sandbox">
            <header class="sandbox-bar">{t.sandbox_title}</header>
            <main class="page">
                <p class="notice" role="note">{t.sandbox_note}</p>
                <Suspense>
                    {move || order.get().map(|r| match r {
                        Err(AppError::Unauthenticated) => {
                            crate::components::unless_signed_in(AppError::Unauthenticated, &format!("/sandbox/pay/{}", payment_no()))
                        }
                        Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                        Ok(order) => {
                            let open = order.state == "open";
                            let no = order.payment_no.clone();
                            view! {
                                <section class="panel sandbox-order">
                                    <p class="muted">{order.description.clone()}</p>
                                    <p class="pay-amount" data-testid="sandbox-amount">{order.amount.to_string()}</p>
                                    <p class="muted small">{t.sandbox_order_no}" "{order.payment_no.clone()}</p>
                                </section>
                                {if open {
                                    view! {
                                        <form method="post" action="/api/sandbox/confirm">
                                            <input type="hidden" name="payment_no" value=no.clone() />
                                            <input type="hidden" name="back" value=back() />
                                            <button type="submit" class="button button-pay button-block" data-testid="sandbox-confirm">
                                                {t.sandbox_confirm}
                                            </button>
                                        </form>
                                        <form method="post" action="/api/sandbox/cancel">
                                            <input type="hidden" name="payment_no" value=no />
                                            <input type="hidden" name="back" value=back() />
                                            <button type="submit" class="button button-block" data-testid="sandbox-cancel">{t.sandbox_cancel}</button>
                                        </form>
                                    }.into_any()
                                } else {
                                    view! {
                                        <p class="notice">{t.sandbox_done}</p>
                                        <a class="button button-block" href=format!("/pay/result/{no}")>{t.sandbox_back}</a>
                                    }.into_any()
                                }}
                            }.into_any()
                        }
                    })}
                </Suspense>
            </main>
        </div>
    }
}
