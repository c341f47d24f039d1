//! 导入导出: the products as a spreadsheet — the export (`GET /tenant/shop/export.csv`, every
//! current SKU a row) and an import posted as a plain multipart form to `/tenant/shop/import`,
//! applied whole or not at all; the report lists every bad cell by line and column.

use super::shop_products::ShopTabs;
use super::TenantScope;
use crate::components::{read_error, ErrorBox};
use crate::i18n::{fill, use_tr};
use crate::shop::problem_text;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use plaza_types::dto::CsvImportView;
use plaza_types::AppError;

#[cfg(feature = "ssr")]
use super::shop_products::CATALOGUE;

/// The shop's recent imports (`id`: only that one's report).
#[server(endpoint = "tenant/shop/imports")]
pub async fn get_shop_imports(tenant: i64, id: Option<i64>) -> Result<Vec<CsvImportView>, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::TenantId;
    require_tenant_staff(TenantId(tenant), &CATALOGUE).await?;
    plaza_core::shop::csv::imports(&app()?.db, TenantId(tenant), id).await.map_err(user_error)
}

/// `/tenant/products/import` and `/tenant/products/import/<id>` (one import's report).
#[component]
pub fn ShopImportPage() -> impl IntoView {
    let t = use_tr();
    let scope = expect_context::<TenantScope>();
    let tenant = scope.tenant.id.0;
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let imports = Resource::new(id, move |id| get_shop_imports(tenant, id));
    let error = Signal::derive(move || read_error(query.with(|q| q.get("error"))));
    view! {
        <Title text=t.stc_tab_import />
        <h1>{t.nav_products}</h1>
        <ShopTabs current="/tenant/products/import" />
        <ErrorBox error />
        <section class="panel">
            <h2>{t.stc_export}</h2>
            <p class="muted small">{t.stc_export_hint}</p>
            <a class="button" href="/tenant/shop/export.csv" download="products.csv" data-testid="export-csv">{t.stc_export_button}</a>
        </section>
        <section class="panel">
            <h2 id="import-title">{t.stc_import}</h2>
            <p class="muted small" id="import-hint">{t.stc_import_hint}</p>
            <form method="post" action="/tenant/shop/import" enctype="multipart/form-data" class="shop-upload">
                <input type="file" name="file" accept=".csv,text/csv" required aria-labelledby="import-title" aria-describedby="import-hint" data-testid="import-file" />
                <button type="submit" class="button button-primary" data-testid="import-send">{t.stc_import_button}</button>
            </form>
        </section>
        <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
            {move || imports.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="muted">{t.stc_no_imports}</p> }.into_any(),
                Ok(list) => view! {
                    <section class="panel">
                        <h2>{if id().is_some() { t.stc_import_report } else { t.stc_recent_imports }}</h2>
                        {list.into_iter().map(|i| view! { <ImportReport i /> }).collect_view()}
                    </section>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ImportReport(i: CsvImportView) -> impl IntoView {
    let t = use_tr();
    let summary = if i.applied {
        fill(t.stc_import_applied, &[("created", &i.created.to_string()), ("updated", &i.updated.to_string())])
    } else {
        fill(t.stc_import_refused, &[("n", &i.errors.len().to_string())])
    };
    view! {
        <div class="shop-import" data-testid="import-report">
            <p>
                <a href=format!("/tenant/products/import/{}", i.id)><strong>{i.file_name.clone()}</strong></a>
                " · "<span class="muted small">{i.at.clone()}" · "{fill(t.stc_rows_n, &[("n", &i.rows.to_string())])}</span>
            </p>
            <p class=if i.applied { "notice notice-ok" } else { "notice notice-error" } data-testid="import-summary">{summary}</p>
            {(!i.errors.is_empty()).then(|| view! {
                <div class="table-scroll">
                <table class="table" data-testid="import-errors">
                    <thead><tr><th>{t.stc_line}</th><th>{t.stc_column}</th><th>{t.stc_value}</th><th>{t.stc_problem}</th></tr></thead>
                    <tbody>
                        {i.errors.iter().map(|e| view! {
                            <tr><td>{e.line}</td><td>{e.column.clone()}</td><td><code>{e.value.clone()}</code></td><td>{problem_text(t, e.problem)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            })}
        </div>
    }
}
