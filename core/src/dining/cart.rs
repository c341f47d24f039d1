//! A shopper's cart at one restaurant, kept on the server: pages work without JavaScript, several
//! phones at one table each keep their own, and a dish that sells out while it sits in carts is
//! marked in every one of them and refused at checkout while the rest stays.

use super::menu::member_prices;
use super::pricing::{self, check_choice, check_quantity, minute_of_day, option_key, parse_option_key, DishRecord};
use super::{clean_text, tables};
use crate::{mall, Db, Result, Timestamp, WriteTx};
use plaza_types::dto::{DiningCart, DiningCartLine, DishOption, DishProblem, Localized};
use plaza_types::error::Field;
use plaza_types::{AppError, Fen, MemberId, TenantId};
use sqlx::AnyConnection;

/// The most lines one cart holds.
pub const MAX_LINES: i64 = 30;
/// A dish's remark (少辣, 不要香菜) and the order's.
pub const MAX_LINE_REMARK: usize = 40;
pub const MAX_ORDER_REMARK: usize = 100;

/// What the shopper asks to add.
#[derive(Clone, Debug, Default)]
pub struct AddDish {
    pub table_code: String,
    pub restaurant_code: String,
    pub dish: i64,
    pub options: Vec<i64>,
    pub quantity: i64,
    pub remark: String,
}

/// Adds a dish (merging with a line of the same dish, options and remark) and remembers the table.
pub async fn add(db: &Db, member: MemberId, add: &AddDish, now: Timestamp) -> Result<()> {
    let quantity = check_quantity(add.quantity)?;
    let remark = clean_text(&add.remark, MAX_LINE_REMARK, Field::Remark)?;
    let mut tx = db.begin_write().await?;
    let restaurant = super::restaurant_by_code(&mut tx, &add.restaurant_code).await?;
    let tenant = TenantId(restaurant.id);
    let (table, _, restaurant) = tables::served_by(&mut tx, &add.table_code, tenant).await?;
    if !restaurant.open {
        return Err(AppError::NotUsable.into());
    }
    let dish =
        pricing::load(&mut tx, add.dish).await?.filter(|d| d.tenant == tenant).ok_or(AppError::invalid(Field::Dish))?;
    let tz = mall::timezone_in(&mut tx).await?;
    if dish.problem(minute_of_day(now, &tz)).is_some() {
        return Err(AppError::DishUnavailable.into());
    }
    check_choice(&dish.groups, &add.options)?;
    let cart = cart_for(&mut tx, member, tenant, Some(table), now).await?;
    let (lines,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM dining_cart_lines WHERE cart_id = $1")
        .bind(cart)
        .fetch_one(&mut **tx)
        .await?;
    let key = option_key(&add.options);
    let existing: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM dining_cart_lines WHERE cart_id = $1 AND dish_id = $2 AND option_ids = $3 AND remark = $4",
    )
    .bind(cart)
    .bind(dish.id)
    .bind(&key)
    .bind(&remark)
    .fetch_optional(&mut **tx)
    .await?;
    if existing.is_none() && lines >= MAX_LINES {
        return Err(AppError::LimitReached.into());
    }
    sqlx::query(
        "INSERT INTO dining_cart_lines (cart_id, dish_id, option_ids, remark, quantity, added_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (cart_id, dish_id, option_ids, remark) DO UPDATE SET quantity = CASE \
         WHEN dining_cart_lines.quantity + excluded.quantity > $7 THEN $7 ELSE dining_cart_lines.quantity + excluded.quantity END",
    )
    .bind(cart)
    .bind(dish.id)
    .bind(&key)
    .bind(&remark)
    .bind(quantity)
    .bind(now.millis())
    .bind(pricing::MAX_QUANTITY)
    .execute(&mut **tx)
    .await?;
    tx.commit().await
}

/// The member's cart at `tenant` (made if new), pointing at `table` when one is given.
async fn cart_for(
    tx: &mut WriteTx,
    member: MemberId,
    tenant: TenantId,
    table: Option<i64>,
    now: Timestamp,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO dining_carts (member_id, tenant_id, table_id, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (member_id, tenant_id) DO UPDATE SET table_id = COALESCE(excluded.table_id, dining_carts.table_id), \
         updated_at = excluded.updated_at RETURNING id",
    )
    .bind(member.0)
    .bind(tenant.0)
    .bind(table)
    .bind(now.millis())
    .fetch_one(&mut ***tx)
    .await?;
    Ok(id)
}

/// A line of the member's own cart (another member's line is not found).
async fn own_line(tx: &mut WriteTx, member: MemberId, line: i64) -> Result<()> {
    let found: Option<(i64,)> = sqlx::query_as(
        "SELECT l.id FROM dining_cart_lines l JOIN dining_carts c ON c.id = l.cart_id WHERE l.id = $1 AND c.member_id = $2",
    )
    .bind(line)
    .bind(member.0)
    .fetch_optional(&mut ***tx)
    .await?;
    found.map(drop).ok_or_else(|| AppError::NotFound.into())
}

/// Sets a line's quantity; 0 removes it.
pub async fn set_quantity(db: &Db, member: MemberId, line: i64, quantity: i64) -> Result<()> {
    if quantity != 0 {
        check_quantity(quantity)?;
    }
    let mut tx = db.begin_write().await?;
    own_line(&mut tx, member, line).await?;
    if quantity == 0 {
        sqlx::query("DELETE FROM dining_cart_lines WHERE id = $1").bind(line).execute(&mut **tx).await?;
    } else {
        sqlx::query("UPDATE dining_cart_lines SET quantity = $1 WHERE id = $2")
            .bind(quantity)
            .bind(line)
            .execute(&mut **tx)
            .await?;
    }
    tx.commit().await
}

