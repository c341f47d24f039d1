//! Tenant sales as they happen: the counter feed reads new lines after a cursor, the totals give
//! today's figures. Operators read every tenant's lines; a tenant only its own (the caller passes
//! the tenant it was authorised for).

use crate::MallTz;
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{Localized, SaleLine, SalesTotals};
use plaza_types::{Fen, PhoneNumber, TenantId};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    tenant_id: i64,
    tenant_zh: String,
    tenant_en: String,
    kind: String,
    amount_fen: i64,
    payment_no: String,
    coupon_fen: i64,
    points_fen: i64,
    sv_fen: i64,
    external_fen: i64,
    phone: String,
    created_at: i64,
}

/// Sale and refund lines after `after_id` (oldest first), for one tenant or (operators) all.
pub async fn lines_after(
    db: &Db,
    tenant: Option<TenantId>,
    after_id: i64,
    limit: i64,
    tz: &MallTz,
) -> Result<Vec<SaleLine>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT s.id, s.tenant_id, t.name_zh AS tenant_zh, t.name_en AS tenant_en, s.kind, s.amount_fen, p.payment_no, \
         p.coupon_fen, p.points_fen, p.sv_fen, p.external_fen, m.phone, s.created_at \
         FROM tenant_sales s JOIN payments p ON p.id = s.payment_id JOIN tenants t ON t.id = s.tenant_id \
         JOIN members m ON m.id = p.member_id \
         WHERE s.id > $1 AND ($2 IS NULL OR s.tenant_id = $2) ORDER BY s.id LIMIT $3",
    )
    .bind(after_id)
    .bind(tenant.map(|t| t.0))
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SaleLine {
            id: r.id,
            tenant_id: r.tenant_id,
            tenant: Localized::new(r.tenant_zh, r.tenant_en),
            refund: r.kind == "refund",
            amount: Fen(r.amount_fen),
            payment_no: r.payment_no,
            coupon: Fen(r.coupon_fen),
            points: Fen(r.points_fen),
            stored_value: Fen(r.sv_fen),
            external: Fen(r.external_fen),
            member: PhoneNumber::parse(&r.phone).map(|p| p.masked()).unwrap_or_default(),
            at: Timestamp(r.created_at).format_local(tz),
        })
        .collect())
}

/// The newest lines, newest last (the screen's first view).
pub async fn latest(db: &Db, tenant: Option<TenantId>, limit: i64, tz: &MallTz) -> Result<Vec<SaleLine>> {
    // The id just before the `limit`-th newest line of this scope (ids are shared by all tenants).
    let oldest: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM tenant_sales WHERE ($1 IS NULL OR tenant_id = $1) ORDER BY id DESC LIMIT 1 OFFSET $2",
    )
    .bind(tenant.map(|t| t.0))
    .bind((limit - 1).max(0))
    .fetch_optional(db.pool())
    .await?;
    let after = oldest.map_or(0, |(id,)| id - 1);
    lines_after(db, tenant, after, limit, tz).await
}

/// Today's sales (mall time): count and amount of sales, and refunds.
pub async fn today(db: &Db, tenant: Option<TenantId>, now: Timestamp, tz: &MallTz) -> Result<SalesTotals> {
    let start = tz.start_of_day(now);
    let (sales, amount, refunds): (i64, i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN kind = 'sale' THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN kind = 'sale' THEN amount_fen ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN kind = 'refund' THEN -amount_fen ELSE 0 END), 0) AS BIGINT) \
         FROM tenant_sales WHERE created_at >= $1 AND ($2 IS NULL OR tenant_id = $2)",
    )
    .bind(start.millis())
    .bind(tenant.map(|t| t.0))
    .fetch_one(db.pool())
    .await?;
    Ok(SalesTotals { sales, amount: Fen(amount), refunds: Fen(refunds), net: Fen(amount - refunds) })
}
