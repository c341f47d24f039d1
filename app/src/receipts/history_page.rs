use super::status_label;
use crate::components::{unless_signed_in, TopBar};
use crate::i18n::{fill, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use plaza_types::dto::{ReceiptStatus, ReceiptView};
use plaza_types::{AppError, Fen};

#[server(endpoint = "receipts/mine")]
pub async fn my_receipts() -> Result<Vec<ReceiptView>, AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    let ctx = app()?;
    plaza_core::receipts::views::mine(&ctx.db, member, 100, plaza_core::Timestamp::now()).await.map_err(user_error)
}

/// 我的小票: every receipt with its thumbnail, shop, amount, points and status, newest first.
#[component]
pub fn MyReceiptsPage() -> impl IntoView {
    let t = use_tr();
    let list = crate::components::page_resource(|| (), |_| my_receipts());
    view! {
        <Title text=t.rc_mine />
        <TopBar title=t.rc_mine />
        <main class="page">
            <a class="button button-primary" href="/receipts">{t.rc_another}</a>
            <Suspense>
                {move || list.get().map(|r| match r {
                    Err(e) => unless_signed_in(e, "/receipts/mine"),
                    Ok(list) if list.is_empty() => view! { <p class="muted">{t.rc_mine_empty}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="plain-list receipt-list">
                            {list.into_iter().map(|r| {
                                let points = (r.status == ReceiptStatus::Approved).then(|| {
                                    let template = if r.points_pending { t.rc_points_pending } else { t.rc_points };
                                    fill(template, &[("n", &r.points.to_string())])
                                });
                                view! {
                                    <li data-testid="receipt-row">
                                        <a class="row-link" href=format!("/receipts/{}", r.id)>
                                            <img class="receipt-thumb" src=format!("/receipts/{}/thumb", r.id) alt="" loading="lazy" width="48" height="64" />
                                            <span class="row-main">
                                                <span>{r.shop.clone().unwrap_or_else(|| "—".into())}</span>
                                                <small class="muted">{r.uploaded_at.clone()}" · "{status_label(t, r.status)}</small>
                                                {points.map(|p| view! { <small class="receipt-points">{p}</small> })}
                                            </span>
                                            <strong>{r.total_fen.map(|f| Fen(f).to_string()).unwrap_or_default()}</strong>
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
