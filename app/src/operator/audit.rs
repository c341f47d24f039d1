//! 审计日志: the newest entries, and whether the hash chain still holds from the first entry.

use super::members::AuditTable;
use crate::components::ErrorBox;
use crate::i18n::{fill, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use plaza_types::dto::AuditLog;
use plaza_types::AppError;

/// Entries the page lists.
const SHOWN: i64 = 100;

/// The newest entries and the verification of the whole chain (walked on every load).
#[server(endpoint = "ops/audit")]
pub async fn get_audit_log() -> Result<AuditLog, AppError> {
    use crate::server::{app, require_operator, user_error};
    require_operator().await?;
    let ctx = app()?;
    plaza_core::operator::audit_log::page(&ctx.db, SHOWN).await.map_err(user_error)
}

#[component]
pub fn OpsAuditPage() -> impl IntoView {
    let t = use_tr();
    let log = crate::components::page_resource(|| (), |_| get_audit_log());
    view! {
        <Title text=t.nav_audit />
        <h1>{t.nav_audit}</h1>
        <Suspense>
            {move || log.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(log) => {
                    let chain = match &log.broken_at {
                        None => view! {
                            <p class="notice notice-ok" role="status" data-testid="chain">
                                {fill(t.ops_chain_intact, &[("n", &log.entries.to_string())])}
                            </p>
                        }.into_any(),
                        Some((seq, why)) => view! {
                            <div class="notice notice-error" role="alert" data-testid="chain">
                                <p>{fill(t.ops_chain_broken, &[("seq", &seq.to_string()), ("n", &log.entries.to_string())])}</p>
                                <p class="small ops-mono">{why.clone()}</p>
                            </div>
                        }.into_any(),
                    };
                    view! {
                        {chain}
                        <p class="muted small">{fill(t.ops_audit_shown, &[("n", &SHOWN.to_string())])}</p>
                        <AuditTable lines=log.lines.clone() member_links=true />
                    }.into_any()
                }
            })}
        </Suspense>
    }
}
