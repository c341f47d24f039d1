//! Checkout: the cart priced on the server from the menu, the same split tender as every purchase
//! (coupons valid for the restaurant, points, stored value, the provider for the rest), and the
//! order written with its payment in the payment's own transaction by [`DiningDetails`]. The
//! cart's lines leave the cart with the order; if the payment is never completed they come back
//! (`fulfil::closed`). A dish sold out meanwhile is refused there too, and nothing is taken.

use super::cart::{priced, PricedLine};
use super::menu::member_prices;
use super::pricing::{minute_of_day, option_key, options_text};
use super::{step, tables};
use crate::payments::{self, create, Choice, Created, Details, NewPayment, PaymentProvider, PaymentState, Purpose};
use crate::points::PointsPolicy;
use crate::{coupons, mall, points, settings, stored_value, Db, MallTz, Result, Timestamp, WriteTx};
use async_trait::async_trait;
use plaza_types::dto::{DiningCheckout, DiningState, Fulfilment, Localized};
use plaza_types::error::Field;
use plaza_types::tender::MAX_PAYMENT;
use plaza_types::{AppError, Fen, MemberId, TenantId};
use std::sync::Arc;

/// The checkout page: the cart and the tenders on offer for its total.
pub async fn options(
    db: &Db,
    member: MemberId,
    restaurant_code: &str,
    table_code: Option<&str>,
    now: Timestamp,
    tz: &MallTz,
) -> Result<DiningCheckout> {
    let cart = super::cart::view(db, member, restaurant_code, table_code, now).await?;
    let tenant = Some(TenantId(cart.restaurant.id));
    let policy: PointsPolicy = settings::get(db.pool()).await?;
    let coupons =
        if cart.total.0 > 0 { coupons::usable_for(db, member, tenant, cart.total, now, tz).await? } else { Vec::new() };
    let points = points::account::balance(db.pool(), member).await?;
    let stored_value = stored_value::balance(db.pool(), member).await?;
    Ok(DiningCheckout {
        cart,
        coupons,
        points_available: points.available.max(0),
        points_per_yuan: policy.points_per_yuan_spent,
        max_points_pct: policy.max_payment_share_pct,
        stored_value,
        request_key: crate::codes::random_key(),
    })
}

/// What the shopper confirmed on the checkout page.
#[derive(Clone, Debug, Default)]
pub struct PlaceOrder {
    pub table_code: String,
    pub restaurant_code: String,
    pub choice: Choice,
    /// The total the page showed; a different total now (a price or membership changed) is refused.
    pub expected_total: Option<Fen>,
    /// What the page showed as left to pay; a different breakdown now is refused.
    pub expected_to_pay: Option<Fen>,
    pub request_key: String,
}

/// One line of the order being written.
#[derive(Clone, Debug)]
struct NewItem {
    dish: i64,
    option_ids: String,
    name: Localized,
    options: Localized,
    remark: String,
    quantity: i64,
    unit: Fen,
}

/// A food order's details: written beside its payment, in the payment's transaction.
#[derive(Debug)]
pub struct DiningDetails {
    tenant: TenantId,
    member: MemberId,
    table: i64,
    table_label: String,
    area: Localized,
    fulfilment: Fulfilment,
    remark: String,
    items: Vec<NewItem>,
    /// The cart lines this order takes out of the cart.
    lines: Vec<i64>,
    request_key: String,
}

impl DiningDetails {
    fn total(&self) -> Fen {
        Fen(self.items.iter().map(|i| i.unit.0 * i.quantity).sum())
    }
}

#[async_trait]
impl Details for DiningDetails {
    fn purpose(&self) -> Purpose {
        Purpose::Dining
    }

    fn tenant(&self) -> Option<TenantId> {
        Some(self.tenant)
    }

