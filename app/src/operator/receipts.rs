//! The receipt review queue: receipts OCR could not approve, oldest first; each opened with the
//! photo beside what was read and why it is here, to approve with corrected fields (points
//! awarded, pending) or reject with a reason the shopper reads. Both audited.

use crate::components::ErrorBox;
use crate::i18n::{fill, use_lang, use_tr, Tr};
use crate::receipts::reason_text;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use plaza_types::dto::{ReceiptStatus, ReviewReceipt, TenantSummary};
use plaza_types::{AppError, Fen};

#[server(endpoint = "ops/receipts")]
pub async fn get_review_queue() -> Result<Vec<ReviewReceipt>, AppError> {
    use crate::server::{app, require_operator, user_error};
    require_operator().await?;
    let ctx = app()?;
    plaza_core::receipts::review::queue(&ctx.db, 200, plaza_core::Timestamp::now()).await.map_err(user_error)
}

#[server(endpoint = "ops/receipts/one")]
pub async fn get_review_receipt(id: i64) -> Result<(ReviewReceipt, Vec<TenantSummary>), AppError> {
    use crate::server::{app, require_operator, user_error};
    require_operator().await?;
    let ctx = app()?;
    let receipt =
        plaza_core::receipts::review::get(&ctx.db, id, plaza_core::Timestamp::now()).await.map_err(user_error)?;
    let tenants = plaza_core::tenants::list(&ctx.db).await.map_err(user_error)?;
    Ok((receipt, tenants))
}

/// Approves with the operator's fields; `amount` in yuan as typed.
#[server(endpoint = "ops/receipts/approve")]
pub async fn approve_receipt(
    id: i64,
    tenant_id: i64,
    amount: String,
    receipt_no: String,
    purchased: String,
    note: String,
) -> Result<i64, AppError> {
    use crate::server::{app, require_operator, user_error};
    use plaza_types::error::Field;
    let staff = require_operator().await?;
    let ctx = app()?;
    let total = Fen::from_yuan_str(&amount).map_err(|_| AppError::invalid(Field::Amount))?;
    let corrections = plaza_core::receipts::review::Corrections {
        tenant: plaza_types::TenantId(tenant_id),
        total_fen: total.0,
        receipt_no,
        purchased,
        note,
    };
    let points =
        plaza_core::receipts::review::approve(&ctx.db, id, staff.staff_id, &corrections, plaza_core::Timestamp::now())
            .await
            .map_err(user_error)?;
    leptos_axum::redirect(&format!("/ops/receipts?done=approved&id={id}"));
    Ok(points)
}

#[server(endpoint = "ops/receipts/reject")]
pub async fn reject_receipt(id: i64, reason: String) -> Result<(), AppError> {
    use crate::server::{app, require_operator, user_error};
    let staff = require_operator().await?;
    let ctx = app()?;
    plaza_core::receipts::review::reject(&ctx.db, id, staff.staff_id, &reason, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect(&format!("/ops/receipts?done=rejected&id={id}"));
    Ok(())
}

fn yuan(fen: Option<i64>) -> String {
    fen.map(|f| Fen(f).to_string()).unwrap_or_else(|| "—".into())
}

/// How the amounts printed on the receipt agreed (`core/src/receipts/decide.rs`), in words.
pub fn amount_check_text(t: &Tr, check: Option<&str>) -> &'static str {
    match check {
        Some("consistent") => t.ops_rc_check_consistent,
        Some("inconsistent") => t.ops_rc_check_inconsistent,
        Some("unchecked") => t.ops_rc_check_unchecked,
        Some("missing") => t.ops_rc_check_missing,
        _ => "—",
    }
}

