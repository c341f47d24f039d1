use super::create::ensure_code_free;
use super::{load, refresh, value_columns};
use crate::shop::input::{self, refused};
use crate::shop::{categories, description, stock, storefront};
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{CategoryId, Param, ProductId, ShopProblem, SkuId, SpecDim, StockReason};
use plaza_types::{StaffId, TenantId};
use sqlx::AnyConnection;

/// The basic section of the editor.
#[derive(Clone, Debug)]
pub struct InfoInput {
    pub title: String,
    pub subtitle: String,
    pub code: String,
    pub category: CategoryId,
    pub tags: Vec<String>,
    pub params: Vec<Param>,
}

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| crate::Error::internal(e.to_string()))
}

pub async fn update_info(db: &Db, tenant: TenantId, id: ProductId, info: &InfoInput, now: Timestamp) -> Result<()> {
    let mut tx = db.begin_write().await?;
    update_info_in(&mut tx, tenant, id, info, now).await?;
    tx.commit().await
}

pub(crate) async fn update_info_in(
    tx: &mut AnyConnection,
    tenant: TenantId,
    id: ProductId,
    info: &InfoInput,
    now: Timestamp,
) -> Result<()> {
    let title = input::text(&info.title, 1, 60, false, ShopProblem::Title)?;
    let subtitle = input::text(&info.subtitle, 0, 80, false, ShopProblem::Subtitle)?;
    let code = input::product_code(&info.code)?;
    if info.tags.len() > 10 {
        return Err(refused(ShopProblem::Tags));
    }
    if info.params.len() > 30 {
        return Err(refused(ShopProblem::Params));
    }
    storefront::require(tx, tenant).await?;
    load(tx, tenant, id).await?;
    let category = categories::leaf(tx, info.category).await?;
    ensure_code_free(tx, tenant, &code, Some(id)).await?;
    sqlx::query(
        "UPDATE shop_products SET title = $1, subtitle = $2, code = $3, category_id = $4, tags = $5, params = $6 \
         WHERE id = $7 AND tenant_id = $8",
    )
    .bind(&title)
    .bind(&subtitle)
    .bind(&code)
    .bind(category.id.0)
    .bind(json(&info.tags)?)
    .bind(json(&info.params)?)
    .bind(id.0)
    .bind(tenant.0)
    .execute(&mut *tx)
    .await?;
    refresh(tx, id, now).await
}

/// Saves the description, sanitised.
pub async fn set_description(db: &Db, tenant: TenantId, id: ProductId, html: &str, now: Timestamp) -> Result<()> {
    let clean = description::sanitise(html)?;
    let mut tx = db.begin_write().await?;
    storefront::require(&mut tx, tenant).await?;
    load(&mut tx, tenant, id).await?;
    sqlx::query("UPDATE shop_products SET description_html = $1, updated_at = $2 WHERE id = $3 AND tenant_id = $4")
        .bind(&clean)
        .bind(now.millis())
        .bind(id.0)
        .bind(tenant.0)
        .execute(&mut **tx)
        .await?;
    tx.commit().await
}

/// New specs. A combination that stays keeps its SKU (id, price, stock); a new one gets a SKU at
/// `price` with `stock` (recorded as its initial stock); one no longer offered is removed (kept
/// for order history, back with its id if the value returns). When the product loses its last
/// enabled SKU it cannot stay on sale: a published product goes back to unpublished.
#[allow(clippy::too_many_arguments)]
pub async fn set_specs(
    db: &Db,
    tenant: TenantId,
    id: ProductId,
    specs: &[SpecDim],
    price: &str,
    stock_each: &str,
    by: StaffId,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    set_specs_in(&mut tx, tenant, id, specs, price, stock_each, by, now).await?;
    tx.commit().await
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn set_specs_in(
    tx: &mut AnyConnection,
    tenant: TenantId,
    id: ProductId,
    specs: &[SpecDim],
    price: &str,
    stock_each: &str,
    by: StaffId,
    now: Timestamp,
) -> Result<()> {
    let combos = input::combinations(specs);
    if specs.len() > input::MAX_DIMS || combos.len() > input::MAX_SKUS {
        return Err(refused(ShopProblem::TooManySkus));
    }
    storefront::require(tx, tenant).await?;
    load(tx, tenant, id).await?;
    let existing: Vec<(i64, String, String, String, Option<i64>)> =
        sqlx::query_as("SELECT id, v1, v2, v3, removed_at FROM shop_skus WHERE product_id = $1")
            .bind(id.0)
            .fetch_all(&mut *tx)
            .await?;
    let wanted: Vec<[String; 3]> = combos.iter().map(|c| value_columns(c)).collect();
    let new_count =
        wanted.iter().filter(|w| !existing.iter().any(|(_, a, b, c, _)| [a, b, c] == [&w[0], &w[1], &w[2]])).count();
    // Price and stock are needed only when a combination is new.
    let (price, stock_each) = if new_count > 0 { (input::price(price)?, input::stock(stock_each)?) } else { (0, 0) };
    for (sku, a, b, c, removed) in &existing {
        let keep = wanted.iter().any(|w| [a, b, c] == [&w[0], &w[1], &w[2]]);
        if keep && removed.is_some() {
            sqlx::query("UPDATE shop_skus SET removed_at = NULL, updated_at = $1 WHERE id = $2")
                .bind(now.millis())
                .bind(sku)
                .execute(&mut *tx)
                .await?;
        } else if !keep && removed.is_none() {
            sqlx::query("UPDATE shop_skus SET removed_at = $1, updated_at = $1 WHERE id = $2")
                .bind(now.millis())
                .bind(sku)
                .execute(&mut *tx)
                .await?;
        }
    }
    for [v1, v2, v3] in
        wanted.iter().filter(|w| !existing.iter().any(|(_, a, b, c, _)| [a, b, c] == [&w[0], &w[1], &w[2]]))
    {
        let (sku,): (i64,) = sqlx::query_as(
            "INSERT INTO shop_skus (product_id, tenant_id, v1, v2, v3, price_fen, stock, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $7) RETURNING id",
        )
        .bind(id.0)
        .bind(tenant.0)
        .bind(v1)
        .bind(v2)
        .bind(v3)
        .bind(price)
        .bind(now.millis())
        .fetch_one(&mut *tx)
        .await?;
        if stock_each > 0 {
            stock::record(tx, tenant, SkuId(sku), stock_each, StockReason::Initial, "", Some(by), now).await?;
        }
    }
    sqlx::query("UPDATE shop_products SET specs = $1 WHERE id = $2")
        .bind(json(&specs)?)
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    super::publish::unpublish_if_unsellable(tx, id, now).await?;
    refresh(tx, id, now).await
}
