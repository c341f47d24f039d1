//! The shop's console for its promotions: list them (running and upcoming first), create one of
//! each kind, end one early. Only the shop's own SKUs; every price, tier and bundle checked by
//! `plaza_types::pricing` and against the mall's cap; each change in the audit log.

use super::{cap, refused};
use crate::audit::{self, Actor, Entry};
use crate::shop::storefront;
use crate::{Db, MallTz, Result, Timestamp, WriteTx};
use plaza_types::dto::{
    PromotionConsole, PromotionKind, PromotionSku, PromotionSkuChoice, PromotionStatus, PromotionView,
};
use plaza_types::pricing::{
    cap_floor, cap_off, check_limited, check_tiers, off_pct, PromotionProblem, Tier, MAX_BUNDLES_PER_SHOP,
    MAX_BUNDLE_ITEMS,
};
use plaza_types::{AppError, Fen, TenantId};
use std::collections::BTreeSet;

/// The longest a promotion may run.
const MAX_DAYS: i64 = 366;

/// What the shop typed, kind by kind (prices and times as typed; read here).
#[derive(Clone, Debug)]
pub enum PromotionInput {
    /// SKUs with their limited-time prices.
    Limited { prices: Vec<(i64, String)> },
    /// (threshold, off) per tier.
    SpendOff { tiers: Vec<(String, String)> },
    /// SKUs with their quantities in a set, and the set's price.
    Bundle { items: Vec<(i64, i64)>, price: String },
}

#[derive(Clone, Debug)]
pub struct NewPromotion {
    pub name: String,
    /// Mall time, `2026-12-03T10:00` (a browser's datetime-local); empty starts now.
    pub starts: String,
    pub ends: String,
    pub input: PromotionInput,
}

fn price(text: &str) -> Result<Fen> {
    match Fen::from_yuan_str(text) {
        Ok(fen) if fen.0 > 0 && fen.0 <= 99_999_999 => Ok(fen),
        _ => Err(refused(PromotionProblem::Price)),
    }
}

fn when(text: &str, tz: &MallTz) -> Result<Option<Timestamp>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let civil: jiff::civil::DateTime = text.replace(' ', "T").parse().map_err(|_| refused(PromotionProblem::Period))?;
    let zoned = civil.to_zoned(tz.jiff_tz()).map_err(|_| refused(PromotionProblem::Period))?;
    Ok(Some(Timestamp(zoned.timestamp().as_millisecond())))
}

/// A SKU's list price, if it is the shop's own and not removed.
async fn own_sku(tx: &mut WriteTx, tenant: TenantId, sku: i64) -> Result<Fen> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT price_fen FROM shop_skus WHERE id = $1 AND tenant_id = $2 AND removed_at IS NULL")
            .bind(sku)
            .bind(tenant.0)
            .fetch_optional(&mut ***tx)
            .await?;
    row.map(|r| Fen(r.0)).ok_or_else(|| refused(PromotionProblem::UnknownSku))
}

