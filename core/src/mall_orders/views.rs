//! Orders as pages show them: the shopper's 我的订单 and order page, the shop's list and order
//! page. Every read is scoped: a shopper's by member, a shop's by tenant; another's order is not
//! found.

use super::parse_state;
use crate::{Db, MallTz, Result, Timestamp};
use plaza_types::dto::{
    Localized, MallFulfilment, MallOrderLine, MallOrderState, MallOrderStep, MallOrderSummary, MallOrderView,
};
use plaza_types::pricing::UnitRule;
use plaza_types::{AppError, Fen, MemberId, PhoneNumber, TenantId};
use sqlx::AnyConnection;

/// Whose view: the shopper sees the pickup code (once the shop accepted), the shop never does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Viewer {
    Shopper(MemberId),
    Shop(TenantId),
}

impl Viewer {
    fn condition(self) -> (&'static str, i64) {
        match self {
            Viewer::Shopper(m) => ("o.member_id = $2", m.0),
            Viewer::Shop(t) => ("o.tenant_id = $2 AND o.paid_at IS NOT NULL", t.0),
        }
    }
}

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: i64,
    order_no: String,
    payment_no: String,
    tenant_id: i64,
    state: String,
    fulfilment: String,
    pickup_code: Option<String>,
    ship_name: String,
    ship_phone: String,
    ship_address: String,
    carrier: String,
    tracking_no: String,
    list_fen: i64,
    total_fen: i64,
    coupon_fen: i64,
    points_fen: i64,
    sv_fen: i64,
    external_fen: i64,
    refunded_fen: i64,
    created_at: i64,
}

/// One order by number, as `viewer` sees it.
pub async fn order(db: &Db, viewer: Viewer, order_no: &str, now: Timestamp) -> Result<MallOrderView> {
    let tz = crate::mall::timezone(db).await?;
    let mut conn = db.pool().acquire().await?;
    let (condition, bind) = viewer.condition();
    let row: Option<OrderRow> = sqlx::query_as(&format!(
        "SELECT o.id, o.order_no, o.payment_no, o.tenant_id, o.state, o.fulfilment, o.pickup_code, o.ship_name, \
         o.ship_phone, o.ship_address, o.carrier, o.tracking_no, o.list_fen, o.total_fen, o.coupon_fen, o.points_fen, \
         o.sv_fen, o.external_fen, o.refunded_fen, o.created_at FROM mall_orders o \
         WHERE o.order_no = $1 AND {condition}"
    ))
    .bind(order_no)
    .bind(bind)
    .fetch_optional(&mut *conn)
    .await?;
    let row = row.ok_or(AppError::NotFound)?;
    build(&mut conn, viewer, row, &tz, now).await
}

async fn build(
    conn: &mut AnyConnection,
    viewer: Viewer,
    row: OrderRow,
    tz: &MallTz,
    now: Timestamp,
) -> Result<MallOrderView> {
    let OrderRow {
        id,
        order_no,
        payment_no,
        tenant_id: tenant,
        state,
        fulfilment,
        pickup_code,
        ship_name,
        ship_phone,
        ship_address,
        carrier,
        tracking_no,
        list_fen: list,
        total_fen: total,
        coupon_fen: coupon,
        points_fen: points,
        sv_fen: sv,
        external_fen: external,
        refunded_fen: refunded,
        created_at: created,
    } = row;
    let state = parse_state(&state)?;
    let fulfilment = MallFulfilment::parse(&fulfilment).ok_or_else(|| crate::Error::internal("order fulfilment"))?;
    let head = super::cart::shop_head(conn, tenant).await?;
    let lines: Vec<LineRow> = sqlx::query_as(
        "SELECT id, product_id, sku_id, title, spec, quantity, refunded_quantity, list_price_fen, unit_price_fen, \
         price_rule, bundle_off_fen, spend_off_fen, COALESCE(paid_fen, unit_price_fen * quantity) \
         FROM shop_order_lines WHERE order_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let steps: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT state, note, at FROM mall_order_steps WHERE order_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let (expires, pay_url): (i64, Option<String>) =
        sqlx::query_as("SELECT p.expires_at, p.pay_url FROM payments p WHERE p.payment_no = $1")
            .bind(&payment_no)
            .fetch_one(&mut *conn)
            .await?;
    let pending = state == MallOrderState::Pending;
    let shopper = matches!(viewer, Viewer::Shopper(_));
    let code_shown = shopper && fulfilment == MallFulfilment::Pickup && state == MallOrderState::Ready;
    Ok(MallOrderView {
        order_no,
        payment_no,
        tenant_id: tenant,
        shop: head.name,
        pickup_unit: head.pickup_unit,
        state,
        fulfilment,
        pickup_code: pickup_code.filter(|_| code_shown),
        ship_name,
        ship_phone,
        ship_address,
        carrier,
        tracking_no,
        lines: lines.into_iter().map(order_line).collect(),
        list_total: Fen(list),
        total: Fen(total),
        coupon: Fen(coupon),
        points: Fen(points),
        stored_value: Fen(sv),
        external: Fen(external),
        refunded: Fen(refunded),
        expires_at: pending.then(|| tz.format(Timestamp(expires))),
        seconds_left: pending.then(|| ((expires - now.millis()) / 1000).max(0)),
        pay_url: pay_url.filter(|_| pending && shopper),
        placed_at: tz.format(Timestamp(created)),
        steps: steps
            .into_iter()
            .filter_map(|(s, note, at)| {
                Some(MallOrderStep { state: MallOrderState::parse(&s)?, note, at: tz.format(Timestamp(at)) })
            })
            .collect(),
        cancellable: shopper && matches!(state, MallOrderState::Pending | MallOrderState::Paid),
        confirmable: shopper && matches!(state, MallOrderState::Shipped | MallOrderState::Delivered),
    })
}

/// What a list shows: by state, or a search by order number, pickup code or the buyer's phone
/// tail (the shop's list only).
#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    pub state: Option<MallOrderState>,
    pub query: String,
}

