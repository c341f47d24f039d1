//! The operator's paid-membership page: tiers with their packs and running members, the gift
//! packs, the top-up rules and the templates a pack may hold — several features on one page.

use crate::coupons::packs;
use crate::membership::tiers::{self, TIER_COLUMNS};
use crate::topup::TopupPolicy;
use crate::{settings, Db, Result, Timestamp};
use plaza_types::dto::{OpsMembership, OpsTier};

/// Everything the operator's paid-membership page shows.
pub async fn page(db: &Db, now: Timestamp) -> Result<OpsMembership> {
    let rows: Vec<tiers::TierRow> =
        sqlx::query_as(&format!("SELECT {TIER_COLUMNS} FROM membership_tiers ORDER BY status, sort, price_fen, id"))
            .fetch_all(db.pool())
            .await?;
    let packs = packs::list(db).await?;
    let name_of = |id: Option<i64>| id.and_then(|id| packs.iter().find(|p| p.id == id)).map(|p| p.name.clone());
    let mut list = Vec::new();
    for row in rows {
        let (running,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM memberships WHERE tier_id = $1 AND ends_at > $2")
            .bind(row.id)
            .bind(now.millis())
            .fetch_one(db.pool())
            .await?;
        list.push(OpsTier {
            tier: tiers::view(&row, (name_of(row.first_pack_id), name_of(row.renewal_pack_id))),
            first_pack_id: row.first_pack_id,
            renewal_pack_id: row.renewal_pack_id,
            active_members: running,
        });
    }
    let topup: TopupPolicy = settings::get(db.pool()).await?;
    Ok(OpsMembership {
        tiers: list,
        packs,
        topup: topup.view(),
        templates: crate::coupons::choices::templates(db).await?,
    })
}