/// Creates a promotion; its id.
pub async fn create(
    db: &Db,
    tenant: TenantId,
    new: &NewPromotion,
    actor: &Actor,
    now: Timestamp,
    tz: &MallTz,
) -> Result<i64> {
    let name = new.name.trim();
    if name.chars().count() > 20 || name.chars().any(char::is_control) {
        return Err(refused(PromotionProblem::Name));
    }
    let starts = when(&new.starts, tz)?.unwrap_or(now);
    let ends = when(&new.ends, tz)?.ok_or_else(|| refused(PromotionProblem::Period))?;
    if ends <= starts || ends <= now || ends.millis() - starts.millis() > MAX_DAYS * 86_400_000 {
        return Err(refused(PromotionProblem::Period));
    }
    let mut tx = db.begin_write().await?;
    storefront::require(&mut tx, tenant).await?;
    let max = cap::get(&mut tx).await?.max_off_pct;
    let (kind, details, bundle_price) = match &new.input {
        PromotionInput::Limited { prices } => {
            if prices.is_empty() || prices.len() > 50 {
                return Err(refused(PromotionProblem::UnknownSku));
            }
            let mut checked = Vec::new();
            for (sku, typed) in prices {
                let list = own_sku(&mut tx, tenant, *sku).await?;
                let p = price(typed)?;
                check_limited(list, p, max).map_err(refused)?;
                checked.push((*sku, p));
            }
            let details = checked.iter().map(|(s, p)| format!("sku {s} {p}")).collect::<Vec<_>>().join(", ");
            (PromotionKind::Limited, (details, checked, Vec::new(), Vec::new()), None)
        }
        PromotionInput::SpendOff { tiers } => {
            let mut read = Vec::new();
            for (threshold, off) in tiers.iter().filter(|(a, b)| !a.trim().is_empty() || !b.trim().is_empty()) {
                let threshold = Fen::from_yuan_str(threshold).map_err(|_| refused(PromotionProblem::Tiers))?;
                let off = Fen::from_yuan_str(off).map_err(|_| refused(PromotionProblem::Tiers))?;
                read.push(Tier { threshold, off });
            }
            check_tiers(&read).map_err(refused)?;
            if read.iter().any(|t| off_pct(t.threshold, Fen(t.threshold.0 - t.off.0)) > max) {
                return Err(refused(PromotionProblem::BeyondCap { max_off_pct: max }));
            }
            let details = read.iter().map(|t| format!("满{}减{}", t.threshold, t.off)).collect::<Vec<_>>().join(" ");
            (PromotionKind::SpendOff, (details, Vec::new(), read, Vec::new()), None)
        }
        PromotionInput::Bundle { items, price: typed } => {
            if name.is_empty() {
                return Err(refused(PromotionProblem::Name));
            }
            let distinct: BTreeSet<i64> = items.iter().map(|(s, _)| *s).collect();
            if items.len() < 2 || items.len() > MAX_BUNDLE_ITEMS || distinct.len() != items.len() {
                return Err(refused(PromotionProblem::BundleItems));
            }
            let mut value = 0;
            for (sku, quantity) in items {
                if !(1..=99).contains(quantity) {
                    return Err(refused(PromotionProblem::BundleItems));
                }
                value += own_sku(&mut tx, tenant, *sku).await?.0 * quantity;
            }
            let p = price(typed)?;
            if p.0 >= value {
                return Err(refused(PromotionProblem::BundleItems));
            }
            if off_pct(Fen(value), p) > max {
                return Err(refused(PromotionProblem::BeyondCap { max_off_pct: max }));
            }
            let (open,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM mall_promotions WHERE tenant_id = $1 AND kind = 'bundle' AND ends_at > $2",
            )
            .bind(tenant.0)
            .bind(now.millis())
            .fetch_one(&mut **tx)
            .await?;
            if open as usize >= MAX_BUNDLES_PER_SHOP {
                return Err(refused(PromotionProblem::TooManyBundles));
            }
            let details = items.iter().map(|(s, q)| format!("sku {s}×{q}")).collect::<Vec<_>>().join(" + ");
            (PromotionKind::Bundle, (format!("{details} = {p}"), Vec::new(), Vec::new(), items.clone()), Some(p))
        }
    };
    let (details, prices, tiers, items) = details;
    let name = if name.is_empty() { default_name(kind).to_string() } else { name.to_string() };
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO mall_promotions (tenant_id, kind, name, price_fen, starts_at, ends_at, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(tenant.0)
    .bind(kind.as_str())
    .bind(&name)
    .bind(bundle_price.map(|p| p.0))
    .bind(starts.millis())
    .bind(ends.millis())
    .bind(actor.label())
    .bind(now.millis())
    .fetch_one(&mut **tx)
    .await?;
    for (sku, p) in prices {
        sqlx::query("INSERT INTO mall_promotion_prices (promotion_id, sku_id, price_fen) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(sku)
            .bind(p.0)
            .execute(&mut **tx)
            .await?;
    }
    for t in tiers {
        sqlx::query("INSERT INTO mall_promotion_tiers (promotion_id, threshold_fen, off_fen) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(t.threshold.0)
            .bind(t.off.0)
            .execute(&mut **tx)
            .await?;
    }
    for (sku, quantity) in items {
        sqlx::query("INSERT INTO mall_promotion_items (promotion_id, sku_id, quantity) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(sku)
            .bind(quantity)
            .execute(&mut **tx)
            .await?;
    }
    audit::append(
        &mut tx,
        Entry::new(actor, "shop.promotion.create")
            .tenant(Some(tenant))
            .subject(format!("promotion {id}"))
            .details(format!("{} {name}: {details}", kind.as_str())),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

fn default_name(kind: PromotionKind) -> &'static str {
    match kind {
        PromotionKind::Limited => "限时折扣",
        PromotionKind::SpendOff => "满减",
        PromotionKind::Bundle => "组合套餐",
    }
}

/// Ends a promotion now (an upcoming one never starts). Another shop's is not found.
pub async fn end(db: &Db, tenant: TenantId, id: i64, actor: &Actor, now: Timestamp) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT starts_at, ends_at FROM mall_promotions WHERE id = $1 AND tenant_id = $2")
            .bind(id)
            .bind(tenant.0)
            .fetch_optional(&mut **tx)
            .await?;
    let (starts, ends) = row.ok_or(AppError::NotFound)?;
    if ends <= now.millis() {
        return Err(refused(PromotionProblem::Ended));
    }
    // An upcoming promotion is closed before it starts (its end must stay after its start).
    let starts = starts.min(now.millis() - 1);
    sqlx::query(
        "UPDATE mall_promotions SET starts_at = $1, ends_at = $2, ended_at = $2 WHERE id = $3 AND ends_at > $2",
    )
    .bind(starts)
    .bind(now.millis())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    audit::append(
        &mut tx,
        Entry::new(actor, "shop.promotion.end").tenant(Some(tenant)).subject(format!("promotion {id}")),
        now,
    )
    .await?;
    tx.commit().await
}

type Row = (i64, String, String, Option<i64>, i64, i64, Option<i64>);

/// The console's page: the shop's promotions (running, upcoming, then the last 30 ended), its
/// SKUs to choose from, and the mall's cap.
pub async fn console(db: &Db, tenant: TenantId, now: Timestamp, tz: &MallTz) -> Result<PromotionConsole> {
    let mut conn = db.pool().acquire().await?;
    storefront::require(&mut conn, tenant).await?;
    let max_off_pct = cap::get(&mut conn).await?.max_off_pct;
    let skus: Vec<(i64, String, String, String, String, i64)> = sqlx::query_as(
        "SELECT k.id, p.title, k.v1, k.v2, k.v3, k.price_fen FROM shop_skus k JOIN shop_products p ON p.id = k.product_id \
         WHERE k.tenant_id = $1 AND k.removed_at IS NULL ORDER BY p.id, k.id LIMIT 500",
    )
    .bind(tenant.0)
    .fetch_all(&mut *conn)
    .await?;
    let skus: Vec<PromotionSkuChoice> = skus
        .into_iter()
        .map(|(id, title, v1, v2, v3, price)| {
            let spec = [v1, v2, v3].into_iter().filter(|v| !v.is_empty()).collect::<Vec<_>>().join(" / ");
            let label = if spec.is_empty() { title } else { format!("{title} · {spec}") };
            PromotionSkuChoice { sku_id: id, label, list_price: Fen(price) }
        })
        .collect();
    let label = |sku: i64| skus.iter().find(|s| s.sku_id == sku).map(|s| (s.label.clone(), s.list_price));
    let mut views = Vec::new();
    let all: Vec<Row> = sqlx::query_as(
        "SELECT id, kind, name, price_fen, starts_at, ends_at, ended_at FROM mall_promotions WHERE tenant_id = $1 \
         ORDER BY id DESC LIMIT 100",
    )
    .bind(tenant.0)
    .fetch_all(&mut *conn)
    .await?;
    let mut ordered: Vec<Row> = all.iter().filter(|r| r.5 > now.millis()).cloned().collect();
    ordered.sort_by_key(|r| (r.4, r.0));
    ordered.extend(all.iter().filter(|r| r.5 <= now.millis()).take(30).cloned());
    for (id, kind, name, bundle_price, starts, ends, _) in ordered {
        let kind = PromotionKind::parse(&kind).unwrap_or(PromotionKind::Limited);
        let status = if ends <= now.millis() {
            PromotionStatus::Ended
        } else if starts > now.millis() {
            PromotionStatus::Upcoming
        } else {
            PromotionStatus::Running
        };
        let named: Vec<(i64, Option<i64>, i64)> = sqlx::query_as(
            "SELECT sku_id, price_fen, 1 FROM mall_promotion_prices WHERE promotion_id = $1 \
             UNION ALL SELECT sku_id, NULL, quantity FROM mall_promotion_items WHERE promotion_id = $1 ORDER BY 1",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let tiers: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT threshold_fen, off_fen FROM mall_promotion_tiers WHERE promotion_id = $1 ORDER BY threshold_fen",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let skus: Vec<PromotionSku> = named
            .into_iter()
            .map(|(sku, price, quantity)| {
                let (label, list_price) = label(sku).unwrap_or((format!("SKU {sku}"), Fen::ZERO));
                PromotionSku { sku_id: sku, label, list_price, price: price.map(Fen), quantity }
            })
            .collect();
        let tiers: Vec<Tier> = tiers.into_iter().map(|(t, o)| Tier { threshold: Fen(t), off: Fen(o) }).collect();
        let value: i64 = skus.iter().map(|s| s.list_price.0 * s.quantity).sum();
        let beyond_cap = skus.iter().any(|s| s.price.is_some_and(|p| p < cap_floor(s.list_price, max_off_pct)))
            || tiers.iter().any(|t| t.off > cap_off(t.threshold, max_off_pct))
            || bundle_price.is_some_and(|p| Fen(p) < cap_floor(Fen(value), max_off_pct));
        views.push(PromotionView {
            id,
            kind,
            name,
            status,
            starts_at: tz.format(Timestamp(starts)),
            ends_at: tz.format(Timestamp(ends)),
            skus,
            tiers,
            bundle_price: bundle_price.map(Fen),
            beyond_cap: beyond_cap && status != PromotionStatus::Ended,
        });
    }
    let input = |t: Timestamp| tz.zoned(t).strftime("%Y-%m-%dT%H:%M").to_string();
    Ok(PromotionConsole {
        promotions: views,
        skus,
        max_off_pct,
        default_start: input(now),
        default_end: input(now.plus_secs(7 * 86_400)),
    })
}
