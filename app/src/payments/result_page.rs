use super::back_link;
use crate::components::{awaited, unless_signed_in, ErrorBox, TopBar};
use crate::i18n::{fill, use_lang, use_tr, Tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use plaza_types::dto::PaymentView;
use plaza_types::{AppError, PaymentState, Purpose};

/// A payment as its payer sees it after paying, with what a top-up added as a bonus.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PaymentResult {
    pub payment: PaymentView,
    /// The stored-value bonus a paid top-up credited.
    pub bonus: Option<plaza_types::Fen>,
}

/// The payer's payment, after asking the provider about it: the browser's return completes (or
/// closes) the payment through the same command as the provider's notification.
#[server(endpoint = "pay/result")]
pub async fn get_payment_result(payment_no: String) -> Result<PaymentResult, AppError> {
    use crate::server::{app, require_member, user_error};
    use plaza_core::payments::views;
    let member = require_member().await?;
    let ctx = app()?;
    let now = plaza_core::Timestamp::now();
    let tz = plaza_core::mall::timezone(&ctx.db).await.map_err(user_error)?;
    // Only the payer's own payment is settled (another's is not found).
    views::of_member(&ctx.db, member, &payment_no, &tz).await.map_err(user_error)?;
    let provider = ctx.payments.provider.clone();
    views::settle_return(&ctx.db, provider.as_ref(), &payment_no, now).await.map_err(user_error)?;
    let payment = views::of_member(&ctx.db, member, &payment_no, &tz).await.map_err(user_error)?;
    // A paid top-up's bonus is the stored-value credit of kind `bonus` it made.
    let bonus = if payment.purpose == plaza_types::Purpose::Topup && payment.state.was_paid() {
        let lines = plaza_core::stored_value::movements(&ctx.db, member, 20).await.map_err(user_error)?;
        lines
            .into_iter()
            .find(|m| m.kind == "bonus" && m.reference == payment_no)
            .map(|m| plaza_types::Fen(m.amount_fen))
    } else {
        None
    };
    Ok(PaymentResult { payment, bonus })
}

pub fn state_label(t: &Tr, state: PaymentState) -> &'static str {
    match state {
        PaymentState::Paid => t.pay_state_paid,
        PaymentState::Paying | PaymentState::Created => t.pay_state_paying,
        PaymentState::PartiallyRefunded => t.pay_state_partially_refunded,
        PaymentState::Refunded => t.pay_state_refunded,
        PaymentState::Closed => t.pay_state_closed,
    }
}

/// 支付结果.
#[component]
pub fn PayResultPage() -> impl IntoView {
    let t = use_tr();
    let params = use_params_map();
    let payment_no = move || params.with(|p| p.get("no").unwrap_or_default());
    let result = crate::components::page_resource(payment_no, get_payment_result);
    view! {
        <Title text=t.pay_result_title />
        <TopBar title=t.pay_result_title />
        <main class="page pay-result-page">
            // Awaited in place (components::awaited): under <Suspense> the view, with a food
            // order's redirect to its live page, was built two or three times, and once (CI, not
            // seen again in eight reruns) the page came out without the redirect.
            {awaited(result, move |r| match r {
                Err(e @ AppError::Unauthenticated) => unless_signed_in(e, &format!("/pay/result/{}", payment_no())),
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(r) => view! { <ResultView p=r.payment bonus=r.bonus /> }.into_any(),
            })}
        </main>
    }
}

