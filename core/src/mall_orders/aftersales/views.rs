//! Requests as pages show them: the shopper's on the order page, the shop's (one order's, or its
//! list), the operator's disputes. Every read is scoped — a shopper's by member, a shop's by
//! tenant — and another's request is not found. Photo addresses point at the private photo
//! route, which asks [`photo`] whose the photo is.

use super::{eligible, parse_party};
use crate::{Db, MallTz, Result, Timestamp};
use plaza_types::dto::{
    AfterSalesLine, AfterSalesPhoto, AfterSalesReason, AfterSalesState, AfterSalesStep, AfterSalesView, Localized,
    OrderAfterSales, RefundableLine,
};
use plaza_types::{AppError, Fen, MemberId, PhoneNumber, TenantId};
use sqlx::AnyConnection;

/// The address of a request photo (`photo` or `thumb`).
pub fn photo_url(id: i64, which: &str) -> String {
    format!("/mall/aftersales/photo/{id}/{which}")
}

type Row = (i64, String, String, String, String, String, String, String, i64, i64, String, String, String, i64);

const SELECT: &str = "SELECT a.id, o.order_no, t.name_zh, t.name_en, m.phone, a.state, a.reason, a.reason_text, \
    a.goods_back, a.amount_fen, a.shop_note, a.dispute_note, a.operator_note, a.disputed, a.refund_no, a.created_at \
    FROM mall_aftersales a JOIN mall_orders o ON o.id = a.order_id JOIN tenants t ON t.id = a.tenant_id \
    JOIN members m ON m.id = a.member_id";

async fn load(
    conn: &mut AnyConnection,
    condition: &str,
    bind: i64,
    staff: bool,
    limit: i64,
) -> Result<Vec<AfterSalesView>> {
    let tz = crate::mall::timezone_in(conn).await?;
    let rows: Vec<(Row, Option<String>, i64)> = sqlx::query_as::<_, RowFull>(&format!(
        "{SELECT} WHERE {condition} ORDER BY a.id DESC LIMIT {}",
        limit.clamp(1, 200)
    ))
    .bind(bind)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(split)
    .collect();
    let mut views = Vec::with_capacity(rows.len());
    for (row, refund_no, created) in rows {
        views.push(build(conn, row, refund_no, created, staff, &tz).await?);
    }
    Ok(views)
}

type RowFull = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    String,
    String,
    String,
    i64,
    Option<String>,
    i64,
);

fn split(r: RowFull) -> (Row, Option<String>, i64) {
    ((r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10, r.11, r.12, r.13), r.14, r.15)
}

async fn build(
    conn: &mut AnyConnection,
    row: Row,
    refund_no: Option<String>,
    created: i64,
    staff: bool,
    tz: &MallTz,
) -> Result<AfterSalesView> {
    let (
        id,
        order_no,
        zh,
        en,
        phone,
        state,
        reason,
        reason_text,
        returning,
        amount,
        shop_note,
        dispute_note,
        operator_note,
        disputed,
    ) = row;
    let lines: Vec<(i64, String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT l.id, l.title, l.spec, a.quantity, l.quantity, COALESCE(l.paid_fen, l.unit_price_fen * l.quantity) \
         FROM mall_aftersales_lines a \
         JOIN shop_order_lines l ON l.id = a.line_id WHERE a.request_id = $1 ORDER BY l.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let photos: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM mall_aftersales_photos WHERE request_id = $1 ORDER BY position")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let steps: Vec<(String, String, String, i64)> =
        sqlx::query_as("SELECT state, actor, note, at FROM mall_aftersales_steps WHERE request_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(AfterSalesView {
        id,
        order_no,
        shop: Localized::new(zh, en),
        buyer: if staff { PhoneNumber::parse(&phone).map(|p| p.masked()).unwrap_or_default() } else { String::new() },
        state: AfterSalesState::parse(&state).ok_or_else(|| crate::Error::internal("after-sales state"))?,
        reason: AfterSalesReason::parse(&reason).unwrap_or(AfterSalesReason::Other),
        reason_text,
        returning: returning == 1,
        amount: Fen(amount),
        lines: lines
            .into_iter()
            .map(|(line_id, title, spec, quantity, bought, paid)| AfterSalesLine {
                line_id,
                title,
                spec,
                quantity,
                amount: plaza_types::pricing::refund_for_units(Fen(paid), bought, 0, quantity),
            })
            .collect(),
        photos: photos
            .into_iter()
            .map(|(p,)| AfterSalesPhoto { url: photo_url(p, "photo"), thumb: photo_url(p, "thumb") })
            .collect(),
        shop_note,
        dispute_note,
        operator_note,
        disputed: disputed == 1,
        refund_no,
        created_at: tz.format(Timestamp(created)),
        steps: steps
            .into_iter()
            .filter_map(|(state, by, note, at)| {
                Some(AfterSalesStep {
                    state: AfterSalesState::parse(&state)?,
                    by: parse_party(&by),
                    note,
                    at: tz.format(Timestamp(at)),
                })
            })
            .collect(),
    })
}

