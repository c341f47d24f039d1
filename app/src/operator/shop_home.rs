//! 商城运营: the online mall's home page as operators arrange it — the banners (added with a
//! picture through the plain multipart form `/ops/shop/banners`, then titled, ordered, shown or
//! hidden, removed), the featured products, and the suggested searches — and the tabs of the
//! mall's other operator pages (categories, products, reviews). Both operator roles; every
//! change is in the audit log.

use crate::components::{read_error, ErrorBox};
use crate::i18n::use_tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use plaza_types::dto::{BannerView, OpsShopHome};
use plaza_types::{AppError, Fen};

#[server(endpoint = "ops/shop/home")]
pub async fn get_ops_shop_home() -> Result<OpsShopHome, AppError> {
    use crate::server::{app, require_operator, user_error};
    require_operator().await?;
    plaza_core::shop::curation::ops_home(&app()?.db).await.map_err(user_error)
}

/// Saves a banner's title, link, position and visibility, or removes it (`remove` present).
#[server(endpoint = "ops/shop/banner")]
pub async fn edit_banner(
    id: i64,
    title: String,
    link: String,
    position: i64,
    active: Option<String>,
    remove: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{app, require_operator, user_error};
    use plaza_core::shop::curation::{self, BannerEdit};
    let staff = require_operator().await?;
    let ctx = app()?;
    let now = plaza_core::Timestamp::now();
    if remove.is_some() {
        curation::remove_banner(&ctx.db, ctx.receipts.store.as_ref(), id, staff.staff_id, now).await
    } else {
        let edit = BannerEdit { title, link, position, active: active.is_some() };
        curation::update_banner(&ctx.db, id, &edit, staff.staff_id, now).await
    }
    .map_err(user_error)?;
    leptos_axum::redirect("/ops/shop?saved=banner");
    Ok(())
}

