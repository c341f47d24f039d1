//! Checkout: the cart priced on the server, split into one order per shop, paid by one payment
//! (the same split tender as every purchase: a coupon, points, stored value, the provider for the
//! rest). The orders are written with the payment, in its own transaction, by [`MallDetails`]:
//! each line's units are taken from stock there (a conditional update), so if any SKU ran short
//! meanwhile nothing at all is taken — no tender, no unit, no order — and the cart is kept.

use super::cart::priced;
use super::{addresses, allocate, announce, step};
use crate::payments::{self, create, Choice, Created, Details, NewPayment, PaymentProvider, PaymentState, Purpose};
use crate::points::PointsPolicy;
use crate::shop::stock;
use crate::{coupons, points, settings, stored_value, Db, MallTz, Result, Timestamp, WriteTx};
use async_trait::async_trait;
use plaza_types::dto::{MallAddress, MallCart, MallCheckout, MallFulfilment, MallOrderState, SkuId};
use plaza_types::error::Field;
use plaza_types::tender::MAX_PAYMENT;
use plaza_types::{AppError, Fen, MemberId, TenantId};
use std::sync::Arc;

/// The checkout page: the cart by shop, the address book, and the tenders on offer.
pub async fn options(db: &Db, member: MemberId, now: Timestamp, tz: &MallTz) -> Result<MallCheckout> {
    let cart = super::cart::view(db, member, now).await?;
    let policy: PointsPolicy = settings::get(db.pool()).await?;
    let coupons = if cart.total.0 > 0 {
        coupons::usable_for(db, member, single_shop(&cart), cart.total, now, tz).await?
    } else {
        Vec::new()
    };
    let points = points::account::balance(db.pool(), member).await?;
    Ok(MallCheckout {
        addresses: addresses::list(db, member).await?,
        coupons,
        points_available: points.available.max(0),
        points_per_yuan: policy.points_per_yuan_spent,
        max_points_pct: policy.max_payment_share_pct,
        stored_value: stored_value::balance(db.pool(), member).await?,
        request_key: crate::codes::random_key(),
        cart,
    })
}

/// The shop a one-shop cart pays (its own coupons apply); a cart across shops pays the mall.
fn single_shop(cart: &MallCart) -> Option<TenantId> {
    match cart.shops.as_slice() {
        [only] => Some(TenantId(only.tenant_id)),
        _ => None,
    }
}

/// How one shop's order is to reach the shopper.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShopChoice {
    pub tenant: TenantId,
    pub fulfilment: MallFulfilment,
    /// An address of the shopper's address book (delivery only).
    pub address: Option<i64>,
}

/// What the shopper confirmed on the checkout page.
#[derive(Clone, Debug, Default)]
pub struct PlaceMallOrder {
    pub choice: Choice,
    /// Per shop; a shop not named is picked up.
    pub shops: Vec<ShopChoice>,
    /// The total the page showed; a different total now (a price or membership changed) is refused.
    pub expected_total: Option<Fen>,
    /// What the page showed as left to pay; a different breakdown now is refused.
    pub expected_to_pay: Option<Fen>,
    pub request_key: String,
}

#[derive(Clone, Debug)]
struct NewLine {
    sku: i64,
    product: i64,
    title: String,
    spec: String,
    quantity: i64,
    list: i64,
    /// The engine's explanation: the unit price and its rule, what bundles and 满减 took off the
    /// line, and what is paid for it (kept on the order line, so a refund of some of its units
    /// refunds their share of what was paid).
    unit: i64,
    rule: plaza_types::pricing::UnitRule,
    bundle_off: i64,
    spend_off: i64,
    paid: i64,
}

#[derive(Clone, Debug)]
struct NewOrder {
    tenant: TenantId,
    fulfilment: MallFulfilment,
    address: Option<MallAddress>,
    lines: Vec<NewLine>,
}

impl NewOrder {
    fn total(&self) -> i64 {
        self.lines.iter().map(|l| l.paid).sum()
    }

