//! One product in the shop's editor, section by section: on sale or not (and a take-down's
//! reason), the gallery (uploaded with each photo's progress by `ShopPhotoUpload`, reordered,
//! the first the cover), the basics (title, subtitle, code, category, tags, parameters), the
//! specs, the SKU table (price, member price, barcode, photo, on/off), stock with its history
//! (`shop_stock`), and the description with its own pictures.

use super::shop_photo_upload::ShopPhotoUpload;
use super::shop_products::{status_label, CategorySelect, ShopTabs, SpecRows};
use super::shop_stock::StockSection;
use super::TenantScope;
use crate::components::{read_error, ErrorBox};
use crate::i18n::{fill, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use plaza_types::dto::{CategoryNode, ConsoleProduct, ProductStatus};
use plaza_types::{AppError, Fen};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::shop_products::CATALOGUE;

#[server(endpoint = "tenant/shop/product")]
pub async fn get_shop_product(tenant: i64, id: i64) -> Result<ConsoleProduct, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::dto::ProductId;
    use plaza_types::TenantId;
    require_tenant_staff(TenantId(tenant), &CATALOGUE).await?;
    plaza_core::shop::products::console_get(&app()?.db, TenantId(tenant), ProductId(id)).await.map_err(user_error)
}

#[cfg(feature = "ssr")]
fn back(id: i64, saved: &str, section: &str) {
    leptos_axum::redirect(&format!("/tenant/products/{id}?saved={saved}#{section}"));
}

#[allow(clippy::too_many_arguments)]
#[server(endpoint = "tenant/shop/product/info")]
pub async fn save_product_info(
    tenant: i64,
    id: i64,
    title: String,
    subtitle: String,
    code: String,
    category: i64,
    tags: String,
    params: String,
) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_core::shop::{input, products};
    use plaza_types::dto::{CategoryId, ProductId};
    use plaza_types::TenantId;
    require_tenant_staff(TenantId(tenant), &CATALOGUE).await?;
    let info = products::InfoInput {
        title,
        subtitle,
        code,
        category: CategoryId(category),
        tags: input::tags(&tags).map_err(user_error)?,
        params: input::params(&params).map_err(user_error)?,
    };
    products::update_info(&app()?.db, TenantId(tenant), ProductId(id), &info, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    back(id, "info", "info");
    Ok(())
}

#[allow(clippy::too_many_arguments)]
#[server(endpoint = "tenant/shop/product/specs")]
pub async fn save_product_specs(
    tenant: i64,
    id: i64,
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
    use plaza_types::dto::ProductId;
    use plaza_types::TenantId;
    let staff = require_tenant_staff(TenantId(tenant), &CATALOGUE).await?;
    let rows: Vec<(String, String)> =
        [(spec_name_1, spec_values_1), (spec_name_2, spec_values_2), (spec_name_3, spec_values_3)]
            .into_iter()
            .map(|(n, v)| (n.unwrap_or_default(), v.unwrap_or_default()))
            .collect();
    let specs = input::specs(&rows).map_err(user_error)?;
    let now = plaza_core::Timestamp::now();
    products::set_specs(&app()?.db, TenantId(tenant), ProductId(id), &specs, &price, &stock, staff.staff_id, now)
        .await
        .map_err(user_error)?;
    back(id, "specs", "skus");
    Ok(())
}

/// A row of the SKU table as posted (`skus[0][price]=…`); `enabled` is present when ticked and
/// `photo` is a gallery photo's id or empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SkuRowForm {
    pub id: i64,
    pub price: String,
    #[serde(default)]
    pub member_price: String,
    #[serde(default)]
    pub barcode: String,
    #[serde(default)]
    pub photo: String,
    #[serde(default)]
    pub enabled: Option<String>,
}

