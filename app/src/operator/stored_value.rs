//! 储值对账: per mall-local day, opening + in − out = closing, and whether the last closing
//! matches the sum of every member's balance.

use crate::components::ErrorBox;
use crate::i18n::{fill, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use plaza_types::dto::SvReconciliation;
use plaza_types::AppError;

/// Empty dates mean the last 7 days (mall time).
#[server(endpoint = "ops/stored-value")]
pub async fn get_reconciliation(from: String, to: String) -> Result<SvReconciliation, AppError> {
    use crate::server::{app, require_operator, user_error};
    require_operator().await?;
    let ctx = app()?;
    plaza_core::stored_value::admin::reconciliation(&ctx.db, &from, &to, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)
}

#[component]
pub fn OpsStoredValuePage() -> impl IntoView {
    let t = use_tr();
    let query = use_query_map();
    let range = move || query.with(|q| (q.get("from").unwrap_or_default(), q.get("to").unwrap_or_default()));
    let report = crate::components::page_resource(range, |(from, to)| get_reconciliation(from, to));
    view! {
        <Title text=t.ops_nav_stored_value />
        <h1>{t.ops_nav_stored_value}</h1>
        <crate::operator::notices::SavedNotice />
        <super::sv_credits::SvCreditRequests />
        <Suspense>
            {move || report.get().map(|r| match r {
                Err(e) => view! {
                    <ErrorBox error=Some(e) />
                    <p><a href="/ops/stored-value">{t.ops_sv_last_week}</a></p>
                }.into_any(),
                Ok(r) => {
                    let last = r.days.last().map(|d| d.closing);
                    view! {
                        <section class="panel">
                            <Form method="GET" action="" attr:class="ops-inline-form">
                                <label class="field"><span>{t.ops_from}</span><input type="date" name="from" value=r.from.clone() /></label>
                                <label class="field"><span>{t.ops_to}</span><input type="date" name="to" value=r.to.clone() /></label>
                                <button type="submit" class="button button-primary">{t.ops_show}</button>
                            </Form>
                        </section>
                        <section class="panel">
                            <table class="table" data-testid="reconciliation">
                                <thead><tr>
                                    <th>{t.field_date}</th><th class="ops-num">{t.ops_opening}</th><th class="ops-num">{t.ops_inflow}</th>
                                    <th class="ops-num">{t.ops_outflow}</th><th class="ops-num">{t.ops_closing}</th>
                                </tr></thead>
                                <tbody>
                                    {r.days.iter().map(|d| view! {
                                        <tr>
                                            <td>{d.day.clone()}</td>
                                            <td class="ops-num">{d.opening.to_string()}</td>
                                            <td class="ops-num">{d.inflow.to_string()}</td>
                                            <td class="ops-num">{d.outflow.to_string()}</td>
                                            <td class="ops-num">{d.closing.to_string()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                        {last.map(|closing| {
                            let values = [("closing", closing.to_string()), ("total", r.total.to_string())];
                            let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
                            let (class, text) = if r.agrees {
                                ("notice notice-ok", fill(t.ops_sv_agrees, &values))
                            } else if r.ends_today {
                                ("notice notice-error", fill(t.ops_sv_differs, &values))
                            } else {
                                ("notice", fill(t.ops_sv_not_today, &values))
                            };
                            view! { <p class=class role="status" data-testid="sv-check">{text}</p> }
                        })}
                    }.into_any()
                }
            })}
        </Suspense>
    }
}