    fn list_total(&self) -> i64 {
        self.lines.iter().map(|l| l.list * l.quantity).sum()
    }
}

/// A checkout's orders: written beside its payment, in the payment's transaction.
#[derive(Debug)]
pub struct MallDetails {
    member: MemberId,
    orders: Vec<NewOrder>,
}

impl MallDetails {
    fn total(&self) -> Fen {
        Fen(self.orders.iter().map(NewOrder::total).sum())
    }
}

#[async_trait]
impl Details for MallDetails {
    fn purpose(&self) -> Purpose {
        Purpose::Mall
    }

    fn tenant(&self) -> Option<TenantId> {
        match self.orders.as_slice() {
            [only] => Some(only.tenant),
            _ => None,
        }
    }

    async fn record(&self, tx: &mut WriteTx, payment_id: i64, now: Timestamp) -> Result<()> {
        let (payment_no, coupon, points_fen, sv, external): (String, i64, i64, i64, i64) = sqlx::query_as(
            "SELECT payment_no, coupon_fen, points_fen, sv_fen, external_fen FROM payments WHERE id = $1",
        )
        .bind(payment_id)
        .fetch_one(&mut ***tx)
        .await?;
        let weights: Vec<i64> = self.orders.iter().map(NewOrder::total).collect();
        let shares = [coupon, points_fen, sv, external].map(|amount| allocate(amount, &weights));
        // Reserved here: the units leave the SKUs now, or nothing of this checkout happens. In SKU
        // order, so two checkouts taking the last units of the same SKUs lock them (and the search
        // rows their triggers update when stock runs out) in one order and never deadlock.
        let mut takes = std::collections::BTreeMap::<i64, i64>::new();
        for line in self.orders.iter().flat_map(|o| &o.lines) {
            *takes.entry(line.sku).or_default() += line.quantity;
        }
        for (sku, quantity) in takes {
            stock::take(tx, SkuId(sku), quantity).await?;
        }
        for (n, order) in self.orders.iter().enumerate() {
            let address = order.address.clone();
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO mall_orders (order_no, payment_id, payment_no, tenant_id, member_id, state, fulfilment, ship_name, \
                 ship_phone, ship_address, list_fen, total_fen, coupon_fen, points_fen, sv_fen, external_fen, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) RETURNING id",
            )
            .bind(format!("{payment_no}-{}", n + 1))
            .bind(payment_id)
            .bind(&payment_no)
            .bind(order.tenant.0)
            .bind(self.member.0)
            .bind(order.fulfilment.as_str())
            .bind(address.as_ref().map(|a| a.name.clone()).unwrap_or_default())
            .bind(address.as_ref().map(|a| a.phone.clone()).unwrap_or_default())
            .bind(address.as_ref().map(|a| a.address.clone()).unwrap_or_default())
            .bind(order.list_total())
            .bind(order.total())
            .bind(shares[0][n])
            .bind(shares[1][n])
            .bind(shares[2][n])
            .bind(shares[3][n])
            .bind(now.millis())
            .fetch_one(&mut ***tx)
            .await?;
            for line in &order.lines {
                sqlx::query(
                    "INSERT INTO shop_order_lines (member_id, tenant_id, product_id, sku_id, title, spec, quantity, unit_price_fen, \
                     list_price_fen, order_id, created_at, price_rule, bundle_off_fen, spend_off_fen, paid_fen) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
                )
                .bind(self.member.0)
                .bind(order.tenant.0)
                .bind(line.product)
                .bind(line.sku)
                .bind(&line.title)
                .bind(&line.spec)
                .bind(line.quantity)
                .bind(line.unit)
                .bind(line.list)
                .bind(id)
                .bind(now.millis())
                .bind(super::views::rule_str(line.rule))
                .bind(line.bundle_off)
                .bind(line.spend_off)
                .bind(line.paid)
                .execute(&mut ***tx)
                .await?;
                sqlx::query("DELETE FROM mall_cart_lines WHERE member_id = $1 AND sku_id = $2")
                    .bind(self.member.0)
                    .bind(line.sku)
                    .execute(&mut ***tx)
                    .await?;
            }
            step(tx, id, MallOrderState::Pending, &format!("member:{}", self.member.0), "", now).await?;
            announce(tx, id, now).await?;
        }
        Ok(())
    }
}

