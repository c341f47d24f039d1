//! The points mall for operators: every reward (paused ones too), creating one from the form,
//! pausing and resuming.

use crate::audit::Actor;
use crate::input::{invalid, number, optional_number};
use crate::rewards::{self, NewReward};
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{Localized, RewardForm, RewardsAdmin};
use plaza_types::error::Field;

pub async fn page(db: &Db) -> Result<RewardsAdmin> {
    Ok(RewardsAdmin {
        rewards: rewards::list(db, None, true).await?,
        templates: crate::coupons::choices::templates(db).await?,
    })
}

/// Reads the create-reward form; `rewards::create` checks the values themselves.
pub fn parse_reward(form: &RewardForm) -> Result<NewReward> {
    let kind = form.kind.trim();
    if !matches!(kind, "gift" | "coupon" | "parking") {
        return Err(invalid(Field::Reward));
    }
    // A gift issues no coupon, whatever the template box still holds.
    let coupon_template = if kind == "gift" {
        None
    } else {
        // Coupon and parking rewards issue a coupon: say which box is missing.
        Some(optional_number(&form.coupon_template, Field::Coupon)?.ok_or_else(|| invalid(Field::Coupon))?)
    };
    Ok(NewReward {
        kind: kind.to_string(),
        name: Localized::new(form.name_zh.trim(), form.name_en.trim()),
        description: Localized::new(form.description_zh.trim(), form.description_en.trim()),
        points_price: number(&form.points_price, Field::Amount)?,
        stock: optional_number(&form.stock, Field::Amount)?,
        per_member_limit: optional_number(&form.per_member_limit, Field::Amount)?,
        coupon_template,
    })
}

pub async fn create(db: &Db, form: &RewardForm, operator: &Actor, now: Timestamp) -> Result<i64> {
    let new = parse_reward(form)?;
    let mut tx = db.begin_write().await?;
    if let Some(template) = new.coupon_template {
        let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM coupon_templates WHERE id = $1")
            .bind(template)
            .fetch_optional(&mut **tx)
            .await?;
        if found.is_none() {
            return Err(invalid(Field::Coupon));
        }
    }
    let id = rewards::create(&mut tx, &new, operator, now).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn set_status(db: &Db, reward: i64, active: bool, operator: &Actor, now: Timestamp) -> Result<()> {
    let mut tx = db.begin_write().await?;
    rewards::set_status(&mut tx, reward, active, operator, now).await?;
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coupons::{create_template, NewTemplate, Validity};
    use crate::testing::test_db;
    use plaza_types::dto::CouponKind;
    use plaza_types::{AppError, Fen, StaffId};

    const NOW: Timestamp = Timestamp(1_773_108_000_000);
    const OP: Actor = Actor::Staff(StaffId(1));

    fn gift() -> RewardForm {
        RewardForm {
            kind: "gift".into(),
            name_zh: "帆布袋".into(),
            name_en: "Tote bag".into(),
            points_price: "800".into(),
            stock: "50".into(),
            per_member_limit: "1".into(),
            coupon_template: "7".into(),
            ..RewardForm::default()
        }
    }

    #[tokio::test]
    async fn rewards_are_created_listed_and_paused() {
        let db = test_db().await;
        let mut tx = db.begin_write().await.unwrap();
        let parking = create_template(
            &mut tx,
            &NewTemplate {
                code: "parking-1h".into(),
                name: Localized::new("停车1小时", "1 h parking"),
                kind: CouponKind::Parking,
                value: Fen(0),
                percent_off: 0,
                threshold: Fen(0),
                parking_minutes: 60,
                scope_kind: "mall".into(),
                scope_ids: vec![],
                validity: Validity::DaysAfterIssue(30),
                per_member_limit: 10,
                total_stock: None,
                claimable: false,
                description: Localized::default(),
            },
            &OP,
            NOW,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        let bag = create(&db, &gift(), &OP, NOW).await.unwrap();
        let ticket = RewardForm {
            kind: "parking".into(),
            name_zh: "停车券".into(),
            points_price: "200".into(),
            stock: "".into(),
            per_member_limit: "".into(),
            coupon_template: parking.to_string(),
            ..gift()
        };
        create(&db, &ticket, &OP, NOW).await.unwrap();
        for (bad, field) in [
            (RewardForm { kind: "cash".into(), ..gift() }, Field::Reward),
            (RewardForm { points_price: "".into(), ..gift() }, Field::Amount),
            (RewardForm { points_price: "0".into(), ..gift() }, Field::Amount),
            (RewardForm { coupon_template: "".into(), ..ticket.clone() }, Field::Coupon),
            (RewardForm { coupon_template: "999".into(), ..ticket.clone() }, Field::Coupon),
        ] {
            let err = create(&db, &bad, &OP, NOW).await.unwrap_err();
            assert!(matches!(err, crate::Error::User(AppError::Invalid { field: f }) if f == field), "{bad:?}");
        }

        set_status(&db, bag, false, &OP, NOW).await.unwrap();
        let admin = page(&db).await.unwrap();
        let listed: Vec<(String, i64, Option<i64>, bool)> =
            admin.rewards.iter().map(|r| (r.name.zh.clone(), r.points_price, r.stock_left, r.active)).collect();
        assert_eq!(listed, vec![("停车券".into(), 200, None, true), ("帆布袋".into(), 800, Some(50), false)]);
        assert_eq!(admin.templates.len(), 1);
        assert!(matches!(set_status(&db, 999, true, &OP, NOW).await, Err(crate::Error::User(AppError::NotFound))));
    }
}
