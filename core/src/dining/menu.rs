//! The menu as a shopper at a table sees it: categories in order with their dishes, what is sold
//! out or not served at this hour, member prices for those who pay them, and one dish's page.

use super::pricing::minute_of_day;
use super::{menu_admin, photo_url, tables};
use crate::{mall, membership, Db, Result, Timestamp};
use plaza_types::dto::{DishCard, DishView, Localized, MenuCategory, MenuView, ServingWindow};
use plaza_types::{AppError, Fen, MemberId, TenantId};
use sqlx::AnyConnection;

/// Whether `viewer` pays member prices now.
pub(crate) async fn member_prices(conn: &mut AnyConnection, viewer: Option<MemberId>, now: Timestamp) -> Result<bool> {
    match viewer {
        Some(member) => membership::has_member_prices(conn, member, now).await,
        None => Ok(false),
    }
}

/// id, name (zh, en), serving window (from, until).
pub(crate) type CategoryRow = (i64, String, String, Option<i64>, Option<i64>);

type CardRow = (i64, i64, String, String, String, String, i64, Option<i64>, Option<String>, i64, i64);

const CARD_SELECT: &str = "SELECT d.id, d.category_id, d.name_zh, d.name_en, d.description_zh, d.description_en, \
     d.price_fen, d.member_price_fen, d.thumb_key, d.sold_out, \
     (SELECT COUNT(*) FROM dish_option_groups g WHERE g.dish_id = d.id) FROM dishes d";

fn card(row: &CardRow) -> DishCard {
    let (id, _, zh, en, dzh, den, price, member, thumb, sold_out, groups) = row;
    DishCard {
        id: *id,
        name: Localized::new(zh.clone(), en.clone()),
        description: Localized::new(dzh.clone(), den.clone()),
        price: Fen(*price),
        member_price: member.map(Fen),
        thumb: thumb.as_deref().map(photo_url),
        sold_out: *sold_out == 1,
        has_options: *groups > 0,
    }
}

/// `tenant_code`'s menu at the table `table_code` (a restaurant that does not serve the table is
/// not found there).
pub async fn at_table(
    db: &Db,
    table_code: &str,
    tenant_code: &str,
    viewer: Option<MemberId>,
    now: Timestamp,
) -> Result<MenuView> {
    let mut conn = db.pool().acquire().await?;
    let restaurant = super::restaurant_by_code(&mut conn, tenant_code).await?;
    let tenant = TenantId(restaurant.id);
    let (_, table, restaurant) = tables::served_by(&mut conn, table_code, tenant).await?;
    let tz = mall::timezone_in(&mut conn).await?;
    let minute = minute_of_day(now, &tz);
    let categories: Vec<CategoryRow> = sqlx::query_as(
        "SELECT id, name_zh, name_en, available_from, available_until FROM menu_categories \
         WHERE tenant_id = $1 AND status = 'active' ORDER BY sort, id",
    )
    .bind(tenant.0)
    .fetch_all(&mut *conn)
    .await?;
    let dishes: Vec<CardRow> =
        sqlx::query_as(&format!("{CARD_SELECT} WHERE d.tenant_id = $1 AND d.status = 'active' ORDER BY d.sort, d.id"))
            .bind(tenant.0)
            .fetch_all(&mut *conn)
            .await?;
    let member_prices = member_prices(&mut conn, viewer, now).await?;
    let (cart_count, cart_total) = match viewer {
        Some(member) => super::cart::summary(&mut conn, member, tenant, member_prices).await?,
        None => (0, Fen::ZERO),
    };
    let categories = categories
        .into_iter()
        .map(|(id, zh, en, from, until)| {
            let window = from.zip(until).map(|(from, until)| ServingWindow { from, until });
            MenuCategory {
                id,
                name: Localized::new(zh, en),
                window,
                serving: window.is_none_or(|w| w.contains(minute)),
                dishes: dishes.iter().filter(|d| d.1 == id).map(card).collect(),
            }
        })
        .filter(|c| !c.dishes.is_empty())
        .collect();
    Ok(MenuView { restaurant, table, categories, member_prices, cart_count, cart_total })
}

/// One dish of `tenant_code`'s menu at the table.
pub async fn dish(
    db: &Db,
    table_code: &str,
    tenant_code: &str,
    dish: i64,
    viewer: Option<MemberId>,
    now: Timestamp,
) -> Result<DishView> {
    let mut conn = db.pool().acquire().await?;
    let restaurant = super::restaurant_by_code(&mut conn, tenant_code).await?;
    let tenant = TenantId(restaurant.id);
    tables::served_by(&mut conn, table_code, tenant).await?;
    let row: Option<CardRow> =
        sqlx::query_as(&format!("{CARD_SELECT} WHERE d.id = $1 AND d.tenant_id = $2 AND d.status = 'active'"))
            .bind(dish)
            .bind(tenant.0)
            .fetch_optional(&mut *conn)
            .await?;
    let row = row.ok_or(AppError::NotFound)?;
    type Extra = (String, String, String, String, Option<String>, String, String, Option<i64>, Option<i64>);
    let (izh, ien, tzh, ten, photo, czh, cen, from, until): Extra = sqlx::query_as(
        "SELECT d.ingredients_zh, d.ingredients_en, d.taste_zh, d.taste_en, d.photo_key, c.name_zh, c.name_en, \
         c.available_from, c.available_until FROM dishes d JOIN menu_categories c ON c.id = d.category_id WHERE d.id = $1",
    )
    .bind(dish)
    .fetch_one(&mut *conn)
    .await?;
    let pairings: Vec<CardRow> = sqlx::query_as(&format!(
        "{CARD_SELECT} JOIN dish_pairings p ON p.paired_id = d.id WHERE p.dish_id = $1 AND d.status = 'active' ORDER BY d.sort, d.id"
    ))
    .bind(dish)
    .fetch_all(&mut *conn)
    .await?;
    let tz = mall::timezone_in(&mut conn).await?;
    let window = from.zip(until).map(|(from, until)| ServingWindow { from, until });
    Ok(DishView {
        card: card(&row),
        photo: photo.as_deref().map(photo_url),
        ingredients: Localized::new(izh, ien),
        taste: Localized::new(tzh, ten),
        groups: menu_admin::groups(&mut conn, dish).await?,
        pairings: pairings.iter().map(card).collect(),
        category: Localized::new(czh, cen),
        serving: window.is_none_or(|w| w.contains(minute_of_day(now, &tz))),
        window,
        member_prices: member_prices(&mut conn, viewer, now).await?,
    })
}
