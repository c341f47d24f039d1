//! /mall/p/<id>: the product — a swipeable gallery (CSS scroll-snap), the price (the member
//! price for paid members), the SKU picker as links (`?s1=白&s2=L`: values that cannot lead to
//! stock are shown disabled), parameters, the description, the shop and the reviews.

use super::card::{price_range, rating_text};
use super::product_reviews_page::ReviewItem;
use crate::auth::encode_component;
use crate::components::{page_resource, ErrorBox, TopBar};
use crate::i18n::{fill, use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use plaza_types::dto::{picker, Picker, ProductPage as Product, RatingSummary, ReviewView, SkuView};
use plaza_types::{AppError, Fen};

#[server(endpoint = "shop/product")]
pub async fn get_product(id: i64) -> Result<Product, AppError> {
    use crate::server::{app, caller, user_error};
    use plaza_core::auth::Principal;
    let ctx = app()?;
    let viewer = match caller().await? {
        Some(Principal::Member(member)) => Some(member),
        _ => None,
    };
    plaza_core::shop::product_page::page(&ctx.db, plaza_types::dto::ProductId(id), viewer, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)
}

#[component]
pub fn ProductPage() -> impl IntoView {
    let t = use_tr();
    let id = use_params_map().with_untracked(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let selection: Vec<Option<String>> = use_query_map()
        .with_untracked(|q| (1..=3).map(|i| q.get(&format!("s{i}")).filter(|v| !v.is_empty())).collect());
    let product = page_resource(move || id, get_product);
    view! {
        <Suspense fallback=move || view! { <div class="skeleton"></div> }>
            {move || product.get().map(|r| match r {
                Err(e) => view! { <TopBar title=t.tab_shop /><main class="page"><ErrorBox error=Some(e) /></main> }.into_any(),
                Ok(p) => view! { <Page p selection=selection.clone() /> }.into_any(),
            })}
        </Suspense>
    }
}

/// The product's address with the picker's choice.
fn with_choice(id: i64, values: &[Option<String>]) -> String {
    let pairs: Vec<String> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.as_ref().map(|v| format!("s{}={}", i + 1, encode_component(v))))
        .collect();
    if pairs.is_empty() {
        format!("/mall/p/{id}#buy")
    } else {
        format!("/mall/p/{id}?{}#buy", pairs.join("&"))
    }
}

#[component]
fn Page(p: Product, selection: Vec<Option<String>>) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let pick = picker(&p.specs, &p.skus, &selection);
    let chosen_photo = pick.chosen.as_ref().and_then(|s| s.photo.clone());
    let mut photos: Vec<(String, i64, i64)> = p.photos.iter().map(|ph| (ph.url.clone(), ph.width, ph.height)).collect();
    if let Some(url) = chosen_photo {
        photos.retain(|(u, _, _)| *u != url);
        photos.insert(0, (url, 1200, 1200));
    }
    let count = photos.len();
    let crumbs = p.category.clone().map(|c| {
        view! {
            <nav class="crumbs" aria-label=t.sh_categories>
                <a href=format!("/mall/c/{}", c.parent.id.0)>{c.parent.name.get(lang).to_string()}</a>
                " › "
                <a href=format!("/mall/c/{}", c.category.id.0)>{c.category.name.get(lang).to_string()}</a>
            </nav>
        }
    });
    let shop_href = format!("/mall/s/{}", p.shop.code);
    let reviews_href = format!("/mall/p/{}/reviews", p.id.0);
    view! {
        <Title text=p.title.clone() />
        <TopBar title=t.sh_product />
        <main class="product-page" data-testid="product-page">
            <div class="gallery" role="group" aria-label=t.sh_photos>
                {photos.iter().enumerate().map(|(i, (url, w, h))| view! {
                    <img id=format!("photo-{}", i + 1) src=url.clone() alt="" width=*w height=*h loading=if i == 0 { "eager" } else { "lazy" } />
                }).collect_view()}
            </div>
            {(count > 1).then(|| view! {
                <nav class="gallery-dots" aria-label=t.sh_photos>
                    {(1..=count).map(|i| view! { <a href=format!("#photo-{i}") aria-label=fill(t.sh_photo_n, &[("n", &i.to_string())])></a> }).collect_view()}
                </nav>
            })}
            <div class="page">
                {crumbs}
                <section class="panel product-main">
                    <PriceBlock pick=pick.clone() member_prices=p.member_prices />
                    <crate::mall_promotions::ProductOffers offers=p.promotions.clone() chosen=pick.chosen.as_ref().map(|s| s.id.0) />
                    <h1 class="product-title">{p.title.clone()}</h1>
                    {(!p.subtitle.is_empty()).then(|| view! { <p class="muted">{p.subtitle.clone()}</p> })}
                    {(!p.tags.is_empty()).then(|| view! { <p class="chips">{p.tags.iter().map(|tag| view! { <span class="chip chip-static">{tag.clone()}</span> }).collect_view()}</p> })}
                    <p class="muted product-stats">
                        {fill(t.sh_card_sales, &[("n", &p.sales.to_string())])}
                        {(p.rating.count > 0).then(|| format!(" · {}", fill(t.sh_card_rating, &[("score", &rating_text(p.rating.average_x100)), ("n", &p.rating.count.to_string())])))}
                    </p>
                    {(!p.on_sale).then(|| view! { <p class="notice notice-error" data-testid="off-sale">{t.sh_off_sale}</p> })}
                </section>
                <section class="panel" id="buy">
                    <SkuPicker id=p.id.0 pick=pick.clone() selection=selection.clone() />
                    <p class="muted buy-note">{fill(t.sh_buy_in_store, &[("unit", &p.shop.pickup_unit)])}</p>
                </section>
                <a class="panel row-link shop-link" href=shop_href>
                    <span class="row-main"><span>{p.shop.name.clone()}</span><small class="muted">{t.sh_pickup_at}" "{p.shop.pickup_unit.clone()}</small></span>
                    <span>{t.sh_visit_shop}" ›"</span>
                </a>
                {(!p.params.is_empty()).then(|| view! {
                    <section class="panel">
                        <h2>{t.sh_params}</h2>
                        <dl class="params">
                            {p.params.iter().map(|pa| view! { <div><dt>{pa.name.clone()}</dt><dd>{pa.value.clone()}</dd></div> }).collect_view()}
                        </dl>
                    </section>
                })}
                <ReviewsSection rating=p.rating.clone() reviews=p.reviews.clone() href=reviews_href.clone() />
                {(!p.description_html.is_empty()).then(|| view! {
                    <section class="panel description">
                        <h2>{t.sh_description}</h2>
                        // Sanitised by an allow-list when the shop saved it (core/src/shop/description.rs).
                        <div inner_html=p.description_html.clone()></div>
                    </section>
                })}
            </div>
        </main>
    }
}