#[component]
fn ResultView(p: PaymentView, bonus: Option<plaza_types::Fen>) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let b = p.breakdown;
    let paid = p.state.was_paid();
    let waiting = p.state.is_open();
    let closed = p.state == PaymentState::Closed;
    let used_tenders = b.coupon.0 > 0 || b.points_used > 0 || b.stored_value.0 > 0;
    let back = back_link(p.purpose, p.plate.as_deref());
    let title = p.tenant.as_ref().map(|n| n.get(lang).to_string()).unwrap_or_else(|| p.subject.clone());
    let here = format!("/pay/result/{}", p.payment_no);
    // A food order is followed on its own live page.
    let dining = (p.purpose == plaza_types::Purpose::Dining).then(|| format!("/dining/order/{}", p.payment_no));
    view! {
        {dining.map(|path| view! { <leptos_router::components::Redirect path /> })}
        <section class=if paid { "panel result result-ok" } else { "panel result" }
            data-testid="pay-result" data-state=p.state.as_str()>
            <p class="result-state">{state_label(t, p.state)}</p>
            <p class="pay-amount">{b.amount.to_string()}</p>
            <p class="muted">{title}</p>
            {bonus.filter(|b| b.0 > 0).map(|b| view! {
                <p class="notice notice-ok" data-testid="topup-bonus">{fill(t.pay_topup_bonus, &[("amount", &b.to_string())])}</p>
            })}
            {(paid && p.points_earned > 0).then(|| view! {
                <p class="notice notice-ok" data-testid="points-earned">
                    {fill(t.pay_points_earned, &[("n", &p.points_earned.to_string())])}
                </p>
            })}
        </section>
        <section class="panel">
            <dl class="facts">
                {(b.coupon.0 > 0).then(|| view! { <div><dt>{t.pay_coupon_off}</dt><dd>"-"{b.coupon.to_string()}</dd></div> })}
                {(b.points_used > 0).then(|| view! {
                    <div><dt>{fill(t.pay_points_off, &[("n", &b.points_used.to_string())])}</dt><dd>"-"{b.points_value.to_string()}</dd></div>
                })}
                {(b.stored_value.0 > 0).then(|| view! { <div><dt>{t.pay_sv_off}</dt><dd>"-"{b.stored_value.to_string()}</dd></div> })}
                {if b.to_pay.0 > 0 {
                    view! { <div class="total" data-testid="paid-external"><dt>{if paid { t.pay_external } else { t.pay_external_due }}</dt><dd>{b.to_pay.to_string()}</dd></div> }.into_any()
                } else {
                    view! { <div class="total" data-testid="paid-external"><dt>{t.pay_nothing_outside}</dt><dd>"—"</dd></div> }.into_any()
                }}
                {(p.refunded.0 > 0).then(|| view! { <div><dt>{t.pay_refunded}</dt><dd>{p.refunded.to_string()}</dd></div> })}
                <div><dt>{t.pay_no}</dt><dd class="small">{p.payment_no.clone()}</dd></div>
                <div><dt>{t.pay_time}</dt><dd>{p.paid_at.clone().unwrap_or(p.created_at.clone())}</dd></div>
            </dl>
        </section>
        {waiting.then(|| view! {
            <p class="muted small">{t.pay_waiting}</p>
            {p.pay_url.clone().map(|url| view! { <a class="button button-primary button-block" href=url>{t.pay_continue}</a> })}
            <a class="button button-block" href=here>{t.pay_refresh}</a>
        })}
        {if closed {
            // Nothing was charged: say what came back, and offer the way to try again.
            let (again, href) = match p.purpose {
                Purpose::Plate => (t.pay_again_plate, back),
                Purpose::Membership => (t.pay_again_membership, back),
                Purpose::Topup => (t.pay_again_topup, "/balance/topup".to_string()),
                Purpose::Dining | Purpose::Mall => (t.pay_again_orders, back),
            };
            view! {
                {used_tenders.then(|| view! { <p class="notice" data-testid="tenders-returned">{t.pay_closed_returned}</p> })}
                <a class="button button-primary button-block" href=href data-testid="pay-again">{again}</a>
            }.into_any()
        } else {
            view! { <a class="button button-block" href=back>{t.pay_back}</a> }.into_any()
        }}
        <a class="button-link" href="/me/payments">{t.pay_history}</a>
    }
}
