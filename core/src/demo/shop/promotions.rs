//! The demo mall's running promotions, so a new user meets them on the product, cart and
//! checkout pages: 家物集 (homegoods) sells its 500 ml 保温杯 at a limited-time price and runs
//! 满99减10 / 满199减30; 暖暖生活馆 (cozy) runs 满300减30. Thirty days from seeding, made by each
//! shop's owner through the ordinary rules; seeded once (after the demo customers' reviews, so
//! their past orders keep the prices the README lists).

use super::owner_of;
use crate::audit::Actor;
use crate::shop::promotions::manage::{self, NewPromotion, PromotionInput};
use crate::{mall, Db, Result, Timestamp};
use plaza_types::TenantId;

pub(super) async fn seed(db: &Db, now: Timestamp) -> Result<()> {
    let (any,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mall_promotions").fetch_one(db.pool()).await?;
    if any > 0 {
        return Ok(());
    }
    let tz = mall::timezone(db).await?;
    let ends = tz.zoned(now.plus_secs(30 * 86_400)).strftime("%Y-%m-%dT%H:%M").to_string();
    let cup: Option<(i64, i64)> = sqlx::query_as(
        "SELECT k.id, k.tenant_id FROM shop_skus k JOIN shop_products p ON p.id = k.product_id \
         WHERE p.code = 'HG-CUP500' AND k.removed_at IS NULL ORDER BY k.id LIMIT 1",
    )
    .fetch_optional(db.pool())
    .await?;
    let Some((cup, home)) = cup else { return Ok(()) };
    let home = TenantId(home);
    let by = Actor::Staff(owner_of(db, "homegoods").await?);
    let new = |name: &str, input| NewPromotion { name: name.into(), starts: String::new(), ends: ends.clone(), input };
    let limited = PromotionInput::Limited { prices: vec![(cup, "69".into())] };
    manage::create(db, home, &new("保温杯限时价", limited), &by, now, &tz).await?;
    let tiers = PromotionInput::SpendOff { tiers: vec![("99".into(), "10".into()), ("199".into(), "30".into())] };
    manage::create(db, home, &new("满减", tiers), &by, now, &tz).await?;
    let cozy: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM tenants WHERE code = 'cozy'").fetch_optional(db.pool()).await?;
    if let Some((cozy,)) = cozy {
        let by = Actor::Staff(owner_of(db, "cozy").await?);
        let tiers = PromotionInput::SpendOff { tiers: vec![("300".into(), "30".into())] };
        manage::create(db, TenantId(cozy), &new("满300减30", tiers), &by, now, &tz).await?;
    }
    Ok(())
}
