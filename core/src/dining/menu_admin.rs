//! A restaurant's menu as its owner keeps it: categories in order (each with an optional serving
//! window, e.g. breakfast 07:00–10:00), dishes with every field the shopper sees, option groups
//! (size, spice, add-ons) with price deltas, recommended pairings, and the sold-out switch, which
//! the kitchen uses too and which takes effect at once (the next menu read and every checkout).

use super::{clean_text, photo_url, restaurant};
use crate::audit::Actor;
use crate::{Db, Result, Timestamp, WriteTx};
use plaza_types::dto::{
    DiningSettings, DishAdminRow, DishEdit, DishOption, DishOptionGroup, Fulfilment, Localized, MenuAdmin,
    MenuCategoryAdmin, ServingWindow,
};
use plaza_types::error::Field;
use plaza_types::tender::MAX_PAYMENT;
use plaza_types::{AppError, Fen, TenantId};

/// Limits that keep one menu sane on a phone and in one request.
pub const MAX_CATEGORIES: i64 = 40;
pub const MAX_DISHES: i64 = 400;
pub const MAX_GROUPS_PER_DISH: i64 = 8;
pub const MAX_OPTIONS_PER_GROUP: i64 = 20;
/// No single dish or option costs more than this (¥10,000).
pub const MAX_DISH_PRICE: Fen = Fen(1_000_000);

fn name(name: &Localized, max: usize) -> Result<Localized> {
    let zh = clean_text(&name.zh, max, Field::Name)?;
    let en = clean_text(&name.en, max * 2, Field::Name)?;
    if zh.is_empty() {
        return Err(AppError::invalid(Field::Name).into());
    }
    Ok(Localized::new(zh, en))
}

fn text(value: &Localized, max: usize, field: Field) -> Result<Localized> {
    Ok(Localized::new(clean_text(&value.zh, max, field)?, clean_text(&value.en, max * 2, field)?))
}

async fn category_of(tx: &mut WriteTx, tenant: TenantId, category: i64) -> Result<()> {
    let found: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM menu_categories WHERE id = $1 AND tenant_id = $2 AND status = 'active'")
            .bind(category)
            .bind(tenant.0)
            .fetch_optional(&mut ***tx)
            .await?;
    found.map(drop).ok_or_else(|| AppError::invalid(Field::Category).into())
}

async fn dish_of(tx: &mut WriteTx, tenant: TenantId, dish: i64) -> Result<()> {
    let found: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM dishes WHERE id = $1 AND tenant_id = $2 AND status = 'active'")
            .bind(dish)
            .bind(tenant.0)
            .fetch_optional(&mut ***tx)
            .await?;
    found.map(drop).ok_or_else(|| AppError::NotFound.into())
}

/// The group's dish, if it is one of `tenant`'s.
async fn group_of(tx: &mut WriteTx, tenant: TenantId, group: i64) -> Result<i64> {
    let found: Option<(i64,)> = sqlx::query_as(
        "SELECT g.dish_id FROM dish_option_groups g JOIN dishes d ON d.id = g.dish_id \
         WHERE g.id = $1 AND d.tenant_id = $2 AND d.status = 'active'",
    )
    .bind(group)
    .bind(tenant.0)
    .fetch_optional(&mut ***tx)
    .await?;
    found.map(|(d,)| d).ok_or_else(|| AppError::NotFound.into())
}

async fn touch(tx: &mut WriteTx, dish: i64, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE dishes SET updated_at = $1 WHERE id = $2")
        .bind(now.millis())
        .bind(dish)
        .execute(&mut ***tx)
        .await?;
    Ok(())
}

