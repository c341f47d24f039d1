use super::{refresh, value_columns};
use crate::shop::input::{self, refused};
use crate::shop::{categories, stock, storefront};
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{CategoryId, ProductId, ShopProblem, SpecDim, StockReason};
use plaza_types::{StaffId, TenantId};

/// A new product as the shop first describes it: the rest is edited afterwards.
#[derive(Clone, Debug)]
pub struct NewProduct {
    pub title: String,
    /// Empty: `P<id>`.
    pub code: String,
    pub category: CategoryId,
    pub specs: Vec<SpecDim>,
    /// Price and stock every SKU starts with.
    pub price: String,
    pub stock: String,
}

/// Creates a draft with one SKU per combination of its specs. Nothing is written when any part
/// is refused.
pub async fn create(db: &Db, tenant: TenantId, new: &NewProduct, by: StaffId, now: Timestamp) -> Result<ProductId> {
    let mut tx = db.begin_write().await?;
    let id = create_in(&mut tx, tenant, new, by, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`create`] inside the caller's transaction.
pub(crate) async fn create_in(
    tx: &mut sqlx::AnyConnection,
    tenant: TenantId,
    new: &NewProduct,
    by: StaffId,
    now: Timestamp,
) -> Result<ProductId> {
    let title = input::text(&new.title, 1, 60, false, ShopProblem::Title)?;
    let code = if new.code.trim().is_empty() { None } else { Some(input::product_code(&new.code)?) };
    let price = input::price(&new.price)?;
    let stock_each = input::stock(&new.stock)?;
    let combos = input::combinations(&new.specs);
    if new.specs.len() > input::MAX_DIMS || combos.len() > input::MAX_SKUS {
        return Err(refused(ShopProblem::TooManySkus));
    }
    storefront::require(tx, tenant).await?;
    let category = categories::leaf(tx, new.category).await?;
    if let Some(code) = &code {
        ensure_code_free(tx, tenant, code, None).await?;
    }
    let specs = serde_json::to_string(&new.specs).map_err(|e| crate::Error::internal(e.to_string()))?;
    let placeholder = format!("new-{}", rand::random::<u64>());
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO shop_products (tenant_id, category_id, code, title, specs, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'draft', $6, $6) RETURNING id",
    )
    .bind(tenant.0)
    .bind(category.id.0)
    .bind(code.as_deref().unwrap_or(&placeholder))
    .bind(&title)
    .bind(&specs)
    .bind(now.millis())
    .fetch_one(&mut *tx)
    .await?;
    if code.is_none() {
        let mut generated = format!("P{id}");
        if ensure_code_free(tx, tenant, &generated, None).await.is_err() {
            generated = format!("P{id}-{}", rand::random::<u16>());
        }
        sqlx::query("UPDATE shop_products SET code = $1 WHERE id = $2")
            .bind(generated)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let product = ProductId(id);
    for combo in combos {
        let [v1, v2, v3] = value_columns(&combo);
        let (sku,): (i64,) = sqlx::query_as(
            "INSERT INTO shop_skus (product_id, tenant_id, v1, v2, v3, price_fen, stock, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $7) RETURNING id",
        )
        .bind(id)
        .bind(tenant.0)
        .bind(v1)
        .bind(v2)
        .bind(v3)
        .bind(price)
        .bind(now.millis())
        .fetch_one(&mut *tx)
        .await?;
        if stock_each > 0 {
            stock::record(
                tx,
                tenant,
                plaza_types::dto::SkuId(sku),
                stock_each,
                StockReason::Initial,
                "",
                Some(by),
                now,
            )
            .await?;
        }
    }
    refresh(tx, product, now).await?;
    Ok(product)
}

/// Refuses `code` when another product of the shop (not `own`) has it.
pub(crate) async fn ensure_code_free(
    conn: &mut sqlx::AnyConnection,
    tenant: TenantId,
    code: &str,
    own: Option<ProductId>,
) -> Result<()> {
    let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM shop_products WHERE tenant_id = $1 AND code = $2")
        .bind(tenant.0)
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?;
    match taken {
        Some((id,)) if Some(ProductId(id)) != own => Err(refused(ShopProblem::ProductCodeTaken)),
        _ => Ok(()),
    }
}
