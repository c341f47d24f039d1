use super::load;
use crate::shop::photos::{self, ProductPhotoKind};
use crate::shop::{media_url, storefront};
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{CategoryId, ConsoleProduct, ConsoleProductRow, ConsoleSku, ProductId, ProductStatus, SkuId};
use plaza_types::TenantId;

/// The shop's product list: by status (`None`: all), title or code containing `text`.
#[derive(Clone, Debug, Default)]
pub struct ConsoleFilter {
    pub status: Option<ProductStatus>,
    pub text: String,
    /// From 1; 50 a page.
    pub page: u32,
}

pub const CONSOLE_PAGE: i64 = 50;

/// A page of the shop's products, most recently changed first; `true` when there are more.
pub async fn console_list(db: &Db, tenant: TenantId, filter: &ConsoleFilter) -> Result<(Vec<ConsoleProductRow>, bool)> {
    let tz = crate::mall::timezone(db).await?;
    let needle = filter.text.trim().to_lowercase();
    let like = format!("%{}%", needle.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    let offset = i64::from(filter.page.max(1) - 1) * CONSOLE_PAGE;
    type Row = (i64, String, String, Option<String>, String, Option<String>, Option<i64>, Option<i64>, i64, i64, i64);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT p.id, p.code, p.title, p.cover_key, p.status, p.blocked_reason, p.min_price_fen, p.max_price_fen, \
         CAST(COALESCE((SELECT SUM(stock) FROM shop_skus k WHERE k.product_id = p.id AND k.removed_at IS NULL), 0) AS BIGINT), \
         (SELECT COUNT(*) FROM shop_skus k WHERE k.product_id = p.id AND k.removed_at IS NULL), p.updated_at \
         FROM shop_products p WHERE p.tenant_id = $1 AND ($2 = '' OR p.status = $2) \
         AND ($3 = '%%' OR LOWER(p.title) LIKE $3 ESCAPE '\\' OR LOWER(p.code) LIKE $3 ESCAPE '\\') \
         ORDER BY p.updated_at DESC, p.id DESC LIMIT $4 OFFSET $5",
    )
    .bind(tenant.0)
    .bind(filter.status.map(|s| s.as_str()).unwrap_or(""))
    .bind(&like)
    .bind(CONSOLE_PAGE + 1)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    let more = rows.len() as i64 > CONSOLE_PAGE;
    let rows = rows
        .into_iter()
        .take(CONSOLE_PAGE as usize)
        .map(|(id, code, title, cover, status, blocked, min, max, stock, skus, updated)| ConsoleProductRow {
            id: ProductId(id),
            code,
            title,
            cover: cover.as_deref().map(media_url),
            status: ProductStatus::parse(&status).unwrap_or(ProductStatus::Draft),
            blocked_reason: blocked,
            min_price_fen: min,
            max_price_fen: max,
            stock,
            skus,
            updated_at: tz.format(Timestamp(updated)),
        })
        .collect();
    Ok((rows, more))
}

/// One of the shop's products, whole, for its editor.
pub async fn console_get(db: &Db, tenant: TenantId, id: ProductId) -> Result<ConsoleProduct> {
    let mut conn = db.pool().acquire().await?;
    storefront::require(&mut conn, tenant).await?;
    let p = load(&mut conn, tenant, id).await?;
    let photos = photos::of_product(&mut conn, id, ProductPhotoKind::Gallery).await?;
    let description_photos = photos::of_product(&mut conn, id, ProductPhotoKind::Description).await?;
    let dims = p.specs.len();
    type SkuRow = (i64, String, String, String, i64, Option<i64>, i64, String, Option<i64>, i64);
    let skus: Vec<SkuRow> = sqlx::query_as(
        "SELECT id, v1, v2, v3, price_fen, member_price_fen, stock, barcode, photo_id, enabled FROM shop_skus \
         WHERE product_id = $1 AND removed_at IS NULL ORDER BY id",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await?;
    let order = crate::shop::input::combinations(&p.specs);
    let mut skus: Vec<ConsoleSku> = skus
        .into_iter()
        .map(|(sku, v1, v2, v3, price, member, stock, barcode, photo, enabled)| ConsoleSku {
            id: SkuId(sku),
            values: [v1, v2, v3].into_iter().take(dims).collect(),
            price_fen: price,
            member_price_fen: member,
            stock,
            barcode,
            photo_id: photo,
            enabled: enabled == 1,
        })
        .collect();
    // In the order of the specs' values, as the shop wrote them.
    skus.sort_by_key(|s| order.iter().position(|c| *c == s.values).unwrap_or(usize::MAX));
    Ok(ConsoleProduct {
        id,
        code: p.code,
        title: p.title,
        subtitle: p.subtitle,
        category: CategoryId(p.category_id),
        tags: p.tags,
        params: p.params,
        specs: p.specs,
        description_html: p.description_html,
        status: p.status,
        blocked_reason: p.blocked_reason,
        photos,
        description_photos,
        skus,
    })
}
