//! The seam between the catalogue and the orders of the next part of the mall: what a member
//! bought, line by line (`shop_order_lines`, created here with the columns reviews need;
//! migration 0011 adds the order, prices and fulfilment). Reviews ask only this module whether a
//! member may review a line.

use crate::Result;
use plaza_types::dto::{OrderLineId, ProductId, ShopProblem, SkuId};
use plaza_types::{MemberId, TenantId};
use sqlx::AnyConnection;

/// A completed order line, as its buyer may review it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletedLine {
    pub line: OrderLineId,
    pub tenant: TenantId,
    pub product: ProductId,
    pub sku: SkuId,
    pub spec: String,
}

/// `line` if `member` bought it and its order is completed; [`ShopProblem::NotReviewable`]
/// otherwise (someone else's line, not completed yet, or no such line — said the same way, so
/// nobody learns which lines exist).
pub async fn completed_line(conn: &mut AnyConnection, member: MemberId, line: OrderLineId) -> Result<CompletedLine> {
    let row: Option<(i64, i64, i64, String)> = sqlx::query_as(
        "SELECT tenant_id, product_id, sku_id, spec FROM shop_order_lines \
         WHERE id = $1 AND member_id = $2 AND completed_at IS NOT NULL",
    )
    .bind(line.0)
    .bind(member.0)
    .fetch_optional(&mut *conn)
    .await?;
    let (tenant, product, sku, spec) = row.ok_or_else(|| super::input::refused(ShopProblem::NotReviewable))?;
    Ok(CompletedLine { line, tenant: TenantId(tenant), product: ProductId(product), sku: SkuId(sku), spec })
}

/// Records a line bought by a member, as an order does (the next part of the mall writes these
/// with its orders; the demo and tests use it for completed purchases).
#[allow(clippy::too_many_arguments)]
pub async fn record_line(
    conn: &mut AnyConnection,
    member: MemberId,
    sku: SkuId,
    quantity: i64,
    unit_price_fen: i64,
    completed_at: Option<crate::Timestamp>,
    now: crate::Timestamp,
) -> Result<OrderLineId> {
    let row: Option<(i64, i64, String, String, String, String)> = sqlx::query_as(
        "SELECT k.tenant_id, k.product_id, p.title, k.v1, k.v2, k.v3 FROM shop_skus k \
         JOIN shop_products p ON p.id = k.product_id WHERE k.id = $1",
    )
    .bind(sku.0)
    .fetch_optional(&mut *conn)
    .await?;
    let (tenant, product, title, v1, v2, v3) = row.ok_or(plaza_types::AppError::NotFound)?;
    let spec = [v1, v2, v3].into_iter().filter(|v| !v.is_empty()).collect::<Vec<_>>().join(" / ");
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO shop_order_lines (member_id, tenant_id, product_id, sku_id, title, spec, quantity, unit_price_fen, \
         created_at, completed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(member.0)
    .bind(tenant)
    .bind(product)
    .bind(sku.0)
    .bind(title)
    .bind(spec)
    .bind(quantity)
    .bind(unit_price_fen)
    .bind(now.millis())
    .bind(completed_at.map(|t| t.millis()))
    .fetch_one(&mut *conn)
    .await?;
    Ok(OrderLineId(id))
}

/// Marks a line's order completed (the next part calls this when an order completes).
pub async fn complete_line(conn: &mut AnyConnection, line: OrderLineId, now: crate::Timestamp) -> Result<()> {
    sqlx::query("UPDATE shop_order_lines SET completed_at = $1 WHERE id = $2 AND completed_at IS NULL")
        .bind(now.millis())
        .bind(line.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
