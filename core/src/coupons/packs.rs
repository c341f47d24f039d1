//! Gift packs (礼包): named bundles of coupon templates, each with a quantity, issued whole — a
//! paid membership's first-purchase and renewal packs. The operator writes a pack's contents as
//! `template-code:quantity` lines.

use crate::audit::{self, Actor, Entry};
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{GiftPackItem, GiftPackView, Localized};
use plaza_types::error::Field;
use plaza_types::{AppError, MemberId};
use sqlx::AnyConnection;

/// A gift pack: a bundle of coupon templates (each with a quantity).
pub async fn create_in(
    conn: &mut AnyConnection,
    code: &str,
    name: &Localized,
    items: &[(i64, i64)],
    operator: &Actor,
    now: Timestamp,
) -> Result<i64> {
    if items.is_empty() || items.iter().any(|(_, q)| !(1..=20).contains(q)) {
        return Err(AppError::invalid(Field::Coupon).into());
    }
    let row: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO gift_packs (code, name_zh, name_en, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING RETURNING id",
    )
    .bind(code)
    .bind(&name.zh)
    .bind(&name.en)
    .bind(now.millis())
    .fetch_optional(&mut *conn)
    .await?;
    let (id,) = row.ok_or(AppError::AlreadyExists)?;
    for (template, quantity) in items {
        sqlx::query("INSERT INTO gift_pack_items (pack_id, template_id, quantity) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(template)
            .bind(quantity)
            .execute(&mut *conn)
            .await?;
    }
    audit::append(
        conn,
        Entry::new(operator, "membership.pack.create").subject(format!("pack:{id}")).details(code),
        now,
    )
    .await?;
    Ok(id)
}

/// Issues every coupon of a pack to `member` (a paid membership's first-purchase or renewal pack);
/// returns how many.
pub async fn issue(
    conn: &mut AnyConnection,
    pack: i64,
    member: MemberId,
    channel: &str,
    now: Timestamp,
) -> Result<i64> {
    let items: Vec<(i64, i64)> =
        sqlx::query_as("SELECT template_id, quantity FROM gift_pack_items WHERE pack_id = $1 ORDER BY template_id")
            .bind(pack)
            .fetch_all(&mut *conn)
            .await?;
    let mut issued = 0;
    for (template, quantity) in items {
        for _ in 0..quantity {
            // A pack's coupons do not count against the templates' per-member limits.
            match super::issue::issue_with(conn, template, member, channel, &Actor::System, now, false).await {
                Ok(_) => issued += 1,
                // A template out of stock or ended gives what it can; the period records the count.
                Err(crate::Error::User(AppError::SoldOut | AppError::NotUsable)) => break,
                Err(other) => return Err(other),
            }
        }
    }
    Ok(issued)
}

/// Reads a pack's contents as typed: `template-code:quantity`, separated by commas or lines
/// (`parking-2h:2, cash-10:1`); a code without a quantity counts once.
pub async fn parse_items(conn: &mut AnyConnection, text: &str) -> Result<Vec<(i64, i64)>> {
    let mut items: Vec<(i64, i64)> = Vec::new();
    for piece in text.split([',', '，', ';', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
        let (code, quantity) = match piece.split_once([':', '：', '*', '×']) {
            Some((code, q)) => (code.trim(), q.trim().parse::<i64>().map_err(|_| AppError::invalid(Field::Coupon))?),
            None => (piece, 1),
        };
        let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM coupon_templates WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut *conn)
            .await?;
        let (template,) = row.ok_or(AppError::invalid(Field::Coupon))?;
        if !(1..=20).contains(&quantity) || items.iter().any(|(t, _)| *t == template) {
            return Err(AppError::invalid(Field::Coupon).into());
        }
        items.push((template, quantity));
    }
    if items.is_empty() || items.len() > 10 {
        return Err(AppError::invalid(Field::Coupon).into());
    }
    Ok(items)
}

pub async fn create(
    db: &Db,
    code: &str,
    name: &Localized,
    items: &str,
    operator: &Actor,
    now: Timestamp,
) -> Result<i64> {
    let code = code.trim();
    if !crate::membership::admin::valid_code(code) || name.zh.trim().is_empty() || name.zh.chars().count() > 20 {
        return Err(AppError::invalid(Field::Name).into());
    }
    let mut tx = db.begin_write().await?;
    let items = parse_items(&mut tx, items).await?;
    let name = Localized::new(name.zh.trim(), name.en.trim());
    let id = create_in(&mut tx, code, &name, &items, operator, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Renames a pack and replaces its contents (for purchases from now on).
pub async fn update(db: &Db, id: i64, name: &Localized, items: &str, operator: &Actor, now: Timestamp) -> Result<()> {
    if name.zh.trim().is_empty() || name.zh.chars().count() > 20 {
        return Err(AppError::invalid(Field::Name).into());
    }
    let mut tx = db.begin_write().await?;
    let items = parse_items(&mut tx, items).await?;
    let done = sqlx::query("UPDATE gift_packs SET name_zh = $1, name_en = $2 WHERE id = $3")
        .bind(name.zh.trim())
        .bind(name.en.trim())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::NotFound.into());
    }
    sqlx::query("DELETE FROM gift_pack_items WHERE pack_id = $1").bind(id).execute(&mut **tx).await?;
    for (template, quantity) in &items {
        sqlx::query("INSERT INTO gift_pack_items (pack_id, template_id, quantity) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(template)
            .bind(quantity)
            .execute(&mut **tx)
            .await?;
    }
    let described = items.iter().map(|(t, q)| format!("{t}x{q}")).collect::<Vec<_>>().join(",");
    audit::append(
        &mut tx,
        Entry::new(operator, "membership.pack.update").subject(format!("pack:{id}")).details(described),
        now,
    )
    .await?;
    tx.commit().await
}

pub async fn list(db: &Db) -> Result<Vec<GiftPackView>> {
    let rows: Vec<(i64, String, String, String)> =
        sqlx::query_as("SELECT id, code, name_zh, name_en FROM gift_packs ORDER BY id").fetch_all(db.pool()).await?;
    let items: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT i.pack_id, t.code, t.name_zh, t.name_en, i.quantity FROM gift_pack_items i \
         JOIN coupon_templates t ON t.id = i.template_id ORDER BY i.pack_id, t.code",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, code, zh, en)| GiftPackView {
            id,
            code,
            name: Localized::new(zh, en),
            items: items
                .iter()
                .filter(|i| i.0 == id)
                .map(|i| GiftPackItem { template_code: i.1.clone(), name: Localized::new(&i.2, &i.3), quantity: i.4 })
                .collect(),
        })
        .collect())
}