/// The viewer's orders, newest first (at most `limit`).
pub async fn list(db: &Db, viewer: Viewer, filter: &ListFilter, limit: i64) -> Result<Vec<MallOrderSummary>> {
    let tz = crate::mall::timezone(db).await?;
    let (condition, bind) = viewer.condition();
    let condition = condition.replace("$2", "$1");
    let mut sql = format!(
        "SELECT o.order_no, t.name_zh, t.name_en, o.state, o.fulfilment, o.total_fen, o.created_at, m.phone, \
         (SELECT MIN(title) FROM shop_order_lines l WHERE l.order_id = o.id), \
         (SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM shop_order_lines l WHERE l.order_id = o.id) \
         FROM mall_orders o JOIN tenants t ON t.id = o.tenant_id JOIN members m ON m.id = o.member_id WHERE {condition}"
    );
    if let Some(state) = filter.state {
        sql.push_str(&format!(" AND o.state = '{}'", state.as_str()));
    }
    let query = filter.query.trim();
    let searching = !query.is_empty() && matches!(viewer, Viewer::Shop(_));
    if searching {
        if !query.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') || query.len() > 40 {
            return Ok(Vec::new());
        }
        sql.push_str(" AND (o.order_no = $2 OR o.pickup_code = $2 OR (LENGTH($2) = 4 AND m.phone LIKE $3))");
    }
    sql.push_str(&format!(" ORDER BY o.id DESC LIMIT {}", limit.clamp(1, 200)));
    let mut q =
        sqlx::query_as::<_, (String, String, String, String, String, i64, i64, String, Option<String>, i64)>(&sql)
            .bind(bind);
    if searching {
        q = q.bind(query.to_string()).bind(format!("%{query}"));
    }
    let rows = q.fetch_all(db.pool()).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(no, zh, en, state, fulfilment, total, created, phone, title, count)| {
            Some(MallOrderSummary {
                order_no: no,
                shop: Localized::new(zh, en),
                state: MallOrderState::parse(&state)?,
                fulfilment: MallFulfilment::parse(&fulfilment)?,
                first_title: title.unwrap_or_default(),
                item_count: count,
                total: Fen(total),
                placed_at: tz.format(Timestamp(created)),
                buyer: match viewer {
                    Viewer::Shop(_) => PhoneNumber::parse(&phone).map(|p| p.masked()).unwrap_or_default(),
                    Viewer::Shopper(_) => String::new(),
                },
            })
        })
        .collect())
}

type LineRow = (i64, i64, i64, String, String, i64, i64, i64, i64, String, i64, i64, i64);

fn order_line(row: LineRow) -> MallOrderLine {
    let (line, product, sku, title, spec, quantity, refunded, list, unit, rule, bundle_off, spend_off, paid) = row;
    MallOrderLine {
        line_id: line,
        product_id: product,
        sku_id: sku,
        title,
        spec,
        quantity,
        refunded_quantity: refunded,
        list_price: Fen(list),
        unit_price: Fen(unit),
        rule: rule_of(&rule),
        bundle_off: Fen(bundle_off),
        spend_off: Fen(spend_off),
        line_total: Fen(paid),
    }
}

/// The unit-price rule a line was stored with (`list` for lines from before promotions).
pub(crate) fn rule_of(stored: &str) -> UnitRule {
    match stored {
        "member" => UnitRule::Member,
        "limited" => UnitRule::LimitedTime,
        _ => UnitRule::List,
    }
}

pub(crate) fn rule_str(rule: UnitRule) -> &'static str {
    match rule {
        UnitRule::Member => "member",
        UnitRule::LimitedTime => "limited",
        UnitRule::List => "list",
    }
}

/// Whether `order_no` is one of `member`'s mall orders (the order page's live stream asks first).
pub async fn owns(db: &Db, member: MemberId, order_no: &str) -> Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM mall_orders WHERE order_no = $1 AND member_id = $2")
        .bind(order_no)
        .bind(member.0)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.is_some())
}
