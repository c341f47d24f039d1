//! The demo mall's online shop: the category tree, the four storefronts' profiles and about forty
//! products with SKUs (prices, member prices, stock, one sold-out combination where there are
//! several), parameters, tags and descriptions. Products are seeded as drafts; [`draw_photos`]
//! (run by the seeding command with the storage service) draws each a picture, publishes it, and
//! arranges the mall home: featured products, two banners and the suggested searches; it also
//! draws each storefront's logo and banner ([`pictures`]) and has a few customers buy and review
//! products ([`reviews`]), then starts two shops' promotions ([`promotions`]). The table of
//! products is in [`items`].

use crate::audit::Actor;
use crate::shop::categories::{self, CategoryInput};
use crate::shop::photos::ProductPhotoKind;
use crate::shop::products::{self, InfoInput, NewProduct, SkuEdit};
use crate::shop::storefront::{self, Picture, ProfileInput};
use crate::shop::{curation, input, stock};
use crate::storage::Storage;
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{CategoryId, ProductId, ProductStatus, SpecDim, StockReason};
use plaza_types::{Fen, StaffId, TenantId};
use std::collections::HashMap;

mod items;
mod pictures;
mod promotions;
mod reviews;

use items::{Item, ITEMS, PROFILES, STOREFRONT_LOOKS, TREE};
use pictures::{banner, logo, picture};

async fn owner_of(db: &Db, shop: &str) -> Result<StaffId> {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM staff WHERE username = $1")
        .bind(format!("{shop}.owner"))
        .fetch_one(db.pool())
        .await?;
    Ok(StaffId(id))
}

/// Seeds the category tree, the storefront profiles and the products (as drafts).
pub(super) async fn seed(db: &Db, ids: &HashMap<&'static str, TenantId>, now: Timestamp) -> Result<()> {
    let system = Actor::System;
    let mut leaves: HashMap<&str, CategoryId> = HashMap::new();
    for (sort, (zh, en, icon, children)) in TREE.iter().enumerate() {
        let input = CategoryInput {
            parent: None,
            name_zh: zh.to_string(),
            name_en: en.to_string(),
            icon: icon.to_string(),
            sort: sort as i64,
        };
        let parent = categories::create(db, &input, &system, now).await?;
        for (i, (zh, en, icon)) in children.iter().enumerate() {
            let input = CategoryInput {
                parent: Some(parent),
                name_zh: zh.to_string(),
                name_en: en.to_string(),
                icon: icon.to_string(),
                sort: i as i64,
            };
            leaves.insert(zh, categories::create(db, &input, &system, now).await?);
        }
    }
    for (shop, name, intro, hours, delivers) in PROFILES {
        let tenant = ids[shop];
        let unit: (String,) =
            sqlx::query_as("SELECT unit_no FROM tenants WHERE id = $1").bind(tenant.0).fetch_one(db.pool()).await?;
        let profile = ProfileInput {
            name: name.into(),
            intro: intro.into(),
            opening_hours: hours.into(),
            pickup_unit: unit.0,
            delivers,
        };
        storefront::update(db, tenant, &profile, &system, now).await?;
    }
    for item in &ITEMS {
        seed_item(db, ids[item.shop], leaves[item.category], item, now).await?;
    }
    Ok(())
}

async fn seed_item(db: &Db, tenant: TenantId, category: CategoryId, item: &Item, now: Timestamp) -> Result<()> {
    let by = owner_of(db, item.shop).await?;
    let rows: Vec<(String, String)> = item.specs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
    let specs: Vec<SpecDim> = input::specs(&rows)?;
    let new = NewProduct {
        title: item.title.into(),
        code: item.code.into(),
        category,
        specs: specs.clone(),
        price: Fen(item.price).yuan_input(),
        stock: item.stock.to_string(),
    };
    let id = products::create(db, tenant, &new, by, now).await?;
    let info = InfoInput {
        title: item.title.into(),
        subtitle: item.subtitle.into(),
        code: item.code.into(),
        category,
        tags: input::tags(item.tags)?,
        params: input::params(item.params)?,
    };
    products::update_info(db, tenant, id, &info, now).await?;
    if !item.about.is_empty() {
        products::set_description(db, tenant, id, &format!("<p>{}</p>", item.about), now).await?;
    }
    let product = products::console_get(db, tenant, id).await?;
    let last = specs.last().map(|d| d.values.clone()).unwrap_or_default();
    let edits: Vec<SkuEdit> = product
        .skus
        .iter()
        .map(|sku| {
            let step = sku.values.last().and_then(|v| last.iter().position(|l| l == v)).unwrap_or(0) as i64;
            let price = item.price + step * item.step;
            SkuEdit {
                id: sku.id,
                price: Fen(price).yuan_input(),
                member_price: item.member_pct.map(|pct| Fen(price * pct / 100).yuan_input()).unwrap_or_default(),
                barcode: String::new(),
                photo_id: None,
                enabled: true,
            }
        })
        .collect();
    products::update_skus(db, tenant, id, &edits, now).await?;
    // Where there is a choice, the last combination has sold out: the picker shows it.
    if let (true, Some(last)) = (product.skus.len() > 1, product.skus.last()) {
        let delta = format!("-{}", last.stock);
        stock::adjust(db, tenant, last.id, &delta, StockReason::Count, "", by, now).await?;
    }
    Ok(())
}

