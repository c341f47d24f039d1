//! Stock per SKU: what is left to sell. It changes only by conditional updates that cannot take
//! it below zero (or above the cap), so concurrent changes never oversell:
//! - the shop's adjustments with a reason, kept as an append-only history ([`adjust`]);
//! - orders (the next part of the mall) taking and giving back units ([`take`], [`put_back`]),
//!   which also refuse a SKU that is not for sale ([`sellable`]).

use super::input::{refused, text, MAX_STOCK};
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{ProductId, ShopProblem, SkuId, StockAdjustmentView, StockReason};
use plaza_types::{AppError, StaffId, TenantId};
use sqlx::AnyConnection;

/// Changes `tenant`'s SKU by `delta` and records why. Refuses a change that would leave it below
/// zero ([`ShopProblem::StockShort`]) or above the cap ([`ShopProblem::Stock`]).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn record(
    conn: &mut AnyConnection,
    tenant: TenantId,
    sku: SkuId,
    delta: i64,
    reason: StockReason,
    note: &str,
    by: Option<StaffId>,
    now: Timestamp,
) -> Result<i64> {
    let changed: Option<(i64, i64)> = sqlx::query_as(
        "UPDATE shop_skus SET stock = stock + $1, updated_at = $2 \
         WHERE id = $3 AND tenant_id = $4 AND stock + $1 >= 0 AND stock + $1 <= $5 RETURNING stock, product_id",
    )
    .bind(delta)
    .bind(now.millis())
    .bind(sku.0)
    .bind(tenant.0)
    .bind(MAX_STOCK)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((after, product)) = changed else {
        let exists: Option<(i64,)> = sqlx::query_as("SELECT stock FROM shop_skus WHERE id = $1 AND tenant_id = $2")
            .bind(sku.0)
            .bind(tenant.0)
            .fetch_optional(&mut *conn)
            .await?;
        return Err(match exists {
            None => AppError::NotFound.into(),
            Some(_) if delta < 0 => refused(ShopProblem::StockShort),
            Some(_) => refused(ShopProblem::Stock),
        });
    };
    sqlx::query(
        "INSERT INTO shop_stock_adjustments (sku_id, product_id, tenant_id, delta, stock_after, reason, note, staff_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(sku.0)
    .bind(product)
    .bind(tenant.0)
    .bind(delta)
    .bind(after)
    .bind(reason.as_str())
    .bind(note)
    .bind(by.map(|s| s.0))
    .bind(now.millis())
    .execute(&mut *conn)
    .await?;
    Ok(after)
}

/// The shop adjusts a SKU's stock: `delta` as typed (`+20`, `-3`), a reason from the form's
/// list, and a note (required for "other"). Returns the stock after.
#[allow(clippy::too_many_arguments)]
pub async fn adjust(
    db: &Db,
    tenant: TenantId,
    sku: SkuId,
    delta: &str,
    reason: StockReason,
    note: &str,
    by: StaffId,
    now: Timestamp,
) -> Result<i64> {
    let cleaned = delta.trim().trim_start_matches('+');
    let delta: i64 = cleaned.parse().map_err(|_| refused(ShopProblem::Stock))?;
    if delta == 0 || delta.abs() > MAX_STOCK {
        return Err(refused(ShopProblem::Stock));
    }
    if !StockReason::CHOOSABLE.contains(&reason) {
        return Err(refused(ShopProblem::Reason));
    }
    let note = text(note, usize::from(reason == StockReason::Other), 100, false, ShopProblem::Reason)?;
    let mut tx = db.begin_write().await?;
    super::storefront::require(&mut tx, tenant).await?;
    let after = record(&mut tx, tenant, sku, delta, reason, &note, Some(by), now).await?;
    tx.commit().await?;
    Ok(after)
}

/// A product's stock history, newest first.
pub async fn history(db: &Db, tenant: TenantId, product: ProductId, limit: i64) -> Result<Vec<StockAdjustmentView>> {
    let tz = crate::mall::timezone(db).await?;
    type Row = (i64, i64, String, String, String, i64, i64, String, String, Option<String>, i64);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT a.id, a.sku_id, k.v1, k.v2, k.v3, a.delta, a.stock_after, a.reason, a.note, s.display_name, a.created_at \
         FROM shop_stock_adjustments a JOIN shop_skus k ON k.id = a.sku_id LEFT JOIN staff s ON s.id = a.staff_id \
         WHERE a.product_id = $1 AND a.tenant_id = $2 ORDER BY a.id DESC LIMIT $3",
    )
    .bind(product.0)
    .bind(tenant.0)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, sku, v1, v2, v3, delta, after, reason, note, by, at)| StockAdjustmentView {
            id,
            sku: SkuId(sku),
            sku_label: [v1, v2, v3].into_iter().filter(|v| !v.is_empty()).collect::<Vec<_>>().join(" / "),
            delta,
            stock_after: after,
            reason: StockReason::parse(&reason).unwrap_or(StockReason::Other),
            note,
            by: by.unwrap_or_default(),
            at: tz.format(Timestamp(at)),
        })
        .collect())
}

