//! The operator console's use cases: the overview figures here, and one module per section
//! (members, earning rules, coupons, the points mall, stored value, the audit log). Each function
//! is what one server function calls: it opens its own transaction where it writes, and every
//! change it makes is audited with the operator as actor.

pub mod audit_log;
pub mod choices;
pub mod coupons;
pub mod input;
pub mod members;
pub mod membership;
pub mod rewards;
pub mod rules;
pub mod stored_value;
pub mod sv_credits;

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