#[component]
fn PriceBlock(pick: Picker, member_prices: bool) -> impl IntoView {
    let t = use_tr();
    let (price, member) = match &pick.chosen {
        Some(sku) => (Fen(sku.price_fen).to_string(), sku.member_price_fen),
        None => (price_range(t, pick.min_price_fen, pick.max_price_fen), None),
    };
    let member_label = if member_prices { t.sh_your_member_price } else { t.sh_member_price };
    view! {
        <p class="product-price" data-testid="product-price">
            <strong>{price}</strong>
            {member.map(|m| view! {
                <span class="member-price" data-testid="member-price">{member_label}" "{Fen(m).to_string()}</span>
                {(!member_prices).then(|| view! { <a class="member-price-link" href="/membership">{t.sh_member_price_how}</a> })}
            })}
        </p>
    }
}

#[component]
fn SkuPicker(id: i64, pick: Picker, selection: Vec<Option<String>>) -> impl IntoView {
    let t = use_tr();
    let dims = pick.dims.clone();
    let current: Vec<Option<String>> = dims
        .iter()
        .enumerate()
        .map(|(d, dim)| {
            dim.options
                .iter()
                .find(|o| o.selected)
                .map(|o| o.value.clone())
                .or_else(|| selection.get(d).cloned().flatten())
        })
        .collect();
    let status = status_line(t, &pick.chosen, pick.dims.is_empty());
    view! {
        {dims.into_iter().enumerate().map(|(d, dim)| {
            let current = current.clone();
            view! {
                <fieldset class="spec" data-testid="spec">
                    <legend>{dim.name.clone()}</legend>
                    <div class="spec-options">
                        {dim.options.into_iter().map(|o| {
                            let mut next = current.clone();
                            next[d] = if o.selected { None } else { Some(o.value.clone()) };
                            if o.possible || o.selected {
                                view! {
                                    <a class="spec-option" href=with_choice(id, &next) aria-current=o.selected.then_some("true") data-testid="spec-option">{o.value.clone()}</a>
                                }.into_any()
                            } else {
                                view! { <span class="spec-option spec-option-off" aria-disabled="true" title=t.sh_combination_out>{o.value.clone()}</span> }.into_any()
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
            }
        }).collect_view()}
        <p class="sku-status" data-testid="sku-status">{status}</p>
        {pick.chosen.as_ref().filter(|s| s.sellable && s.stock > 0).map(|s| view! { <crate::mall_orders::AddToCart sku=s.id.0 /> })}
    }
}

fn status_line(t: &crate::i18n::Tr, chosen: &Option<SkuView>, no_specs: bool) -> String {
    match chosen {
        Some(sku) if !sku.sellable => t.sh_sku_not_for_sale.to_string(),
        Some(sku) if sku.stock == 0 => t.sh_sold_out.to_string(),
        Some(sku) if no_specs => fill(t.sh_stock_n, &[("n", &sku.stock.to_string())]),
        Some(sku) => fill(t.sh_chosen_stock, &[("spec", &sku.label()), ("n", &sku.stock.to_string())]),
        None => t.sh_choose_spec.to_string(),
    }
}

/// The rating summary and the latest reviews, rendered as a view of its own (boxed): nested
/// inline in the page, a page with reviews overflowed a debug server's worker stack.
#[component]
fn ReviewsSection(rating: RatingSummary, reviews: Vec<ReviewView>, href: String) -> impl IntoView {
    let t = use_tr();
    view! {
        <section class="panel" id="reviews">
            <div class="row-between">
                <h2>{t.sh_reviews}" ("{rating.count}")"</h2>
                {(rating.count > 0).then(|| view! { <a href=href.clone() data-testid="all-reviews">{t.sh_all_reviews}" ›"</a> })}
            </div>
            {if reviews.is_empty() {
                view! { <p class="muted">{t.sh_no_reviews}</p> }.into_any()
            } else {
                view! {
                    <p class="rating-line"><strong>{rating_text(rating.average_x100)}</strong>" "{t.sh_out_of_5}
                        {(rating.with_photos > 0).then(|| view! { " · "<a href=format!("{href}?photos=1")>{fill(t.sh_with_photos, &[("n", &rating.with_photos.to_string())])}</a> })}
                    </p>
                    <ul class="plain-list review-list">{reviews.iter().cloned().map(|r| view! { <ReviewItem r show_product=false /> }).collect_view()}</ul>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}