#[server(endpoint = "ops/shop/hot-words")]
pub async fn set_hot_words(words: String) -> Result<(), AppError> {
    use crate::server::{app, require_operator, user_error};
    let staff = require_operator().await?;
    plaza_core::shop::curation::set_hot_words(&app()?.db, &words, staff.staff_id, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/ops/shop?saved=words");
    Ok(())
}

/// Features a product on the mall home (`on`) or takes it off; `back` is where the form was.
#[server(endpoint = "ops/shop/feature")]
pub async fn feature_product(product: i64, on: bool, back: Option<String>) -> Result<(), AppError> {
    use crate::server::{app, require_operator, user_error};
    use plaza_types::dto::ProductId;
    let staff = require_operator().await?;
    let now = plaza_core::Timestamp::now();
    plaza_core::shop::curation::set_featured(&app()?.db, ProductId(product), on, staff.staff_id, now)
        .await
        .map_err(user_error)?;
    let back = crate::auth::safe_next(back.as_deref().unwrap_or_default(), "/ops/shop");
    leptos_axum::redirect(&back);
    Ok(())
}

/// The tabs of the mall's operator pages.
#[component]
pub fn OpsShopTabs(current: &'static str) -> impl IntoView {
    let t = use_tr();
    let tabs = [
        ("/ops/shop", t.sop_tab_home),
        ("/ops/shop/categories", t.sop_tab_categories),
        ("/ops/shop/products", t.sop_tab_products),
        ("/ops/shop/reviews", t.sop_tab_reviews),
    ];
    view! {
        <nav class="console-tabs" aria-label=t.sop_title>
            {tabs.into_iter().map(|(href, label)| view! {
                <a href=href class="console-tab" aria-current=(href == current).then_some("page")>{label}</a>
            }).collect_view()}
        </nav>
    }
}

/// `/ops/shop`.
#[component]
pub fn OpsShopHomePage() -> impl IntoView {
    let t = use_tr();
    let query = use_query_map();
    let banner = ServerAction::<EditBanner>::new();
    let words = ServerAction::<SetHotWords>::new();
    let feature = ServerAction::<FeatureProduct>::new();
    let home = Resource::new(
        move || (banner.version().get(), words.version().get(), feature.version().get()),
        |_| get_ops_shop_home(),
    );
    let error = Signal::derive(move || {
        read_error(query.with(|q| q.get("error")))
            .or_else(|| banner.value().get().and_then(|r| r.err()))
            .or_else(|| words.value().get().and_then(|r| r.err()))
            .or_else(|| feature.value().get().and_then(|r| r.err()))
    });
    view! {
        <Title text=t.sop_title />
        <h1>{t.sop_title}</h1>
        <OpsShopTabs current="/ops/shop" />
        <ErrorBox error />
        {move || query.with(|q| q.get("saved").is_some()).then(|| view! { <p class="notice notice-ok" role="status" data-testid="ops-shop-saved">{t.stc_saved}</p> })}
        <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
            {move || home.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(home) => view! { <HomeView home banner words feature /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn HomeView(
    home: OpsShopHome,
    banner: ServerAction<EditBanner>,
    words: ServerAction<SetHotWords>,
    feature: ServerAction<FeatureProduct>,
) -> impl IntoView {
    let t = use_tr();
    view! {
        <section class="panel">
            <h2>{t.sop_banners}</h2>
            <p class="muted small">{t.sop_banners_hint}</p>
            {home.banners.is_empty().then(|| view! { <p class="muted">{t.sop_no_banners}</p> })}
            <ul class="plain-list ops-banners">
                {home.banners.into_iter().map(|b| view! { <BannerRow b banner /> }).collect_view()}
            </ul>
            <h3>{t.sop_add_banner}</h3>
            <form method="post" action="/ops/shop/banners" enctype="multipart/form-data" class="shop-two ops-banner-add">
                <label class="field"><span>{t.sop_banner_title}</span><input type="text" name="title" required maxlength="30" /></label>
                <label class="field"><span>{t.sop_banner_link}</span><input type="text" name="link" required value="/mall" maxlength="200" /></label>
                <label class="field"><span>{t.sop_banner_picture}</span><input type="file" name="photo" accept="image/jpeg,image/png,image/webp" required /></label>
                <button type="submit" class="button button-primary">{t.sop_add}</button>
            </form>
        </section>
        <section class="panel">
            <h2>{t.sh_featured}</h2>
            <p class="muted small">{t.sop_featured_hint}</p>
            {home.featured.is_empty().then(|| view! { <p class="muted">{t.sop_no_featured}</p> })}
            <ul class="plain-list" data-testid="featured-list">
                {home.featured.into_iter().map(|p| view! {
                    <li class="row-between">
                        <a href=format!("/mall/p/{}", p.id.0) target="_blank">{p.title.clone()}</a>
                        <span class="muted small">{p.shop_name.clone()}" · "{p.min_price_fen.map(|f| Fen(f).short()).unwrap_or_default()}</span>
                        <ActionForm action=feature attr:class="inline-form">
                            <input type="hidden" name="product" value=p.id.0 />
                            <input type="hidden" name="on" value="false" />
                            <input type="hidden" name="back" value="/ops/shop" />
                            <button type="submit" class="button button-small">{t.sop_unfeature}</button>
                        </ActionForm>
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <section class="panel">
            <h2>{t.sh_hot_words}</h2>
            <ActionForm action=words attr:class="shop-two">
                <label class="field"><span>{t.sop_hot_words_label}</span><input type="text" name="words" value=home.hot_words.join(" ") data-testid="hot-words" /></label>
                <button type="submit" class="button button-primary">{t.stc_save}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn BannerRow(b: BannerView, banner: ServerAction<EditBanner>) -> impl IntoView {
    let t = use_tr();
    view! {
        <li class="ops-banner">
            <img src=b.image.clone() alt=b.title.clone() width="300" height="120" loading="lazy" />
            <ActionForm action=banner attr:class="shop-two">
                <input type="hidden" name="id" value=b.id />
                <label class="field"><span>{t.sop_banner_title}</span><input type="text" name="title" value=b.title.clone() required maxlength="30" /></label>
                <label class="field"><span>{t.sop_banner_link}</span><input type="text" name="link" value=b.link.clone() required maxlength="200" /></label>
                <label class="field"><span>{t.sop_position}</span><input type="number" name="position" value=b.position min="0" max="1000" /></label>
                <label class="check"><input type="checkbox" name="active" value="on" checked=b.active />" "{t.sop_shown}</label>
                <span>
                    <button type="submit" class="button button-small">{t.stc_save}</button>
                    " "<button type="submit" name="remove" value="1" class="button button-small">{t.stc_remove}</button>
                </span>
            </ActionForm>
        </li>
    }
}
