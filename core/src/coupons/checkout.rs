//! Which of the member's coupons fit a purchase, for the pay page's choice.

use super::lifecycle::discount_for;
use super::templates::{terms, TemplateRow, TEMPLATE_COLUMNS};
use crate::MallTz;
use crate::{Db, Result, Timestamp};
use plaza_types::dto::UsableCoupon;
use plaza_types::{Fen, MemberId, TenantId};

/// The member's coupons usable on `amount` at `tenant` now, biggest discount first (then the
/// one expiring soonest).
pub async fn usable_for(
    db: &Db,
    member: MemberId,
    tenant: Option<TenantId>,
    amount: Fen,
    now: Timestamp,
    tz: &MallTz,
) -> Result<Vec<UsableCoupon>> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT id, template_id, valid_until FROM coupons WHERE member_id = $1 AND state = 'available' \
         AND valid_from <= $2 AND valid_until > $2 ORDER BY valid_until LIMIT 200",
    )
    .bind(member.0)
    .bind(now.millis())
    .fetch_all(db.pool())
    .await?;
    let mut conn = db.pool().acquire().await?;
    let mut usable = Vec::new();
    for (id, template, until) in rows {
        let Ok(discount) = discount_for(&mut conn, id, member, amount, tenant, now).await else { continue };
        if discount.0 <= 0 {
            continue;
        }
        let t: TemplateRow = sqlx::query_as(&format!("SELECT {TEMPLATE_COLUMNS} FROM coupon_templates WHERE id = $1"))
            .bind(template)
            .fetch_one(&mut *conn)
            .await?;
        usable.push((
            until,
            UsableCoupon {
                id,
                name: terms(&mut *conn, &t).await?.name,
                discount,
                valid_until: Timestamp(until - 1).local_date(tz),
            },
        ));
    }
    usable.sort_by(|(ua, a), (ub, b)| b.discount.cmp(&a.discount).then(ua.cmp(ub)));
    Ok(usable.into_iter().map(|(_, c)| c).collect())
}
