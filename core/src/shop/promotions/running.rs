//! The promotions running now, read for the engine: a cart's shops', or one SKU's limited-time
//! price (what a cart line is priced at when added). Each is held within the mall's cap as it is
//! now and the SKUs' list prices as they are now (decision 0017, amendment): a promotion made
//! under a looser cap, or deepened by a list price raised since, is applied at the cap.

use super::cap;
use crate::{Result, Timestamp};
use plaza_types::pricing::{cap_floor, cap_off, Bundle, BundleItem, LimitedPrice, Promotions, SpendOff, Tier};
use plaza_types::Fen;
use sqlx::AnyConnection;
use std::collections::BTreeMap;

type Head = (i64, i64, String, String, Option<i64>, i64);

/// The promotions of `tenants` running at `now` (started, not ended).
pub async fn of_shops(conn: &mut AnyConnection, tenants: &[i64], now: Timestamp) -> Result<Promotions> {
    let mut out = Promotions::default();
    if tenants.is_empty() {
        return Ok(out);
    }
    // Ids are integers from our own rows: listed in the statement, no user text.
    let list = tenants.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", ");
    let heads: Vec<Head> = sqlx::query_as(&format!(
        "SELECT id, tenant_id, kind, name, price_fen, ends_at FROM mall_promotions \
         WHERE tenant_id IN ({list}) AND starts_at <= $1 AND ends_at > $1 ORDER BY id"
    ))
    .bind(now.millis())
    .fetch_all(&mut *conn)
    .await?;
    if heads.is_empty() {
        return Ok(out);
    }
    let max = cap::get(&mut *conn).await?.max_off_pct;
    let ids = heads.iter().map(|h| h.0.to_string()).collect::<Vec<_>>().join(", ");
    let prices: Vec<(i64, i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT p.promotion_id, p.sku_id, p.price_fen, k.price_fen FROM mall_promotion_prices p \
         JOIN shop_skus k ON k.id = p.sku_id WHERE p.promotion_id IN ({ids}) ORDER BY p.sku_id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let tiers: Vec<(i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT promotion_id, threshold_fen, off_fen FROM mall_promotion_tiers WHERE promotion_id IN ({ids}) \
         ORDER BY threshold_fen"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let items: Vec<(i64, i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT i.promotion_id, i.sku_id, i.quantity, k.price_fen FROM mall_promotion_items i \
         JOIN shop_skus k ON k.id = i.sku_id WHERE i.promotion_id IN ({ids}) ORDER BY i.sku_id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let mut tiers_of: BTreeMap<i64, Vec<Tier>> = BTreeMap::new();
    for (p, threshold, off) in tiers {
        let off = off.min(cap_off(Fen(threshold), max).0);
        if off > 0 {
            tiers_of.entry(p).or_default().push(Tier { threshold: Fen(threshold), off: Fen(off) });
        }
    }
    let mut items_of: BTreeMap<i64, Vec<BundleItem>> = BTreeMap::new();
    let mut value_of: BTreeMap<i64, i64> = BTreeMap::new();
    for (p, sku, quantity, list) in items {
        items_of.entry(p).or_default().push(BundleItem { sku, quantity });
        *value_of.entry(p).or_default() += list * quantity;
    }
    for (id, shop, kind, name, price, ends_at) in heads {
        match kind.as_str() {
            "limited" => out.limited.extend(prices.iter().filter(|p| p.0 == id).map(|(_, sku, price, list)| {
                LimitedPrice { id, shop, sku: *sku, price: Fen(*price).max(cap_floor(Fen(*list), max)), ends_at }
            })),
            "spend_off" => {
                out.spend_off.push(SpendOff { id, shop, tiers: tiers_of.remove(&id).unwrap_or_default(), ends_at })
            }
            _ => out.bundles.push(Bundle {
                id,
                shop,
                name,
                items: items_of.remove(&id).unwrap_or_default(),
                price: Fen(price.unwrap_or(0)).max(cap_floor(Fen(value_of.get(&id).copied().unwrap_or(0)), max)),
                ends_at,
            }),
        }
    }
    Ok(out)
}

/// The lowest limited-time price of a SKU running at `now` (within the cap).
pub async fn limited_price(conn: &mut AnyConnection, sku: i64, now: Timestamp) -> Result<Option<Fen>> {
    let row: Option<(Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT MIN(p.price_fen), MAX(k.price_fen) FROM mall_promotion_prices p \
         JOIN mall_promotions m ON m.id = p.promotion_id JOIN shop_skus k ON k.id = p.sku_id \
         WHERE p.sku_id = $1 AND m.tenant_id = k.tenant_id AND m.starts_at <= $2 AND m.ends_at > $2",
    )
    .bind(sku)
    .bind(now.millis())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((Some(price), Some(list))) = row else { return Ok(None) };
    let max = cap::get(&mut *conn).await?.max_off_pct;
    Ok(Some(Fen(price).max(cap_floor(Fen(list), max))))
}