#[server(endpoint = "tenant/shop/product/skus")]
pub async fn save_product_skus(tenant: i64, id: i64, skus: Vec<SkuRowForm>) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_core::shop::products::{self, SkuEdit};
    use plaza_types::dto::{ProductId, SkuId};
    use plaza_types::TenantId;
    require_tenant_staff(TenantId(tenant), &CATALOGUE).await?;
    let rows: Vec<SkuEdit> = skus
        .into_iter()
        .map(|r| SkuEdit {
            id: SkuId(r.id),
            price: r.price,
            member_price: r.member_price,
            barcode: r.barcode,
            photo_id: r.photo.trim().parse().ok(),
            enabled: r.enabled.is_some(),
        })
        .collect();
    products::update_skus(&app()?.db, TenantId(tenant), ProductId(id), &rows, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    back(id, "skus", "skus");
    Ok(())
}

#[server(endpoint = "tenant/shop/product/description")]
pub async fn save_product_description(tenant: i64, id: i64, html: String) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::dto::ProductId;
    use plaza_types::TenantId;
    require_tenant_staff(TenantId(tenant), &CATALOGUE).await?;
    let now = plaza_core::Timestamp::now();
    plaza_core::shop::products::set_description(&app()?.db, TenantId(tenant), ProductId(id), &html, now)
        .await
        .map_err(user_error)?;
    back(id, "description", "description");
    Ok(())
}

/// Puts the product on sale (`on` = `true`) or takes it off.
#[server(endpoint = "tenant/shop/product/publish")]
pub async fn publish_product(tenant: i64, id: i64, on: bool) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_core::shop::products;
    use plaza_types::dto::ProductId;
    use plaza_types::TenantId;
    require_tenant_staff(TenantId(tenant), &CATALOGUE).await?;
    let (db, now) = (&app()?.db, plaza_core::Timestamp::now());
    if on {
        products::publish(db, TenantId(tenant), ProductId(id), now).await
    } else {
        products::unpublish(db, TenantId(tenant), ProductId(id), now).await
    }
    .map_err(user_error)?;
    back(id, if on { "published" } else { "unpublished" }, "status");
    Ok(())
}

/// Moves a gallery photo (`to`: `first`, `earlier`, `later`) or removes any photo (`remove`).
#[server(endpoint = "tenant/shop/product/photo")]
pub async fn arrange_product_photo(tenant: i64, id: i64, photo: i64, to: String) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_core::shop::photos::{self, Move};
    use plaza_types::dto::ProductId;
    use plaza_types::TenantId;
    require_tenant_staff(TenantId(tenant), &CATALOGUE).await?;
    let ctx = app()?;
    let (t, p, now) = (TenantId(tenant), ProductId(id), plaza_core::Timestamp::now());
    let to_move = match to.as_str() {
        "first" => Some(Move::First),
        "earlier" => Some(Move::Earlier),
        "later" => Some(Move::Later),
        "remove" => None,
        _ => return Err(AppError::NotFound),
    };
    match to_move {
        Some(m) => photos::move_photo(&ctx.db, t, p, photo, m, now).await,
        None => photos::remove_photo(&ctx.db, ctx.receipts.store.as_ref(), t, p, photo, now).await,
    }
    .map_err(user_error)?;
    back(id, "photos", "photos");
    Ok(())
}

/// `/tenant/products/<id>`.
#[component]
pub fn ShopProductPage() -> impl IntoView {
    let t = use_tr();
    let scope = expect_context::<TenantScope>();
    let tenant = scope.tenant.id.0;
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default());
    let actions = Actions::new();
    let product = Resource::new(
        move || (id(), actions.version(), query.with(|q| q.get("saved"))),
        move |(id, _, _)| get_shop_product(tenant, id),
    );
    let tree = Resource::new(|| (), |_| crate::shop::get_categories());
    let error = Signal::derive(move || read_error(query.with(|q| q.get("error"))).or_else(|| actions.error()));
    let saved = move || query.with(|q| q.get("saved").or_else(|| q.get("uploaded").map(|_| "photos".to_string())));
    view! {
        <Title text=t.stc_edit_product />
        <p><a href="/tenant/products">"← "{t.nav_products}</a></p>
        <ShopTabs current="/tenant/products" />
        <ErrorBox error />
        {move || saved().map(|what| view! {
            <p class="notice notice-ok" role="status" data-testid="product-saved">
                {if what == "created" { t.stc_created } else { t.stc_saved }}
            </p>
        })}
        <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
            {move || match (product.get(), tree.get()) {
                (Some(Err(e)), _) | (_, Some(Err(e))) => Some(view! { <ErrorBox error=Some(e) /> }.into_any()),
                (Some(Ok(p)), Some(Ok(tree))) => Some(view! { <Editor p tree tenant actions /> }.into_any()),
                _ => None,
            }}
        </Suspense>
    }
}

