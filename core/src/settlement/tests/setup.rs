//! A restaurant (plates and scan-to-order) and two storefronts (mall orders), a shopper with
//! points, stored value and two coupons — one the mall's, one the restaurant's own — and the
//! sandbox as the provider.

use crate::audit::Actor;
use crate::auth::staff::{self, NewStaff};
use crate::coupons::{self, NewTemplate, Validity};
use crate::dining::cart::AddDish;
use crate::dining::menu_admin::{self, DishInput};
use crate::dining::tables::{self, AreaOwner};
use crate::payments::sandbox::{self, Delivery, Sandbox};
use crate::payments::{self, complete, Choice, Confirmation, NewPayment, PaymentProvider, ProviderStatus};
use crate::points::{self, Credit};
use crate::shop::categories::{self, CategoryInput};
use crate::shop::products::{self, NewProduct};
use crate::testing::{plate_details, seed_member, test_db, TestDb};
use crate::{stored_value, tenants, Db, Timestamp};
use plaza_types::dto::{CouponKind, Localized, SkuId, TenantKind};
use plaza_types::{Fen, MemberId, StaffId, StaffRole, TenantId};

/// 2026-03-10 10:00 in Shanghai (a Tuesday).
pub const T0: Timestamp = Timestamp(1_773_108_000_000);
pub const DAY: i64 = 86_400;

pub fn sandbox() -> Sandbox {
    Sandbox { notify_url: "http://127.0.0.1:9/notify/wechat".into(), delivery: Delivery::Normal }
}

pub struct Mall {
    pub db: TestDb,
    pub restaurant: TenantId,
    pub store: TenantId,
    pub other_store: TenantId,
    pub store_owner: StaffId,
    pub shopper: MemberId,
    pub mall_coupon: i64,
    pub own_coupon: i64,
    pub table: String,
    pub noodles: i64,
    pub mug: SkuId,
    pub cable: SkuId,
}

async fn tenant(db: &Db, code: &str, kind: TenantKind) -> TenantId {
    let mut tx = db.begin_write().await.unwrap();
    let exists: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM tenant_categories WHERE code = 'rp'").fetch_optional(&mut **tx).await.unwrap();
    if exists.is_none() {
        tenants::create_category(&mut tx, "rp", &Localized::new("报表", "Reports"), 0).await.unwrap();
    }
    let new = tenants::NewTenant {
        code,
        name: Localized::new(format!("店{code}"), code),
        unit_no: "L2-01",
        floor: "L2",
        category_code: "rp",
        kind,
        aliases: &[],
    };
    let id = tenants::create(&mut tx, &new, T0).await.unwrap();
    tx.commit().await.unwrap();
    id
}

async fn coupon(db: &Db, member: MemberId, code: &str, scope: (&str, Vec<i64>), value: i64, threshold: i64) -> i64 {
    let mut tx = db.begin_write().await.unwrap();
    let template = coupons::create_template(
        &mut tx,
        &NewTemplate {
            code: code.into(),
            name: Localized::new(code, ""),
            kind: CouponKind::ThresholdOff,
            value: Fen(value),
            percent_off: 0,
            threshold: Fen(threshold),
            parking_minutes: 0,
            scope_kind: scope.0.into(),
            scope_ids: scope.1,
            validity: Validity::DaysAfterIssue(30),
            per_member_limit: 5,
            total_stock: None,
            claimable: true,
            description: Localized::default(),
        },
        &Actor::System,
        T0,
    )
    .await
    .unwrap();
    let id = coupons::issue(&mut tx, template, member, "claim", &Actor::System, T0).await.unwrap();
    tx.commit().await.unwrap();
    id
}