#[component]
pub fn OpsReceiptsPage() -> impl IntoView {
    let t = use_tr();
    let query = use_query_map();
    let done = move || query.read().get("done");
    let queue = crate::components::page_resource(|| (), |_| get_review_queue());
    view! {
        <Title text=t.ops_rc_title />
        <h1>{t.ops_rc_title}</h1>
        <p><a href="/ops/receipts/rules" data-testid="receipt-rules-link">{t.ops_rc_rules_link}</a></p>
        {move || done().map(|d| view! {
            <p class="notice" role="status" data-testid="review-done">{if d == "approved" { t.ops_rc_done_approved } else { t.ops_rc_done_rejected }}</p>
        })}
        <Suspense>
            {move || queue.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Signal::derive(move || Some(e.clone())) /> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="muted">{t.ops_rc_empty}</p> }.into_any(),
                Ok(list) => view! {
                    <section class="panel">
                        <table class="ops-table" data-testid="review-queue">
                            <thead><tr>
                                <th></th><th>{t.ops_rc_member}</th><th>{t.ops_rc_read}</th><th>{t.rc_amount}</th><th>{t.rc_reason}</th><th></th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|r| view! {
                                    <tr data-testid="review-row">
                                        <td><img class="receipt-thumb" src=format!("/receipts/{}/thumb", r.id) alt="" width="48" height="64" loading="lazy" /></td>
                                        <td>{r.member_phone.clone()}<br /><small class="muted">{fill(t.ops_rc_age, &[("n", &r.age_minutes.to_string())])}</small></td>
                                        <td>{r.tenant_name.clone().or(r.merchant.clone()).unwrap_or_else(|| "—".into())}</td>
                                        <td class="ops-num">{yuan(r.total_fen)}</td>
                                        <td>{r.reasons.iter().map(|c| reason_text(t, c)).collect::<Vec<_>>().join(t.list_separator)}</td>
                                        <td><a class="button" href=format!("/ops/receipts/{}", r.id)>{t.ops_rc_open}</a></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </section>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
pub fn OpsReceiptPage() -> impl IntoView {
    let t = use_tr();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let receipt = crate::components::page_resource(id, get_review_receipt);
    view! {
        <Title text=t.ops_rc_title />
        <h1>{t.ops_rc_title}</h1>
        <p><a href="/ops/receipts">{t.ops_rc_back}</a></p>
        <Suspense>
            {move || receipt.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Signal::derive(move || Some(e.clone())) /> }.into_any(),
                Ok((r, tenants)) => view! { <ReviewPanel r tenants /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ReviewPanel(r: ReviewReceipt, tenants: Vec<TenantSummary>) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let approve = ServerAction::<ApproveReceipt>::new();
    let reject = ServerAction::<RejectReceipt>::new();
    let error = Signal::derive(move || {
        approve.value().get().and_then(|r| r.err()).or_else(|| reject.value().get().and_then(|r| r.err()))
    });
    let open = r.status == ReceiptStatus::Review;
    let chosen = r.tenant_id;
    let amount = r.total_fen.map(|f| plaza_types::Fen(f).yuan_decimal()).unwrap_or_default();
    view! {
        <div class="review-layout">
            <a href=format!("/receipts/{}/photo", r.id) target="_blank">
                <img class="review-photo" src=format!("/receipts/{}/photo", r.id) alt=t.ops_rc_title data-testid="review-photo" />
            </a>
            <section class="panel">
                <h2>{t.ops_rc_read}</h2>
                <p class="receipt-reason" data-testid="review-reasons">{t.rc_reason}"："{r.reasons.iter().map(|c| reason_text(t, c)).collect::<Vec<_>>().join(t.list_separator)}</p>
                <dl class="facts">
                    <div><dt>{t.ops_rc_member}</dt><dd>{r.member_phone.clone()}</dd></div>
                    <div><dt>{t.ops_rc_merchant_read}</dt><dd>{r.merchant.clone().unwrap_or_else(|| "—".into())}{r.unit_no.clone().map(|u| format!(" · {u}"))}</dd></div>
                    <div><dt>{t.ops_rc_tenant}</dt><dd>{r.tenant_name.clone().unwrap_or_else(|| "—".into())}{r.tenant_score.map(|s| format!(" ({}: {:.2})", t.ops_rc_score, s as f64 / 1000.0))}</dd></div>
                    <div><dt>{t.ops_rc_receipt_no}</dt><dd>{r.receipt_no.clone().unwrap_or_else(|| "—".into())}</dd></div>
                    <div><dt>{t.ops_rc_gross}</dt><dd>{yuan(r.gross_fen)}</dd></div>
                    <div><dt>{t.ops_rc_discount}</dt><dd>{yuan(r.discount_fen)}</dd></div>
                    <div><dt>{t.rc_amount}</dt><dd>{yuan(r.total_fen)}</dd></div>
                    <div><dt>{t.ops_rc_check}</dt><dd data-testid="amount-check">{amount_check_text(t, r.amount_check.as_deref())}</dd></div>
                    <div><dt>{t.rc_purchased}</dt><dd>{r.purchased.clone().unwrap_or_else(|| "—".into())}</dd></div>
                    <div><dt>{t.rc_uploaded}</dt><dd>{r.uploaded_at.clone()}</dd></div>
                </dl>
                <ErrorBox error />
                {open.then(|| view! {
                    <ActionForm action=approve attr:class="ops-form-grid" attr:data-testid="review-approve">
                        <input type="hidden" name="id" value=r.id />
                        <label class="field"><span>{t.ops_rc_tenant_pick}</span>
                            <select name="tenant_id" required>
                                <option value="">"—"</option>
                                {tenants.into_iter().map(|tn| view! {
                                    <option value=tn.id.0 selected=Some(tn.id.0) == chosen>{format!("{} · {}", tn.name.get(lang), tn.unit_no)}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <label class="field"><span>{t.ops_rc_amount_yuan}</span><input type="text" inputmode="decimal" name="amount" value=amount required /></label>
                        <label class="field"><span>{t.ops_rc_receipt_no}</span><input type="text" name="receipt_no" value=r.receipt_no.clone().unwrap_or_default() maxlength="40" /></label>
                        <label class="field"><span>{t.ops_rc_time}</span><input type="text" name="purchased" value=r.purchased.clone().unwrap_or_default() placeholder="2026-11-22 12:30" required /></label>
                        <label class="field ops-span"><span>{t.ops_rc_note}</span><input type="text" name="note" maxlength="200" /></label>
                        <p class="ops-span"><button type="submit" class="button button-primary">{t.ops_rc_approve}</button></p>
                    </ActionForm>
                    <ActionForm action=reject attr:class="ops-form-grid review-reject" attr:data-testid="review-reject">
                        <input type="hidden" name="id" value=r.id />
                        <h3 class="ops-span">{t.ops_rc_reject_title}</h3>
                        <label class="field ops-span"><span>{t.ops_rc_reject_reason}</span><input type="text" name="reason" maxlength="200" required /></label>
                        <p class="ops-span"><button type="submit" class="button">{t.ops_rc_reject}</button></p>
                    </ActionForm>
                })}
            </section>
        </div>
    }
}