/// Draws a picture for every demo product that has none and puts it on sale, then arranges the
/// mall home (featured products, banners and suggested searches) if nobody has yet. Run after
/// seeding; again it does nothing. Returns how many pictures it drew.
pub async fn draw_photos(db: &Db, storage: &Storage, now: Timestamp) -> Result<usize> {
    let mut drawn = 0;
    for (n, item) in ITEMS.iter().enumerate() {
        let row: Option<(i64, i64, String)> = sqlx::query_as(
            "SELECT p.id, p.tenant_id, p.status FROM shop_products p JOIN tenants t ON t.id = p.tenant_id \
             WHERE t.code = $1 AND p.code = $2 \
             AND NOT EXISTS (SELECT 1 FROM shop_product_photos f WHERE f.product_id = p.id)",
        )
        .bind(item.shop)
        .bind(item.code)
        .fetch_optional(db.pool())
        .await?;
        let Some((id, tenant, status)) = row else { continue };
        let (tenant, id) = (TenantId(tenant), ProductId(id));
        let look = item.look;
        let png = tokio::task::spawn_blocking(move || picture(look, n as u32))
            .await
            .map_err(|e| crate::Error::internal(format!("drawing a product: {e}")))?;
        crate::shop::photos::add_to_product(db, storage, tenant, id, ProductPhotoKind::Gallery, png, now).await?;
        drawn += 1;
        if status == ProductStatus::Draft.as_str() {
            products::publish(db, tenant, id, now).await?;
        }
    }
    drawn += storefront_pictures(db, storage, now).await?;
    arrange_home(db, storage, now).await?;
    reviews::seed(db, storage, now).await?;
    promotions::seed(db, now).await?;
    Ok(drawn)
}

/// Draws each demo storefront's logo and banner where it has none; how many pictures.
async fn storefront_pictures(db: &Db, storage: &Storage, now: Timestamp) -> Result<usize> {
    let mut drawn = 0;
    for (shop, mark, logo_colour, (from, to)) in STOREFRONT_LOOKS {
        let row: Option<(i64, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT s.tenant_id, s.logo_key, s.banner_key FROM shop_storefronts s JOIN tenants t ON t.id = s.tenant_id \
             WHERE t.code = $1",
        )
        .bind(shop)
        .fetch_optional(db.pool())
        .await?;
        let Some((tenant, logo_key, banner_key)) = row else { continue };
        for (which, missing) in [(Picture::Logo, logo_key.is_none()), (Picture::Banner, banner_key.is_none())] {
            if !missing {
                continue;
            }
            let png = tokio::task::spawn_blocking(move || match which {
                Picture::Logo => logo(mark, logo_colour),
                Picture::Banner => banner(from, to),
            })
            .await
            .map_err(|e| crate::Error::internal(format!("drawing a storefront: {e}")))?;
            storefront::upload_picture(db, storage, TenantId(tenant), which, png, now).await?;
            drawn += 1;
        }
    }
    Ok(drawn)
}

const FEATURED: [&str; 6] = ["HG-CUP500", "CZ-SHEETS", "GK-XM5", "BW-3BODY", "HG-DRIP", "GK-CASE15"];

