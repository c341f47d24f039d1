//! The points mall (积分商城): rewards an operator lists — coupons, gifts, parking — with a points
//! price and a stock. Redemption is one transaction: stock, per-member limit, points and the coupon
//! or voucher all happen, or none does; a repeated request (same key) returns the first result.

pub mod admin;

use crate::audit::{self, Actor, Entry};
use crate::coupons;
use crate::points::spend;
use crate::MallTz;
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{Localized, RedemptionView, RewardView};
use plaza_types::error::Field;
use plaza_types::{AppError, MemberId};
use rand::Rng;
use sqlx::AnyConnection;

#[derive(Clone, Debug)]
pub struct NewReward {
    pub kind: String,
    pub name: Localized,
    pub description: Localized,
    pub points_price: i64,
    pub stock: Option<i64>,
    pub per_member_limit: Option<i64>,
    /// For `coupon` and `parking` rewards: the template issued.
    pub coupon_template: Option<i64>,
}

pub async fn create(conn: &mut AnyConnection, new: &NewReward, operator: &Actor, now: Timestamp) -> Result<i64> {
    let kind_ok = match new.kind.as_str() {
        "gift" => new.coupon_template.is_none(),
        "coupon" | "parking" => new.coupon_template.is_some(),
        _ => false,
    };
    let name_ok = (1..=40).contains(&new.name.zh.trim().chars().count());
    if !kind_ok || !name_ok {
        return Err(AppError::invalid(Field::Reward).into());
    }
    if !(1..=10_000_000).contains(&new.points_price)
        || new.stock.is_some_and(|s| s < 0)
        || new.per_member_limit.is_some_and(|l| l <= 0)
    {
        return Err(AppError::invalid(Field::Amount).into());
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO rewards (kind, name_zh, name_en, description_zh, description_en, points_price, stock, per_member_limit, \
         coupon_template_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(&new.kind)
    .bind(new.name.zh.trim())
    .bind(new.name.en.trim())
    .bind(new.description.zh.trim())
    .bind(new.description.en.trim())
    .bind(new.points_price)
    .bind(new.stock)
    .bind(new.per_member_limit)
    .bind(new.coupon_template)
    .bind(now.millis())
    .fetch_one(&mut *conn)
    .await?;
    audit::append(
        conn,
        Entry::new(operator, "reward.create").subject(format!("reward:{id}")).amount(new.points_price),
        now,
    )
    .await?;
    Ok(id)
}

pub async fn set_status(
    conn: &mut AnyConnection,
    id: i64,
    active: bool,
    operator: &Actor,
    now: Timestamp,
) -> Result<()> {
    let status = if active { "active" } else { "paused" };
    let done =
        sqlx::query("UPDATE rewards SET status = $1 WHERE id = $2").bind(status).bind(id).execute(&mut *conn).await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound.into());
    }
    audit::append(conn, Entry::new(operator, "reward.status").subject(format!("reward:{id}")).details(status), now)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct RewardRow {
    id: i64,
    kind: String,
    name_zh: String,
    name_en: String,
    description_zh: String,
    description_en: String,
    points_price: i64,
    stock: Option<i64>,
    redeemed_count: i64,
    per_member_limit: Option<i64>,
    status: String,
}

/// The rewards on offer (or, with `all`, paused ones too, for operators).
pub async fn list(db: &Db, member: Option<MemberId>, all: bool) -> Result<Vec<RewardView>> {
    let rows: Vec<RewardRow> = sqlx::query_as(
        "SELECT id, kind, name_zh, name_en, description_zh, description_en, points_price, stock, redeemed_count, \
         per_member_limit, status FROM rewards WHERE ($1 = 1 OR status = 'active') ORDER BY sort, points_price, id",
    )
    .bind(i64::from(all))
    .fetch_all(db.pool())
    .await?;
    let mut views = Vec::with_capacity(rows.len());
    for r in rows {
        let mine = match member {
            Some(m) => {
                let row: Option<(i64,)> =
                    sqlx::query_as("SELECT redeemed FROM reward_member_counts WHERE reward_id = $1 AND member_id = $2")
                        .bind(r.id)
                        .bind(m.0)
                        .fetch_optional(db.pool())
                        .await?;
                row.map(|(n,)| n).unwrap_or(0)
            }
            None => 0,
        };
        views.push(RewardView {
            id: r.id,
            kind: r.kind,
            name: Localized::new(r.name_zh, r.name_en),
            description: Localized::new(r.description_zh, r.description_en),
            points_price: r.points_price,
            stock_left: r.stock.map(|s| (s - r.redeemed_count).max(0)),
            per_member_limit: r.per_member_limit,
            redeemed_by_me: mine,
            active: r.status == "active",
        });
    }
    Ok(views)
}

/// A gift voucher's code, shown at the service desk: `G` and 10 characters without look-alikes.
fn voucher_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut rng = rand::rngs::OsRng;
    std::iter::once('G').chain((0..10).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)).collect()
}

