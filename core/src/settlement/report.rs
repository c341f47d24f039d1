//! The sales report of a period: each day's sales (count, gross at list price, the price
//! reductions given, refunds, net), the split by channel, every refund made in the period, and
//! the products and dishes that sold best by quantity and by amount.

use super::lines::{lines, Line};
use super::Period;
use crate::{mall, Db, MallTz, Result, Timestamp};
use plaza_types::dto::{
    ChannelFigures, Localized, RefundRow, SalesChannel, SalesDay, SalesFigures, SalesReport, TopItem,
};
use plaza_types::{pricing, AppError, Fen, TenantId};
use std::collections::BTreeMap;

/// How many products or dishes each top list shows.
pub const TOP: usize = 10;

/// The tenant's name, or not found.
pub async fn tenant_name(db: &Db, tenant: TenantId) -> Result<Localized> {
    let row: Option<(String, String)> = sqlx::query_as("SELECT name_zh, name_en FROM tenants WHERE id = $1")
        .bind(tenant.0)
        .fetch_optional(db.pool())
        .await?;
    let (zh, en) = row.ok_or(AppError::NotFound)?;
    Ok(Localized::new(zh, en))
}

/// The report of `tenant` for `period`.
pub async fn report(db: &Db, tenant: TenantId, period: &Period) -> Result<SalesReport> {
    let tz = mall::timezone(db).await?;
    let name = tenant_name(db, tenant).await?;
    let (start, end) = period.bounds(&tz)?;
    let lines = lines(db, tenant, start, end).await?;
    let items = top_items(db, tenant, start, end).await?;
    Ok(compute(name, period, &lines, items, &tz))
}

fn add(f: &mut SalesFigures, line: &Line) {
    if line.refund {
        f.refund_count += 1;
        f.refunds.0 += line.amount;
    } else {
        f.count += 1;
        f.gross.0 += line.amount + line.discount;
        f.discounts.0 += line.discount;
    }
    f.net = Fen(f.gross.0 - f.discounts.0 - f.refunds.0);
}

pub(super) fn compute(
    tenant: Localized,
    period: &Period,
    lines: &[Line],
    items: Vec<TopItem>,
    tz: &MallTz,
) -> SalesReport {
    let mut days: BTreeMap<String, SalesFigures> =
        period.dates().into_iter().map(|d| (d.to_string(), SalesFigures::default())).collect();
    let mut channels: BTreeMap<SalesChannel, SalesFigures> = BTreeMap::new();
    let mut total = SalesFigures::default();
    let mut refunds = Vec::new();
    for line in lines {
        add(days.entry(tz.date(Timestamp(line.at))).or_default(), line);
        add(channels.entry(line.channel).or_default(), line);
        add(&mut total, line);
        if line.refund {
            refunds.push(RefundRow {
                at: Timestamp(line.at).format_local(tz),
                sale_date: tz.date(Timestamp(line.sold_at)),
                channel: line.channel,
                payment_no: line.payment_no.clone(),
                amount: Fen(line.amount),
                reason: line.reason.clone(),
            });
        }
    }
    let mut by_amount = items.clone();
    by_amount.sort_by(|a, b| b.amount.0.cmp(&a.amount.0).then(b.quantity.cmp(&a.quantity)));
    by_amount.truncate(TOP);
    let mut by_quantity = items;
    by_quantity.sort_by(|a, b| b.quantity.cmp(&a.quantity).then(b.amount.0.cmp(&a.amount.0)));
    by_quantity.truncate(TOP);
    SalesReport {
        tenant,
        period: period.view(),
        days: days.into_iter().map(|(date, figures)| SalesDay { date, figures }).collect(),
        total,
        channels: channels.into_iter().map(|(channel, figures)| ChannelFigures { channel, figures }).collect(),
        refunds,
        top_by_quantity: by_quantity,
        top_by_amount: by_amount,
    }
}

/// Dishes and mall products of the orders paid in [`start`, `end`), net of what was cancelled or
/// refunded (a plate payment has no items).
async fn top_items(db: &Db, tenant: TenantId, start: i64, end: i64) -> Result<Vec<TopItem>> {
    let dishes: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT MAX(i.name_zh), MAX(i.name_en), CAST(SUM(i.quantity) AS BIGINT), CAST(SUM(i.line_fen) AS BIGINT) \
         FROM dining_order_items i JOIN dining_orders o ON o.id = i.order_id \
         WHERE o.tenant_id = $1 AND o.paid_at >= $2 AND o.paid_at < $3 \
         AND o.state NOT IN ('pending', 'released', 'cancelling', 'cancelled') GROUP BY i.dish_id",
    )
    .bind(tenant.0)
    .bind(start)
    .bind(end)
    .fetch_all(db.pool())
    .await?;
    // Each line's amount is what was paid for it after promotions (`paid_fen`, decision 0017),
    // less the share of it its refunded units took back (`pricing::refund_for_units`).
    let lines: Vec<(i64, String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT l.sku_id, l.title, l.spec, l.quantity, l.refunded_quantity, \
         COALESCE(l.paid_fen, l.unit_price_fen * l.quantity) \
         FROM shop_order_lines l JOIN mall_orders o ON o.id = l.order_id \
         WHERE o.tenant_id = $1 AND o.paid_at >= $2 AND o.paid_at < $3 \
         AND o.state NOT IN ('pending', 'expired', 'cancelling', 'cancelled') ORDER BY l.id",
    )
    .bind(tenant.0)
    .bind(start)
    .bind(end)
    .fetch_all(db.pool())
    .await?;
    let mut goods: BTreeMap<i64, (String, String, i64, i64)> = BTreeMap::new();
    for (sku, title, spec, quantity, refunded, paid) in lines {
        let kept = paid - pricing::refund_for_units(Fen(paid), quantity, 0, refunded).0;
        let entry = goods.entry(sku).or_insert_with(|| (title, spec, 0, 0));
        entry.2 += quantity - refunded;
        entry.3 += kept;
    }
    let dishes = dishes.into_iter().map(|(zh, en, quantity, amount)| TopItem {
        channel: SalesChannel::Dining,
        name: Localized::new(zh, en),
        quantity,
        amount: Fen(amount),
    });
    let goods = goods.into_values().map(|(title, spec, quantity, amount)| {
        let name = if spec.is_empty() { title } else { format!("{title} {spec}") };
        TopItem { channel: SalesChannel::Mall, name: Localized::new(name, ""), quantity, amount: Fen(amount) }
    });
    Ok(dishes.chain(goods).filter(|i| i.quantity > 0).collect())
}
