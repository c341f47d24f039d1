//! 点餐订单: a day's orders at the restaurant (today by default) with their state, table or number,
//! items and who ordered (masked), cancellations with their reason — by time or by table; and
//! the day's report — orders, sales, average ticket, cancellations and the dishes that sold best.

use super::TenantScope;
use crate::components::{read_error, ErrorBox};
use crate::dining::state_label;
use crate::i18n::{fill, use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use plaza_types::dto::{DiningDayReport, DiningOrderRow};
use plaza_types::{AppError, StaffRole};

/// The day's orders and report (`date` empty: today in the mall).
#[server(endpoint = "tenant/dining/orders")]
pub async fn get_dining_day(
    tenant: i64,
    date: Option<String>,
) -> Result<(DiningDayReport, Vec<DiningOrderRow>), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_core::dining::reports;
    use plaza_types::TenantId;
    let roles = [StaffRole::TenantOwner, StaffRole::TenantCashier, StaffRole::OperatorAdmin, StaffRole::OperatorStaff];
    require_tenant_staff(TenantId(tenant), &roles).await?;
    let ctx = app()?;
    let date = match date.filter(|d| !d.trim().is_empty()) {
        Some(d) => d.trim().to_string(),
        None => reports::today(&ctx.db, plaza_core::Timestamp::now()).await.map_err(user_error)?,
    };
    let report = reports::day_report(&ctx.db, TenantId(tenant), &date).await.map_err(user_error)?;
    let orders = reports::orders(&ctx.db, TenantId(tenant), &date).await.map_err(user_error)?;
    Ok((report, orders))
}