pub async fn mall() -> Mall {
    let db = test_db().await;
    let restaurant = tenant(&db, "noodle", TenantKind::Restaurant).await;
    let store = tenant(&db, "jiawu", TenantKind::Store).await;
    let other_store = tenant(&db, "geek", TenantKind::Store).await;
    let shopper = seed_member(&db, "13300000301").await;
    let mut tx = db.begin_write().await.unwrap();
    let credit = Credit { member: shopper, points: 2_000, source: "checkin", reference: "", reason: "" };
    points::credit(&mut tx, &credit, &Actor::System, T0).await.unwrap();
    stored_value::credit(&mut tx, shopper, Fen(5_000), "topup", "seed", "", &Actor::System, T0).await.unwrap();
    let mut owners = Vec::new();
    for (username, shop) in [("jiawu.owner", store), ("geek.owner", other_store)] {
        let new = NewStaff {
            username,
            display_name: username,
            password: "plaza2026",
            role: StaffRole::TenantOwner,
            tenant_id: Some(shop),
        };
        owners.push(staff::create(&mut tx, new, T0).await.unwrap());
        sqlx::query(
            "INSERT INTO shop_storefronts (tenant_id, name, pickup_unit, delivers, updated_at) VALUES ($1, 'x', 'L2-01', 0, 0)",
        )
        .bind(shop.0)
        .execute(&mut **tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let mall_coupon = coupon(&db, shopper, "mall20", ("mall", vec![]), 2_000, 10_000).await;
    let own_coupon = coupon(&db, shopper, "noodle10", ("tenant", vec![restaurant.0]), 1_000, 5_000).await;

    // The restaurant's menu and a table.
    let named = |zh: &str| Localized::new(zh, "");
    let mains = menu_admin::add_category(&db, restaurant, &named("面"), None, T0).await.unwrap();
    let dish = DishInput { category_id: mains, name: named("牛肉面"), price: Fen(3_600), ..Default::default() };
    let noodles = menu_admin::save_dish(&db, restaurant, None, &dish, T0).await.unwrap();
    let owner = AreaOwner::Restaurant(restaurant);
    let area = tables::create_area(&db, owner, &named("大堂"), "", &Actor::System, T0).await.unwrap();
    tables::add_tables(&db, owner, area, "1-2", &Actor::System, T0).await.unwrap();
    let (table,): (String,) = sqlx::query_as("SELECT code FROM dining_tables WHERE area_id = $1 AND label = '1'")
        .bind(area)
        .fetch_one(db.pool())
        .await
        .unwrap();

    // A mug at 家物集 (¥39, member ¥35) and a cable at 极客 (¥25).
    let top =
        CategoryInput { parent: None, name_zh: "家居".into(), name_en: String::new(), icon: "box".into(), sort: 0 };
    let top = categories::create(&db, &top, &Actor::System, T0).await.unwrap();
    let leaf = CategoryInput {
        parent: Some(top),
        name_zh: "杯壶".into(),
        name_en: String::new(),
        icon: "box".into(),
        sort: 0,
    };
    let leaf = categories::create(&db, &leaf, &Actor::System, T0).await.unwrap();
    let mut skus = Vec::new();
    for (shop, by, title, price) in [(store, owners[0], "马克杯", "39"), (other_store, owners[1], "数据线", "25")]
    {
        let new = NewProduct {
            title: title.into(),
            code: String::new(),
            category: leaf,
            specs: Vec::new(),
            price: price.into(),
            stock: "20".into(),
        };
        let id = products::create(&db, shop, &new, by, T0).await.unwrap();
        let mut tx = db.begin_write().await.unwrap();
        sqlx::query(
            "INSERT INTO shop_product_photos (product_id, kind, position, photo_key, thumb_key, width, height, created_at) \
             VALUES ($1, 'gallery', 0, 'p/x.jpg', 'p/x-thumb.jpg', 400, 400, 0)",
        )
        .bind(id.0)
        .execute(&mut **tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        products::publish(&db, shop, id, T0).await.unwrap();
        let (sku,): (i64,) = sqlx::query_as("SELECT id FROM shop_skus WHERE product_id = $1")
            .bind(id.0)
            .fetch_one(db.pool())
            .await
            .unwrap();
        skus.push(SkuId(sku));
    }
    let mut tx = db.begin_write().await.unwrap();
    sqlx::query("UPDATE shop_skus SET member_price_fen = 3500 WHERE id = $1")
        .bind(skus[0].0)
        .execute(&mut **tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    Mall {
        db,
        restaurant,
        store,
        other_store,
        store_owner: owners[0],
        shopper,
        mall_coupon,
        own_coupon,
        table,
        noodles,
        mug: skus[0],
        cable: skus[1],
    }
}

impl Mall {
    /// A plate payment of `amount` at the restaurant, paid (the provider's share through the
    /// sandbox) at `now`; its number.
    pub async fn plate(&self, amount: i64, coupon: Option<i64>, internal: bool, key: &str, now: Timestamp) -> String {
        let new = NewPayment {
            member: self.shopper,
            details: plate_details(&self.db, self.restaurant).await,
            subject: "plate".into(),
            amount: Fen(amount),
            coupon,
            use_points: internal,
            use_stored_value: internal,
            request_key: key.into(),
        };
        let created = payments::create(&self.db, &sandbox(), &new, now).await.unwrap();
        if created.pay_url.is_some() {
            assert!(sandbox::confirm(&self.db, &sandbox(), &created.payment_no, now).await.unwrap());
            let confirmation = confirmation(&self.db, &created.payment_no).await;
            complete(&self.db, &created.payment_no, &confirmation, now).await.unwrap();
        }
        created.payment_no.to_string()
    }

    /// A bowl of noodles ordered at table 1 and paid from stored value.
    pub async fn dining(&self, key: &str, now: Timestamp) -> String {
        let add = AddDish {
            table_code: self.table.clone(),
            restaurant_code: "noodle".into(),
            dish: self.noodles,
            options: Vec::new(),
            quantity: 1,
            remark: String::new(),
        };
        crate::dining::cart::add(&self.db, self.shopper, &add, now).await.unwrap();
        let order = crate::dining::checkout::PlaceOrder {
            table_code: self.table.clone(),
            restaurant_code: "noodle".into(),
            choice: Choice { coupon: None, use_points: false, use_stored_value: true },
            expected_total: None,
            expected_to_pay: None,
            request_key: key.into(),
        };
        let created = crate::dining::checkout::place(&self.db, &sandbox(), self.shopper, &order, now).await.unwrap();
        assert_eq!(created.state, payments::PaymentState::Paid);
        created.payment_no.to_string()
    }

    /// Two mugs and a cable in one checkout (two shops, one payment) through the provider.
    pub async fn mall_order(&self, key: &str, now: Timestamp) -> String {
        crate::mall_orders::cart::add(&self.db, self.shopper, self.mug, 2, now).await.unwrap();
        crate::mall_orders::cart::add(&self.db, self.shopper, self.cable, 1, now).await.unwrap();
        let place = crate::mall_orders::checkout::PlaceMallOrder {
            choice: Choice { coupon: None, use_points: false, use_stored_value: false },
            shops: Vec::new(),
            expected_total: None,
            expected_to_pay: None,
            request_key: key.into(),
        };
        let created =
            crate::mall_orders::checkout::place(&self.db, &sandbox(), self.shopper, &place, now).await.unwrap();
        assert!(sandbox::confirm(&self.db, &sandbox(), &created.payment_no, now).await.unwrap());
        let confirmation = confirmation(&self.db, &created.payment_no).await;
        complete(&self.db, &created.payment_no, &confirmation, now).await.unwrap();
        created.payment_no.to_string()
    }
}

pub async fn confirmation(db: &Db, payment_no: &str) -> Confirmation {
    match sandbox().query(db, payment_no).await.unwrap() {
        ProviderStatus::Paid { transaction_id, amount, paid_at } => {
            Confirmation { provider: Some("sandbox".into()), transaction_id, amount, paid_at }
        }
        other => panic!("not paid: {other:?}"),
    }
}
