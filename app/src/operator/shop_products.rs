//! 商品管理 (operators): every shop's listed products, found by title, code or shop, to feature
//! on the mall home or take down with a reason the shop sees (and restore when fixed). Both
//! operator roles; audited.

use super::shop_home::{FeatureProduct, OpsShopTabs};
use crate::components::{read_error, ErrorBox};
use crate::i18n::use_tr;
use crate::tenant::status_label;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use plaza_types::dto::OpsProductRow;
use plaza_types::{AppError, Fen};

#[server(endpoint = "ops/shop/products")]
pub async fn get_ops_products(q: String, blocked: bool, page: u32) -> Result<(Vec<OpsProductRow>, bool), AppError> {
    use crate::server::{app, require_operator, user_error};
    require_operator().await?;
    let q: String = q.chars().take(40).collect();
    plaza_core::shop::curation::ops_products(&app()?.db, &q, blocked, page).await.map_err(user_error)
}

/// Takes a product down (`down` = `true`) or restores it, with the reason the shop sees.
#[server(endpoint = "ops/shop/take-down")]
pub async fn take_down_product(product: i64, down: bool, reason: String, back: Option<String>) -> Result<(), AppError> {
    use crate::server::{app, require_operator, user_error};
    use plaza_core::shop::curation;
    use plaza_types::dto::ProductId;
    let staff = require_operator().await?;
    let (db, now) = (&app()?.db, plaza_core::Timestamp::now());
    if down {
        curation::take_down(db, ProductId(product), &reason, staff.staff_id, now).await
    } else {
        curation::restore(db, ProductId(product), &reason, staff.staff_id, now).await
    }
    .map_err(user_error)?;
    let back = crate::auth::safe_next(back.as_deref().unwrap_or_default(), "/ops/shop/products");
    leptos_axum::redirect(&back);
    Ok(())
}

/// `/ops/shop/products`.
#[component]
pub fn OpsShopProductsPage() -> impl IntoView {
    let t = use_tr();
    let query = use_query_map();
    let take_down = ServerAction::<TakeDownProduct>::new();
    let feature = ServerAction::<FeatureProduct>::new();
    let text = move || query.with(|q| q.get("q").unwrap_or_default());
    let blocked = move || query.with(|q| q.get("blocked").is_some());
    let page = move || query.with(|q| q.get("page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(1).max(1));
    let list = Resource::new(
        move || (text(), blocked(), page(), take_down.version().get(), feature.version().get()),
        |(q, blocked, page, _, _)| get_ops_products(q, blocked, page),
    );
    let error = Signal::derive(move || {
        read_error(query.with(|q| q.get("error")))
            .or_else(|| take_down.value().get().and_then(|r| r.err()))
            .or_else(|| feature.value().get().and_then(|r| r.err()))
    });
    let here = move || {
        format!(
            "/ops/shop/products?q={}{}&page={}",
            crate::auth::encode_component(&text()),
            if blocked() { "&blocked=1" } else { "" },
            page()
        )
    };
    view! {
        <Title text=t.sop_tab_products />
        <h1>{t.sop_title}</h1>
        <OpsShopTabs current="/ops/shop/products" />
        <ErrorBox error />
        <form method="get" action="/ops/shop/products" class="console-filter">
            <input type="search" name="q" value=text placeholder=t.sop_search_products aria-label=t.sop_search_products data-testid="ops-product-search" />
            <label class="check"><input type="checkbox" name="blocked" value="1" checked=blocked />" "{t.sop_blocked_only}</label>
            <button type="submit" class="button">{t.stc_filter}</button>
        </form>
        <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok((rows, _)) if rows.is_empty() => view! { <p class="panel muted">{t.sop_no_products}</p> }.into_any(),
                Ok((rows, more)) => {
                    let back = here();
                    let page = page();
                    let link = move |n: u32| format!("/ops/shop/products?q={}{}&page={n}", crate::auth::encode_component(&text()), if blocked() { "&blocked=1" } else { "" });
                    view! {
                        <ul class="plain-list ops-products">
                            {rows.into_iter().map(|p| view! { <ProductRow p back=back.clone() take_down feature /> }).collect_view()}
                        </ul>
                        <nav class="pager">
                            {(page > 1).then(|| view! { <a class="button" href=link(page - 1)>{t.sh_page_prev}</a> })}
                            {more.then(|| view! { <a class="button" href=link(page + 1)>{t.sh_page_next}</a> })}
                        </nav>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProductRow(
    p: OpsProductRow,
    back: String,
    take_down: ServerAction<TakeDownProduct>,
    feature: ServerAction<FeatureProduct>,
) -> impl IntoView {
    let t = use_tr();
    let id = p.id.0;
    let blocked = p.blocked_reason.clone();
    let listed = blocked.is_none() && p.status == plaza_types::dto::ProductStatus::Published;
    let feature_back = back.clone();
    view! {
        <li class="panel ops-product" data-testid="ops-product">
            <div class="shop-product-cell">
                {match p.cover.clone() {
                    Some(src) => view! { <img src=src width="56" height="56" alt="" loading="lazy" /> }.into_any(),
                    None => view! { <span class="shop-nophoto" aria-hidden="true"></span> }.into_any(),
                }}
                <span>
                    <a href=format!("/mall/p/{id}") target="_blank"><strong>{p.title.clone()}</strong></a>
                    <small class="muted">{p.shop_name.clone()}" · "{p.min_price_fen.map(|f| Fen(f).short()).unwrap_or_default()}" · "{status_label(t, p.status, blocked.is_some())}{p.featured.then_some(" · ★")}</small>
                </span>
            </div>
            {blocked.clone().map(|reason| view! { <p class="notice notice-error small" data-testid="take-down-reason">{t.stc_taken_down_because}" "{reason}</p> })}
            <div class="ops-product-actions">
                {listed.then(|| view! {
                    <ActionForm action=feature attr:class="inline-form">
                        <input type="hidden" name="product" value=id />
                        <input type="hidden" name="on" value=(!p.featured).to_string() />
                        <input type="hidden" name="back" value=feature_back />
                        <button type="submit" class="button button-small">{if p.featured { t.sop_unfeature } else { t.sop_feature }}</button>
                    </ActionForm>
                })}
                <ActionForm action=take_down attr:class="ops-take-down">
                    <input type="hidden" name="product" value=id />
                    <input type="hidden" name="down" value=blocked.is_none().to_string() />
                    <input type="hidden" name="back" value=back />
                    <input type="text" name="reason" required maxlength="200" placeholder=t.sop_reason aria-label=t.sop_reason data-testid="take-down-words" />
                    <button type="submit" class="button button-small" data-testid="take-down">{if blocked.is_none() { t.sop_take_down } else { t.sop_restore }}</button>
                </ActionForm>
            </div>
        </li>
    }
}
