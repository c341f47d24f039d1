//! 商品管理: the storefront's products — the list by status with what the mall took down and why,
//! a new product (title, category, up to three spec dimensions, the price and stock every SKU
//! starts with), and the tabs of the shop's catalogue pages (products, import and export,
//! reviews, the storefront profile). The owner and the fulfilment staff manage products.

use super::TenantScope;
use crate::components::{read_error, ErrorBox};
use crate::i18n::{fill, use_lang, use_tr, Tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use plaza_types::dto::{CategoryNode, ConsoleProductRow, ProductStatus};
use plaza_types::{AppError, Fen, StaffRole};

/// Who manages the catalogue: the shop's owner and fulfilment staff.
#[cfg(feature = "ssr")]
pub(super) const CATALOGUE: [StaffRole; 2] = [StaffRole::TenantOwner, StaffRole::TenantFulfilment];

#[server(endpoint = "tenant/shop/products")]
pub async fn get_shop_products(
    tenant: i64,
    status: String,
    q: String,
    page: u32,
) -> Result<(Vec<ConsoleProductRow>, bool), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_core::shop::products::{console_list, ConsoleFilter};
    use plaza_types::TenantId;
    require_tenant_staff(TenantId(tenant), &CATALOGUE).await?;
    let filter = ConsoleFilter { status: ProductStatus::parse(&status), text: q.chars().take(40).collect(), page };
    console_list(&app()?.db, TenantId(tenant), &filter).await.map_err(user_error)
}

/// A new draft: up to three spec rows (`spec_name_N`, `spec_values_N` with values separated by
/// commas or 、), and the price and stock each SKU starts with.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "tenant/shop/product/create")]
pub async fn create_shop_product(
    tenant: i64,
    title: String,
    code: Option<String>,
    category: i64,
    spec_name_1: Option<String>,
    spec_values_1: Option<String>,
    spec_name_2: Option<String>,
    spec_values_2: Option<String>,
    spec_name_3: Option<String>,
    spec_values_3: Option<String>,
    price: String,
    stock: String,
) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_core::shop::{input, products};
    use plaza_types::dto::CategoryId;
    use plaza_types::TenantId;
    let staff = require_tenant_staff(TenantId(tenant), &CATALOGUE).await?;
    let rows: Vec<(String, String)> =
        [(spec_name_1, spec_values_1), (spec_name_2, spec_values_2), (spec_name_3, spec_values_3)]
            .into_iter()
            .map(|(n, v)| (n.unwrap_or_default(), v.unwrap_or_default()))
            .collect();
    let specs = input::specs(&rows).map_err(user_error)?;
    let new = products::NewProduct {
        title,
        code: code.unwrap_or_default(),
        category: CategoryId(category),
        specs,
        price,
        stock,
    };
    let ctx = app()?;
    let id = products::create(&ctx.db, TenantId(tenant), &new, staff.staff_id, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect(&format!("/tenant/products/{}?saved=created", id.0));
    Ok(())
}

/// The catalogue's tabs; the storefront profile is the owner's.
#[component]
pub fn ShopTabs(current: &'static str) -> impl IntoView {
    let t = use_tr();
    let scope = expect_context::<TenantScope>();
    let owner = scope.role == StaffRole::TenantOwner;
    let tabs: Vec<(&'static str, &'static str)> = [
        ("/tenant/products", t.stc_tab_products),
        ("/tenant/products/import", t.stc_tab_import),
        ("/tenant/products/reviews", t.stc_tab_reviews),
    ]
    .into_iter()
    .chain(owner.then_some(("/tenant/products/storefront", t.stc_tab_storefront)))
    .collect();
    view! {
        <nav class="console-tabs" aria-label=t.nav_products>
            {tabs.into_iter().map(|(href, label)| view! {
                <a href=href class="console-tab" aria-current=(href == current).then_some("page")>{label}</a>
            }).collect_view()}
        </nav>
    }
}

pub fn status_label(t: &Tr, status: ProductStatus, blocked: bool) -> &'static str {
    match (blocked, status) {
        (true, _) => t.stc_status_blocked,
        (_, ProductStatus::Draft) => t.stc_status_draft,
        (_, ProductStatus::Published) => t.stc_status_published,
        (_, ProductStatus::Unpublished) => t.stc_status_unpublished,
    }
}