/// One of the member's orders: whether a request may be made now, the lines left to refund, and
/// its requests.
pub async fn for_order(db: &Db, member: MemberId, order_no: &str, now: Timestamp) -> Result<OrderAfterSales> {
    let mut conn = db.pool().acquire().await?;
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM mall_orders WHERE order_no = $1 AND member_id = $2")
        .bind(order_no)
        .bind(member.0)
        .fetch_optional(&mut *conn)
        .await?;
    let (order,) = row.ok_or(AppError::NotFound)?;
    let can_request = match eligible(&mut conn, member, order_no, now).await {
        Ok(_) => true,
        Err(e) if e.user().is_some() => false,
        Err(e) => return Err(e),
    };
    let lines: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
        "SELECT id, title, spec, quantity - refunded_quantity, COALESCE(paid_fen, unit_price_fen * quantity) / quantity \
         FROM shop_order_lines \
         WHERE order_id = $1 AND quantity > refunded_quantity ORDER BY id",
    )
    .bind(order)
    .fetch_all(&mut *conn)
    .await?;
    let requests = load(&mut conn, "a.order_id = $1", order, false, 50).await?;
    Ok(OrderAfterSales {
        order_no: order_no.to_string(),
        can_request: can_request && !lines.is_empty(),
        lines: lines
            .into_iter()
            .map(|(line_id, title, spec, left, unit)| RefundableLine {
                line_id,
                title,
                spec,
                left,
                unit_price: Fen(unit),
            })
            .collect(),
        requests,
    })
}

/// The requests of one of the shop's orders, newest first (another shop's order: none).
pub async fn for_shop_order(db: &Db, tenant: TenantId, order_no: &str) -> Result<Vec<AfterSalesView>> {
    let mut conn = db.pool().acquire().await?;
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM mall_orders WHERE order_no = $1 AND tenant_id = $2 AND paid_at IS NOT NULL")
            .bind(order_no)
            .bind(tenant.0)
            .fetch_optional(&mut *conn)
            .await?;
    let (order,) = row.ok_or(AppError::NotFound)?;
    load(&mut conn, "a.order_id = $1", order, true, 50).await
}

/// The shop's requests, newest first: those waiting for it (`waiting`) or all.
pub async fn for_shop(db: &Db, tenant: TenantId, waiting: bool) -> Result<Vec<AfterSalesView>> {
    let mut conn = db.pool().acquire().await?;
    let condition = if waiting {
        "a.tenant_id = $1 AND a.state IN ('requested', 'refunding', 'disputed')"
    } else {
        "a.tenant_id = $1"
    };
    load(&mut conn, condition, tenant.0, true, 100).await
}

/// The operator's disputes: those waiting (`waiting`), or every disputed request.
pub async fn disputes(db: &Db, waiting: bool) -> Result<Vec<AfterSalesView>> {
    let mut conn = db.pool().acquire().await?;
    let condition = if waiting { "a.state = 'disputed' AND a.id > $1" } else { "a.disputed = 1 AND a.id > $1" };
    load(&mut conn, condition, 0, true, 100).await
}

/// Whose a request photo is: (shopper, shop, photo key, thumbnail key).
pub async fn photo(db: &Db, id: i64) -> Result<(MemberId, TenantId, String, String)> {
    let row: Option<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT a.member_id, a.tenant_id, p.photo_key, p.thumb_key FROM mall_aftersales_photos p \
         JOIN mall_aftersales a ON a.id = p.request_id WHERE p.id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    let (member, tenant, key, thumb) = row.ok_or(AppError::NotFound)?;
    Ok((MemberId(member), TenantId(tenant), key, thumb))
}