pub async fn add_category(
    db: &Db,
    tenant: TenantId,
    category: &Localized,
    window: Option<ServingWindow>,
    now: Timestamp,
) -> Result<i64> {
    let category = name(category, 12)?;
    let mut tx = db.begin_write().await?;
    restaurant(&mut tx, tenant).await?;
    let (count, last): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(MAX(sort), 0) AS BIGINT) FROM menu_categories WHERE tenant_id = $1 AND status = 'active'",
    )
    .bind(tenant.0)
    .fetch_one(&mut **tx)
    .await?;
    if count >= MAX_CATEGORIES {
        return Err(AppError::LimitReached.into());
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO menu_categories (tenant_id, name_zh, name_en, sort, available_from, available_until, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(tenant.0)
    .bind(&category.zh)
    .bind(&category.en)
    .bind(last + 1)
    .bind(window.map(|w| w.from))
    .bind(window.map(|w| w.until))
    .bind(now.millis())
    .fetch_one(&mut **tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_category(
    db: &Db,
    tenant: TenantId,
    id: i64,
    category: &Localized,
    window: Option<ServingWindow>,
) -> Result<()> {
    let category = name(category, 12)?;
    let mut tx = db.begin_write().await?;
    category_of(&mut tx, tenant, id).await.map_err(|_| AppError::NotFound)?;
    sqlx::query(
        "UPDATE menu_categories SET name_zh = $1, name_en = $2, available_from = $3, available_until = $4 WHERE id = $5",
    )
    .bind(&category.zh)
    .bind(&category.en)
    .bind(window.map(|w| w.from))
    .bind(window.map(|w| w.until))
    .bind(id)
    .execute(&mut **tx)
    .await?;
    tx.commit().await
}

/// Removes an empty category (one with dishes is refused: move or delete them first).
pub async fn delete_category(db: &Db, tenant: TenantId, id: i64) -> Result<()> {
    let mut tx = db.begin_write().await?;
    category_of(&mut tx, tenant, id).await.map_err(|_| AppError::NotFound)?;
    let (dishes,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM dishes WHERE category_id = $1 AND status = 'active'")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    if dishes > 0 {
        return Err(AppError::NotUsable.into());
    }
    sqlx::query("UPDATE menu_categories SET status = 'deleted' WHERE id = $1").bind(id).execute(&mut **tx).await?;
    tx.commit().await
}

/// Swaps a category (or a dish, within its category) with its neighbour above or below.
async fn swap(tx: &mut WriteTx, table: &str, scope: &str, scope_value: i64, id: i64, up: bool) -> Result<()> {
    let (sort,): (i64,) =
        sqlx::query_as(&format!("SELECT sort FROM {table} WHERE id = $1")).bind(id).fetch_one(&mut ***tx).await?;
    let (cmp, order) = if up { ("<", "DESC") } else { (">", "ASC") };
    let neighbour: Option<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT id, sort FROM {table} WHERE {scope} = $1 AND status = 'active' AND (sort {cmp} $2 OR (sort = $2 AND id {cmp} $3)) \
         ORDER BY sort {order}, id {order} LIMIT 1"
    ))
    .bind(scope_value)
    .bind(sort)
    .bind(id)
    .fetch_optional(&mut ***tx)
    .await?;
    let Some((other, other_sort)) = neighbour else { return Ok(()) };
    // Equal sorts (never expected) are spread apart so the swap still moves something.
    let (mine, theirs) =
        if other_sort == sort { (if up { sort - 1 } else { sort + 1 }, sort) } else { (other_sort, sort) };
    for (row, value) in [(id, mine), (other, theirs)] {
        sqlx::query(&format!("UPDATE {table} SET sort = $1 WHERE id = $2"))
            .bind(value)
            .bind(row)
            .execute(&mut ***tx)
            .await?;
    }
    Ok(())
}

pub async fn move_category(db: &Db, tenant: TenantId, id: i64, up: bool) -> Result<()> {
    let mut tx = db.begin_write().await?;
    category_of(&mut tx, tenant, id).await.map_err(|_| AppError::NotFound)?;
    swap(&mut tx, "menu_categories", "tenant_id", tenant.0, id, up).await?;
    tx.commit().await
}

/// A dish's fields as the owner's form sends them.
#[derive(Clone, Debug, Default)]
pub struct DishInput {
    pub category_id: i64,
    pub name: Localized,
    pub description: Localized,
    pub ingredients: Localized,
    pub taste: Localized,
    pub price: Fen,
    pub member_price: Option<Fen>,
}

fn check_price(price: Fen) -> Result<()> {
    if price.0 <= 0 || price > MAX_DISH_PRICE || price > MAX_PAYMENT {
        return Err(AppError::invalid(Field::Price).into());
    }
    Ok(())
}

impl DishInput {
    fn checked(&self) -> Result<DishInput> {
        check_price(self.price)?;
        if let Some(member) = self.member_price {
            // A member price above the price would charge members more.
            if member.0 <= 0 || member > self.price {
                return Err(AppError::invalid(Field::Price).into());
            }
        }
        Ok(DishInput {
            category_id: self.category_id,
            name: name(&self.name, 30)?,
            description: text(&self.description, 200, Field::Name)?,
            ingredients: text(&self.ingredients, 100, Field::Name)?,
            taste: text(&self.taste, 20, Field::Name)?,
            price: self.price,
            member_price: self.member_price,
        })
    }
}

/// Creates a dish (`id` `None`) or updates one of `tenant`'s.
pub async fn save_dish(db: &Db, tenant: TenantId, id: Option<i64>, input: &DishInput, now: Timestamp) -> Result<i64> {
    let d = input.checked()?;
    let mut tx = db.begin_write().await?;
    restaurant(&mut tx, tenant).await?;
    category_of(&mut tx, tenant, d.category_id).await?;
    let id = match id {
        Some(id) => {
            dish_of(&mut tx, tenant, id).await?;
            sqlx::query(
                "UPDATE dishes SET category_id = $1, name_zh = $2, name_en = $3, description_zh = $4, description_en = $5, \
                 ingredients_zh = $6, ingredients_en = $7, taste_zh = $8, taste_en = $9, price_fen = $10, member_price_fen = $11, \
                 updated_at = $12 WHERE id = $13",
            )
            .bind(d.category_id)
            .bind(&d.name.zh)
            .bind(&d.name.en)
            .bind(&d.description.zh)
            .bind(&d.description.en)
            .bind(&d.ingredients.zh)
            .bind(&d.ingredients.en)
            .bind(&d.taste.zh)
            .bind(&d.taste.en)
            .bind(d.price.0)
            .bind(d.member_price.map(|f| f.0))
            .bind(now.millis())
            .bind(id)
            .execute(&mut **tx)
            .await?;
            id
        }
        None => {
            let (count,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM dishes WHERE tenant_id = $1 AND status = 'active'")
                    .bind(tenant.0)
                    .fetch_one(&mut **tx)
                    .await?;
            if count >= MAX_DISHES {
                return Err(AppError::LimitReached.into());
            }
            let (last,): (i64,) =
                sqlx::query_as("SELECT CAST(COALESCE(MAX(sort), 0) AS BIGINT) FROM dishes WHERE category_id = $1")
                    .bind(d.category_id)
                    .fetch_one(&mut **tx)
                    .await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO dishes (tenant_id, category_id, name_zh, name_en, description_zh, description_en, ingredients_zh, \
                 ingredients_en, taste_zh, taste_en, price_fen, member_price_fen, sort, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
            )
            .bind(tenant.0)
            .bind(d.category_id)
            .bind(&d.name.zh)
            .bind(&d.name.en)
            .bind(&d.description.zh)
            .bind(&d.description.en)
            .bind(&d.ingredients.zh)
            .bind(&d.ingredients.en)
            .bind(&d.taste.zh)
            .bind(&d.taste.en)
            .bind(d.price.0)
            .bind(d.member_price.map(|f| f.0))
            .bind(last + 1)
            .bind(now.millis())
            .fetch_one(&mut **tx)
            .await?;
            id
        }
    };
    tx.commit().await?;
    Ok(id)
}

/// Takes a dish off the menu. Orders keep their copy; carts holding it show it as changed.
pub async fn delete_dish(db: &Db, tenant: TenantId, id: i64, now: Timestamp) -> Result<()> {
    let mut tx = db.begin_write().await?;
    dish_of(&mut tx, tenant, id).await?;
    sqlx::query("UPDATE dishes SET status = 'deleted', updated_at = $1 WHERE id = $2")
        .bind(now.millis())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM dish_pairings WHERE dish_id = $1 OR paired_id = $1").bind(id).execute(&mut **tx).await?;
    tx.commit().await
}

pub async fn move_dish(db: &Db, tenant: TenantId, id: i64, up: bool) -> Result<()> {
    let mut tx = db.begin_write().await?;
    dish_of(&mut tx, tenant, id).await?;
    let (category,): (i64,) =
        sqlx::query_as("SELECT category_id FROM dishes WHERE id = $1").bind(id).fetch_one(&mut **tx).await?;
    swap(&mut tx, "dishes", "category_id", category, id, up).await?;
    tx.commit().await
}

/// The sold-out switch (owner or kitchen): the menu shows it at once, and checkouts holding the
/// dish are refused from this commit on.
pub async fn set_sold_out(
    db: &Db,
    tenant: TenantId,
    id: i64,
    sold_out: bool,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    dish_of(&mut tx, tenant, id).await?;
    sqlx::query("UPDATE dishes SET sold_out = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(sold_out))
        .bind(now.millis())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    tracing::info!(tenant = tenant.0, dish = id, sold_out, actor = %actor.label(), "dish sold-out switch");
    tx.commit().await
}

/// Adds an option group: choose between `min` and `max` of its options (`min` 0: optional).
pub async fn add_group(
    db: &Db,
    tenant: TenantId,
    dish: i64,
    group: &Localized,
    min: i64,
    max: i64,
    now: Timestamp,
) -> Result<i64> {
    let group = name(group, 10)?;
    if !(0..=MAX_OPTIONS_PER_GROUP).contains(&min) || !(1..=MAX_OPTIONS_PER_GROUP).contains(&max) || min > max {
        return Err(AppError::invalid(Field::DishOptions).into());
    }
    let mut tx = db.begin_write().await?;
    dish_of(&mut tx, tenant, dish).await?;
    let (count, last): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(MAX(sort), 0) AS BIGINT) FROM dish_option_groups WHERE dish_id = $1",
    )
    .bind(dish)
    .fetch_one(&mut **tx)
    .await?;
    if count >= MAX_GROUPS_PER_DISH {
        return Err(AppError::LimitReached.into());
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO dish_option_groups (dish_id, name_zh, name_en, min_select, max_select, sort) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(dish)
    .bind(&group.zh)
    .bind(&group.en)
    .bind(min)
    .bind(max)
    .bind(last + 1)
    .fetch_one(&mut **tx)
    .await?;
    touch(&mut tx, dish, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes a group and its options. Carts that chose them show the line as changed.
pub async fn delete_group(db: &Db, tenant: TenantId, group: i64, now: Timestamp) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let dish = group_of(&mut tx, tenant, group).await?;
    sqlx::query("DELETE FROM dish_options WHERE group_id = $1").bind(group).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM dish_option_groups WHERE id = $1").bind(group).execute(&mut **tx).await?;
    touch(&mut tx, dish, now).await?;
    tx.commit().await
}

pub async fn add_option(
    db: &Db,
    tenant: TenantId,
    group: i64,
    option: &Localized,
    delta: Fen,
    now: Timestamp,
) -> Result<i64> {
    let option = name(option, 12)?;
    if delta.0 < 0 || delta > MAX_DISH_PRICE {
        return Err(AppError::invalid(Field::Price).into());
    }
    let mut tx = db.begin_write().await?;
    let dish = group_of(&mut tx, tenant, group).await?;
    let (count, last): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), CAST(COALESCE(MAX(sort), 0) AS BIGINT) FROM dish_options WHERE group_id = $1")
            .bind(group)
            .fetch_one(&mut **tx)
            .await?;
    if count >= MAX_OPTIONS_PER_GROUP {
        return Err(AppError::LimitReached.into());
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO dish_options (group_id, name_zh, name_en, price_delta_fen, sort) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(group)
    .bind(&option.zh)
    .bind(&option.en)
    .bind(delta.0)
    .bind(last + 1)
    .fetch_one(&mut **tx)
    .await?;
    touch(&mut tx, dish, now).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn delete_option(db: &Db, tenant: TenantId, option: i64, now: Timestamp) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let group: Option<(i64,)> = sqlx::query_as("SELECT group_id FROM dish_options WHERE id = $1")
        .bind(option)
        .fetch_optional(&mut **tx)
        .await?;
    let (group,) = group.ok_or(AppError::NotFound)?;
    let dish = group_of(&mut tx, tenant, group).await?;
    sqlx::query("DELETE FROM dish_options WHERE id = $1").bind(option).execute(&mut **tx).await?;
    touch(&mut tx, dish, now).await?;
    tx.commit().await
}

/// The dishes recommended with `dish`: others of the same restaurant only.
pub async fn set_pairings(db: &Db, tenant: TenantId, dish: i64, paired: &[i64]) -> Result<()> {
    if paired.len() > 6 {
        return Err(AppError::invalid(Field::Dish).into());
    }
    let mut tx = db.begin_write().await?;
    dish_of(&mut tx, tenant, dish).await?;
    sqlx::query("DELETE FROM dish_pairings WHERE dish_id = $1").bind(dish).execute(&mut **tx).await?;
    for other in paired {
        if *other == dish {
            continue;
        }
        dish_of(&mut tx, tenant, *other).await.map_err(|_| AppError::invalid(Field::Dish))?;
        sqlx::query("INSERT INTO dish_pairings (dish_id, paired_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(dish)
            .bind(other)
            .execute(&mut **tx)
            .await?;
    }
    tx.commit().await
}

/// The console's menu page: settings, then categories in order with their dishes.
pub async fn overview(db: &Db, tenant: TenantId, public_url: &str) -> Result<MenuAdmin> {
    let mut conn = db.pool().acquire().await?;
    let r = restaurant(&mut conn, tenant).await?;
    let categories: Vec<super::menu::CategoryRow> = sqlx::query_as(
        "SELECT id, name_zh, name_en, available_from, available_until FROM menu_categories \
         WHERE tenant_id = $1 AND status = 'active' ORDER BY sort, id",
    )
    .bind(tenant.0)
    .fetch_all(&mut *conn)
    .await?;
    type DishRow = (i64, i64, String, String, i64, Option<i64>, i64, Option<String>, i64);
    let dishes: Vec<DishRow> = sqlx::query_as(
        "SELECT d.id, d.category_id, d.name_zh, d.name_en, d.price_fen, d.member_price_fen, d.sold_out, d.thumb_key, \
         (SELECT COUNT(*) FROM dish_option_groups g WHERE g.dish_id = d.id) \
         FROM dishes d WHERE d.tenant_id = $1 AND d.status = 'active' ORDER BY d.sort, d.id",
    )
    .bind(tenant.0)
    .fetch_all(&mut *conn)
    .await?;
    let pickup_url = match r.fulfilment {
        Fulfilment::CallNumber => format!("{}/pickup/{}", public_url.trim_end_matches('/'), r.code),
        Fulfilment::TableDelivery => String::new(),
    };
    Ok(MenuAdmin {
        settings: DiningSettings { fulfilment: r.fulfilment, pickup_url },
        categories: categories
            .into_iter()
            .map(|(id, zh, en, from, until)| MenuCategoryAdmin {
                id,
                name: Localized::new(zh, en),
                window: from.zip(until).map(|(from, until)| ServingWindow { from, until }),
                dishes: dishes
                    .iter()
                    .filter(|d| d.1 == id)
                    .map(|(id, category_id, zh, en, price, member, sold_out, thumb, groups)| DishAdminRow {
                        id: *id,
                        category_id: *category_id,
                        name: Localized::new(zh.clone(), en.clone()),
                        price: Fen(*price),
                        member_price: member.map(Fen),
                        sold_out: *sold_out == 1,
                        thumb: thumb.as_deref().map(photo_url),
                        groups: *groups,
                    })
                    .collect(),
            })
            .collect(),
    })
}

/// Option groups of a dish, in order, with their options.
pub(crate) async fn groups(conn: &mut sqlx::AnyConnection, dish: i64) -> Result<Vec<DishOptionGroup>> {
    let groups: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
        "SELECT id, name_zh, name_en, min_select, max_select FROM dish_option_groups WHERE dish_id = $1 ORDER BY sort, id",
    )
    .bind(dish)
    .fetch_all(&mut *conn)
    .await?;
    let options: Vec<(i64, i64, String, String, i64)> = sqlx::query_as(
        "SELECT o.id, o.group_id, o.name_zh, o.name_en, o.price_delta_fen FROM dish_options o \
         JOIN dish_option_groups g ON g.id = o.group_id WHERE g.dish_id = $1 ORDER BY o.sort, o.id",
    )
    .bind(dish)
    .fetch_all(&mut *conn)
    .await?;
    Ok(groups
        .into_iter()
        .map(|(id, zh, en, min, max)| DishOptionGroup {
            id,
            name: Localized::new(zh, en),
            min,
            max,
            options: options
                .iter()
                .filter(|o| o.1 == id)
                .map(|(oid, _, zh, en, delta)| DishOption {
                    id: *oid,
                    name: Localized::new(zh.clone(), en.clone()),
                    price_delta: Fen(*delta),
                })
                .collect(),
        })
        .collect())
}

/// One of `tenant`'s dishes with everything its form shows.
pub async fn dish_edit(db: &Db, tenant: TenantId, id: i64) -> Result<DishEdit> {
    let mut conn = db.pool().acquire().await?;
    type Row =
        (i64, String, String, String, String, String, String, String, String, i64, Option<i64>, i64, Option<String>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT category_id, name_zh, name_en, description_zh, description_en, ingredients_zh, ingredients_en, taste_zh, \
         taste_en, price_fen, member_price_fen, sold_out, photo_key FROM dishes WHERE id = $1 AND tenant_id = $2 AND status = 'active'",
    )
    .bind(id)
    .bind(tenant.0)
    .fetch_optional(&mut *conn)
    .await?;
    let (category_id, nzh, nen, dzh, den, izh, ien, tzh, ten, price, member, sold_out, photo) =
        row.ok_or(AppError::NotFound)?;
    let pairings: Vec<(i64,)> =
        sqlx::query_as("SELECT paired_id FROM dish_pairings WHERE dish_id = $1 ORDER BY paired_id")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let others: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, name_zh, name_en FROM dishes WHERE tenant_id = $1 AND status = 'active' AND id <> $2 ORDER BY sort, id",
    )
    .bind(tenant.0)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(DishEdit {
        id,
        category_id,
        name: Localized::new(nzh, nen),
        description: Localized::new(dzh, den),
        ingredients: Localized::new(izh, ien),
        taste: Localized::new(tzh, ten),
        price: Fen(price),
        member_price: member.map(Fen),
        sold_out: sold_out == 1,
        photo: photo.as_deref().map(photo_url),
        groups: groups(&mut conn, id).await?,
        pairings: pairings.into_iter().map(|(p,)| p).collect(),
        others: others.into_iter().map(|(id, zh, en)| (id, Localized::new(zh, en))).collect(),
        categories: categories(&mut conn, tenant).await?,
    })
}

/// The restaurant's categories, to file a dish under.
pub(crate) async fn categories(conn: &mut sqlx::AnyConnection, tenant: TenantId) -> Result<Vec<(i64, Localized)>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, name_zh, name_en FROM menu_categories WHERE tenant_id = $1 AND status = 'active' ORDER BY sort, id",
    )
    .bind(tenant.0)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(id, zh, en)| (id, Localized::new(zh, en))).collect())
}
