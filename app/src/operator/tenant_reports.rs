//! A tenant's reports and statement from the operator console (`/ops/tenants/<id>/reports`),
//! with its commission rate: the mall administrator sets a new rate from a date on; both
//! operator roles read.

use crate::components::ErrorBox;
use crate::i18n::{fill, use_tr};
use crate::tenant::{get_commission_rates, ReportsPanel, SetCommissionRate};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use plaza_types::dto::bps_percent;

#[component]
pub fn OpsTenantReportsPage() -> impl IntoView {
    let t = use_tr();
    let tenant = use_params_map().with_untracked(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let query = use_query_map();
    let set = ServerAction::<SetCommissionRate>::new();
    let rates = crate::components::page_resource(|| (), move |_| get_commission_rates(tenant));
    let base = format!("/ops/tenants/{tenant}/reports");
    let saved = move || query.with(|q| q.get("rate").is_some());
    view! {
        <p><a href="/ops/tenants">{t.nav_tenants}</a></p>
        {move || saved().then(|| view! { <p class="notice notice-ok" role="status">{t.rp_rate_saved}</p> })}
        <ErrorBox error=Signal::derive(move || set.value().get().and_then(|r| r.err())) />
        <section class="panel" data-testid="commission">
            <h2>{t.rp_commission_rate}</h2>
            <Suspense>
                {move || rates.get().map(|r| match r {
                    Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                    Ok(rates) => view! {
                        <p data-testid="commission-current">{fill(t.rp_rate_today, &[("rate", &bps_percent(rates.current_bps))])}</p>
                        {(!rates.history.is_empty()).then(|| view! {
                            <table class="table table-cards">
                                <thead><tr><th>{t.rp_rate_from}</th><th>{t.rp_rate}</th><th>{t.rp_rate_set_at}</th><th>{t.rp_col_reason}</th></tr></thead>
                                <tbody>
                                    {rates.history.into_iter().map(|r| view! {
                                        <tr>
                                            <td><strong>{r.effective_from}</strong></td>
                                            <td data-label=t.rp_rate>{bps_percent(r.rate_bps)}</td>
                                            <td data-label=t.rp_rate_set_at>{r.set_at}</td>
                                            <td data-label=t.rp_col_reason>{r.reason}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        })}
                        <ActionForm action=set attr:class="inline-form">
                            <input type="hidden" name="tenant" value=tenant />
                            <input type="hidden" name="back" value=format!("/ops/tenants/{tenant}/reports") />
                            <label class="field"><span>{t.rp_rate_percent}</span>
                                <input type="text" name="rate" inputmode="decimal" required maxlength="6" placeholder="5.5" data-testid="rate" /></label>
                            <label class="field"><span>{t.rp_rate_from}</span>
                                <input type="date" name="from" required min=rates.today.clone() value=rates.today.clone() data-testid="rate-from" /></label>
                            <label class="field"><span>{t.rp_reason}</span>
                                <input type="text" name="reason" required minlength="2" maxlength="200" data-testid="rate-reason" /></label>
                            <button type="submit" class="button button-primary" data-testid="rate-set">{t.rp_rate_set}</button>
                        </ActionForm>
                        <p class="muted">{t.rp_rate_hint}</p>
                    }.into_any(),
                })}
            </Suspense>
        </section>
        <ReportsPanel tenant base />
    }
}
