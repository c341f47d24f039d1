//! 对账: the daily reconciliation against the payment provider's bills — each day's totals, ours
//! against theirs, the differences and what was done about them, a button to run a day again —
//! and the refunds that need an operator (ABNORMAL at the provider, or waiting too long), with
//! "ask the provider now" and "mark handled" (with a note, audited). Both operator roles read it;
//! the administrator runs a day again and marks refunds handled.

use super::notices::{is_admin, SavedNotice};
use crate::components::ErrorBox;
use crate::i18n::{fill, use_tr, Tr};
use leptos::prelude::*;
use leptos_meta::Title;
use plaza_types::dto::{AttentionRefund, DifferenceDetail, ReconcileDifference, ReconcilePage, ReconcileRun};
use plaza_types::AppError;

#[server(endpoint = "ops/reconcile")]
pub async fn get_bill_reconciliation() -> Result<ReconcilePage, AppError> {
    use crate::server::{app, require_operator, user_error};
    require_operator().await?;
    let ctx = app()?;
    let provider = ctx.payments.provider.name();
    plaza_core::payments::reconcile::views::page(&ctx.db, provider, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)
}

#[server(endpoint = "ops/reconcile/run")]
pub async fn rerun_reconciliation(date: String) -> Result<(), AppError> {
    use crate::server::{app, require_staff, user_error};
    use plaza_core::payments::reconcile;
    let staff = require_staff(&[plaza_types::StaffRole::OperatorAdmin]).await?;
    let ctx = app()?;
    let now = plaza_core::Timestamp::now();
    let day = reconcile::parse_date(&date, now).map_err(user_error)?;
    let actor = plaza_core::audit::Actor::Staff(staff.staff_id);
    match reconcile::run(&ctx.db, ctx.payments.provider.as_ref(), day, &actor, now).await.map_err(user_error)? {
        Some(_) => leptos_axum::redirect("/ops/reconcile?saved=run"),
        None => return Err(AppError::NotUsable),
    }
    Ok(())
}

#[server(endpoint = "ops/reconcile/refund-query")]
pub async fn retry_refund_query(refund_no: String) -> Result<(), AppError> {
    use crate::server::{app, require_operator, user_error};
    require_operator().await?;
    let ctx = app()?;
    let now = plaza_core::Timestamp::now();
    plaza_core::payments::refund_attention::retry(&ctx.db, ctx.payments.provider.as_ref(), &refund_no, now)
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/ops/reconcile?saved=asked");
    Ok(())
}

#[server(endpoint = "ops/reconcile/refund-handled")]
pub async fn mark_refund_handled(refund_no: String, note: String) -> Result<(), AppError> {
    use crate::server::{app, require_staff, user_error};
    let staff = require_staff(&[plaza_types::StaffRole::OperatorAdmin]).await?;
    let ctx = app()?;
    let now = plaza_core::Timestamp::now();
    plaza_core::payments::refund_attention::mark_handled(&ctx.db, &staff, &refund_no, &note, now)
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/ops/reconcile?saved=handled");
    Ok(())
}

fn kind_label(t: &Tr, kind: &str) -> &'static str {
    match kind {
        "missing_here" => t.recon_kind_missing_here,
        "missing_there" => t.recon_kind_missing_there,
        "amount_mismatch" => t.recon_kind_amount_mismatch,
        _ => t.recon_kind_refund_mismatch,
    }
}

fn resolution_label(t: &Tr, resolution: &str) -> String {
    match resolution {
        "open" => t.recon_res_open.to_string(),
        "completed" => t.recon_res_completed.to_string(),
        "already_complete" => t.recon_res_already_complete.to_string(),
        "refunding_late_money" => t.recon_res_refunding_late.to_string(),
        "unknown_payment" => t.recon_res_unknown_payment.to_string(),
        "rejected" => t.recon_res_rejected.to_string(),
        other => fill(t.recon_res_query_says, &[("state", other.trim_start_matches("query_says_"))]),
    }
}

/// A state named in a difference (ours, or the provider's upper-case one) in the reader's words;
/// one this page does not know is shown as it is.
fn state_words(t: &Tr, state: &str) -> String {
    let words = match state {
        "created" => t.recon_st_created,
        "paying" => t.recon_st_paying,
        "closed" => t.recon_st_closed,
        "pending" => t.recon_st_pending,
        "succeeded" => t.recon_st_succeeded,
        "failed" => t.recon_st_failed,
        "SUCCESS" => t.recon_st_success,
        "FAIL" => t.recon_st_fail,
        "PROCESSING" => t.recon_st_processing,
        other => return other.to_string(),
    };
    words.to_string()
}

