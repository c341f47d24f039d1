//! The shopper's cart across shops, kept on the server: one line per SKU, grouped by shop when
//! shown. Lines are priced now, on every view; a line that can no longer be bought as it stands
//! (not for sale, too few units, a different price than when it was added) is flagged with what
//! changed and stays until the shopper changes or removes it.

use super::MAX_QUANTITY;
use crate::shop::input::refused;
use crate::shop::{promotions, stock};
use crate::{membership, Db, Result, Timestamp};
use plaza_types::dto::{CartLineProblem, Localized, MallCart, MallCartLine, MallCartShop, ShopProblem, SkuId};
use plaza_types::error::Field;
use plaza_types::pricing::{self, ExplainedLine, PriceLine};
use plaza_types::{AppError, Fen, MemberId};
use sqlx::AnyConnection;

fn check_quantity(quantity: i64) -> Result<()> {
    if !(1..=MAX_QUANTITY).contains(&quantity) {
        return Err(AppError::invalid(Field::Quantity).into());
    }
    Ok(())
}

/// What one unit of a SKU costs a shopper now (member or limited-time price, the lower; rule 1
/// of the price engine).
async fn unit_price(
    conn: &mut AnyConnection,
    sku: SkuId,
    price: i64,
    member_price: Option<i64>,
    member_prices: bool,
    now: Timestamp,
) -> Result<i64> {
    let limited = promotions::running::limited_price(conn, sku.0, now).await?;
    Ok(pricing::unit_price(Fen(price), member_price.filter(|_| member_prices).map(Fen), limited).1 .0)
}