    async fn record(&self, tx: &mut WriteTx, payment_id: i64, now: Timestamp) -> Result<()> {
        // The kitchen may have sold a dish out since the cart was priced: refused here, inside
        // the payment's transaction, so nothing is taken.
        for item in &self.items {
            let (sold_out, status): (i64, String) = sqlx::query_as("SELECT sold_out, status FROM dishes WHERE id = $1")
                .bind(item.dish)
                .fetch_one(&mut ***tx)
                .await?;
            if sold_out == 1 || status != "active" {
                return Err(AppError::DishUnavailable.into());
            }
        }
        let (payment_no,): (String,) = sqlx::query_as("SELECT payment_no FROM payments WHERE id = $1")
            .bind(payment_id)
            .fetch_one(&mut ***tx)
            .await?;
        let (order,): (i64,) = sqlx::query_as(
            "INSERT INTO dining_orders (payment_id, payment_no, tenant_id, member_id, table_id, table_label, area_zh, area_en, \
             fulfilment, state, remark, total_fen, item_count, request_key, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $11, $12, $13, $14, $14) RETURNING id",
        )
        .bind(payment_id)
        .bind(&payment_no)
        .bind(self.tenant.0)
        .bind(self.member.0)
        .bind(self.table)
        .bind(&self.table_label)
        .bind(&self.area.zh)
        .bind(&self.area.en)
        .bind(self.fulfilment.as_str())
        .bind(&self.remark)
        .bind(self.total().0)
        .bind(self.items.iter().map(|i| i.quantity).sum::<i64>())
        .bind(&self.request_key)
        .bind(now.millis())
        .fetch_one(&mut ***tx)
        .await?;
        for item in &self.items {
            sqlx::query(
                "INSERT INTO dining_order_items (order_id, dish_id, option_ids, name_zh, name_en, options_zh, options_en, remark, \
                 quantity, unit_fen, line_fen) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(order)
            .bind(item.dish)
            .bind(&item.option_ids)
            .bind(&item.name.zh)
            .bind(&item.name.en)
            .bind(&item.options.zh)
            .bind(&item.options.en)
            .bind(&item.remark)
            .bind(item.quantity)
            .bind(item.unit.0)
            .bind(item.unit.0 * item.quantity)
            .execute(&mut ***tx)
            .await?;
        }
        for line in &self.lines {
            sqlx::query("DELETE FROM dining_cart_lines WHERE id = $1").bind(line).execute(&mut ***tx).await?;
        }
        sqlx::query("UPDATE dining_carts SET remark = '', updated_at = $1 WHERE member_id = $2 AND tenant_id = $3")
            .bind(now.millis())
            .bind(self.member.0)
            .bind(self.tenant.0)
            .execute(&mut ***tx)
            .await?;
        step(tx, order, DiningState::Pending, &format!("member:{}", self.member.0), "", now).await
    }
}

/// Places the member's cart at the restaurant as an order and starts its payment. The browser
/// then goes to the provider, or (nothing left to pay) straight to the order.
pub async fn place(
    db: &Db,
    provider: &dyn PaymentProvider,
    member: MemberId,
    order: &PlaceOrder,
    now: Timestamp,
) -> Result<Created> {
    if order.request_key.is_empty() || order.request_key.len() > 64 {
        return Err(AppError::invalid(Field::Amount).into());
    }
    if let Some(created) =
        payments::create::by_request_key(db, member, Purpose::Dining, &order.request_key, now).await?
    {
        return Ok(created);
    }
    let request_key = format!("{}:{}", member.0, order.request_key);
    let details = {
        let mut conn = db.pool().acquire().await?;
        let restaurant = super::restaurant_by_code(&mut conn, &order.restaurant_code).await?;
        let tenant = TenantId(restaurant.id);
        let (table, table_view, restaurant) = tables::served_by(&mut conn, &order.table_code, tenant).await?;
        if !restaurant.open {
            return Err(AppError::NotUsable.into());
        }
        let tz = mall::timezone_in(&mut conn).await?;
        let member_prices = member_prices(&mut conn, Some(member), now).await?;
        let (_, _, remark, lines) = priced(&mut conn, member, tenant, minute_of_day(now, &tz), member_prices)
            .await?
            .ok_or(AppError::invalid(Field::Dish))?;
        if lines.is_empty() {
            return Err(AppError::invalid(Field::Dish).into());
        }
        if lines.iter().any(|l| l.problem.is_some()) {
            return Err(AppError::DishUnavailable.into());
        }
        DiningDetails {
            tenant,
            member,
            table,
            table_label: table_view.label,
            area: table_view.area,
            fulfilment: restaurant.fulfilment,
            remark,
            items: lines.iter().filter_map(item).collect(),
            lines: lines.iter().map(|l| l.line).collect(),
            request_key,
        }
    };
    let total = details.total();
    if total.0 <= 0 || total > MAX_PAYMENT {
        return Err(AppError::invalid(Field::Amount).into());
    }
    if order.expected_total.is_some_and(|shown| shown != total) {
        return Err(AppError::QuoteChanged.into());
    }
    let subject = {
        let mut conn = db.pool().acquire().await?;
        super::restaurant(&mut conn, details.tenant).await?.name.zh
    };
    let new = NewPayment {
        member,
        subject,
        amount: total,
        coupon: order.choice.coupon,
        use_points: order.choice.use_points,
        use_stored_value: order.choice.use_stored_value,
        request_key: order.request_key.clone(),
        details: Arc::new(details),
    };
    let created = create(db, provider, &new, now).await?;
    let changed = order.expected_to_pay.is_some_and(|expected| created.split.external != expected);
    if changed || created.state == PaymentState::Closed {
        // The balances moved since the page showed the breakdown: give everything back (the
        // order is released and its dishes return to the cart).
        payments::views::cancel(db, provider, member, &created.payment_no, now).await?;
        return Err(AppError::QuoteChanged.into());
    }
    Ok(created)
}

fn item(line: &PricedLine) -> Option<NewItem> {
    let dish = line.dish.as_ref()?;
    let chosen: Vec<_> = line.options.iter().collect();
    Some(NewItem {
        dish: dish.id,
        option_ids: option_key(&line.options.iter().map(|o| o.id).collect::<Vec<_>>()),
        name: dish.name.clone(),
        options: options_text(&chosen),
        remark: line.remark.clone(),
        quantity: line.quantity,
        unit: line.unit,
    })
}