/// Why a line is a difference, in the reader's language.
fn detail_words(t: &Tr, detail: &DifferenceDetail) -> String {
    match detail {
        DifferenceDetail::NotInBill => t.recon_why_not_in_bill.to_string(),
        DifferenceDetail::CollectedUnknownHere { txn } => fill(t.recon_why_collected_unknown, &[("txn", txn)]),
        DifferenceDetail::CollectedNotPaidHere { txn, state } => {
            fill(t.recon_why_collected_state, &[("txn", txn), ("state", &state_words(t, state))])
        }
        DifferenceDetail::AmountsDiffer { theirs, ours } => {
            fill(t.recon_why_amounts, &[("theirs", &theirs.to_string()), ("ours", &ours.to_string())])
        }
        DifferenceDetail::RefundNotInBill { payment, state } => {
            fill(t.recon_why_refund_not_in_bill, &[("payment", payment), ("state", &state_words(t, state))])
        }
        DifferenceDetail::RefundUnknownHere { payment, status } => {
            fill(t.recon_why_refund_unknown, &[("payment", payment), ("status", &state_words(t, status))])
        }
        DifferenceDetail::RefundAmountsDiffer { theirs, ours } => {
            fill(t.recon_why_refund_amounts, &[("theirs", &theirs.to_string()), ("ours", &ours.to_string())])
        }
        DifferenceDetail::RefundEndingsDiffer { theirs, ours } => {
            fill(t.recon_why_refund_endings, &[("theirs", &state_words(t, theirs)), ("ours", &state_words(t, ours))])
        }
        DifferenceDetail::Text { text } => text.clone(),
    }
}

fn money(fen: Option<plaza_types::Fen>) -> String {
    fen.map(|f| f.to_string()).unwrap_or_else(|| "—".into())
}