/// The order's remark, kept with the cart until it is ordered.
pub async fn set_remark(db: &Db, member: MemberId, restaurant_code: &str, remark: &str, now: Timestamp) -> Result<()> {
    let remark = clean_text(remark, MAX_ORDER_REMARK, Field::Remark)?;
    let mut tx = db.begin_write().await?;
    let tenant = TenantId(super::restaurant_by_code(&mut tx, restaurant_code).await?.id);
    let cart = cart_for(&mut tx, member, tenant, None, now).await?;
    sqlx::query("UPDATE dining_carts SET remark = $1 WHERE id = $2")
        .bind(&remark)
        .bind(cart)
        .execute(&mut **tx)
        .await?;
    tx.commit().await
}

/// A cart line with its dish, priced now.
#[derive(Clone, Debug)]
pub(crate) struct PricedLine {
    pub line: i64,
    pub dish: Option<DishRecord>,
    pub options: Vec<DishOption>,
    pub quantity: i64,
    pub remark: String,
    pub unit: Fen,
    pub problem: Option<DishProblem>,
}

impl PricedLine {
    pub fn total(&self) -> Fen {
        Fen(self.unit.0 * self.quantity)
    }
}

/// The member's cart at `tenant`: its id, table, remark and lines priced at `minute`.
pub(crate) async fn priced(
    conn: &mut AnyConnection,
    member: MemberId,
    tenant: TenantId,
    minute: i64,
    member_prices: bool,
) -> Result<Option<(i64, Option<i64>, String, Vec<PricedLine>)>> {
    let cart: Option<(i64, Option<i64>, String)> =
        sqlx::query_as("SELECT id, table_id, remark FROM dining_carts WHERE member_id = $1 AND tenant_id = $2")
            .bind(member.0)
            .bind(tenant.0)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((cart, table, remark)) = cart else { return Ok(None) };
    let rows: Vec<(i64, i64, String, String, i64)> = sqlx::query_as(
        "SELECT id, dish_id, option_ids, remark, quantity FROM dining_cart_lines WHERE cart_id = $1 ORDER BY id",
    )
    .bind(cart)
    .fetch_all(&mut *conn)
    .await?;
    let mut lines = Vec::with_capacity(rows.len());
    for (line, dish_id, key, line_remark, quantity) in rows {
        let dish = pricing::load(conn, dish_id).await?.filter(|d| d.tenant == tenant);
        let (options, unit, problem) = match &dish {
            None => (Vec::new(), Fen::ZERO, Some(DishProblem::Changed)),
            Some(d) => match check_choice(&d.groups, &parse_option_key(&key)) {
                Err(_) => (Vec::new(), d.price, Some(DishProblem::Changed)),
                Ok(chosen) => {
                    let unit = pricing::unit_price(d.price, d.member_price, member_prices, &chosen);
                    (chosen.into_iter().cloned().collect(), unit, d.problem(minute))
                }
            },
        };
        lines.push(PricedLine { line, dish, options, quantity, remark: line_remark, unit, problem });
    }
    Ok(Some((cart, table, remark, lines)))
}

/// Items and total of the orderable lines (the menu's cart bar).
pub(crate) async fn summary(
    conn: &mut AnyConnection,
    member: MemberId,
    tenant: TenantId,
    member_prices: bool,
) -> Result<(i64, Fen)> {
    // The bar counts what is in the cart; the window check belongs to the cart page.
    let Some((_, _, _, lines)) = priced(conn, member, tenant, 0, member_prices).await? else {
        return Ok((0, Fen::ZERO));
    };
    let ok = lines.iter().filter(|l| !matches!(l.problem, Some(DishProblem::SoldOut | DishProblem::Changed)));
    Ok(ok.fold((0, Fen::ZERO), |(n, total), l| (n + l.quantity, Fen(total.0 + l.total().0))))
}

/// The cart page: every line with its price and, where it cannot be ordered now, why.
pub async fn view(
    db: &Db,
    member: MemberId,
    restaurant_code: &str,
    table_code: Option<&str>,
    now: Timestamp,
) -> Result<DiningCart> {
    let mut conn = db.pool().acquire().await?;
    let restaurant = super::restaurant_by_code(&mut conn, restaurant_code).await?;
    let tenant = TenantId(restaurant.id);
    let table = match table_code {
        Some(code) => Some(tables::served_by(&mut conn, code, tenant).await?.1),
        None => None,
    };
    let tz = mall::timezone_in(&mut conn).await?;
    let member_prices = member_prices(&mut conn, Some(member), now).await?;
    let priced = priced(&mut conn, member, tenant, minute_of_day(now, &tz), member_prices).await?;
    let (remark, lines) = priced.map(|(_, _, remark, lines)| (remark, lines)).unwrap_or_default();
    let blocked = lines.iter().any(|l| l.problem.is_some());
    let (count, total) = lines
        .iter()
        .filter(|l| l.problem.is_none())
        .fold((0, Fen::ZERO), |(n, total), l| (n + l.quantity, Fen(total.0 + l.total().0)));
    Ok(DiningCart {
        restaurant,
        table,
        lines: lines
            .into_iter()
            .map(|l| {
                let name = l.dish.as_ref().map(|d| d.name.clone()).unwrap_or_else(|| Localized::new("—", "—"));
                DiningCartLine {
                    id: l.line,
                    dish_id: l.dish.as_ref().map_or(0, |d| d.id),
                    total: l.total(),
                    name,
                    options: l.options.iter().map(|o| o.name.clone()).collect(),
                    remark: l.remark,
                    quantity: l.quantity,
                    unit_price: l.unit,
                    problem: l.problem,
                }
            })
            .collect(),
        remark,
        total,
        count,
        member_prices,
        blocked,
    })
}