/// The editor's actions, so the page reloads the product after any of them.
#[derive(Clone, Copy)]
pub(super) struct Actions {
    info: ServerAction<SaveProductInfo>,
    specs: ServerAction<SaveProductSpecs>,
    skus: ServerAction<SaveProductSkus>,
    description: ServerAction<SaveProductDescription>,
    publish: ServerAction<PublishProduct>,
    photo: ServerAction<ArrangeProductPhoto>,
    pub adjust: ServerAction<super::shop_stock::AdjustStock>,
}

impl Actions {
    fn new() -> Self {
        Actions {
            info: ServerAction::new(),
            specs: ServerAction::new(),
            skus: ServerAction::new(),
            description: ServerAction::new(),
            publish: ServerAction::new(),
            photo: ServerAction::new(),
            adjust: ServerAction::new(),
        }
    }

    fn version(&self) -> [usize; 7] {
        [
            self.info.version().get(),
            self.specs.version().get(),
            self.skus.version().get(),
            self.description.version().get(),
            self.publish.version().get(),
            self.photo.version().get(),
            self.adjust.version().get(),
        ]
    }

    fn error(&self) -> Option<AppError> {
        let err = |v: Option<Result<(), AppError>>| v.and_then(|r| r.err());
        err(self.info.value().get())
            .or_else(|| err(self.specs.value().get()))
            .or_else(|| err(self.skus.value().get()))
            .or_else(|| err(self.description.value().get()))
            .or_else(|| err(self.publish.value().get()))
            .or_else(|| err(self.photo.value().get()))
            .or_else(|| self.adjust.value().get().and_then(|r| r.err()))
    }
}