#[component]
pub fn OpsReconcilePage() -> impl IntoView {
    let t = use_tr();
    let page = crate::components::page_resource(|| (), |_| get_bill_reconciliation());
    let rerun = ServerAction::<RerunReconciliation>::new();
    let ask = ServerAction::<RetryRefundQuery>::new();
    let handled = ServerAction::<MarkRefundHandled>::new();
    let error = Signal::derive(move || {
        [rerun.value().get(), ask.value().get(), handled.value().get()].into_iter().flatten().find_map(|r| r.err())
    });
    let admin = is_admin();
    view! {
        <Title text=t.recon_title />
        <h1>{t.recon_title}</h1>
        <p class="muted">{t.recon_intro}</p>
        <SavedNotice />
        <ErrorBox error />
        <Suspense>
            {move || page.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(p) => {
                    let run_form = admin.then(|| view! {
                        <ActionForm action=rerun attr:class="inline-form" attr:data-testid="rc-rerun">
                            <label>{t.field_date}" "<input type="date" name="date" value=p.yesterday.clone() required /></label>
                            <button type="submit" class="button button-primary">{t.recon_rerun}</button>
                        </ActionForm>
                    });
                    view! {
                        <section class="panel" data-testid="rc-runs">
                            <h2>{t.recon_runs}</h2>
                            {run_form}
                            <Runs runs=p.runs />
                        </section>
                        <section class="panel" data-testid="rc-differences">
                            <h2>{t.recon_differences}</h2>
                            <Differences rows=p.differences />
                        </section>
                        <section class="panel" data-testid="rc-refunds">
                            <h2>{t.recon_refunds}</h2>
                            <p class="muted">{t.recon_refunds_intro}</p>
                            <Refunds rows=p.refunds ask handled admin />
                        </section>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

#[component]
fn Runs(runs: Vec<ReconcileRun>) -> impl IntoView {
    let t = use_tr();
    if runs.is_empty() {
        return view! { <p class="muted">{t.recon_no_runs}</p> }.into_any();
    }
    view! {
        <div class="ops-table-wrap">
            <table class="table table-cards rc-table">
                <thead><tr>
                    <th>{t.recon_day}</th><th>{t.recon_state}</th>
                    <th class="ops-num">{t.recon_theirs}</th><th class="ops-num">{t.recon_ours}</th>
                    <th class="ops-num">{t.recon_fees}</th><th class="ops-num">{t.recon_col_differences}</th>
                </tr></thead>
                <tbody>
                    {runs.into_iter().map(|r| {
                        let theirs = fill(t.recon_totals, &[
                            ("n", &r.their_payments.to_string()), ("paid", &r.their_paid.to_string()),
                            ("r", &r.their_refunds.to_string()), ("refunded", &r.their_refunded.to_string()),
                        ]);
                        let ours = fill(t.recon_totals, &[
                            ("n", &r.our_payments.to_string()), ("paid", &r.our_paid.to_string()),
                            ("r", &r.our_refunds.to_string()), ("refunded", &r.our_refunded.to_string()),
                        ]);
                        let state = match r.state.as_str() {
                            "done" => t.recon_state_done.to_string(),
                            _ => format!("{}: {}", t.recon_state_failed, r.error),
                        };
                        let runs = fill(t.recon_attempts, &[("n", &r.attempts.to_string()), ("at", &r.finished_at)]);
                        view! {
                            <tr data-testid="rc-run">
                                <td><strong>{r.bill_date}" · "{r.provider}</strong><br /><small class="muted">{runs}</small></td>
                                <td data-label=t.recon_state class="ops-break">{state}</td>
                                <td data-label=t.recon_theirs class="ops-num">{theirs}</td>
                                <td data-label=t.recon_ours class="ops-num">{ours}</td>
                                <td data-label=t.recon_fees class="ops-num">{r.their_fee.to_string()}</td>
                                <td data-label=t.recon_col_differences class="ops-num">{r.differences}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn Differences(rows: Vec<ReconcileDifference>) -> impl IntoView {
    let t = use_tr();
    if rows.is_empty() {
        return view! { <p class="muted">{t.recon_no_differences}</p> }.into_any();
    }
    view! {
        <div class="ops-table-wrap">
            <table class="table table-cards rc-table">
                <thead><tr>
                    <th>{t.recon_day}</th><th>{t.recon_kind}</th><th>{t.recon_number}</th>
                    <th class="ops-num">{t.recon_ours}</th><th class="ops-num">{t.recon_theirs}</th><th>{t.recon_done}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|d| view! {
                        <tr data-testid="rc-difference">
                            <td><strong>{d.bill_date}</strong></td>
                            <td>{kind_label(t, &d.kind)}<br /><small class="muted">{detail_words(t, &d.detail)}</small></td>
                            <td data-label=t.recon_number class="ops-mono ops-break">{d.number}</td>
                            <td data-label=t.recon_ours class="ops-num">{money(d.ours)}</td>
                            <td data-label=t.recon_theirs class="ops-num">{money(d.theirs)}</td>
                            <td data-label=t.recon_done>{resolution_label(t, &d.resolution)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn Refunds(
    rows: Vec<AttentionRefund>,
    ask: ServerAction<RetryRefundQuery>,
    handled: ServerAction<MarkRefundHandled>,
    admin: bool,
) -> impl IntoView {
    let t = use_tr();
    if rows.is_empty() {
        return view! { <p class="muted">{t.recon_no_refunds}</p> }.into_any();
    }
    rows.into_iter()
        .map(|r| {
            let state = match r.provider_state.as_str() {
                "ABNORMAL" => t.recon_refund_abnormal,
                _ => t.recon_refund_processing,
            };
            let since = fill(t.recon_refund_since, &[("at", &r.created_at), ("hours", &r.waiting_hours.to_string())]);
            let refund_no = r.refund_no.clone();
            let mark = admin.then(move || {
                view! {
                    <ActionForm action=handled attr:class="stack">
                        <input type="hidden" name="refund_no" value=refund_no />
                        <label>{t.recon_note}<textarea name="note" required maxlength="500" rows="2"></textarea></label>
                        <button type="submit" class="button">{t.recon_mark_handled}</button>
                    </ActionForm>
                }
            });
            view! {
                <article class="card" data-testid="rc-refund">
                    <p><strong>{state}</strong>" · "<span class="ops-mono">{r.refund_no.clone()}</span></p>
                    <p>{fill(t.recon_refund_of, &[("payment", &r.payment_no), ("amount", &r.external.to_string())])}</p>
                    <p class="muted">{since}</p>
                    <p class="muted">{if r.provider_state == "ABNORMAL" { t.recon_abnormal_todo } else { t.recon_processing_todo }}</p>
                    <ActionForm action=ask attr:class="inline-form">
                        <input type="hidden" name="refund_no" value=r.refund_no.clone() />
                        <button type="submit" class="button">{t.recon_ask_again}</button>
                    </ActionForm>
                    {mark}
                </article>
            }
        })
        .collect_view()
        .into_any()
}
