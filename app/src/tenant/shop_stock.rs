//! Stock in the product editor: an adjustment per SKU (`+20` arrived, `-3` damaged…) with a
//! reason from a short list and a note, and the product's history of every change, newest first.

use crate::i18n::{use_tr, Tr};
use leptos::prelude::*;
use plaza_types::dto::{ConsoleSku, StockAdjustmentView, StockReason};
use plaza_types::AppError;

#[cfg(feature = "ssr")]
use super::shop_products::CATALOGUE;

#[server(endpoint = "tenant/shop/stock/adjust")]
pub async fn adjust_stock(
    tenant: i64,
    product: i64,
    sku: i64,
    delta: String,
    reason: String,
    note: String,
) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::dto::{ShopProblem, SkuId};
    use plaza_types::TenantId;
    let staff = require_tenant_staff(TenantId(tenant), &CATALOGUE).await?;
    let reason = StockReason::parse(&reason).ok_or(AppError::Shop { problem: ShopProblem::Reason })?;
    let now = plaza_core::Timestamp::now();
    plaza_core::shop::stock::adjust(
        &app()?.db,
        TenantId(tenant),
        SkuId(sku),
        &delta,
        reason,
        &note,
        staff.staff_id,
        now,
    )
    .await
    .map_err(user_error)?;
    leptos_axum::redirect(&format!("/tenant/products/{product}?saved=stock#stock"));
    Ok(())
}

#[server(endpoint = "tenant/shop/stock/history")]
pub async fn stock_history(tenant: i64, product: i64) -> Result<Vec<StockAdjustmentView>, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::dto::ProductId;
    use plaza_types::TenantId;
    require_tenant_staff(TenantId(tenant), &CATALOGUE).await?;
    plaza_core::shop::stock::history(&app()?.db, TenantId(tenant), ProductId(product), 100).await.map_err(user_error)
}

pub fn reason_label(t: &Tr, reason: StockReason) -> &'static str {
    match reason {
        StockReason::Initial => t.stc_reason_initial,
        StockReason::Restock => t.stc_reason_restock,
        StockReason::Count => t.stc_reason_count,
        StockReason::Damage => t.stc_reason_damage,
        StockReason::Return => t.stc_reason_return,
        StockReason::Import => t.stc_reason_import,
        StockReason::Other => t.stc_reason_other,
    }
}

#[component]
pub fn StockSection(
    product: i64,
    tenant: i64,
    skus: Vec<ConsoleSku>,
    adjust: ServerAction<AdjustStock>,
) -> impl IntoView {
    let t = use_tr();
    let history = Resource::new(move || adjust.version().get(), move |_| stock_history(tenant, product));
    view! {
        <section class="panel" id="stock">
            <h2>{t.stc_stock}</h2>
            <ActionForm action=adjust attr:class="shop-adjust">
                <input type="hidden" name="tenant" value=tenant />
                <input type="hidden" name="product" value=product />
                <label class="field"><span>{t.stc_sku}</span>
                    <select name="sku" data-testid="adjust-sku">
                        {skus.iter().map(|s| {
                            let label = if s.values.is_empty() { t.stc_single_sku.to_string() } else { s.label() };
                            view! { <option value=s.id.0>{format!("{label} ({})", s.stock)}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="field"><span>{t.stc_delta}</span>
                    <input type="text" name="delta" required inputmode="numeric" placeholder="+20" size="6" data-testid="adjust-delta" />
                </label>
                <label class="field"><span>{t.stc_reason}</span>
                    <select name="reason" data-testid="adjust-reason">
                        {StockReason::CHOOSABLE.into_iter().map(|r| view! { <option value=r.as_str()>{reason_label(t, r)}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field"><span>{t.stc_note}</span>
                    <input type="text" name="note" maxlength="100" data-testid="adjust-note" />
                </label>
                <button type="submit" class="button button-primary" data-testid="adjust-stock">{t.stc_adjust}</button>
            </ActionForm>
            <p class="muted small">{t.stc_adjust_hint}</p>
            <h3>{t.stc_history}</h3>
            <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
                {move || history.get().map(|r| match r {
                    Err(e) => view! { <crate::components::ErrorBox error=Some(e) /> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <p class="muted">{t.stc_no_history}</p> }.into_any(),
                    Ok(rows) => view! {
                        <div class="table-scroll">
                        <table class="table" data-testid="stock-history">
                            <thead><tr>
                                <th>{t.stc_when}</th><th>{t.stc_sku}</th><th>{t.stc_delta}</th><th>{t.stc_after}</th>
                                <th>{t.stc_reason}</th><th>{t.stc_by}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|a| view! {
                                    <tr>
                                        <td class="small">{a.at}</td>
                                        <td>{if a.sku_label.is_empty() { "—".to_string() } else { a.sku_label }}</td>
                                        <td>{if a.delta > 0 { format!("+{}", a.delta) } else { a.delta.to_string() }}</td>
                                        <td>{a.stock_after}</td>
                                        <td>{reason_label(t, a.reason)}{(!a.note.is_empty()).then(|| format!(" · {}", a.note))}</td>
                                        <td class="small">{a.by}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