#[component]
fn Editor(p: ConsoleProduct, tree: Vec<CategoryNode>, tenant: i64, actions: Actions) -> impl IntoView {
    let t = use_tr();
    let id = p.id.0;
    let blocked = p.blocked_reason.clone();
    let on_sale = p.status == ProductStatus::Published && blocked.is_none();
    let specs: Vec<(String, String)> = p.specs.iter().map(|d| (d.name.clone(), d.values.join("，"))).collect();
    let params: String = p.params.iter().map(|x| format!("{}：{}", x.name, x.value)).collect::<Vec<_>>().join("\n");
    let photos = p.photos.clone();
    let stock_skus = p.skus.clone();
    let description_photos = p.description_photos.clone();
    let gallery_choices: Vec<(i64, usize)> = photos.iter().enumerate().map(|(i, ph)| (ph.id, i + 1)).collect();
    view! {
        <h1 data-testid="product-heading">{p.title.clone()}</h1>
        <section class="panel shop-status" id="status">
            <p>
                <span class="badge" data-testid="product-status">{status_label(t, p.status, blocked.is_some())}</span>
                " "<span class="muted small">{p.code.clone()}</span>
                {on_sale.then(|| view! { " · "<a href=format!("/mall/p/{id}") target="_blank" data-testid="view-in-mall">{t.stc_view_in_mall}</a> })}
            </p>
            {blocked.clone().map(|reason| view! {
                <p class="notice notice-error" data-testid="take-down-reason">{t.stc_taken_down_because}" "{reason}</p>
                <p class="muted small">{t.stc_taken_down_hint}</p>
            })}
            {blocked.is_none().then(|| view! {
                <ActionForm action=actions.publish attr:class="inline-form">
                    <input type="hidden" name="tenant" value=tenant />
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="on" value=(!on_sale).to_string() />
                    {if on_sale {
                        view! { <button type="submit" class="button" data-testid="unpublish">{t.stc_unpublish}</button> }.into_any()
                    } else {
                        view! { <button type="submit" class="button button-primary" data-testid="publish">{t.stc_publish}</button> }.into_any()
                    }}
                </ActionForm>
                <p class="muted small">{t.stc_publish_hint}</p>
            })}
        </section>

        <section class="panel" id="photos">
            <h2>{t.stc_photos}</h2>
            <p class="muted small">{t.stc_photos_hint}</p>
            <ul class="shop-gallery" data-testid="gallery">
                {photos.into_iter().enumerate().map(|(i, ph)| {
                    let button = move |to: &'static str, label: &'static str| view! {
                        <ActionForm action=actions.photo attr:class="inline-form">
                            <input type="hidden" name="tenant" value=tenant />
                            <input type="hidden" name="id" value=id />
                            <input type="hidden" name="photo" value=ph.id />
                            <input type="hidden" name="to" value=to />
                            <button type="submit" class="button button-small">{label}</button>
                        </ActionForm>
                    };
                    view! {
                        <li data-testid="gallery-photo">
                            <img src=ph.thumb.clone() width="120" height="120" alt=fill(t.sh_photo_n, &[("n", &(i + 1).to_string())]) />
                            {(i == 0).then(|| view! { <span class="badge">{t.stc_cover}</span> })}
                            <span class="shop-photo-actions">
                                {(i > 0).then(|| button("first", t.stc_make_cover))}
                                {(i > 0).then(|| button("earlier", "←"))}
                                {button("later", "→")}
                                {button("remove", t.stc_remove)}
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <ShopPhotoUpload product=id kind="gallery".to_string() />
        </section>

        <section class="panel" id="info">
            <h2>{t.stc_basics}</h2>
            <ActionForm action=actions.info attr:class="stack shop-form">
                <input type="hidden" name="tenant" value=tenant />
                <input type="hidden" name="id" value=id />
                <label class="field"><span>{t.stc_title}</span><input type="text" name="title" value=p.title.clone() required maxlength="60" /></label>
                <label class="field"><span>{t.stc_subtitle}</span><input type="text" name="subtitle" value=p.subtitle.clone() maxlength="80" data-testid="product-subtitle" /></label>
                <div class="shop-two">
                    <label class="field"><span>{t.stc_code}</span><input type="text" name="code" value=p.code.clone() required maxlength="32" /></label>
                    <label class="field"><span>{t.stc_category}</span><CategorySelect tree chosen=Some(p.category.0) /></label>
                </div>
                <label class="field"><span>{t.stc_tags}</span><input type="text" name="tags" value=p.tags.join(" ") placeholder=t.stc_tags_hint /></label>
                <label class="field"><span>{t.stc_params}</span>
                    <textarea name="params" rows="4" placeholder=t.stc_params_hint>{params}</textarea>
                </label>
                <button type="submit" class="button button-primary" data-testid="save-info">{t.stc_save}</button>
            </ActionForm>
        </section>

        <section class="panel" id="skus">
            <h2>{t.stc_skus}</h2>
            <ActionForm action=actions.skus attr:class="shop-sku-form">
                <input type="hidden" name="tenant" value=tenant />
                <input type="hidden" name="id" value=id />
                <div class="table-scroll">
                <table class="table shop-skus" data-testid="sku-table">
                    <thead><tr>
                        <th>{t.stc_sku}</th><th>{t.stc_price}</th><th>{t.sh_member_price}</th><th>{t.stc_stock}</th>
                        <th>{t.stc_barcode}</th><th>{t.stc_sku_photo}</th><th>{t.stc_enabled}</th>
                    </tr></thead>
                    <tbody>
                        {p.skus.iter().enumerate().map(|(i, s)| {
                            let name = move |field: &str| format!("skus[{i}][{field}]");
                            let label = if s.values.is_empty() { t.stc_single_sku.to_string() } else { s.label() };
                            let choices = gallery_choices.clone();
                            let chosen = s.photo_id;
                            view! {
                                <tr data-testid="sku-row">
                                    <td><input type="hidden" name=name("id") value=s.id.0 />{label}</td>
                                    <td><input type="text" name=name("price") value=Fen(s.price_fen).yuan_input() inputmode="decimal" required size="7" aria-label=t.stc_price /></td>
                                    <td><input type="text" name=name("member_price") value=s.member_price_fen.map(|m| Fen(m).yuan_input()).unwrap_or_default() inputmode="decimal" size="7" aria-label=t.sh_member_price /></td>
                                    <td class=(s.stock == 0).then_some("shop-out")>{s.stock}</td>
                                    <td><input type="text" name=name("barcode") value=s.barcode.clone() size="13" aria-label=t.stc_barcode /></td>
                                    <td>
                                        <select name=name("photo") aria-label=t.stc_sku_photo>
                                            <option value="" selected=chosen.is_none()>"—"</option>
                                            {choices.into_iter().map(|(photo, n)| view! {
                                                <option value=photo selected=chosen == Some(photo)>{fill(t.sh_photo_n, &[("n", &n.to_string())])}</option>
                                            }).collect_view()}
                                        </select>
                                    </td>
                                    <td><input type="checkbox" name=name("enabled") value="on" checked=s.enabled aria-label=t.stc_enabled /></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
                <button type="submit" class="button button-primary" data-testid="save-skus">{t.stc_save_skus}</button>
            </ActionForm>
            <details class="shop-specs-edit" open=p.specs.is_empty()>
                <summary>{t.stc_change_specs}</summary>
                <ActionForm action=actions.specs attr:class="stack shop-form">
                    <input type="hidden" name="tenant" value=tenant />
                    <input type="hidden" name="id" value=id />
                    <SpecRows values=specs />
                    <div class="shop-two">
                        <label class="field"><span>{t.stc_new_sku_price}</span><input type="text" name="price" inputmode="decimal" placeholder="59.90" /></label>
                        <label class="field"><span>{t.stc_new_sku_stock}</span><input type="number" name="stock" min="0" value="0" /></label>
                    </div>
                    <p class="muted small">{t.stc_specs_change_hint}</p>
                    <button type="submit" class="button" data-testid="save-specs">{t.stc_save_specs}</button>
                </ActionForm>
            </details>
        </section>

        <StockSection product=id tenant skus=stock_skus adjust=actions.adjust />

        <section class="panel" id="description">
            <h2>{t.sh_description}</h2>
            <ActionForm action=actions.description attr:class="stack shop-form">
                <input type="hidden" name="tenant" value=tenant />
                <input type="hidden" name="id" value=id />
                <label class="field"><span>{t.stc_description_label}</span>
                    <textarea name="html" rows="8" data-testid="product-description">{p.description_html.clone()}</textarea>
                </label>
                <p class="muted small">{t.stc_description_hint}</p>
                <button type="submit" class="button button-primary" data-testid="save-description">{t.stc_save}</button>
            </ActionForm>
            {(!description_photos.is_empty()).then(|| view! {
                <ul class="shop-gallery">
                    {description_photos.into_iter().map(|ph| {
                        let tag = format!("<img src=\"{}\">", ph.url);
                        view! {
                            <li>
                                <img src=ph.thumb.clone() width="120" alt="" />
                                <code class="small">{tag}</code>
                                <ActionForm action=actions.photo attr:class="inline-form">
                                    <input type="hidden" name="tenant" value=tenant />
                                    <input type="hidden" name="id" value=id />
                                    <input type="hidden" name="photo" value=ph.id />
                                    <input type="hidden" name="to" value="remove" />
                                    <button type="submit" class="button button-small">{t.stc_remove}</button>
                                </ActionForm>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            <ShopPhotoUpload product=id kind="description".to_string() />
        </section>
    }
}
