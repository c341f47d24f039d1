//! The demo mall's paid membership: 个人会员卡 ¥99 and 卓越会员卡 ¥299 a year, each with a
//! first-purchase pack (car wash, shopping coupons, free parking) and a renewal pack.

use crate::audit::Actor;
use crate::coupons::{self, NewTemplate, Validity};
use crate::membership::admin::{self, TierChange};
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{CouponKind, Localized};
use plaza_types::Fen;

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
        validity: Validity::DaysAfterIssue(90),
        per_member_limit: 1,
        total_stock: None,
        claimable: false,
        description: Localized::default(),
    }
}

pub(super) async fn seed(db: &Db, now: Timestamp) -> Result<()> {
    let op = Actor::System;
    let mut tx = db.begin_write().await?;
    for t in [
        NewTemplate {
            description: Localized::new("B2 洗车中心 标准洗车一次", "One standard car wash at the B2 car-wash centre"),
            ..template("member-carwash", "会员洗车券", "Member car wash", CouponKind::Experience)
        },
        NewTemplate {
            value: Fen(2_000),
            threshold: Fen(20_000),
            ..template("member-shop-20", "会员购物券 满200减20", "Member: ¥20 off ¥200", CouponKind::ThresholdOff)
        },
        NewTemplate {
            parking_minutes: 180,
            ..template("member-parking-3h", "会员免费停车 3 小时", "Member: 3 hours free parking", CouponKind::Parking)
        },
    ] {
        coupons::create_template(&mut tx, &t, &op, now).await?;
    }
    tx.commit().await?;
    let pack = |zh: &'static str, en: &'static str| Localized::new(zh, en);
    let personal_first = crate::coupons::packs::create(
        db,
        "personal-first",
        &pack("个人卡首购礼包", "Personal welcome pack"),
        "member-carwash:1, member-shop-20:2, member-parking-3h:1",
        &op,
        now,
    )
    .await?;
    let personal_renewal = crate::coupons::packs::create(
        db,
        "personal-renewal",
        &pack("个人卡续费礼包", "Personal renewal pack"),
        "member-shop-20:1, member-parking-3h:1",
        &op,
        now,
    )
    .await?;
    let premium_first = crate::coupons::packs::create(
        db,
        "premium-first",
        &pack("卓越卡首购礼包", "Premium welcome pack"),
        "member-carwash:2, member-shop-20:5, member-parking-3h:4",
        &op,
        now,
    )
    .await?;
    let premium_renewal = crate::coupons::packs::create(
        db,
        "premium-renewal",
        &pack("卓越卡续费礼包", "Premium renewal pack"),
        "member-carwash:1, member-shop-20:3, member-parking-3h:2",
        &op,
        now,
    )
    .await?;
    admin::create_tier(
        db,
        "personal",
        &TierChange {
            name: Localized::new("个人会员卡", "Personal membership"),
            price: Fen(9_900),
            term_days: 365,
            benefits: Localized::new(
                "全场会员价\n首购礼包：洗车券、购物券 2 张、停车 3 小时\n可绑定 1 张副卡",
                "Member prices everywhere\nWelcome pack: car wash, 2 shopping coupons, 3 hours parking\nOne sub-card",
            ),
            member_prices: true,
            first_pack: Some(personal_first),
            renewal_pack: Some(personal_renewal),
        },
        &op,
        now,
    )
    .await?;
    admin::create_tier(
        db,
        "premium",
        &TierChange {
            name: Localized::new("卓越会员卡", "Premium membership"),
            price: Fen(29_900),
            term_days: 365,
            benefits: Localized::new(
                "全场会员价\n首购礼包：洗车券 2 张、购物券 5 张、停车 12 小时\n可绑定 1 张副卡",
                "Member prices everywhere\nWelcome pack: 2 car washes, 5 shopping coupons, 12 hours parking\nOne sub-card",
            ),
            member_prices: true,
            first_pack: Some(premium_first),
            renewal_pack: Some(premium_renewal),
        },
        &op,
        now,
    )
    .await?;
    Ok(())
}