/// Redeems `reward` for `member`. `request_key` (one per tap, from the page) makes a retried
/// request return the first redemption instead of redeeming again.
pub async fn redeem(db: &Db, member: MemberId, reward: i64, request_key: &str, now: Timestamp) -> Result<i64> {
    if request_key.is_empty() || request_key.len() > 64 {
        return Err(AppError::invalid(Field::Reward).into());
    }
    let mut tx = db.begin_write().await?;
    let earlier: Option<(i64, i64)> =
        sqlx::query_as("SELECT id, member_id FROM reward_redemptions WHERE request_key = $1")
            .bind(request_key)
            .fetch_optional(&mut **tx)
            .await?;
    if let Some((id, owner)) = earlier {
        return if owner == member.0 { Ok(id) } else { Err(AppError::invalid(Field::Reward).into()) };
    }
    #[derive(sqlx::FromRow)]
    struct Terms {
        kind: String,
        points_price: i64,
        per_member_limit: Option<i64>,
        coupon_template_id: Option<i64>,
        status: String,
    }
    let terms: Option<Terms> = sqlx::query_as(
        "SELECT kind, points_price, per_member_limit, coupon_template_id, status FROM rewards WHERE id = $1",
    )
    .bind(reward)
    .fetch_optional(&mut **tx)
    .await?;
    let Terms { kind, points_price: price, per_member_limit: limit, coupon_template_id: template, status } =
        terms.ok_or(AppError::NotFound)?;
    if status != "active" {
        return Err(AppError::NotUsable.into());
    }
    let stock = sqlx::query(
        "UPDATE rewards SET redeemed_count = redeemed_count + 1 WHERE id = $1 AND status = 'active' \
         AND (stock IS NULL OR redeemed_count < stock)",
    )
    .bind(reward)
    .execute(&mut **tx)
    .await?;
    if stock.rows_affected() != 1 {
        return Err(AppError::SoldOut.into());
    }
    let allowed: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO reward_member_counts (reward_id, member_id, redeemed) VALUES ($1, $2, 1) \
         ON CONFLICT (reward_id, member_id) DO UPDATE SET redeemed = reward_member_counts.redeemed + 1 \
         WHERE $3 IS NULL OR reward_member_counts.redeemed < $3 RETURNING redeemed",
    )
    .bind(reward)
    .bind(member.0)
    .bind(limit)
    .fetch_optional(&mut **tx)
    .await?;
    if allowed.is_none() {
        return Err(AppError::LimitReached.into());
    }
    let actor = Actor::Member(member);
    spend(&mut tx, member, price, None, "points_mall", &format!("reward:{reward}"), &actor, now).await?;
    let (coupon, voucher) = match template {
        Some(template) => (Some(coupons::issue(&mut tx, template, member, "points_mall", &actor, now).await?), None),
        None => (None, Some(voucher_code())),
    };
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO reward_redemptions (reward_id, member_id, points, coupon_id, voucher_code, state, request_key, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'issued', $6, $7) RETURNING id",
    )
    .bind(reward)
    .bind(member.0)
    .bind(price)
    .bind(coupon)
    .bind(&voucher)
    .bind(request_key)
    .bind(now.millis())
    .fetch_one(&mut **tx)
    .await?;
    let entry = Entry::new(&actor, "reward.redeem")
        .member(member)
        .subject(format!("reward:{reward}"))
        .amount(-price)
        .details(kind);
    audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct RedemptionRow {
    id: i64,
    name_zh: String,
    name_en: String,
    kind: String,
    points: i64,
    voucher_code: Option<String>,
    coupon_id: Option<i64>,
    state: String,
    created_at: i64,
}

