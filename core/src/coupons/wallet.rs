//! The member's side of coupons: the wallet, and what the claim centre offers them.

use super::templates::{terms, TemplateRow, TEMPLATE_COLUMNS};
use crate::MallTz;
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{ClaimableCoupon, CouponStatus, WalletCoupon};
use plaza_types::MemberId;
use std::collections::HashMap;

#[derive(sqlx::FromRow)]
struct CouponRow {
    id: i64,
    template_id: i64,
    code: String,
    state: String,
    valid_from: i64,
    valid_until: i64,
}

fn status(row: &CouponRow, now: Timestamp) -> CouponStatus {
    match row.state.as_str() {
        "redeemed" => CouponStatus::Used,
        "reserved" => CouponStatus::Reserved,
        _ if row.valid_until <= now.millis() => CouponStatus::Expired,
        _ if row.valid_from > now.millis() => CouponStatus::Upcoming,
        "void" => CouponStatus::Expired,
        _ => CouponStatus::Usable,
    }
}

/// Every coupon of the member: usable first (soonest to expire first), then the rest, newest first.
pub async fn wallet(db: &Db, member: MemberId, now: Timestamp, tz: &MallTz) -> Result<Vec<WalletCoupon>> {
    let rows: Vec<CouponRow> = sqlx::query_as(
        "SELECT id, template_id, code, state, valid_from, valid_until FROM coupons WHERE member_id = $1 ORDER BY id DESC LIMIT 500",
    )
    .bind(member.0)
    .fetch_all(db.pool())
    .await?;
    let mut templates = HashMap::new();
    let mut coupons = Vec::with_capacity(rows.len());
    for row in rows {
        if let std::collections::hash_map::Entry::Vacant(slot) = templates.entry(row.template_id) {
            let t: TemplateRow =
                sqlx::query_as(&format!("SELECT {TEMPLATE_COLUMNS} FROM coupon_templates WHERE id = $1"))
                    .bind(row.template_id)
                    .fetch_one(db.pool())
                    .await?;
            slot.insert(terms(db.pool(), &t).await?);
        }
        coupons.push(WalletCoupon {
            id: row.id,
            code: row.code.clone(),
            terms: templates[&row.template_id].clone(),
            status: status(&row, now),
            valid_from: Timestamp(row.valid_from).local_date(tz),
            valid_until: Timestamp(row.valid_until - 1).local_date(tz),
        });
    }
    let rank = |s: CouponStatus| match s {
        CouponStatus::Usable => 0,
        CouponStatus::Reserved => 1,
        CouponStatus::Upcoming => 2,
        CouponStatus::Used => 3,
        CouponStatus::Expired => 4,
    };
    coupons.sort_by(|a, b| {
        rank(a.status).cmp(&rank(b.status)).then_with(|| match a.status {
            CouponStatus::Usable => a.valid_until.cmp(&b.valid_until),
            _ => b.id.cmp(&a.id),
        })
    });
    Ok(coupons)
}

/// Templates on offer in the claim centre, with what this member has already claimed.
pub async fn claim_centre(
    db: &Db,
    member: Option<MemberId>,
    now: Timestamp,
    tz: &MallTz,
) -> Result<Vec<ClaimableCoupon>> {
    let rows: Vec<TemplateRow> = sqlx::query_as(&format!(
        "SELECT {TEMPLATE_COLUMNS} FROM coupon_templates WHERE claimable = 1 AND status = 'active' \
         AND (valid_until IS NULL OR valid_until > $1) ORDER BY id DESC"
    ))
    .bind(now.millis())
    .fetch_all(db.pool())
    .await?;
    let mut offers = Vec::with_capacity(rows.len());
    for row in rows {
        let claimed = match member {
            Some(member) => {
                let r: Option<(i64,)> =
                    sqlx::query_as("SELECT issued FROM coupon_member_counts WHERE template_id = $1 AND member_id = $2")
                        .bind(row.id)
                        .bind(member.0)
                        .fetch_optional(db.pool())
                        .await?;
                r.map(|(n,)| n).unwrap_or(0)
            }
            None => 0,
        };
        offers.push(ClaimableCoupon {
            template_id: row.id,
            terms: terms(db.pool(), &row).await?,
            stock_left: row.total_stock.map(|s| (s - row.issued_count).max(0)),
            claimed,
            limit: row.per_member_limit,
            valid_until: row.valid_until.map(|t| Timestamp(t - 1).local_date(tz)),
            valid_days: row.valid_days,
        });
    }
    Ok(offers)
}

/// Usable coupons count, for the card page.
pub async fn usable_count(db: &Db, member: MemberId, now: Timestamp) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM coupons WHERE member_id = $1 AND state = 'available' AND valid_from <= $2 AND valid_until > $2",
    )
    .bind(member.0)
    .bind(now.millis())
    .fetch_one(db.pool())
    .await?;
    Ok(n)
}
