//! The product page shoppers see: photos, prices (member prices for paid members), the SKUs
//! for the picker, parameters, description, the shop, the rating and the newest reviews. A
//! product never published, taken down by the mall, or of a closed shop is not found; one its
//! shop unpublished is shown as no longer on sale (old links and past orders still lead here).

use super::photos::{self, ProductPhotoKind};
use super::products::load_any;
use super::{categories, reviews, storefront};
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{
    CategoryId, CategoryPath, LimitedOffer, ProductId, ProductPage, ProductPromotions, ProductStatus, SkuId, SkuView,
};
use plaza_types::{AppError, MemberId};

pub async fn page(db: &Db, id: ProductId, viewer: Option<MemberId>, now: Timestamp) -> Result<ProductPage> {
    let mut conn = db.pool().acquire().await?;
    let p = load_any(&mut conn, id).await?;
    let shop = storefront::by_tenant(&mut conn, p.tenant).await?;
    let (kind, status): (String, String) =
        sqlx::query_as("SELECT kind, status FROM tenants WHERE id = $1").bind(p.tenant.0).fetch_one(&mut *conn).await?;
    if p.status == ProductStatus::Draft || p.blocked_reason.is_some() || kind != "store" || status != "active" {
        return Err(AppError::NotFound.into());
    }
    let on_sale = p.status == ProductStatus::Published;
    let photos = photos::of_product(&mut conn, id, ProductPhotoKind::Gallery).await?;
    let dims = p.specs.len();
    type Row = (i64, String, String, String, i64, Option<i64>, i64, i64, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT k.id, k.v1, k.v2, k.v3, k.price_fen, k.member_price_fen, k.stock, k.enabled, ph.photo_key \
         FROM shop_skus k LEFT JOIN shop_product_photos ph ON ph.id = k.photo_id \
         WHERE k.product_id = $1 AND k.removed_at IS NULL ORDER BY k.id",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await?;
    let skus: Vec<SkuView> = rows
        .into_iter()
        .map(|(sku, v1, v2, v3, price, member, stock, enabled, photo)| SkuView {
            id: SkuId(sku),
            values: [v1, v2, v3].into_iter().take(dims).collect(),
            price_fen: price,
            member_price_fen: member,
            stock,
            sellable: on_sale && enabled == 1,
            photo: photo.as_deref().map(super::media_url),
        })
        .collect();
    let category = match categories::get(&mut conn, CategoryId(p.category_id)).await? {
        Some(category) => match category.parent {
            Some(parent) => categories::get(&mut conn, parent).await?.map(|parent| CategoryPath { parent, category }),
            None => None,
        },
        None => None,
    };
    let (sales,): (i64,) =
        sqlx::query_as("SELECT sales_count FROM shop_products WHERE id = $1").bind(id.0).fetch_one(&mut *conn).await?;
    let member_prices = match viewer {
        Some(member) => crate::membership::status::has_member_prices(&mut conn, member, now).await?,
        None => false,
    };
    let promotions = offers(&mut conn, p.tenant.0, &skus, now).await?;
    drop(conn);
    Ok(ProductPage {
        id,
        title: p.title,
        subtitle: p.subtitle,
        photos,
        description_html: p.description_html,
        params: p.params,
        tags: p.tags,
        specs: p.specs,
        skus,
        shop,
        category,
        rating: reviews::summary(db, id).await?,
        reviews: reviews::of_product(db, id, false, 1).await?.0.into_iter().take(3).collect(),
        sales,
        member_prices,
        on_sale,
        promotions,
    })
}

/// The shop's promotions running now as the product page shows them.
async fn offers(
    conn: &mut sqlx::AnyConnection,
    tenant: i64,
    skus: &[SkuView],
    now: Timestamp,
) -> Result<ProductPromotions> {
    let running = super::promotions::running::of_shops(conn, &[tenant], now).await?;
    let tz = crate::mall::timezone_in(conn).await?;
    let ours = |sku: i64| skus.iter().any(|s| s.id.0 == sku);
    Ok(ProductPromotions {
        limited: skus
            .iter()
            .filter_map(|s| running.limited_for(s.id.0))
            .map(|l| LimitedOffer {
                sku_id: l.sku,
                price: l.price,
                ends_at: tz.format(Timestamp(l.ends_at)),
                ends_at_ms: l.ends_at,
            })
            .collect(),
        tiers: running.tiers_of(tenant),
        bundles: running
            .bundles
            .iter()
            .filter(|b| b.items.iter().any(|i| ours(i.sku)))
            .map(|b| format!("{} {}", b.name, b.price))
            .collect(),
    })
}
