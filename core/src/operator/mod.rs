//! What the operator console shows that joins several features: the overview figures here, the
//! audit log, the member desk (search, the profile with every ledger, adjustments through each
//! ledger's own function), the paid-membership page and the earning-rules page. A use case of one
//! feature lives in that feature (`coupons::admin`, `rewards::admin`, `stored_value::credits`…).
//! Every change is audited with the operator as actor.

pub mod audit_log;
pub mod members;
pub mod membership;
pub mod rules;

use crate::{mall, Db, Result, Timestamp};
use plaza_types::dto::OperatorOverview;

pub async fn overview(db: &Db, now: Timestamp) -> Result<OperatorOverview> {
    let count = |sql: &'static str| async move {
        let (n,): (i64,) = sqlx::query_as(sql).fetch_one(db.pool()).await?;
        Ok::<i64, crate::Error>(n)
    };
    let tz = mall::timezone(db).await?;
    let midnight = tz.start_of_day(now);
    let (joined_today,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM members WHERE created_at >= $1")
        .bind(midnight.millis())
        .fetch_one(db.pool())
        .await?;
    Ok(OperatorOverview {
        tenants_plate: count("SELECT COUNT(*) FROM tenants WHERE kind = 'plate' AND status = 'active'").await?,
        tenants_restaurant: count("SELECT COUNT(*) FROM tenants WHERE kind = 'restaurant' AND status = 'active'")
            .await?,
        tenants_store: count("SELECT COUNT(*) FROM tenants WHERE kind = 'store' AND status = 'active'").await?,
        members: count("SELECT COUNT(*) FROM members WHERE status = 'active'").await?,
        members_joined_today: joined_today,
        staff: count("SELECT COUNT(*) FROM staff WHERE active = 1").await?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{seed_member, seed_tenant, test_db};

    #[tokio::test]
    async fn counts_the_mall() {
        let db = test_db().await;
        seed_tenant(&db, "a").await;
        seed_member(&db, "13800000001").await;
        seed_member(&db, "13800000002").await;
        let o = overview(&db, Timestamp::now()).await.unwrap();
        assert_eq!((o.tenants_plate, o.tenants_restaurant, o.members, o.members_joined_today), (1, 0, 2, 2));
    }
}