/// A SKU that may be sold now, with what an order needs to know of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SellableSku {
    pub sku: SkuId,
    pub product: ProductId,
    pub tenant: TenantId,
    pub title: String,
    /// `红色 / XL`.
    pub spec: String,
    pub price_fen: i64,
    pub member_price_fen: Option<i64>,
    pub stock: i64,
}

/// The condition for a SKU to be for sale: enabled and current, its product published and not
/// taken down, its shop an active storefront.
const SELLABLE: &str = "k.enabled = 1 AND k.removed_at IS NULL AND p.status = 'published' AND p.blocked_at IS NULL \
     AND t.status = 'active' AND t.kind = 'store'";

/// The SKU if it is for sale; [`ShopProblem::NotSellable`] otherwise (a SKU that does not exist
/// is not found).
pub async fn sellable(conn: &mut AnyConnection, sku: SkuId) -> Result<SellableSku> {
    type Row = (i64, i64, String, String, String, String, i64, Option<i64>, i64, i64);
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT k.product_id, k.tenant_id, p.title, k.v1, k.v2, k.v3, k.price_fen, k.member_price_fen, k.stock, \
         CASE WHEN {SELLABLE} THEN 1 ELSE 0 END \
         FROM shop_skus k JOIN shop_products p ON p.id = k.product_id JOIN tenants t ON t.id = k.tenant_id WHERE k.id = $1"
    ))
    .bind(sku.0)
    .fetch_optional(&mut *conn)
    .await?;
    let (product, tenant, title, v1, v2, v3, price, member, stock, ok) = row.ok_or(AppError::NotFound)?;
    if ok != 1 {
        return Err(refused(ShopProblem::NotSellable));
    }
    Ok(SellableSku {
        sku,
        product: ProductId(product),
        tenant: TenantId(tenant),
        title,
        spec: [v1, v2, v3].into_iter().filter(|v| !v.is_empty()).collect::<Vec<_>>().join(" / "),
        price_fen: price,
        member_price_fen: member,
        stock,
    })
}

/// Takes `quantity` units of a SKU for an order, in the order's transaction: refused when it is
/// not for sale or has fewer units left ([`ShopProblem::StockShort`]). Returns what is left.
pub async fn take(conn: &mut AnyConnection, sku: SkuId, quantity: i64) -> Result<i64> {
    if quantity <= 0 {
        return Err(refused(ShopProblem::Stock));
    }
    let left: Option<(i64,)> = sqlx::query_as(&format!(
        "UPDATE shop_skus SET stock = stock - $1 WHERE id = $2 AND stock >= $1 AND id IN \
         (SELECT k.id FROM shop_skus k JOIN shop_products p ON p.id = k.product_id JOIN tenants t ON t.id = k.tenant_id \
          WHERE k.id = $2 AND {SELLABLE}) RETURNING stock"
    ))
    .bind(quantity)
    .bind(sku.0)
    .fetch_optional(&mut *conn)
    .await?;
    match left {
        Some((left,)) => Ok(left),
        None => {
            // Say why: not for sale, or not enough.
            sellable(conn, sku).await?;
            Err(refused(ShopProblem::StockShort))
        }
    }
}

/// Gives back units an order held (cancelled, timed out, refunded with the goods returned),
/// whatever the SKU's state now. Returns the stock after.
pub async fn put_back(conn: &mut AnyConnection, sku: SkuId, quantity: i64) -> Result<i64> {
    if quantity <= 0 {
        return Err(refused(ShopProblem::Stock));
    }
    let after: Option<(i64,)> =
        sqlx::query_as("UPDATE shop_skus SET stock = stock + $1 WHERE id = $2 AND stock + $1 <= $3 RETURNING stock")
            .bind(quantity)
            .bind(sku.0)
            .bind(MAX_STOCK)
            .fetch_optional(&mut *conn)
            .await?;
    after.map(|(a,)| a).ok_or_else(|| AppError::NotFound.into())
}