fn price_text(min: Option<i64>, max: Option<i64>) -> String {
    match (min, max) {
        (Some(min), Some(max)) if max > min => format!("{}–{}", Fen(min).short(), Fen(max).short()),
        (Some(min), _) => Fen(min).short(),
        _ => "—".into(),
    }
}

/// `/tenant/products`.
#[component]
pub fn ShopProductsPage() -> impl IntoView {
    let t = use_tr();
    let scope = expect_context::<TenantScope>();
    let tenant = scope.tenant.id.0;
    let query = use_query_map();
    let status = move || query.with(|q| q.get("status").unwrap_or_default());
    let text = move || query.with(|q| q.get("q").unwrap_or_default());
    let page = move || query.with(|q| q.get("page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(1).max(1));
    let list = Resource::new(
        move || (status(), text(), page()),
        move |(status, q, page)| get_shop_products(tenant, status, q, page),
    );
    let error = Signal::derive(move || read_error(query.with(|q| q.get("error"))));
    view! {
        <Title text=t.nav_products />
        <h1>{t.nav_products}</h1>
        <ShopTabs current="/tenant/products" />
        <ErrorBox error />
        <div class="console-toolbar">
            <form method="get" action="/tenant/products" class="console-filter">
                <select name="status" aria-label=t.stc_status>
                    <option value="" selected=move || status().is_empty()>{t.stc_status_all}</option>
                    {[ProductStatus::Draft, ProductStatus::Published, ProductStatus::Unpublished].into_iter().map(|s| {
                        let value = s.as_str();
                        view! { <option value=value selected=move || status() == value>{status_label(t, s, false)}</option> }
                    }).collect_view()}
                </select>
                <input type="search" name="q" value=text placeholder=t.stc_search_placeholder aria-label=t.stc_search_placeholder />
                <button type="submit" class="button">{t.stc_filter}</button>
            </form>
            <a class="button button-primary" href="/tenant/products/new" data-testid="new-product">{t.stc_new_product}</a>
        </div>
        <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok((rows, more)) => view! { <ProductTable rows more page=page() status=status() text=text() /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ProductTable(rows: Vec<ConsoleProductRow>, more: bool, page: u32, status: String, text: String) -> impl IntoView {
    let t = use_tr();
    if rows.is_empty() {
        return view! { <p class="panel muted" data-testid="no-products">{t.stc_no_products}</p> }.into_any();
    }
    let link = move |page: u32| {
        format!(
            "/tenant/products?status={}&q={}&page={page}",
            crate::auth::encode_component(&status),
            crate::auth::encode_component(&text)
        )
    };
    view! {
        <table class="table table-cards shop-products" data-testid="product-table">
            <thead><tr>
                <th>{t.stc_product}</th>
                <th>{t.stc_price}</th>
                <th>{t.stc_stock}</th>
                <th>{t.stc_status}</th>
                <th>{t.stc_updated}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| {
                    let href = format!("/tenant/products/{}", r.id.0);
                    let blocked = r.blocked_reason.clone();
                    view! {
                        <tr data-testid="product-row">
                            <td>
                                <a href=href class="shop-product-cell">
                                    {match r.cover.clone() {
                                        Some(src) => view! { <img src=src width="48" height="48" alt="" loading="lazy" /> }.into_any(),
                                        None => view! { <span class="shop-nophoto" aria-hidden="true"></span> }.into_any(),
                                    }}
                                    <span>
                                        <strong>{r.title.clone()}</strong>
                                        <small class="muted">{r.code.clone()}" · "{fill(t.stc_sku_count, &[("n", &r.skus.to_string())])}</small>
                                    </span>
                                </a>
                                {blocked.clone().map(|reason| view! {
                                    <p class="notice notice-error small" data-testid="take-down-reason">{t.stc_taken_down_because}" "{reason}</p>
                                })}
                            </td>
                            <td data-label=t.stc_price>{price_text(r.min_price_fen, r.max_price_fen)}</td>
                            <td data-label=t.stc_stock class=(r.stock == 0).then_some("shop-out")>{r.stock}</td>
                            <td data-label=t.stc_status><span class="badge">{status_label(t, r.status, blocked.is_some())}</span></td>
                            <td data-label=t.stc_updated class="muted small">{r.updated_at.clone()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <nav class="pager">
            {(page > 1).then(|| view! { <a class="button" href=link(page - 1)>{t.sh_page_prev}</a> })}
            {more.then(|| view! { <a class="button" href=link(page + 1)>{t.sh_page_next}</a> })}
        </nav>
    }
    .into_any()
}

/// The category choice: second-level categories grouped under their parents.
#[component]
pub fn CategorySelect(tree: Vec<CategoryNode>, chosen: Option<i64>) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    view! {
        <select name="category" required data-testid="product-category">
            <option value="" selected=chosen.is_none()>{t.stc_choose_category}</option>
            {tree.into_iter().filter(|n| !n.children.is_empty()).map(|n| view! {
                <optgroup label=n.category.name.get(lang).to_string()>
                    {n.children.into_iter().map(|c| view! {
                        <option value=c.id.0 selected=chosen == Some(c.id.0)>{c.name.get(lang).to_string()}</option>
                    }).collect_view()}
                </optgroup>
            }).collect_view()}
        </select>
    }
}

/// Three rows of spec name and values.
#[component]
pub fn SpecRows(values: Vec<(String, String)>) -> impl IntoView {
    let t = use_tr();
    view! {
        <fieldset class="shop-specs">
            <legend>{t.stc_specs}</legend>
            <p class="muted small">{t.stc_specs_hint}</p>
            {(1..=3).map(|n| {
                let (name, list) = values.get(n - 1).cloned().unwrap_or_default();
                view! {
                    <div class="shop-spec-row">
                        <label class="field"><span>{fill(t.stc_spec_name_n, &[("n", &n.to_string())])}</span>
                            <input type="text" name=format!("spec_name_{n}") value=name maxlength="10" placeholder=if n == 1 { t.stc_spec_name_example } else { "" } data-testid=format!("spec-name-{n}") />
                        </label>
                        <label class="field"><span>{t.stc_spec_values}</span>
                            <input type="text" name=format!("spec_values_{n}") value=list placeholder=if n == 1 { t.stc_spec_values_example } else { "" } data-testid=format!("spec-values-{n}") />
                        </label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// `/tenant/products/new`.
#[component]
pub fn NewShopProductPage() -> impl IntoView {
    let t = use_tr();
    let scope = expect_context::<TenantScope>();
    let tenant = scope.tenant.id.0;
    let create = ServerAction::<CreateShopProduct>::new();
    let tree = Resource::new(|| (), |_| crate::shop::get_categories());
    let error = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    view! {
        <Title text=t.stc_new_product />
        <p><a href="/tenant/products">"← "{t.nav_products}</a></p>
        <h1>{t.stc_new_product}</h1>
        <ErrorBox error />
        <Suspense>
            {move || tree.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(tree) => view! {
                    <ActionForm action=create attr:class="panel stack shop-form">
                        <input type="hidden" name="tenant" value=tenant />
                        <label class="field"><span>{t.stc_title}</span>
                            <input type="text" name="title" required maxlength="60" data-testid="product-title" />
                        </label>
                        <div class="shop-two">
                            <label class="field"><span>{t.stc_category}</span><CategorySelect tree chosen=None /></label>
                            <label class="field"><span>{t.stc_code}</span>
                                <input type="text" name="code" maxlength="32" placeholder=t.stc_code_auto />
                            </label>
                        </div>
                        <SpecRows values=Vec::new() />
                        <div class="shop-two">
                            <label class="field"><span>{t.stc_start_price}</span>
                                <input type="text" name="price" inputmode="decimal" required placeholder="59.90" data-testid="product-price" />
                            </label>
                            <label class="field"><span>{t.stc_start_stock}</span>
                                <input type="number" name="stock" min="0" required value="0" data-testid="product-stock" />
                            </label>
                        </div>
                        <p class="muted small">{t.stc_new_hint}</p>
                        <button type="submit" class="button button-primary" data-testid="create-product">{t.stc_create}</button>
                    </ActionForm>
                }.into_any(),
            })}
        </Suspense>
    }
}