/// Places the member's cart as one order per shop and starts their one payment. The browser then
/// goes to the provider, or (nothing left to pay) straight to the orders.
pub async fn place(
    db: &Db,
    provider: &dyn PaymentProvider,
    member: MemberId,
    order: &PlaceMallOrder,
    now: Timestamp,
) -> Result<Created> {
    if order.request_key.is_empty() || order.request_key.len() > 64 {
        return Err(AppError::invalid(Field::Amount).into());
    }
    if let Some(created) = payments::create::by_request_key(db, member, Purpose::Mall, &order.request_key, now).await? {
        return Ok(created);
    }
    let details = {
        let mut conn = db.pool().acquire().await?;
        let cart = priced(&mut conn, member, now).await?;
        if cart.shops.is_empty() {
            return Err(AppError::invalid(Field::Quantity).into());
        }
        if let Some(problem) = cart.shops.iter().flat_map(|s| &s.lines).find_map(|l| l.problem) {
            return Err(match problem {
                plaza_types::dto::CartLineProblem::NotSellable => {
                    crate::shop::input::refused(plaza_types::dto::ShopProblem::NotSellable)
                }
                plaza_types::dto::CartLineProblem::StockShort => {
                    crate::shop::input::refused(plaza_types::dto::ShopProblem::StockShort)
                }
                plaza_types::dto::CartLineProblem::PriceChanged => AppError::QuoteChanged.into(),
            });
        }
        if order.shops.iter().any(|c| !cart.shops.iter().any(|s| s.tenant_id == c.tenant.0)) {
            // A choice for a shop the cart does not hold: the page is out of date.
            return Err(AppError::QuoteChanged.into());
        }
        let mut orders = Vec::with_capacity(cart.shops.len());
        for shop in &cart.shops {
            let choice = order.shops.iter().find(|c| c.tenant.0 == shop.tenant_id);
            let fulfilment = choice.map(|c| c.fulfilment).unwrap_or_default();
            let address = match (fulfilment, choice.and_then(|c| c.address)) {
                (MallFulfilment::Pickup, _) => None,
                (MallFulfilment::Delivery, _) if !shop.delivers => return Err(AppError::NotUsable.into()),
                (MallFulfilment::Delivery, None) => return Err(AppError::invalid(Field::Phone).into()),
                (MallFulfilment::Delivery, Some(id)) => Some(addresses::own(&mut conn, member, id).await?),
            };
            orders.push(NewOrder {
                tenant: TenantId(shop.tenant_id),
                fulfilment,
                address,
                lines: shop
                    .lines
                    .iter()
                    .map(|l| NewLine {
                        sku: l.sku_id,
                        product: l.product_id,
                        title: l.title.clone(),
                        spec: l.spec.clone(),
                        quantity: l.quantity,
                        list: l.list_price.0,
                        unit: l.unit_price.0,
                        rule: l.price.rule,
                        bundle_off: l.price.bundle_off.0,
                        spend_off: l.price.spend_off.0,
                        paid: l.price.paid.0,
                    })
                    .collect(),
            });
        }
        MallDetails { member, orders }
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
        let first = super::cart::shop_head(&mut conn, details.orders[0].tenant.0).await?;
        match details.orders.len() {
            1 => first.name.zh,
            n => format!("{} 等{n}家", first.name.zh),
        }
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
        // orders are released, their units return to stock and their lines to the cart).
        payments::views::cancel(db, provider, member, &created.payment_no, now).await?;
        return Err(AppError::QuoteChanged.into());
    }
    Ok(created)
}
