//! A restaurant's fulfilment mode: call number (叫号取餐) or table delivery (按桌号配餐). Orders
//! keep the mode they were placed under; a change applies to the next order.

use super::restaurant;
use crate::audit::Actor;
use crate::{Db, Result, Timestamp};
use plaza_types::dto::Fulfilment;
use plaza_types::TenantId;

pub async fn fulfilment(db: &Db, tenant: TenantId) -> Result<Fulfilment> {
    let mut conn = db.pool().acquire().await?;
    Ok(restaurant(&mut conn, tenant).await?.fulfilment)
}

pub async fn set_fulfilment(db: &Db, tenant: TenantId, mode: Fulfilment, actor: &Actor, now: Timestamp) -> Result<()> {
    let mut tx = db.begin_write().await?;
    restaurant(&mut tx, tenant).await?;
    sqlx::query(
        "INSERT INTO dining_settings (tenant_id, fulfilment, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (tenant_id) DO UPDATE SET fulfilment = excluded.fulfilment, updated_at = excluded.updated_at",
    )
    .bind(tenant.0)
    .bind(mode.as_str())
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    tx.commit().await?;
    tracing::info!(tenant = tenant.0, mode = mode.as_str(), actor = %actor.label(), "dining fulfilment set");
    Ok(())
}
