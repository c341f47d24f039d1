use crate::components::{unless_signed_in, TopBar};
use crate::i18n::{fill, use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use plaza_types::dto::PointsOverview;
use plaza_types::AppError;

/// The balance, what expires soon, and the ledger (30 lines a page, older with `before`).
#[server(endpoint = "points/overview")]
pub async fn get_points_overview(before: Option<i64>) -> Result<PointsOverview, AppError> {
    use crate::server::{app, require_member, user_error};
    use plaza_core::points;
    const PAGE: i64 = 30;
    let member = require_member().await?;
    let ctx = app()?;
    let now = plaza_core::Timestamp::now();
    let tz = plaza_core::mall::timezone(&ctx.db).await.map_err(user_error)?;
    let balance = points::account::balance(ctx.db.pool(), member).await.map_err(user_error)?;
    let expiring = points::history::expiring(&ctx.db, member, now, 30, &tz).await.map_err(user_error)?;
    let expiries = points::history::expiries(&ctx.db, member, &tz).await.map_err(user_error)?;
    let maturing = points::history::maturing(&ctx.db, member, &tz).await.map_err(user_error)?;
    let lines = points::history::lines(&ctx.db, member, before, PAGE + 1, &tz).await.map_err(user_error)?;
    let more_before = (lines.len() as i64 > PAGE).then(|| lines[PAGE as usize - 1].id);
    Ok(PointsOverview {
        available: balance.available,
        pending: balance.pending,
        expiring,
        expiries,
        maturing,
        lines: lines.into_iter().take(PAGE as usize).collect(),
        more_before,
    })
}

#[component]
pub fn PointsPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let query = use_query_map();
    let before = move || query.with(|q| q.get("before").and_then(|b| b.parse::<i64>().ok()));
    let overview = crate::components::page_resource(before, get_points_overview);
    view! {
        <Title text=t.points_title />
        <TopBar title=t.points_title />
        <main class="page points-page">
            <Suspense>
                {move || overview.get().map(|r| match r {
                    Err(e) => unless_signed_in(e, "/points"),
                    Ok(o) => view! {
                        <section class="panel balance-panel">
                            <div class="balance-big">
                                <span class="muted">{t.points_available_label}</span>
                                <strong data-testid="points-balance">{o.available}</strong>
                            </div>
                            <div class="balance-side">
                                <span class="muted">{t.points_pending_label}</span>
                                <strong data-testid="points-pending">{o.pending}</strong>
                            </div>
                            <p class="muted small">{t.points_pending_hint}</p>
                        </section>
                        <DatesPanel o=o.clone() />
                        <section class="panel">
                            <h2>{t.points_history_title}</h2>
                            {o.lines.is_empty().then(|| view! { <p class="muted">{t.points_empty}</p> })}
                            <ul class="ledger" data-testid="points-history">
                                {o.lines.into_iter().map(|line| {
                                    let sign = if line.points > 0 { "+" } else { "" };
                                    let title = super::line_title(t, &line.kind, &line.source);
                                    let what = match &line.tenant {
                                        Some(tenant) => format!("{title} · {}", tenant.get(lang)),
                                        None => title,
                                    };
                                    let note = super::line_note(t, &line.kind, &line.reason);
                                    view! {
                                        <li class="ledger-row" data-kind=line.kind.clone()>
                                            <div>
                                                <p class="ledger-title">{what}</p>
                                                {note.map(|r| view! { <p class="muted small">{r}</p> })}
                                                <p class="muted small">{line.at.clone()}</p>
                                            </div>
                                            <strong class={if line.points > 0 { "amount-in" } else { "amount-out" }}>
                                                {format!("{sign}{}", line.points)}
                                            </strong>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            {o.more_before.map(|b| view! { <a class="button" href=format!("/points?before={b}")>{t.points_more}</a> })}
                        </section>
                    }.into_any(),
                })}
            </Suspense>
        </main>
    }
}

/// When the points can be used: pending points by the day they become usable, available points
/// by the last day they can be used (those within 30 days marked).
#[component]
fn DatesPanel(o: PointsOverview) -> impl IntoView {
    let t = use_tr();
    let soon: Vec<String> = o.expiring.iter().map(|lot| lot.expires_on.clone()).collect();
    (!o.expiries.is_empty() || !o.maturing.is_empty()).then(|| {
        view! {
            <section class="panel" data-testid="points-dates">
                <h2>{t.points_dates_title}</h2>
                <ul class="plain-list dates-list">
                    {o.maturing.iter().map(|m| view! {
                        <li data-testid="points-maturing">
                            {fill(t.points_matures_line, &[("points", &m.points.to_string()), ("date", &m.usable_on)])}
                        </li>
                    }).collect_view()}
                    {o.expiries.iter().map(|lot| {
                        let is_soon = soon.contains(&lot.expires_on);
                        view! {
                            <li data-testid="points-expiry">
                                {fill(t.points_expires_line, &[("points", &lot.points.to_string()), ("date", &lot.expires_on)])}
                                {is_soon.then(|| view! { " "<span class="badge">{t.points_soon}</span> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <p class="muted small">{t.points_dates_hint}</p>
            </section>
        }
    })
}
