//! 报表与结算 pages: the owner's at `/tenant/reports`, the operator's view of any tenant at
//! `/ops/tenants/<id>/reports` (the same panel). The period is a plain GET form, so the page
//! works without JavaScript; the CSV links carry the same period.

use super::reports::{get_tenant_report, PeriodQuery};
use super::TenantScope;
use crate::components::ErrorBox;
use crate::i18n::{fill, use_lang, use_tr, Tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use plaza_types::dto::{bps_percent, SalesChannel, SalesFigures, SalesReport, Statement, TopItem};
use plaza_types::Fen;

#[component]
pub fn ReportsPage() -> impl IntoView {
    let scope = expect_context::<TenantScope>();
    view! { <ReportsPanel tenant=scope.tenant.id.0 base="/tenant/reports".to_string() /> }
}

pub fn channel_label(t: &Tr, channel: SalesChannel) -> &'static str {
    match channel {
        SalesChannel::Counter => t.rp_channel_counter,
        SalesChannel::Dining => t.rp_channel_dining,
        SalesChannel::Mall => t.rp_channel_mall,
    }
}

/// The period form, the statement, the sales by day and by channel, refunds and top items of
/// `tenant`; `base` is the page's own address (the form's target).
#[component]
pub fn ReportsPanel(tenant: i64, base: String) -> impl IntoView {
    let t = use_tr();
    let query = use_query_map();
    let period = move || {
        query.with(|q| PeriodQuery {
            preset: q.get("preset"),
            date: q.get("date"),
            from: q.get("from"),
            to: q.get("to"),
        })
    };
    let data = crate::components::page_resource(period, move |p: PeriodQuery| {
        get_tenant_report(tenant, p.preset, p.date, p.from, p.to)
    });
    let current = period();
    let preset = current.preset.clone().unwrap_or_else(|| "month".into());
    let links = {
        let q = current.to_query();
        let q = if q.is_empty() { format!("tenant={tenant}") } else { format!("tenant={tenant}&{q}") };
        (format!("/tenant/reports/statement.csv?{q}"), format!("/tenant/reports/sales.csv?{q}"))
    };
    let option = move |value: &'static str, label: &'static str| {
        let chosen = preset == value;
        view! { <option value=value selected=chosen>{label}</option> }
    };
    view! {
        <Title text=t.nav_reports />
        <h1>{t.nav_reports}</h1>
        <form method="get" action=base class="rp-period" data-testid="report-period">
            <label class="field"><span>{t.rp_period}</span>
                <select name="preset" data-testid="period-preset">
                    {option.clone()("day", t.rp_preset_day)}
                    {option.clone()("week", t.rp_preset_week)}
                    {option.clone()("month", t.rp_preset_month)}
                    {option("custom", t.rp_preset_custom)}
                </select>
            </label>
            <label class="field"><span>{t.rp_date}</span>
                <input type="date" name="date" value=current.date.clone() /></label>
            <label class="field"><span>{t.rp_from}</span>
                <input type="date" name="from" value=current.from.clone() /></label>
            <label class="field"><span>{t.rp_to}</span>
                <input type="date" name="to" value=current.to.clone() /></label>
            <button type="submit" class="button" data-testid="period-show">{t.rp_show}</button>
        </form>
        <p class="muted">{t.rp_period_hint}</p>
        <Suspense>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok((report, statement)) => view! {
                    <p class="rp-range" data-testid="report-range">
                        <strong>{fill(t.rp_range, &[("from", &report.period.from), ("to", &report.period.to)])}</strong>
                        " "<a class="button button-small" href=links.0.clone() download="statement.csv" data-testid="statement-csv">{t.rp_csv_statement}</a>
                        " "<a class="button button-small" href=links.1.clone() download="sales.csv" data-testid="sales-csv">{t.rp_csv_sales}</a>
                    </p>
                    <StatementView statement />
                    <SalesView report />
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn StatementView(statement: Statement) -> impl IntoView {
    let t = use_tr();
    let s = statement;
    let row = move |label: String, amount: Fen, id: &'static str, strong: bool| {
        view! {
            <tr class:rp-strong=strong data-testid=id>
                <th scope="row">{label}</th>
                <td class="rp-amount">{amount.to_string()}</td>
            </tr>
        }
    };
    view! {
        <section class="panel" data-testid="statement">
            <h2>{t.rp_statement}</h2>
            <table class="table rp-statement">
                <tbody>
                    {row(fill(t.rp_sales_n, &[("n", &s.sale_count.to_string())]), s.sales, "st-sales", false)}
                    {row(fill(t.rp_refunds_n, &[("n", &s.refund_count.to_string())]), Fen(-s.refunds.0), "st-refunds", false)}
                    {row(t.rp_net_sales.to_string(), s.net_sales, "st-net-sales", true)}
                    {s.commission_parts.iter().map(|p| {
                        let label = fill(t.rp_commission_at, &[("rate", &bps_percent(p.rate_bps)), ("base", &p.base.to_string())]);
                        row(label, Fen(-p.commission.0), "st-commission-part", false)
                    }).collect_view()}
                    {row(t.rp_commission.to_string(), Fen(-s.commission.0), "st-commission", false)}
                    {row(t.rp_coupons_tenant.to_string(), Fen(-s.coupons_tenant.0), "st-coupons-tenant", false)}
                    {row(t.rp_net_owed.to_string(), s.net_owed, "st-net-owed", true)}
                </tbody>
            </table>
            <h3>{t.rp_paid_how}</h3>
            <table class="table rp-statement">
                <tbody>
                    {row(t.rp_coupons_mall.to_string(), s.coupons_mall, "st-coupons-mall", false)}
                    {row(t.rp_coupons_tenant.to_string(), s.coupons_tenant, "st-coupons-own", false)}
                    {row(t.rp_points.to_string(), s.points, "st-points", false)}
                    {row(t.rp_stored_value.to_string(), s.stored_value, "st-stored-value", false)}
                    {row(t.rp_provider.to_string(), s.provider, "st-provider", false)}
                </tbody>
            </table>
            <p class="muted">{t.rp_funding_note}</p>
        </section>
    }
}

fn figures_cells(t: &'static Tr, f: &SalesFigures) -> impl IntoView {
    view! {
        <td data-label=t.rp_col_count>{f.count}</td>
        <td data-label=t.rp_col_gross class="rp-amount">{f.gross.to_string()}</td>
        <td data-label=t.rp_col_discounts class="rp-amount">{f.discounts.to_string()}</td>
        <td data-label=t.rp_col_refunds class="rp-amount">{f.refunds.to_string()}</td>
        <td data-label=t.rp_col_net class="rp-amount"><strong>{f.net.to_string()}</strong></td>
    }
}

fn figures_head(t: &'static Tr, first: &'static str) -> impl IntoView {
    view! {
        <thead><tr>
            <th>{first}</th><th>{t.rp_col_count}</th><th>{t.rp_col_gross}</th><th>{t.rp_col_discounts}</th>
            <th>{t.rp_col_refunds}</th><th>{t.rp_col_net}</th>
        </tr></thead>
    }
}

#[component]
fn SalesView(report: SalesReport) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let total = report.total.clone();
    let top = move |title: &'static str, items: Vec<TopItem>, id: &'static str| {
        view! {
            <section class="panel" data-testid=id>
                <h2>{title}</h2>
                {if items.is_empty() {
                    view! { <p class="muted">{t.rp_no_items}</p> }.into_any()
                } else {
                    view! {
                        <ol class="rp-top">
                            {items.into_iter().map(|i| view! {
                                <li>
                                    <span>{i.name.get(lang).to_string()}" · "<span class="muted">{channel_label(t, i.channel)}</span></span>
                                    <span class="muted">{fill(t.rp_top_line, &[("n", &i.quantity.to_string()), ("amount", &i.amount.to_string())])}</span>
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }}
            </section>
        }
    };
    view! {
        <section class="panel">
            <h2>{t.rp_by_channel}</h2>
            <table class="table table-cards" data-testid="by-channel">
                {figures_head(t, t.rp_col_channel)}
                <tbody>
                    {report.channels.iter().map(|c| view! {
                        <tr data-channel=c.channel.as_str()><td><strong>{channel_label(t, c.channel)}</strong></td>{figures_cells(t, &c.figures)}</tr>
                    }).collect_view()}
                    <tr class="rp-strong"><td><strong>{t.rp_total}</strong></td>{figures_cells(t, &total)}</tr>
                </tbody>
            </table>
        </section>
        <section class="panel">
            <h2>{t.rp_by_day}</h2>
            <table class="table table-cards" data-testid="by-day">
                {figures_head(t, t.rp_col_date)}
                <tbody>
                    {report.days.iter().filter(|d| d.figures != SalesFigures::default()).map(|d| view! {
                        <tr data-date=d.date.clone()><td><strong>{d.date.clone()}</strong></td>{figures_cells(t, &d.figures)}</tr>
                    }).collect_view()}
                    <tr class="rp-strong"><td><strong>{t.rp_total}</strong></td>{figures_cells(t, &report.total)}</tr>
                </tbody>
            </table>
            <p class="muted">{t.rp_days_hint}</p>
        </section>
        <section class="panel">
            <h2>{t.rp_refund_list}</h2>
            {if report.refunds.is_empty() {
                view! { <p class="muted">{t.rp_no_refunds}</p> }.into_any()
            } else {
                view! {
                    <table class="table table-cards" data-testid="refunds">
                        <thead><tr><th>{t.rp_col_time}</th><th>{t.rp_col_sale_date}</th><th>{t.rp_col_channel}</th><th>{t.rp_col_payment}</th><th>{t.rp_col_amount}</th><th>{t.rp_col_reason}</th></tr></thead>
                        <tbody>
                            {report.refunds.iter().map(|r| view! {
                                <tr>
                                    <td><strong>{r.at.clone()}</strong></td>
                                    <td data-label=t.rp_col_sale_date>{r.sale_date.clone()}</td>
                                    <td data-label=t.rp_col_channel>{channel_label(t, r.channel)}</td>
                                    <td data-label=t.rp_col_payment class="rp-no">{r.payment_no.clone()}</td>
                                    <td data-label=t.rp_col_amount class="rp-amount">{r.amount.to_string()}</td>
                                    <td data-label=t.rp_col_reason>{r.reason.clone()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
        <div class="rp-tops">
            {top(t.rp_top_quantity, report.top_by_quantity, "top-quantity")}
            {top(t.rp_top_amount, report.top_by_amount, "top-amount")}
        </div>
    }
}
