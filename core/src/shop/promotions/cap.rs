//! The operator's rule over every shop's promotions: the deepest discount allowed, in percent
//! off the list price (a limited-time price, a 满减 tier against its threshold, a bundle against
//! its SKUs at list price). Checked when a promotion is created, and applied by the engine to the
//! running ones as it is now (`running`, decision 0017 amendment); changes are audited.

use crate::audit::{self, Actor, Entry};
use crate::settings::{self, Setting};
use crate::{Db, Result, Timestamp};
use plaza_types::error::Field;
use plaza_types::{AppError, StaffId};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromotionCap {
    pub max_off_pct: i64,
}

impl Default for PromotionCap {
    /// At most 70 % off: a price never below 30 % of the list price.
    fn default() -> Self {
        PromotionCap { max_off_pct: 70 }
    }
}

impl Setting for PromotionCap {
    const KEY: &'static str = "shop.promotion_cap";
}

pub async fn get(conn: &mut sqlx::AnyConnection) -> Result<PromotionCap> {
    settings::get(&mut *conn).await
}

/// Sets the cap: 1–99 % off.
pub async fn set(db: &Db, max_off_pct: i64, by: StaffId, now: Timestamp) -> Result<()> {
    if !(1..=99).contains(&max_off_pct) {
        return Err(AppError::invalid(Field::Amount).into());
    }
    let mut tx = db.begin_write().await?;
    settings::put(&mut **tx, &PromotionCap { max_off_pct }, now).await?;
    audit::append(
        &mut tx,
        Entry::new(&Actor::Staff(by), "shop.promotion_cap").details(format!("max_off_pct={max_off_pct}")),
        now,
    )
    .await?;
    tx.commit().await
}

/// The cap now (the operator's page).
pub async fn current(db: &Db) -> Result<PromotionCap> {
    settings::get(db.pool()).await
}
