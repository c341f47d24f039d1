//! The tenant's sale and refund lines of a period, each with how it was paid (or given back) and
//! who funds its coupon: what the report and the statement are both computed from.

use crate::{Db, Result};
use plaza_types::dto::SalesChannel;
use plaza_types::TenantId;

/// One sale or refund at the tenant. Amounts are positive; `refund` says which way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Line {
    pub refund: bool,
    pub channel: SalesChannel,
    pub payment_no: String,
    pub at: i64,
    /// When the sale this line belongs to was made (the line's own time for a sale).
    pub sold_at: i64,
    pub amount: i64,
    /// Sales only: list price less what was charged (member prices, promotions).
    pub discount: i64,
    pub coupon: i64,
    /// The coupon is the tenant's own (scoped to it or its products), not the mall's.
    pub coupon_by_tenant: bool,
    pub points: i64,
    pub stored_value: i64,
    pub provider: i64,
    pub reason: String,
}

#[derive(sqlx::FromRow)]
struct Row {
    kind: String,
    purpose: String,
    payment_no: String,
    amount_fen: i64,
    created_at: i64,
    sold_at: Option<i64>,
    p_amount: i64,
    p_coupon: i64,
    p_points: i64,
    p_sv: i64,
    o_list: Option<i64>,
    o_total: Option<i64>,
    o_coupon: Option<i64>,
    o_points: Option<i64>,
    o_sv: Option<i64>,
    r_external: Option<i64>,
    r_sv: Option<i64>,
    r_points: Option<i64>,
    r_reason: Option<String>,
    scope_kind: Option<String>,
}

fn channel(purpose: &str) -> SalesChannel {
    match purpose {
        "dining" => SalesChannel::Dining,
        "mall" => SalesChannel::Mall,
        _ => SalesChannel::Counter,
    }
}

/// The lines of `tenant` made in [`start`, `end`) (UTC milliseconds), oldest first.
pub(super) async fn lines(db: &Db, tenant: TenantId, start: i64, end: i64) -> Result<Vec<Line>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT s.kind, p.purpose, p.payment_no, s.amount_fen, s.created_at, \
         (SELECT MIN(f.created_at) FROM tenant_sales f WHERE f.payment_id = s.payment_id AND f.tenant_id = s.tenant_id \
          AND f.kind = 'sale') AS sold_at, \
         p.amount_fen AS p_amount, p.coupon_fen AS p_coupon, p.points_fen AS p_points, p.sv_fen AS p_sv, \
         o.list_fen AS o_list, o.total_fen AS o_total, o.coupon_fen AS o_coupon, o.points_fen AS o_points, \
         o.sv_fen AS o_sv, r.external_fen AS r_external, r.sv_fen AS r_sv, r.points_fen AS r_points, \
         r.reason AS r_reason, ct.scope_kind \
         FROM tenant_sales s JOIN payments p ON p.id = s.payment_id \
         LEFT JOIN mall_orders o ON o.payment_id = s.payment_id AND o.tenant_id = s.tenant_id \
         LEFT JOIN refunds r ON r.id = s.refund_id \
         LEFT JOIN coupons c ON c.id = p.coupon_id LEFT JOIN coupon_templates ct ON ct.id = c.template_id \
         WHERE s.tenant_id = $1 AND s.created_at >= $2 AND s.created_at < $3 ORDER BY s.created_at, s.id",
    )
    .bind(tenant.0)
    .bind(start)
    .bind(end)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(line).collect())
}

fn line(r: Row) -> Line {
    let refund = r.kind == "refund";
    let amount = r.amount_fen.abs();
    let coupon_by_tenant = matches!(r.scope_kind.as_deref(), Some("tenant" | "products"));
    let (discount, coupon, points, stored_value) = if refund {
        // What the refund gave back, as the engine split it; what is left is coupon value.
        let (points, sv) = (r.r_points.unwrap_or(0), r.r_sv.unwrap_or(0));
        let external = r.r_external.unwrap_or(0);
        (0, amount - external - sv - points, points, sv)
    } else if let (Some(list), Some(total)) = (r.o_list, r.o_total) {
        // A mall order: its own share of the checkout's tenders.
        (list - total, r.o_coupon.unwrap_or(0), r.o_points.unwrap_or(0), r.o_sv.unwrap_or(0))
    } else {
        // A one-tenant payment: the sale is the payment.
        debug_assert_eq!(r.p_amount, amount);
        (0, r.p_coupon, r.p_points, r.p_sv)
    };
    Line {
        refund,
        channel: channel(&r.purpose),
        payment_no: r.payment_no,
        at: r.created_at,
        sold_at: r.sold_at.unwrap_or(r.created_at),
        amount,
        discount,
        coupon,
        coupon_by_tenant,
        points,
        stored_value,
        // The provider collected the rest (a mall order's shares are allocated per tender, so
        // the rest is what makes the order's own figures add up).
        provider: amount - coupon - points - stored_value,
        reason: r.r_reason.unwrap_or_default(),
    }
}