async fn arrange_home(db: &Db, storage: &Storage, now: Timestamp) -> Result<()> {
    let (admin,): (i64,) = sqlx::query_as("SELECT id FROM staff WHERE username = 'admin'").fetch_one(db.pool()).await?;
    let admin = StaffId(admin);
    let (featured,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM shop_featured").fetch_one(db.pool()).await?;
    if featured == 0 {
        for code in FEATURED {
            let found: Option<(i64,)> =
                sqlx::query_as("SELECT id FROM shop_products WHERE code = $1 AND status = 'published'")
                    .bind(code)
                    .fetch_optional(db.pool())
                    .await?;
            if let Some((id,)) = found {
                curation::set_featured(db, ProductId(id), true, admin, now).await?;
            }
        }
    }
    if curation::banners(db, true).await?.is_empty() {
        let warm: Option<(i64,)> = sqlx::query_as("SELECT id FROM shop_categories WHERE name_zh = '床上用品'")
            .fetch_optional(db.pool())
            .await?;
        let warm_link = warm.map(|(id,)| format!("/mall/c/{id}")).unwrap_or_else(|| "/mall".into());
        for (title, link, colours) in [
            ("冬日暖心好物", warm_link.as_str(), (0xe07a5f, 0xf2cc8f)),
            ("数码焕新季", "/mall/s/geek", (0x3d5a80, 0x98c1d9)),
        ] {
            let png = tokio::task::spawn_blocking(move || banner(colours.0, colours.1))
                .await
                .map_err(|e| crate::Error::internal(format!("drawing a banner: {e}")))?;
            curation::add_banner(db, storage, title, link, png, admin, now).await?;
        }
    }
    if curation::hot_words(db).await?.is_empty() {
        curation::set_hot_words(db, "保温杯 咖啡 手机壳 降噪耳机 四件套 绘本", admin, now).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shop::browse;
    use plaza_types::dto::{BrowseFilter, Sort};

    #[test]
    fn every_item_fits_the_tree_and_its_shop() {
        let leaves: Vec<&str> = TREE.iter().flat_map(|(_, _, _, l)| l.iter().map(|(n, _, _)| *n)).collect();
        for item in &ITEMS {
            assert!(leaves.contains(&item.category), "{}", item.code);
            assert!(PROFILES.iter().any(|p| p.0 == item.shop), "{}", item.code);
        }
        for (shop, ..) in PROFILES {
            assert!(ITEMS.iter().filter(|i| i.shop == shop).count() >= 8, "{shop}");
        }
    }

    /// The whole demo seeding with photos: every product is on sale with its SKUs, the home is
    /// arranged, and shoppers' words find the products (on both databases).
    #[tokio::test]
    async fn the_demo_mall_has_a_shop_to_browse() {
        let db = crate::testing::test_db().await;
        let now = Timestamp::now();
        assert!(super::super::seed(&db, now).await.unwrap());
        let dir = std::env::temp_dir().join(format!("plaza-demo-shop-{}", rand::random::<u64>()));
        let storage = Storage::local(dir.clone()).unwrap();
        assert_eq!(draw_photos(&db, &storage, now).await.unwrap(), ITEMS.len() + 2 * STOREFRONT_LOOKS.len());
        assert_eq!(draw_photos(&db, &storage, now).await.unwrap(), 0, "a second run draws nothing");
        let home = browse::home(&db).await.unwrap();
        assert_eq!(home.featured.len(), FEATURED.len());
        assert_eq!(home.banners.len(), 2);
        assert!(!home.hot_words.is_empty());
        assert_eq!(home.storefronts.iter().filter(|s| s.products >= 8).count(), 4);
        assert!(home.storefronts.iter().all(|s| s.logo.is_some()), "every storefront has its logo");
        assert!(storefront::by_code(&db, "geek").await.unwrap().banner.is_some());
        // Customers bought, collected and reviewed: the cup's page shows two reviews, one with
        // photos and one the shop answered; nobody reviewed twice.
        let (cup,): (i64,) =
            sqlx::query_as("SELECT id FROM shop_products WHERE code = 'HG-CUP500'").fetch_one(db.pool()).await.unwrap();
        let summary = reviews::summary_of(&db, ProductId(cup)).await;
        assert_eq!(summary, (2, 1, 1));
        let (written,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM shop_reviews").fetch_one(db.pool()).await.unwrap();
        assert_eq!(written, 6);
        // 家物集's cup at its limited-time price, and its 满减 tiers on the product page.
        let page = crate::shop::product_page::page(&db, ProductId(cup), None, now).await.unwrap();
        assert_eq!(page.promotions.limited.first().map(|l| l.price), Some(Fen(6_900)));
        assert_eq!(page.promotions.tiers.len(), 2);
        for (words, expected) in [
            ("保温杯", "不锈钢保温杯 大容量 500ml"),
            ("咖啡", "精品挂耳咖啡 10包装"),
            ("iPhone 15 手机壳", "iPhone 15 手机壳"),
            ("WH-1000XM5", "索尼 WH-1000XM5 头戴式降噪耳机"),
            ("暖暖生活馆", "新疆长绒棉四件套"),
        ] {
            let filter =
                BrowseFilter { query: words.into(), sort: Sort::Relevance, page: 1, ..BrowseFilter::default() };
            let page = browse::browse(&db, &filter).await.unwrap();
            assert!(page.items.iter().any(|p| p.title == expected), "{words}: {:?}", page.items);
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}
