//! The operator's side of paid membership: tiers (price, term, benefits, member prices, gift
//! packs, retire). The packs themselves are `coupons::packs`; the page joining both is
//! `operator::membership`. A change applies to purchases from then on: a payment carries its own
//! amount, and a period records the pack it was given.

use super::tiers::{self, NewTier};
use crate::audit::{self, Actor, Entry};
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{Localized, TierForm};
use plaza_types::error::Field;
use plaza_types::{AppError, Fen};
use sqlx::AnyConnection;

/// What the tier form sends (its code is fixed once created).
#[derive(Clone, Debug)]
pub struct TierChange {
    pub name: Localized,
    pub price: Fen,
    pub term_days: i64,
    pub benefits: Localized,
    pub member_prices: bool,
    pub first_pack: Option<i64>,
    pub renewal_pack: Option<i64>,
}

impl TierChange {
    /// Reads the operator's form: the price in yuan, the term in whole days, packs by id.
    pub fn from_form(form: &TierForm) -> Result<TierChange> {
        let amount = || crate::Error::from(AppError::invalid(Field::Amount));
        let pack = |text: &str| -> Result<Option<i64>> {
            match text.trim() {
                "" => Ok(None),
                id => id.parse().map(Some).map_err(|_| AppError::invalid(Field::Coupon).into()),
            }
        };
        Ok(TierChange {
            name: Localized::new(form.name_zh.trim(), form.name_en.trim()),
            price: Fen::from_yuan_str(&form.price).map_err(|_| amount())?,
            term_days: form.term_days.trim().parse().map_err(|_| amount())?,
            benefits: Localized::new(form.benefits_zh.trim(), form.benefits_en.trim()),
            member_prices: form.member_prices.is_some(),
            first_pack: pack(&form.first_pack)?,
            renewal_pack: pack(&form.renewal_pack)?,
        })
    }
}

/// A code for tiers and packs: 2–32 of `a-z 0-9 -`.
pub fn valid_code(code: &str) -> bool {
    (2..=32).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn check(change: &TierChange) -> Result<()> {
    let name = change.name.zh.trim();
    if name.is_empty() || name.chars().count() > 20 || change.name.en.chars().count() > 40 {
        return Err(AppError::invalid(Field::Name).into());
    }
    if change.price.0 <= 0 || change.price > plaza_types::tender::MAX_PAYMENT || !(1..=3660).contains(&change.term_days)
    {
        return Err(AppError::invalid(Field::Amount).into());
    }
    if change.benefits.zh.chars().count() > 500 || change.benefits.en.chars().count() > 1000 {
        return Err(AppError::invalid(Field::Name).into());
    }
    Ok(())
}

async fn pack_exists(conn: &mut AnyConnection, pack: Option<i64>) -> Result<()> {
    let Some(pack) = pack else { return Ok(()) };
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM gift_packs WHERE id = $1").bind(pack).fetch_optional(&mut *conn).await?;
    row.map(|_| ()).ok_or_else(|| AppError::invalid(Field::Coupon).into())
}

pub async fn create_tier(db: &Db, code: &str, change: &TierChange, operator: &Actor, now: Timestamp) -> Result<i64> {
    let code = code.trim();
    if !valid_code(code) {
        return Err(AppError::invalid(Field::Name).into());
    }
    check(change)?;
    let mut tx = db.begin_write().await?;
    pack_exists(&mut tx, change.first_pack).await?;
    pack_exists(&mut tx, change.renewal_pack).await?;
    let new = NewTier {
        code: code.to_string(),
        name: change.name.clone(),
        price: change.price,
        term_days: change.term_days,
        benefits: change.benefits.clone(),
        member_prices: change.member_prices,
        first_pack: change.first_pack,
        renewal_pack: change.renewal_pack,
    };
    let id = tiers::create(&mut tx, &new, operator, now).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_tier(db: &Db, id: i64, change: &TierChange, operator: &Actor, now: Timestamp) -> Result<()> {
    check(change)?;
    let mut tx = db.begin_write().await?;
    pack_exists(&mut tx, change.first_pack).await?;
    pack_exists(&mut tx, change.renewal_pack).await?;
    let done = sqlx::query(
        "UPDATE membership_tiers SET name_zh = $1, name_en = $2, price_fen = $3, term_days = $4, benefits_zh = $5, \
         benefits_en = $6, member_prices = $7, first_pack_id = $8, renewal_pack_id = $9 WHERE id = $10",
    )
    .bind(change.name.zh.trim())
    .bind(change.name.en.trim())
    .bind(change.price.0)
    .bind(change.term_days)
    .bind(change.benefits.zh.trim())
    .bind(change.benefits.en.trim())
    .bind(i64::from(change.member_prices))
    .bind(change.first_pack)
    .bind(change.renewal_pack)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::NotFound.into());
    }
    let entry = Entry::new(operator, "membership.tier.update")
        .subject(format!("tier:{id}"))
        .amount(change.price.0)
        .details(format!("term_days={} member_prices={}", change.term_days, change.member_prices));
    audit::append(&mut tx, entry, now).await?;
    tx.commit().await
}

