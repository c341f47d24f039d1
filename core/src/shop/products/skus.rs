use super::{load, refresh};
use crate::shop::input::{self, refused};
use crate::shop::storefront;
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{ProductId, ShopProblem, SkuId};
use plaza_types::TenantId;

/// One row of the SKU table as typed (stock is changed by adjustments, not here).
#[derive(Clone, Debug)]
pub struct SkuEdit {
    pub id: SkuId,
    pub price: String,
    pub member_price: String,
    pub barcode: String,
    /// A gallery photo of the product.
    pub photo_id: Option<i64>,
    pub enabled: bool,
}

/// Saves the SKU table: every row is checked before any is written, and every row must be a
/// current SKU of this product, listed once.
pub async fn update_skus(db: &Db, tenant: TenantId, id: ProductId, rows: &[SkuEdit], now: Timestamp) -> Result<()> {
    let mut tx = db.begin_write().await?;
    update_skus_in(&mut tx, tenant, id, rows, now).await?;
    tx.commit().await
}

pub(crate) async fn update_skus_in(
    tx: &mut sqlx::AnyConnection,
    tenant: TenantId,
    id: ProductId,
    rows: &[SkuEdit],
    now: Timestamp,
) -> Result<()> {
    let mut checked = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        if rows[..i].iter().any(|r| r.id == row.id) {
            return Err(refused(ShopProblem::DuplicateCombination));
        }
        let price = input::price(&row.price)?;
        let member = input::member_price(&row.member_price, price)?;
        let barcode = input::barcode(&row.barcode)?;
        checked.push((row, price, member, barcode));
    }
    storefront::require(tx, tenant).await?;
    load(tx, tenant, id).await?;
    for (row, price, member, barcode) in checked {
        if let Some(photo) = row.photo_id {
            let ours: Option<(i64,)> = sqlx::query_as(
                "SELECT id FROM shop_product_photos WHERE id = $1 AND product_id = $2 AND kind = 'gallery'",
            )
            .bind(photo)
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?;
            if ours.is_none() {
                return Err(refused(ShopProblem::UnknownSku));
            }
        }
        let done = sqlx::query(
            "UPDATE shop_skus SET price_fen = $1, member_price_fen = $2, barcode = $3, photo_id = $4, enabled = $5, \
             updated_at = $6 WHERE id = $7 AND product_id = $8 AND tenant_id = $9 AND removed_at IS NULL",
        )
        .bind(price)
        .bind(member)
        .bind(barcode)
        .bind(row.photo_id)
        .bind(i64::from(row.enabled))
        .bind(now.millis())
        .bind(row.id.0)
        .bind(id.0)
        .bind(tenant.0)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(refused(ShopProblem::UnknownSku));
        }
    }
    super::publish::unpublish_if_unsellable(tx, id, now).await?;
    refresh(tx, id, now).await
}
