//! The mall's category tree (operators): two levels, ordered, each with an icon. Products sit in
//! active second-level categories; a category holding products or children is not deleted.

use super::input::{refused, text};
use crate::audit::{self, Actor, Entry};
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{CategoryId, CategoryNode, CategoryView, Localized, ShopProblem, CATEGORY_ICONS};
use sqlx::AnyConnection;

/// A category as an operator enters it.
#[derive(Clone, Debug)]
pub struct CategoryInput {
    pub parent: Option<CategoryId>,
    pub name_zh: String,
    pub name_en: String,
    pub icon: String,
    pub sort: i64,
}

type Row = (i64, Option<i64>, String, String, String, i64, i64);

const SELECT: &str = "SELECT id, parent_id, name_zh, name_en, icon, sort, active FROM shop_categories";

fn view((id, parent, zh, en, icon, sort, active): Row) -> CategoryView {
    CategoryView {
        id: CategoryId(id),
        parent: parent.map(CategoryId),
        name: Localized::new(zh, en),
        icon,
        sort,
        active: active == 1,
    }
}

/// The tree in order; `all` includes inactive categories (operators), else only active ones
/// under active parents (shoppers, shops).
pub async fn tree(db: &Db, all: bool) -> Result<Vec<CategoryNode>> {
    let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} ORDER BY sort, id")).fetch_all(db.pool()).await?;
    let views: Vec<CategoryView> = rows.into_iter().map(view).filter(|c| all || c.active).collect();
    Ok(views
        .iter()
        .filter(|c| c.parent.is_none())
        .map(|parent| CategoryNode {
            category: parent.clone(),
            children: views.iter().filter(|c| c.parent == Some(parent.id)).cloned().collect(),
        })
        .collect())
}

pub async fn get(conn: &mut AnyConnection, id: CategoryId) -> Result<Option<CategoryView>> {
    let row: Option<Row> =
        sqlx::query_as(&format!("{SELECT} WHERE id = $1")).bind(id.0).fetch_optional(&mut *conn).await?;
    Ok(row.map(view))
}

/// A category a product may be put in: active, second level, under an active parent.
pub async fn leaf(conn: &mut AnyConnection, id: CategoryId) -> Result<CategoryView> {
    let found = get(conn, id).await?.filter(|c| c.active);
    let Some(category) = found else { return Err(refused(ShopProblem::CategoryLevel)) };
    let Some(parent) = category.parent else { return Err(refused(ShopProblem::CategoryLevel)) };
    match get(conn, parent).await? {
        Some(p) if p.active => Ok(category),
        _ => Err(refused(ShopProblem::CategoryLevel)),
    }
}

async fn checked(conn: &mut AnyConnection, input: &CategoryInput, own: Option<CategoryId>) -> Result<CategoryInput> {
    let name_zh = text(&input.name_zh, 1, 12, false, ShopProblem::Category)?;
    let name_en = text(&input.name_en, 0, 24, false, ShopProblem::Category)?;
    if !CATEGORY_ICONS.contains(&input.icon.as_str()) || !(-1000..=1000).contains(&input.sort) {
        return Err(refused(ShopProblem::Category));
    }
    if let Some(parent) = input.parent {
        // Two levels: the parent is a first-level category (and not this one).
        let parent_view = get(conn, parent).await?.ok_or_else(|| refused(ShopProblem::Category))?;
        if parent_view.parent.is_some() || Some(parent) == own {
            return Err(refused(ShopProblem::Category));
        }
        if let Some(own) = own {
            let (children,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM shop_categories WHERE parent_id = $1")
                .bind(own.0)
                .fetch_one(&mut *conn)
                .await?;
            if children > 0 {
                return Err(refused(ShopProblem::Category));
            }
        }
    } else if let Some(own) = own {
        // A second-level category holding products cannot become a first-level one.
        let (products,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM shop_products WHERE category_id = $1")
            .bind(own.0)
            .fetch_one(&mut *conn)
            .await?;
        if products > 0 {
            return Err(refused(ShopProblem::CategoryInUse));
        }
    }
    Ok(CategoryInput { name_zh, name_en, ..input.clone() })
}

pub async fn create(db: &Db, input: &CategoryInput, actor: &Actor, now: Timestamp) -> Result<CategoryId> {
    let mut tx = db.begin_write().await?;
    let c = checked(&mut tx, input, None).await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO shop_categories (parent_id, name_zh, name_en, icon, sort, active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING id",
    )
    .bind(c.parent.map(|p| p.0))
    .bind(&c.name_zh)
    .bind(&c.name_en)
    .bind(&c.icon)
    .bind(c.sort)
    .bind(now.millis())
    .fetch_one(&mut **tx)
    .await?;
    audit::append(
        &mut tx,
        Entry::new(actor, "shop.category.create").subject(format!("shop_category:{id}")).details(c.name_zh.clone()),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(CategoryId(id))
}

pub async fn update(
    db: &Db,
    id: CategoryId,
    input: &CategoryInput,
    active: bool,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    get(&mut tx, id).await?.ok_or(plaza_types::AppError::NotFound)?;
    let c = checked(&mut tx, input, Some(id)).await?;
    sqlx::query(
        "UPDATE shop_categories SET parent_id = $1, name_zh = $2, name_en = $3, icon = $4, sort = $5, active = $6, \
         updated_at = $7 WHERE id = $8",
    )
    .bind(c.parent.map(|p| p.0))
    .bind(&c.name_zh)
    .bind(&c.name_en)
    .bind(&c.icon)
    .bind(c.sort)
    .bind(i64::from(active))
    .bind(now.millis())
    .bind(id.0)
    .execute(&mut **tx)
    .await?;
    // Names are searchable: the products under it are indexed again.
    super::search::reindex_category(&mut tx, id).await?;
    audit::append(
        &mut tx,
        Entry::new(actor, "shop.category.update")
            .subject(format!("shop_category:{}", id.0))
            .details(format!("{} active={active}", c.name_zh)),
        now,
    )
    .await?;
    tx.commit().await
}

/// Deletes an empty category (no products, no children).
pub async fn delete(db: &Db, id: CategoryId, actor: &Actor, now: Timestamp) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let found = get(&mut tx, id).await?.ok_or(plaza_types::AppError::NotFound)?;
    let (used,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM shop_products WHERE category_id = $1) \
              + (SELECT COUNT(*) FROM shop_categories WHERE parent_id = $1)",
    )
    .bind(id.0)
    .fetch_one(&mut **tx)
    .await?;
    if used > 0 {
        return Err(refused(ShopProblem::CategoryInUse));
    }
    sqlx::query("DELETE FROM shop_categories WHERE id = $1").bind(id.0).execute(&mut **tx).await?;
    audit::append(
        &mut tx,
        Entry::new(actor, "shop.category.delete").subject(format!("shop_category:{}", id.0)).details(found.name.zh),
        now,
    )
    .await?;
    tx.commit().await
}