/// Adds `quantity` of a SKU that is for sale (to what the line already holds). Refuses more
/// than the stock left or than [`MAX_QUANTITY`].
pub async fn add(db: &Db, member: MemberId, sku: SkuId, quantity: i64, now: Timestamp) -> Result<()> {
    check_quantity(quantity)?;
    let mut tx = db.begin_write().await?;
    let s = stock::sellable(&mut tx, sku).await?;
    let held: Option<(i64,)> =
        sqlx::query_as("SELECT quantity FROM mall_cart_lines WHERE member_id = $1 AND sku_id = $2")
            .bind(member.0)
            .bind(sku.0)
            .fetch_optional(&mut **tx)
            .await?;
    let want = held.map(|(q,)| q).unwrap_or(0) + quantity;
    check_quantity(want)?;
    if want > s.stock {
        return Err(refused(ShopProblem::StockShort));
    }
    let member_prices = membership::has_member_prices(&mut tx, member, now).await?;
    let price = unit_price(&mut tx, sku, s.price_fen, s.member_price_fen, member_prices, now).await?;
    sqlx::query(
        "INSERT INTO mall_cart_lines (member_id, sku_id, tenant_id, quantity, seen_price_fen, added_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (member_id, sku_id) DO UPDATE SET quantity = $7, \
         seen_price_fen = excluded.seen_price_fen, updated_at = excluded.updated_at",
    )
    .bind(member.0)
    .bind(sku.0)
    .bind(s.tenant.0)
    .bind(quantity)
    .bind(price)
    .bind(now.millis())
    .bind(want)
    .execute(&mut **tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a line's quantity in place (the shopper saw the line, so its price is taken as seen).
pub async fn set_quantity(db: &Db, member: MemberId, sku: SkuId, quantity: i64, now: Timestamp) -> Result<()> {
    check_quantity(quantity)?;
    let mut tx = db.begin_write().await?;
    let held: Option<(i64,)> = sqlx::query_as("SELECT id FROM mall_cart_lines WHERE member_id = $1 AND sku_id = $2")
        .bind(member.0)
        .bind(sku.0)
        .fetch_optional(&mut **tx)
        .await?;
    if held.is_none() {
        return Err(AppError::NotFound.into());
    }
    let s = stock::sellable(&mut tx, sku).await?;
    if quantity > s.stock {
        return Err(refused(ShopProblem::StockShort));
    }
    let member_prices = membership::has_member_prices(&mut tx, member, now).await?;
    let price = unit_price(&mut tx, sku, s.price_fen, s.member_price_fen, member_prices, now).await?;
    sqlx::query(
        "UPDATE mall_cart_lines SET quantity = $1, seen_price_fen = $2, updated_at = $3 WHERE member_id = $4 AND sku_id = $5",
    )
    .bind(quantity)
    .bind(price)
    .bind(now.millis())
    .bind(member.0)
    .bind(sku.0)
    .execute(&mut **tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Takes a line out of the cart (a line not there is not found).
pub async fn remove(db: &Db, member: MemberId, sku: SkuId) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let gone = sqlx::query("DELETE FROM mall_cart_lines WHERE member_id = $1 AND sku_id = $2")
        .bind(member.0)
        .bind(sku.0)
        .execute(&mut **tx)
        .await?;
    if gone.rows_affected() != 1 {
        return Err(AppError::NotFound.into());
    }
    tx.commit().await?;
    Ok(())
}

/// How many units the cart holds (the badge on the mall's pages).
pub async fn count(db: &Db, member: MemberId) -> Result<i64> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM mall_cart_lines WHERE member_id = $1")
            .bind(member.0)
            .fetch_one(db.pool())
            .await?;
    Ok(n)
}

/// The cart, priced now, grouped by shop (shops in the order their first line was added).
pub async fn view(db: &Db, member: MemberId, now: Timestamp) -> Result<MallCart> {
    let mut conn = db.pool().acquire().await?;
    priced(&mut conn, member, now).await
}

type Row = (i64, i64, i64, i64, Option<String>, i64, String, String, String, String, i64, Option<i64>, i64, i64);

pub(crate) async fn priced(conn: &mut AnyConnection, member: MemberId, now: Timestamp) -> Result<MallCart> {
    let member_prices = membership::has_member_prices(conn, member, now).await?;
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT c.sku_id, c.tenant_id, c.quantity, c.seen_price_fen, p.cover_key, k.product_id, p.title, k.v1, k.v2, k.v3, \
         k.price_fen, k.member_price_fen, k.stock, CASE WHEN k.enabled = 1 AND k.removed_at IS NULL \
         AND p.status = 'published' AND p.blocked_at IS NULL AND t.status = 'active' AND t.kind = 'store' THEN 1 ELSE 0 END \
         FROM mall_cart_lines c JOIN shop_skus k ON k.id = c.sku_id JOIN shop_products p ON p.id = k.product_id \
         JOIN tenants t ON t.id = c.tenant_id WHERE c.member_id = $1 ORDER BY c.id",
    )
    .bind(member.0)
    .fetch_all(&mut *conn)
    .await?;
    // Every shop's promotions running now, and each line's unit price by the engine.
    let mut tenants: Vec<i64> = rows.iter().map(|r| r.1).collect();
    tenants.sort_unstable();
    tenants.dedup();
    let promos = promotions::running::of_shops(conn, &tenants, now).await?;
    let engine_line =
        |r: &Row| PriceLine { shop: r.1, sku: r.0, list: Fen(r.10), member: r.11.map(Fen), quantity: r.2 };
    let mut cart = MallCart { member_prices, ..Default::default() };
    let mut problems = Vec::with_capacity(rows.len());
    for r in &rows {
        let (sku, quantity, seen, stock, ok) = (r.0, r.2, r.3, r.12, r.13);
        let limited = promos.limited_for(sku).filter(|l| l.shop == r.1).map(|l| l.price);
        let unit = pricing::unit_price(Fen(r.10), r.11.filter(|_| member_prices).map(Fen), limited).1;
        problems.push(if ok != 1 {
            Some(CartLineProblem::NotSellable)
        } else if quantity > stock {
            Some(CartLineProblem::StockShort)
        } else if unit.0 != seen {
            Some(CartLineProblem::PriceChanged)
        } else {
            None
        });
    }
    // Only the lines that can be bought are priced together (bundles and 满减 count them alone).
    let sound: Vec<PriceLine> =
        rows.iter().zip(&problems).filter(|(_, p)| p.is_none()).map(|(r, _)| engine_line(r)).collect();
    let explained = pricing::price(&sound, member_prices, &promos);
    for (row, problem) in rows.into_iter().zip(problems) {
        let (sku, tenant, quantity, seen, cover, product, title, v1, v2, v3, price, member_price, stock, _) = row;
        let price_line = match problem {
            None => explained.line(sku).cloned().unwrap_or_default(),
            Some(_) => {
                let limited = promos.limited_for(sku).filter(|l| l.shop == tenant);
                let member = member_price.filter(|_| member_prices).map(Fen);
                let (rule, unit) = pricing::unit_price(Fen(price), member, limited.map(|l| l.price));
                ExplainedLine {
                    shop: tenant,
                    sku,
                    quantity,
                    list_price: Fen(price),
                    member_price: member,
                    limited_price: limited.map(|l| l.price),
                    limited_ends_at: limited.map(|l| l.ends_at),
                    rule,
                    unit_price: unit,
                    paid: Fen(unit.0 * quantity),
                    ..Default::default()
                }
            }
        };
        let line = MallCartLine {
            sku_id: sku,
            product_id: product,
            title,
            spec: [v1, v2, v3].into_iter().filter(|v| !v.is_empty()).collect::<Vec<_>>().join(" / "),
            thumb: cover.map(|k| crate::shop::media_url(&k)),
            quantity,
            list_price: Fen(price),
            unit_price: price_line.unit_price,
            seen_price: Fen(seen),
            line_total: price_line.paid,
            stock,
            problem,
            price: price_line,
        };
        let at = match cart.shops.iter().position(|s| s.tenant_id == tenant) {
            Some(at) => at,
            None => {
                let mut head = shop_head(conn, tenant).await?;
                head.tiers = promos.tiers_of(tenant);
                if let Some(e) = explained.shops.iter().find(|s| s.shop == tenant) {
                    head.list_total = e.list_total;
                    head.total = e.total;
                    head.bundles = e.bundles.clone();
                    head.tier = e.tier;
                    head.spend_off = e.spend_off;
                    head.next_tier = e.next_tier;
                    head.everyday_total = e.everyday_total;
                } else {
                    head.next_tier = head.tiers.first().copied();
                }
                cart.shops.push(head);
                cart.shops.len() - 1
            }
        };
        cart.has_problems |= line.problem.is_some();
        cart.shops[at].lines.push(line);
    }
    cart.list_total = Fen(cart.shops.iter().map(|s| s.list_total.0).sum());
    cart.total = Fen(cart.shops.iter().map(|s| s.total.0).sum());
    Ok(cart)
}

/// A shop's name, pickup unit and whether it delivers.
pub(crate) async fn shop_head(conn: &mut AnyConnection, tenant: i64) -> Result<MallCartShop> {
    let (zh, en, unit, pickup, delivers): (String, String, String, Option<String>, Option<i64>) = sqlx::query_as(
        "SELECT t.name_zh, t.name_en, t.unit_no, s.pickup_unit, s.delivers FROM tenants t \
         LEFT JOIN shop_storefronts s ON s.tenant_id = t.id WHERE t.id = $1",
    )
    .bind(tenant)
    .fetch_one(&mut *conn)
    .await?;
    Ok(MallCartShop {
        tenant_id: tenant,
        name: Localized::new(zh, en),
        pickup_unit: pickup.filter(|p| !p.is_empty()).unwrap_or(unit),
        delivers: delivers == Some(1),
        lines: Vec::new(),
        list_total: Fen::ZERO,
        total: Fen::ZERO,
        bundles: Vec::new(),
        tier: None,
        spend_off: Fen::ZERO,
        next_tier: None,
        everyday_total: Fen::ZERO,
        tiers: Vec::new(),
    })
}
