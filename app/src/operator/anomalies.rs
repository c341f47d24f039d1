//! 异常监控: members whose points earned or redeemed in the last 7 days are far above the norm —
//! candidates for review, with a link to each profile.

use crate::components::ErrorBox;
use crate::i18n::{fill, use_tr};
use crate::member::display_name;
use leptos::prelude::*;
use leptos_meta::Title;
use plaza_types::dto::AnomalyRow;
use plaza_types::AppError;

/// Days looked at, how many times the median counts as far above it, and the least points worth
/// a look.
const DAYS: i64 = 7;
const FACTOR: f64 = 10.0;
const FLOOR: i64 = 1_000;

#[server(endpoint = "ops/anomalies")]
pub async fn get_anomalies() -> Result<Vec<AnomalyRow>, AppError> {
    use crate::server::{app, require_operator, user_error};
    require_operator().await?;
    let ctx = app()?;
    plaza_core::anomaly::report(&ctx.db, plaza_core::Timestamp::now(), DAYS, FACTOR, FLOOR).await.map_err(user_error)
}

#[component]
pub fn OpsAnomaliesPage() -> impl IntoView {
    let t = use_tr();
    let rows = crate::components::page_resource(|| (), |_| get_anomalies());
    let rule = fill(
        t.ops_anomalies_rule,
        &[("days", &DAYS.to_string()), ("factor", &FACTOR.to_string()), ("floor", &FLOOR.to_string())],
    );
    view! {
        <Title text=t.ops_nav_anomalies />
        <h1>{t.ops_nav_anomalies}</h1>
        <p class="muted">{rule}</p>
        <Suspense>
            {move || rows.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(rows) if rows.is_empty() => view! { <section class="panel"><p class="muted">{t.ops_anomalies_none}</p></section> }.into_any(),
                Ok(rows) => view! {
                    <section class="panel">
                        <table class="table" data-testid="anomalies">
                            <thead><tr>
                                <th>{t.field_phone}</th><th>{t.field_name}</th><th>{t.ops_measure}</th>
                                <th class="ops-num">{t.ops_col_points}</th><th class="ops-num">{t.ops_times_norm}</th><th></th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|row| {
                                    let last4: String = row.masked_phone.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
                                    view! {
                                        <tr>
                                            <td class="ops-mono">{row.masked_phone.clone()}</td>
                                            <td>{display_name(t, &row.name, &last4)}</td>
                                            <td>{if row.measure == "redeemed" { t.ops_measure_redeemed } else { t.ops_measure_earned }}</td>
                                            <td class="ops-num">{row.points}</td>
                                            <td class="ops-num">{format!("× {:.1}", row.times_norm)}</td>
                                            <td><a href=format!("/ops/members/{}", row.member_id)>{t.ops_view_profile}</a></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </section>
                }.into_any(),
            })}
        </Suspense>
    }
}
