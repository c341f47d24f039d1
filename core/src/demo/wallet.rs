//! The demo mall's rewards side: coupons in the claim centre, a points mall, an earning override
//! and a member-day campaign, the birthday gift, and a demo shopper with points, stored value and
//! a coupon to show.

use crate::audit::Actor;
use crate::coupons::{self, NewTemplate, Validity};
use crate::points::{self, Credit};
use crate::rewards::{self, NewReward};
use crate::{settings, stored_value, Db, Result, Timestamp};
use plaza_types::dto::{CouponKind, Localized};
use plaza_types::{Fen, MemberId};

fn template(code: &str, zh: &str, en: &str, kind: CouponKind) -> NewTemplate {
    NewTemplate {
        code: code.into(),
        name: Localized::new(zh, en),
        kind,
        value: Fen(0),
        percent_off: 0,
        threshold: Fen(0),
        parking_minutes: 0,
        scope_kind: "mall".into(),
        scope_ids: vec![],
        validity: Validity::DaysAfterIssue(30),
        per_member_limit: 1,
        total_stock: None,
        claimable: false,
        description: Localized::default(),
    }
}

pub(super) async fn seed(db: &Db, shoppers: &[MemberId], dining_category: i64, now: Timestamp) -> Result<()> {
    let op = Actor::System;
    let mut tx = db.begin_write().await?;
    let welcome = coupons::create_template(
        &mut tx,
        &NewTemplate {
            value: Fen(2_000),
            threshold: Fen(10_000),
            total_stock: Some(1_000),
            claimable: true,
            description: Localized::new("全场通用，每人限领 1 张", "Any shop in the mall; one per member"),
            ..template("welcome-20", "新人礼 满100减20", "Welcome: ¥20 off ¥100", CouponKind::ThresholdOff)
        },
        &op,
        now,
    )
    .await?;
    coupons::create_template(
        &mut tx,
        &NewTemplate {
            percent_off: 20,
            value: Fen(3_000),
            scope_kind: "category".into(),
            scope_ids: vec![dining_category],
            total_stock: Some(500),
            claimable: true,
            validity: Validity::DaysAfterIssue(14),
            ..template("dining-20pct", "餐饮8折券（最高减30）", "Dining 20% off (up to ¥30)", CouponKind::PercentOff)
        },
        &op,
        now,
    )
    .await?;
    coupons::create_template(
        &mut tx,
        &NewTemplate {
            value: Fen(1_000),
            per_member_limit: 2,
            total_stock: Some(200),
            claimable: true,
            ..template("cash-10", "¥10 现金券", "¥10 cash voucher", CouponKind::Cash)
        },
        &op,
        now,
    )
    .await?;
    let parking = coupons::create_template(
        &mut tx,
        &NewTemplate {
            parking_minutes: 120,
            per_member_limit: 20,
            ..template("parking-2h", "免费停车 2 小时", "2 hours free parking", CouponKind::Parking)
        },
        &op,
        now,
    )
    .await?;
    let coffee = coupons::create_template(
        &mut tx,
        &NewTemplate {
            per_member_limit: 5,
            description: Localized::new("转角咖啡 任意中杯饮品一杯", "One medium drink at Corner Coffee"),
            ..template("coffee-cup", "咖啡体验券", "Coffee voucher", CouponKind::Experience)
        },
        &op,
        now,
    )
    .await?;
    coupons::create_template(
        &mut tx,
        &NewTemplate {
            value: Fen(3_000),
            ..template("birthday-gift", "生日礼 ¥30", "Birthday gift ¥30", CouponKind::Birthday)
        },
        &op,
        now,
    )
    .await?;
    settings::put(&mut **tx, &coupons::issue::BirthdayPolicy { template_code: Some("birthday-gift".into()) }, now)
        .await?;

    for (kind, zh, en, price, stock, limit, coupon) in [
        ("parking", "停车券 2 小时", "Parking, 2 hours", 300, Some(500), None, Some(parking)),
        ("coupon", "咖啡体验券", "Coffee voucher", 500, Some(200), Some(2), Some(coffee)),
        ("gift", "星汇帆布袋", "Star Plaza tote bag", 800, Some(50), Some(1), None),
    ] {
        let reward = NewReward {
            kind: kind.into(),
            name: Localized::new(zh, en),
            description: Localized::default(),
            points_price: price,
            stock,
            per_member_limit: limit,
            coupon_template: coupon,
        };
        rewards::create(&mut tx, &reward, &op, now).await?;
    }

    // Restaurants earn double; Saturdays in the first month are member days (double points).
    sqlx::query("INSERT INTO points_rate_overrides (category_id, points_per_yuan_milli) VALUES ($1, 2000)")
        .bind(dining_category)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO points_campaigns (name_zh, name_en, multiplier_pct, starts_at, ends_at, created_at) \
         VALUES ('开业会员日', 'Opening member day', 200, $1, $2, $1)",
    )
    .bind(now.millis())
    .bind(now.plus_secs(86_400).millis())
    .execute(&mut **tx)
    .await?;

    // The demo shoppers have something in every pocket.
    for (i, &shopper) in shoppers.iter().enumerate() {
        let points = 1_280;
        let grant =
            Credit {
                member: shopper, points, source: "campaign", reference: "opening", reason: "开业礼 Opening gift"
            };
        points::credit(&mut tx, &grant, &op, now).await?;
        let reference = format!("demo-topup-{i}");
        stored_value::credit(&mut tx, shopper, Fen(20_000), "topup", &reference, "", &op, now).await?;
        stored_value::credit(&mut tx, shopper, Fen(1_000), "bonus", &reference, "", &op, now).await?;
    }
    coupons::issue(&mut tx, welcome, shoppers[0], "claim", &Actor::Member(shoppers[0]), now).await?;
    tx.commit().await
}
