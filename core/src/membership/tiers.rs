//! Membership tiers (default 个人会员卡 ¥99/yr and 卓越会员卡 ¥299/yr). Their gift packs are coupon
//! bundles: `coupons::packs`.

use crate::audit::{self, Actor, Entry};
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{Localized, TierView};
use plaza_types::error::Field;
use plaza_types::{AppError, Fen};
use sqlx::{Any, AnyConnection, Executor};

#[derive(Clone, Debug)]
pub struct NewTier {
    pub code: String,
    pub name: Localized,
    pub price: Fen,
    pub term_days: i64,
    pub benefits: Localized,
    pub member_prices: bool,
    pub first_pack: Option<i64>,
    pub renewal_pack: Option<i64>,
}

pub async fn create(conn: &mut AnyConnection, t: &NewTier, operator: &Actor, now: Timestamp) -> Result<i64> {
    if t.name.zh.trim().is_empty() || t.price.0 <= 0 || !(1..=3660).contains(&t.term_days) {
        return Err(AppError::invalid(Field::Amount).into());
    }
    let row: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO membership_tiers (code, name_zh, name_en, price_fen, term_days, benefits_zh, benefits_en, member_prices, \
         first_pack_id, renewal_pack_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (code) DO NOTHING RETURNING id",
    )
    .bind(&t.code)
    .bind(t.name.zh.trim())
    .bind(t.name.en.trim())
    .bind(t.price.0)
    .bind(t.term_days)
    .bind(&t.benefits.zh)
    .bind(&t.benefits.en)
    .bind(i64::from(t.member_prices))
    .bind(t.first_pack)
    .bind(t.renewal_pack)
    .bind(now.millis())
    .fetch_optional(&mut *conn)
    .await?;
    let (id,) = row.ok_or(AppError::AlreadyExists)?;
    audit::append(
        conn,
        Entry::new(operator, "membership.tier.create").subject(format!("tier:{id}")).amount(t.price.0),
        now,
    )
    .await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
pub(crate) struct TierRow {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub price_fen: i64,
    pub term_days: i64,
    pub benefits_zh: String,
    pub benefits_en: String,
    pub member_prices: i64,
    pub first_pack_id: Option<i64>,
    pub renewal_pack_id: Option<i64>,
    pub status: String,
}

pub(crate) const TIER_COLUMNS: &str =
    "id, code, name_zh, name_en, price_fen, term_days, benefits_zh, benefits_en, member_prices, first_pack_id, renewal_pack_id, status";

pub(crate) async fn load<'c, E: Executor<'c, Database = Any>>(executor: E, id: i64) -> Result<Option<TierRow>> {
    Ok(sqlx::query_as(&format!("SELECT {TIER_COLUMNS} FROM membership_tiers WHERE id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await?)
}

pub(crate) fn view(t: &TierRow, pack_names: (Option<Localized>, Option<Localized>)) -> TierView {
    TierView {
        id: t.id,
        code: t.code.clone(),
        name: Localized::new(&t.name_zh, &t.name_en),
        price: Fen(t.price_fen),
        term_days: t.term_days,
        benefits: Localized::new(&t.benefits_zh, &t.benefits_en),
        member_prices: t.member_prices == 1,
        first_pack: pack_names.0,
        renewal_pack: pack_names.1,
        active: t.status == "active",
    }
}

pub async fn list(db: &Db, include_retired: bool) -> Result<Vec<TierView>> {
    let rows: Vec<TierRow> = sqlx::query_as(&format!(
        "SELECT {TIER_COLUMNS} FROM membership_tiers WHERE ($1 = 1 OR status = 'active') ORDER BY sort, price_fen"
    ))
    .bind(i64::from(include_retired))
    .fetch_all(db.pool())
    .await?;
    let mut views = Vec::new();
    for t in rows {
        let first = pack_name(db, t.first_pack_id).await?;
        let renewal = pack_name(db, t.renewal_pack_id).await?;
        views.push(view(&t, (first, renewal)));
    }
    Ok(views)
}

async fn pack_name(db: &Db, pack: Option<i64>) -> Result<Option<Localized>> {
    let Some(pack) = pack else { return Ok(None) };
    let row: Option<(String, String)> = sqlx::query_as("SELECT name_zh, name_en FROM gift_packs WHERE id = $1")
        .bind(pack)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(|(zh, en)| Localized::new(zh, en)))
}
