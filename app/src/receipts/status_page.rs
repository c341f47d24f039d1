use super::{reason_text, status_label};
use crate::components::{unless_signed_in, TopBar};
use crate::i18n::{fill, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use plaza_types::dto::{ReceiptStatus, ReceiptView};
use plaza_types::{AppError, Fen};

#[server(endpoint = "receipts/get")]
pub async fn get_receipt(id: i64) -> Result<ReceiptView, AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    let ctx = app()?;
    plaza_core::receipts::views::one(&ctx.db, member, id, plaza_core::Timestamp::now()).await.map_err(user_error)
}

/// One receipt: its photo and status. While it is being read the page follows it (the
/// `StatusWatch` island; without JavaScript the page refreshes itself).
#[component]
pub fn ReceiptPage() -> impl IntoView {
    let t = use_tr();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let receipt = crate::components::page_resource(id, get_receipt);
    view! {
        <Title text=t.rc_title />
        <TopBar title=t.rc_title />
        <main class="page receipt-page">
            <Suspense>
                {move || receipt.get().map(|r| match r {
                    Err(e) => unless_signed_in(e, "/receipts/mine"),
                    Ok(r) => view! { <ReceiptStatusPanel r /> }.into_any(),
                })}
            </Suspense>
            <p class="receipt-links">
                <a href="/receipts">{t.rc_another}</a>" · "<a href="/receipts/mine">{t.rc_mine}</a>
            </p>
        </main>
    }
}

#[component]
fn ReceiptStatusPanel(r: ReceiptView) -> impl IntoView {
    let t = use_tr();
    let status = r.status;
    let reason = r.reason.clone().map(|code| {
        if code == "operator" && !r.note.is_empty() {
            r.note.clone()
        } else {
            reason_text(t, &code).to_string()
        }
    });
    let points = (status == ReceiptStatus::Approved).then(|| {
        let template = if r.points_pending { t.rc_points_pending } else { t.rc_points };
        fill(template, &[("n", &r.points.to_string())])
    });
    view! {
        <section class="panel receipt-status" data-status=status.as_str() data-testid="receipt-status">
            <img class="receipt-photo" src=format!("/receipts/{}/photo", r.id) alt=t.rc_title />
            <div class="receipt-facts">
                <p class=format!("receipt-badge receipt-badge-{}", status.as_str())>{status_label(t, status)}</p>
                {points.map(|p| view! { <p class="receipt-points-big" data-testid="receipt-points">{p}</p> })}
                {(status == ReceiptStatus::Recognising).then(|| view! {
                    <p class="muted">{t.rc_recognising_hint}</p>
                    <noscript><meta http-equiv="refresh" content="3" /></noscript>
                    <super::uploader::StatusWatch id=r.id />
                })}
                {(status == ReceiptStatus::Review).then(|| view! { <p class="muted">{t.rc_review_hint}</p> })}
                {reason.map(|text| view! { <p class="receipt-reason" data-testid="receipt-reason">{t.rc_reason}"："{text}</p> })}
                <dl class="facts">
                    {r.shop.clone().map(|s| view! { <div><dt>{t.rc_shop}</dt><dd>{s}</dd></div> })}
                    {r.total_fen.map(|f| view! { <div><dt>{t.rc_amount}</dt><dd>{Fen(f).to_string()}</dd></div> })}
                    {r.purchased.clone().map(|p| view! { <div><dt>{t.rc_purchased}</dt><dd>{p}</dd></div> })}
                    <div><dt>{t.rc_uploaded}</dt><dd>{r.uploaded_at.clone()}</dd></div>
                </dl>
            </div>
        </section>
    }
}
