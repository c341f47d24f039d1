//! 储值: the member's stored-value balance and its history (top-up is in `membership`).

use crate::components::{unless_signed_in, TopBar};
use crate::i18n::{use_tr, Tr};
use leptos::prelude::*;
use leptos_meta::Title;
use plaza_types::dto::SvOverview;
use plaza_types::AppError;

#[server(endpoint = "stored-value/mine")]
pub async fn get_balance() -> Result<SvOverview, AppError> {
    use crate::server::{app, require_member, user_error};
    use plaza_core::stored_value;
    use plaza_types::dto::SvLine;
    let member = require_member().await?;
    let ctx = app()?;
    let tz = plaza_core::mall::timezone(&ctx.db).await.map_err(user_error)?;
    let balance = stored_value::balance(ctx.db.pool(), member).await.map_err(user_error)?;
    let lines = stored_value::movements(&ctx.db, member, 100)
        .await
        .map_err(user_error)?
        .into_iter()
        .map(|m| SvLine {
            kind: m.kind,
            amount: plaza_types::Fen(m.amount_fen),
            balance_after: plaza_types::Fen(m.balance_after),
            at: plaza_core::Timestamp(m.created_at).format_local(&tz),
        })
        .collect();
    Ok(SvOverview { balance, lines })
}

fn kind_label(t: &Tr, kind: &str) -> &'static str {
    match kind {
        "topup" => t.sv_kind_topup,
        "bonus" => t.sv_kind_bonus,
        "spend" => t.sv_kind_spend,
        "refund" => t.sv_kind_refund,
        _ => t.sv_kind_adjust,
    }
}

#[component]
pub fn BalancePage() -> impl IntoView {
    let t = use_tr();
    let overview = crate::components::page_resource(|| (), |_| get_balance());
    view! {
        <Title text=t.balance_title />
        <TopBar title=t.balance_title>
            <a href="/balance/topup" data-testid="topup-link">{t.topup_link}</a>
        </TopBar>
        <main class="page">
            <Suspense>
                {move || overview.get().map(|r| match r {
                    Err(e) => unless_signed_in(e, "/balance"),
                    Ok(o) => view! {
                        <section class="panel balance-panel">
                            <div class="balance-big">
                                <span class="muted">{t.balance_title}</span>
                                <strong data-testid="sv-balance">{o.balance.to_string()}</strong>
                            </div>
                        </section>
                        <section class="panel">
                            {o.lines.is_empty().then(|| view! { <p class="muted">{t.balance_empty}</p> })}
                            <ul class="ledger">
                                {o.lines.into_iter().map(|l| view! {
                                    <li class="ledger-row">
                                        <div>
                                            <p class="ledger-title">{kind_label(t, &l.kind)}</p>
                                            <p class="muted small">{l.at.clone()}</p>
                                        </div>
                                        <strong class={if l.amount.0 > 0 { "amount-in" } else { "amount-out" }}>
                                            {if l.amount.0 > 0 { format!("+{}", l.amount) } else { l.amount.to_string() }}
                                        </strong>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                })}
            </Suspense>
        </main>
    }
}