/// Retires a tier (no new purchases or renewals; running memberships keep their term) or brings
/// it back.
pub async fn set_tier_active(db: &Db, id: i64, active: bool, operator: &Actor, now: Timestamp) -> Result<()> {
    let status = if active { "active" } else { "retired" };
    let mut tx = db.begin_write().await?;
    let done = sqlx::query("UPDATE membership_tiers SET status = $1 WHERE id = $2 AND status <> $1")
        .bind(status)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() != 1 {
        let exists: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM membership_tiers WHERE id = $1").bind(id).fetch_optional(&mut **tx).await?;
        return match exists {
            Some(_) => Ok(()),
            None => Err(AppError::NotFound.into()),
        };
    }
    let action = if active { "membership.tier.reactivate" } else { "membership.tier.retire" };
    audit::append(&mut tx, Entry::new(operator, action).subject(format!("tier:{id}")), now).await?;
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coupons::{self, NewTemplate, Validity};
    use crate::payments::sandbox::{Delivery, Sandbox};
    use crate::testing::{seed_member, test_db};
    use plaza_types::dto::CouponKind;

    const T0: Timestamp = Timestamp(1_773_108_000_000);

    fn change(price: i64) -> TierChange {
        TierChange {
            name: Localized::new("个人会员卡", "Personal"),
            price: Fen(price),
            term_days: 365,
            benefits: Localized::new("会员价\n每月停车券", ""),
            member_prices: true,
            first_pack: None,
            renewal_pack: None,
        }
    }

    async fn template(db: &Db, code: &str) {
        let mut tx = db.begin_write().await.unwrap();
        let t = NewTemplate {
            code: code.into(),
            name: Localized::new(code, code),
            kind: CouponKind::Parking,
            value: Fen(0),
            percent_off: 0,
            threshold: Fen(0),
            parking_minutes: 120,
            scope_kind: "mall".into(),
            scope_ids: vec![],
            validity: Validity::DaysAfterIssue(30),
            per_member_limit: 1,
            total_stock: None,
            claimable: false,
            description: Localized::default(),
        };
        coupons::create_template(&mut tx, &t, &Actor::System, T0).await.unwrap();
        tx.commit().await.unwrap();
    }

    #[test]
    fn reads_the_tier_form() {
        let form = TierForm {
            name_zh: " 卓越会员卡 ".into(),
            price: "299".into(),
            term_days: "365".into(),
            member_prices: Some("on".into()),
            first_pack: "3".into(),
            ..TierForm::default()
        };
        let c = TierChange::from_form(&form).unwrap();
        assert_eq!((c.name.zh.as_str(), c.price, c.term_days, c.member_prices), ("卓越会员卡", Fen(29_900), 365, true));
        assert_eq!((c.first_pack, c.renewal_pack), (Some(3), None));
        for bad in [
            TierForm { price: "abc".into(), ..form.clone() },
            TierForm { term_days: "1.5".into(), ..form.clone() },
            TierForm { first_pack: "x".into(), ..form.clone() },
        ] {
            assert!(TierChange::from_form(&bad).is_err(), "{bad:?}");
        }
    }

    #[tokio::test]
    async fn operators_create_edit_and_retire_tiers_and_packs() {
        let db = test_db().await;
        let op = Actor::Staff(plaza_types::StaffId(1));
        template(&db, "park-2h").await;
        template(&db, "wash").await;
        for bad in ["", "park-2h:0", "park-2h:21", "nope:1", "park-2h:1, park-2h:2", "park-2h:x"] {
            let err = crate::coupons::packs::create(&db, "first", &Localized::new("首购礼包", ""), bad, &op, T0)
                .await
                .unwrap_err();
            assert!(matches!(err, crate::Error::User(AppError::Invalid { field: Field::Coupon })), "{bad}");
        }
        let pack =
            crate::coupons::packs::create(&db, "first", &Localized::new("首购礼包", ""), "park-2h:2，wash", &op, T0)
                .await
                .unwrap();
        assert!(crate::coupons::packs::create(&db, "Bad Code", &Localized::new("x", ""), "wash", &op, T0)
            .await
            .is_err());

        assert!(create_tier(&db, "personal", &change(0), &op, T0).await.is_err(), "a price");
        let mut no_pack = change(9_900);
        no_pack.first_pack = Some(pack + 100);
        assert!(create_tier(&db, "personal", &no_pack, &op, T0).await.is_err(), "an existing pack");
        let mut with_pack = change(9_900);
        with_pack.first_pack = Some(pack);
        let tier = create_tier(&db, "personal", &with_pack, &op, T0).await.unwrap();
        assert!(matches!(
            create_tier(&db, "personal", &with_pack, &op, T0).await.unwrap_err(),
            crate::Error::User(AppError::AlreadyExists)
        ));

        update_tier(&db, tier, &TierChange { term_days: 180, ..with_pack.clone() }, &op, T0).await.unwrap();
        crate::coupons::packs::update(&db, pack, &Localized::new("新会员礼包", "Welcome"), "wash:3", &op, T0)
            .await
            .unwrap();
        let page = crate::operator::membership::page(&db, T0).await.unwrap();
        assert_eq!(page.tiers.len(), 1);
        let t = &page.tiers[0];
        assert_eq!((t.tier.price, t.tier.term_days, t.first_pack_id), (Fen(9_900), 180, Some(pack)));
        assert_eq!(t.tier.first_pack.as_ref().map(|n| n.zh.as_str()), Some("新会员礼包"));
        assert_eq!(page.packs[0].items.len(), 1);
        assert_eq!(page.packs[0].items[0].quantity, 3);
        assert_eq!(page.topup.tiers, "200:10, 500:30, 1000:80");

        // A retired tier is not offered and cannot be bought; running memberships are untouched.
        set_tier_active(&db, tier, false, &op, T0).await.unwrap();
        assert!(tiers::list(&db, false).await.unwrap().is_empty());
        let m = seed_member(&db, "13200000401").await;
        let sandbox = Sandbox { notify_url: "http://127.0.0.1:9/notify/wechat".into(), delivery: Delivery::Normal };
        let err = crate::membership_purchase::buy(&db, &sandbox, m, tier, false, "k", T0).await.unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::NotUsable)));
        set_tier_active(&db, tier, true, &op, T0).await.unwrap();
        assert!(crate::membership_purchase::buy(&db, &sandbox, m, tier, false, "k", T0).await.is_ok());
        assert!(set_tier_active(&db, tier + 100, true, &op, T0).await.is_err());
    }
}
