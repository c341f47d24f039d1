//! Stored-value credits waiting for a second administrator, on the stored-value page: both
//! operator roles see them; another administrator than the one who asked approves or refuses.

use crate::components::ErrorBox;
use crate::i18n::{fill, use_tr};
use crate::operator::notices::is_admin;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use plaza_types::dto::SvCredits;
use plaza_types::AppError;

#[server(endpoint = "ops/stored-value/credits")]
pub async fn get_sv_credits() -> Result<SvCredits, AppError> {
    use crate::server::{app, require_operator, user_error};
    let staff = require_operator().await?;
    let ctx = app()?;
    plaza_core::stored_value::credits::overview(&ctx.db, &staff, plaza_core::Timestamp::now()).await.map_err(user_error)
}

#[server(endpoint = "ops/stored-value/approve")]
pub async fn approve_sv_credit(request_id: i64) -> Result<(), AppError> {
    use crate::server::{app, require_staff, user_error};
    let staff = require_staff(&[plaza_types::StaffRole::OperatorAdmin]).await?;
    let ctx = app()?;
    plaza_core::stored_value::credits::approve(&ctx.db, &staff, request_id, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/ops/stored-value?saved=approved");
    Ok(())
}

#[server(endpoint = "ops/stored-value/reject")]
pub async fn reject_sv_credit(request_id: i64) -> Result<(), AppError> {
    use crate::server::{app, require_staff, user_error};
    let staff = require_staff(&[plaza_types::StaffRole::OperatorAdmin]).await?;
    let ctx = app()?;
    plaza_core::stored_value::credits::reject(&ctx.db, &staff, request_id, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/ops/stored-value?saved=rejected");
    Ok(())
}

/// On a member's profile after a credit above the threshold: it waits, nothing moved yet.
#[component]
pub fn CreditPendingNotice() -> impl IntoView {
    let t = use_tr();
    let query = use_query_map();
    move || {
        (query.with(|q| q.get("saved").as_deref() == Some("sv-pending")))
            .then(|| view! { <p class="notice" role="status" data-testid="sv-pending">{t.ops_sv_credit_pending}</p> })
    }
}

/// The rules and the waiting requests, with approve / refuse for administrators.
#[component]
pub fn SvCreditRequests() -> impl IntoView {
    let t = use_tr();
    let credits = Resource::new(|| (), |_| get_sv_credits());
    let approve = ServerAction::<ApproveSvCredit>::new();
    let reject = ServerAction::<RejectSvCredit>::new();
    let error = Signal::derive(move || {
        approve.value().get().and_then(|r| r.err()).or_else(|| reject.value().get().and_then(|r| r.err()))
    });
    let admin = is_admin();
    view! {
        <section class="panel" data-testid="sv-credit-requests">
            <h2>{t.ops_sv_pending_title}</h2>
            <ErrorBox error />
            <Suspense>
                {move || credits.get().map(|r| match r {
                    Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                    Ok(c) => {
                        let values = [
                            ("above", c.approval_above.to_string()),
                            ("cap", c.daily_cap.to_string()),
                            ("today", c.credited_today.to_string()),
                        ];
                        let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
                        let rules = fill(t.ops_sv_credit_rules, &values);
                        let rows = c.pending.into_iter().map(|r| {
                            let decide = (admin && !r.own).then(|| view! {
                                <ActionForm action=approve attr:class="inline-form">
                                    <input type="hidden" name="request_id" value=r.id />
                                    <button type="submit" class="button button-primary">{t.ops_sv_approve}</button>
                                </ActionForm>
                                <ActionForm action=reject attr:class="inline-form">
                                    <input type="hidden" name="request_id" value=r.id />
                                    <button type="submit" class="button">{t.ops_sv_reject}</button>
                                </ActionForm>
                            });
                            let own = r.own.then(|| view! { <small class="muted">{t.ops_sv_own_request}</small> });
                            view! {
                                <tr>
                                    <td><a href=format!("/ops/members/{}", r.member_id.0)>{r.masked_phone}</a></td>
                                    <td class="ops-num">{r.amount.to_string()}</td>
                                    <td>{r.reason}</td>
                                    <td>{r.requested_by}" · "{r.requested_at}</td>
                                    <td>{decide}{own}</td>
                                </tr>
                            }
                        }).collect_view();
                        view! {
                            <p class="muted">{rules}</p>
                            <table class="table">
                                <thead><tr>
                                    <th>{t.ops_col_member}</th><th class="ops-num">{t.ops_sv_delta}</th><th>{t.field_reason}</th>
                                    <th>{t.ops_sv_requested_by}</th><th></th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}