pub async fn redemptions(db: &Db, member: MemberId, tz: &MallTz) -> Result<Vec<RedemptionView>> {
    let rows: Vec<RedemptionRow> = sqlx::query_as(
        "SELECT d.id, r.name_zh, r.name_en, r.kind, d.points, d.voucher_code, d.coupon_id, d.state, d.created_at \
         FROM reward_redemptions d JOIN rewards r ON r.id = d.reward_id WHERE d.member_id = $1 ORDER BY d.id DESC LIMIT 200",
    )
    .bind(member.0)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| RedemptionView {
            id: r.id,
            reward: Localized::new(r.name_zh, r.name_en),
            kind: r.kind,
            points: r.points,
            voucher_code: r.voucher_code,
            coupon_id: r.coupon_id,
            collected: r.state == "collected",
            at: Timestamp(r.created_at).format_local(tz),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::points::{credit, Credit};
    use crate::testing::{seed_member, test_db};

    const T0: Timestamp = Timestamp(1_773_108_000_000);

    async fn gift(db: &Db, stock: Option<i64>, limit: Option<i64>) -> i64 {
        let mut tx = db.begin_write().await.unwrap();
        let new = NewReward {
            kind: "gift".into(),
            name: Localized::new("帆布袋", "Tote bag"),
            description: Localized::default(),
            points_price: 100,
            stock,
            per_member_limit: limit,
            coupon_template: None,
        };
        let id = create(&mut tx, &new, &Actor::Staff(plaza_types::StaffId(1)), T0).await.unwrap();
        tx.commit().await.unwrap();
        id
    }

    async fn fund(db: &Db, member: MemberId, points: i64) {
        let mut tx = db.begin_write().await.unwrap();
        credit(&mut tx, &Credit { member, points, source: "checkin", reference: "", reason: "" }, &Actor::System, T0)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }

    #[tokio::test]
    async fn a_redemption_takes_points_stock_and_gives_a_voucher_once() {
        let db = test_db().await;
        let m = seed_member(&db, "13100000001").await;
        fund(&db, m, 250).await;
        let reward = gift(&db, Some(5), Some(2)).await;
        let first = redeem(&db, m, reward, "tap-1", T0).await.unwrap();
        assert_eq!(redeem(&db, m, reward, "tap-1", T0).await.unwrap(), first, "a retried tap redeems once");
        redeem(&db, m, reward, "tap-2", T0).await.unwrap();
        let err = redeem(&db, m, reward, "tap-3", T0).await.unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::LimitReached)), "{err:?}");
        assert_eq!(crate::points::account::balance(db.pool(), m).await.unwrap().available, 50);
        let mine = redemptions(&db, m, &MallTz::shanghai()).await.unwrap();
        assert_eq!(mine.len(), 2);
        assert!(mine.iter().all(|r| r.voucher_code.as_deref().is_some_and(|c| c.starts_with('G') && c.len() == 11)));
        assert_eq!(list(&db, Some(m), false).await.unwrap()[0].stock_left, Some(3));
    }

    #[tokio::test]
    async fn without_enough_points_nothing_changes() {
        let db = test_db().await;
        let m = seed_member(&db, "13100000002").await;
        fund(&db, m, 99).await;
        let reward = gift(&db, Some(5), None).await;
        let err = redeem(&db, m, reward, "tap", T0).await.unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::InsufficientPoints { available: 99 })));
        assert_eq!(list(&db, Some(m), false).await.unwrap()[0].stock_left, Some(5), "the stock was not taken");
        assert!(redemptions(&db, m, &MallTz::shanghai()).await.unwrap().is_empty());
    }

    /// 100 members redeem a reward with 5 in stock at once: exactly 5 succeed, 5 × price spent.
    #[tokio::test]
    async fn concurrent_redemptions_never_oversell() {
        let db = test_db().await;
        let reward = gift(&db, Some(5), None).await;
        let mut members = Vec::new();
        for i in 0..100 {
            let m = seed_member(&db, &format!("1310001{i:04}")).await;
            fund(&db, m, 100).await;
            members.push(m);
        }
        let tasks: Vec<_> = members
            .iter()
            .map(|&m| {
                let db = db.db();
                tokio::spawn(async move { redeem(&db, m, reward, &format!("tap-{m}"), T0).await })
            })
            .collect();
        let (mut ok, mut sold_out) = (0, 0);
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => ok += 1,
                Err(crate::Error::User(AppError::SoldOut)) => sold_out += 1,
                Err(other) => panic!("{other:?}"),
            }
        }
        assert_eq!((ok, sold_out), (5, 95));
        let (spent,): (i64,) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(-points), 0) AS BIGINT) FROM points_movements WHERE kind = 'spend'",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(spent, 500);
    }
}