#[component]
pub fn DiningOrdersPage() -> impl IntoView {
    let t = use_tr();
    let scope = expect_context::<TenantScope>();
    let tenant = scope.tenant.id.0;
    let owner = scope.role == StaffRole::TenantOwner;
    let query = use_query_map();
    let date = move || query.with(|q| q.get("date"));
    let day = Resource::new(date, move |date| get_dining_day(tenant, date));
    let refused = move || read_error(query.with(|q| q.get("error")));
    let by_table = move || query.with(|q| q.get("by").as_deref() == Some("table"));
    view! {
        <Title text=t.dn_nav_orders />
        <h1>{t.dn_nav_orders}</h1>
        <ErrorBox error=Signal::derive(refused) />
        <form method="get" class="dn-inline-fields">
            <label class="field"><span>{t.dn_day}</span><input type="date" name="date" value=date /></label>
            <button type="submit" class="button">{t.dn_show}</button>
        </form>
        <Suspense>
            {move || day.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok((report, orders)) => view! { <Day report orders tenant owner by_table=by_table() /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Day(
    report: DiningDayReport,
    orders: Vec<DiningOrderRow>,
    tenant: i64,
    owner: bool,
    by_table: bool,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let by_time_href = format!("/tenant/dining-orders?date={}", report.date);
    let by_table_href = format!("/tenant/dining-orders?date={}&by=table", report.date);
    let back = if by_table { by_table_href.clone() } else { by_time_href.clone() };
    let groups = match (orders.is_empty(), by_table) {
        (true, _) => Vec::new(),
        (false, true) => table_groups(orders),
        (false, false) => vec![(None, orders)],
    };
    view! {
        <dl class="stats" data-testid="day-report">
            <div class="stat"><dt>{t.dn_report_orders}</dt><dd data-testid="report-orders">{report.orders}</dd></div>
            <div class="stat"><dt>{t.dn_report_sales}</dt><dd data-testid="report-sales">{report.sales.to_string()}</dd></div>
            <div class="stat"><dt>{t.dn_report_average}</dt><dd>{report.average.to_string()}</dd></div>
            <div class="stat"><dt>{t.dn_report_cancelled}</dt><dd>{report.cancelled}" · "{report.refunds.to_string()}</dd></div>
        </dl>
        {(!report.top.is_empty()).then(|| view! {
            <section class="panel">
                <h2>{t.dn_report_top}</h2>
                <ol class="dn-top">
                    {report.top.iter().map(|d| view! {
                        <li><span>{d.name.get(lang).to_string()}</span><span class="muted">{fill(t.dn_report_top_line, &[("n", &d.quantity.to_string()), ("amount", &d.sales.to_string())])}</span></li>
                    }).collect_view()}
                </ol>
            </section>
        })}
        <p class="dn-order-views">
            <a href=by_time_href aria-current=(!by_table).then_some("page")>{t.dn_by_time}</a>
            <a href=by_table_href aria-current=by_table.then_some("page") data-testid="orders-by-table">{t.dn_by_table}</a>
        </p>
        {groups.is_empty().then(|| view! { <p class="muted">{t.dn_no_orders_day}</p> })}
        {groups.into_iter().map(|(place, orders)| {
        let table = place.as_ref().map(|(_, label, _)| label.clone());
        view! {
        <table class="table table-cards dn-orders" data-testid="day-orders" data-table=table>
            {place.map(|(area, label, n)| view! {
                <caption class="dn-table-head">
                    {format!("{} · {}", area.get(lang), fill(t.dn_table_label, &[("n", &label)]))}
                    " "<span class="badge">{fill(t.dn_kitchen_table_orders, &[("n", &n.to_string())])}</span>
                </caption>
            })}
            <tbody>
                {orders.into_iter().map(|o| {
                    let tk = o.ticket;
                    let label = tk.number_text().map(|n| fill(t.dn_number_short, &[("n", &n)])).unwrap_or_else(|| fill(t.dn_table_label, &[("n", &tk.table)]));
                    let items = tk.items.iter().map(|i| format!("{}×{}", i.name.get(lang), i.quantity)).collect::<Vec<_>>().join("、");
                    let cancellable = tk.state.before_preparing() || (owner && tk.state.in_kitchen()) || (owner && tk.state == plaza_types::dto::DiningState::Done);
                    view! {
                        <tr data-testid="day-order" data-state=tk.state.as_str()>
                            <td><strong>{label}</strong><br /><span class="muted small">{tk.paid_time.clone()}</span></td>
                            <td>{items}{(!tk.remark.is_empty()).then(|| view! { <br /><span class="small">{tk.remark.clone()}</span> })}</td>
                            <td>{tk.total.to_string()}<br /><span class="muted small">{o.member.clone()}</span></td>
                            <td><span class="badge">{state_label(t, tk.state, tk.fulfilment)}</span>
                                {o.cancel_reason.clone().map(|r| view! { <br /><span class="small">{r}</span> })}</td>
                            <td class="actions">
                                {cancellable.then(|| view! {
                                    <details>
                                        <summary>{t.dn_cancel_order}</summary>
                                        <form method="post" action="/api/tenant/dining/cancel" class="stack">
                                            <input type="hidden" name="tenant" value=tenant />
                                            <input type="hidden" name="order_no" value=tk.order_no.clone() />
                                            <input type="hidden" name="back" value=back.clone() />
                                            <input type="text" name="reason" maxlength="100" required=!tk.state.before_preparing() placeholder=t.dn_cancel_reason_hint />
                                            <button type="submit" class="button button-small button-danger">{t.dn_cancel_confirm}</button>
                                        </form>
                                    </details>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        }
        }).collect_view()}
    }
}

/// A table's label and area with how many orders it had; orders without a table come last.
type TablePlace = (plaza_types::dto::Localized, String, usize);

/// The day's orders by table (several phones at one table each paid their own order): tables in
/// their area's and number's order, each table's orders oldest first.
fn table_groups(mut orders: Vec<DiningOrderRow>) -> Vec<(Option<TablePlace>, Vec<DiningOrderRow>)> {
    let numeric = |label: &str| label.parse::<i64>().map_or((1, 0, label.to_string()), |n| (0, n, String::new()));
    orders.sort_by(|a, b| {
        let (a, b) = (&a.ticket, &b.ticket);
        (a.table.is_empty(), &a.area.zh, numeric(&a.table), a.paid_at, a.order_id).cmp(&(
            b.table.is_empty(),
            &b.area.zh,
            numeric(&b.table),
            b.paid_at,
            b.order_id,
        ))
    });
    let mut groups: Vec<(Option<TablePlace>, Vec<DiningOrderRow>)> = Vec::new();
    for o in orders {
        let same = groups.last().is_some_and(|(place, _)| {
            place.as_ref().is_some_and(|(area, label, _)| *label == o.ticket.table && area.zh == o.ticket.area.zh)
        });
        if same && !o.ticket.table.is_empty() {
            let (place, rows) = groups.last_mut().expect("a group");
            if let Some(place) = place.as_mut() {
                place.2 += 1;
            }
            rows.push(o);
        } else {
            let place = (!o.ticket.table.is_empty()).then(|| (o.ticket.area.clone(), o.ticket.table.clone(), 1));
            groups.push((place, vec![o]));
        }
    }
    groups
}
