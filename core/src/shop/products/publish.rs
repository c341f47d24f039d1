use super::{load, refresh};
use crate::shop::input::refused;
use crate::shop::storefront;
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{ProductId, ShopProblem};
use plaza_types::TenantId;
use sqlx::AnyConnection;

async fn sellable_skus(conn: &mut AnyConnection, id: ProductId) -> Result<i64> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM shop_skus WHERE product_id = $1 AND enabled = 1 AND removed_at IS NULL")
            .bind(id.0)
            .fetch_one(&mut *conn)
            .await?;
    Ok(n)
}

/// Puts the product on sale: it needs a gallery photo and an enabled SKU, and must not be taken
/// down by the mall. "Newest" counts from the first publication.
pub async fn publish(db: &Db, tenant: TenantId, id: ProductId, now: Timestamp) -> Result<()> {
    let mut tx = db.begin_write().await?;
    publish_in(&mut tx, tenant, id, now).await?;
    tx.commit().await
}

pub(crate) async fn publish_in(tx: &mut AnyConnection, tenant: TenantId, id: ProductId, now: Timestamp) -> Result<()> {
    storefront::require(tx, tenant).await?;
    let product = load(tx, tenant, id).await?;
    if product.blocked_reason.is_some() {
        return Err(refused(ShopProblem::Blocked));
    }
    let (photos,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM shop_product_photos WHERE product_id = $1 AND kind = 'gallery'")
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
    if photos == 0 {
        return Err(refused(ShopProblem::NeedsPhoto));
    }
    if sellable_skus(tx, id).await? == 0 {
        return Err(refused(ShopProblem::NeedsSku));
    }
    sqlx::query(
        "UPDATE shop_products SET status = 'published', published_at = COALESCE(published_at, $1), updated_at = $1 \
         WHERE id = $2 AND tenant_id = $3",
    )
    .bind(now.millis())
    .bind(id.0)
    .bind(tenant.0)
    .execute(&mut *tx)
    .await?;
    refresh(tx, id, now).await
}

/// Takes the product off sale (the shop's own choice; it may publish it again).
pub async fn unpublish(db: &Db, tenant: TenantId, id: ProductId, now: Timestamp) -> Result<()> {
    let mut tx = db.begin_write().await?;
    unpublish_in(&mut tx, tenant, id, now).await?;
    tx.commit().await
}

pub(crate) async fn unpublish_in(
    tx: &mut AnyConnection,
    tenant: TenantId,
    id: ProductId,
    now: Timestamp,
) -> Result<()> {
    load(tx, tenant, id).await?;
    sqlx::query(
        "UPDATE shop_products SET status = 'unpublished', updated_at = $1 \
         WHERE id = $2 AND tenant_id = $3 AND status = 'published'",
    )
    .bind(now.millis())
    .bind(id.0)
    .bind(tenant.0)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A published product left without an enabled SKU goes off sale.
pub(crate) async fn unpublish_if_unsellable(conn: &mut AnyConnection, id: ProductId, now: Timestamp) -> Result<()> {
    if sellable_skus(conn, id).await? == 0 {
        sqlx::query(
            "UPDATE shop_products SET status = 'unpublished', updated_at = $1 WHERE id = $2 AND status = 'published'",
        )
        .bind(now.millis())
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
