//! Mall orders against both databases (`TEST_DATABASE_URL` for PostgreSQL), with the payment
//! sandbox as the provider.

mod flow;
mod promotion_cap;
mod promotions;
mod race;
mod refunds;
mod scope;

use super::cart;
use super::checkout::{self, PlaceMallOrder, ShopChoice};
use crate::audit::Actor;
use crate::auth::staff::{self, NewStaff};
use crate::payments::sandbox::{Delivery, Sandbox};
use crate::payments::{complete, Choice, Confirmation, Created, PaymentProvider, ProviderStatus};
use crate::shop::categories::{self, CategoryInput};
use crate::shop::products::{self, NewProduct};
use crate::testing::{seed_member, test_db, TestDb};
use crate::{stored_value, tenants, Db, Timestamp};
use plaza_types::dto::{Localized, MallFulfilment, ProductId, SkuId, TenantKind};
use plaza_types::{Fen, MemberId, StaffId, StaffRole, TenantId};

pub(super) fn sandbox() -> Sandbox {
    Sandbox { notify_url: "http://127.0.0.1:9/notify/wechat".into(), delivery: Delivery::Normal }
}

/// Two storefronts (A delivers, B does not), their owners, a mug at A (¥39, member ¥35) and a
/// cable at B (¥25), and two shoppers with ¥500 of stored value each.
pub(super) struct Mall {
    pub db: TestDb,
    pub a: TenantId,
    pub b: TenantId,
    pub staff_a: StaffId,
    pub staff_b: StaffId,
    pub mug: SkuId,
    pub cable: SkuId,
    pub buyer: MemberId,
    pub other: MemberId,
    pub now: Timestamp,
}

pub(super) async fn mall(mug_stock: &str) -> Mall {
    let db = test_db().await;
    let now = Timestamp::now();
    let mut tx = db.begin_write().await.unwrap();
    tenants::create_category(&mut tx, "home", &Localized::new("家居", "Home"), 0).await.unwrap();
    let mut shops = Vec::new();
    for (code, name) in [("jiawu", "家物集"), ("geek", "极客数码")] {
        let new = tenants::NewTenant {
            code,
            name: Localized::new(name, code),
            unit_no: "L3-05",
            floor: "L3",
            category_code: "home",
            kind: TenantKind::Store,
            aliases: &[],
        };
        shops.push(tenants::create(&mut tx, &new, now).await.unwrap());
    }
    let mut owners = Vec::new();
    for (username, tenant) in [("jiawu.owner", shops[0]), ("geek.owner", shops[1])] {
        let new = NewStaff {
            username,
            display_name: username,
            password: "plaza2026",
            role: StaffRole::TenantOwner,
            tenant_id: Some(tenant),
        };
        owners.push(staff::create(&mut tx, new, now).await.unwrap());
    }
    for (tenant, delivers) in [(shops[0], 1), (shops[1], 0)] {
        sqlx::query(
            "INSERT INTO shop_storefronts (tenant_id, name, pickup_unit, delivers, updated_at) VALUES ($1, 'x', 'L3-05', $2, 0)",
        )
        .bind(tenant.0)
        .bind(delivers)
        .execute(&mut **tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let top =
        CategoryInput {
            parent: None, name_zh: "家居生活".into(), name_en: String::new(), icon: "box".into(), sort: 0
        };
    let top = categories::create(&db, &top, &Actor::System, now).await.unwrap();
    let leaf = CategoryInput {
        parent: Some(top),
        name_zh: "杯壶".into(),
        name_en: String::new(),
        icon: "box".into(),
        sort: 0,
    };
    let leaf = categories::create(&db, &leaf, &Actor::System, now).await.unwrap();
    let mut listed = Vec::new();
    for (tenant, by, title, price, stock) in
        [(shops[0], owners[0], "马克杯", "39", mug_stock), (shops[1], owners[1], "数据线", "25", "50")]
    {
        let new = NewProduct {
            title: title.into(),
            code: String::new(),
            category: leaf,
            specs: Vec::new(),
            price: price.into(),
            stock: stock.into(),
        };
        let id = products::create(&db, tenant, &new, by, now).await.unwrap();
        photo_row(&db, id).await;
        products::publish(&db, tenant, id, now).await.unwrap();
        listed.push(sku_of(&db, id).await);
    }
    write(&db, "UPDATE shop_skus SET member_price_fen = 3500 WHERE id = $1", listed[0].0).await;
    let buyer = seed_member(&db, "13300000201").await;
    let other = seed_member(&db, "13300000202").await;
    for m in [buyer, other] {
        let mut tx = db.begin_write().await.unwrap();
        stored_value::credit(&mut tx, m, Fen(50_000), "topup", &format!("seed{}", m.0), "", &Actor::System, now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    Mall {
        db,
        a: shops[0],
        b: shops[1],
        staff_a: owners[0],
        staff_b: owners[1],
        mug: listed[0],
        cable: listed[1],
        buyer,
        other,
        now,
    }
}

async fn photo_row(db: &Db, id: ProductId) {
    let mut tx = db.begin_write().await.unwrap();
    sqlx::query(
        "INSERT INTO shop_product_photos (product_id, kind, position, photo_key, thumb_key, width, height, created_at) \
         VALUES ($1, 'gallery', 0, $2, $3, 400, 400, 0)",
    )
    .bind(id.0)
    .bind(format!("products/p/{}/x.jpg", id.0))
    .bind(format!("products/p/{}/x-thumb.jpg", id.0))
    .execute(&mut **tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// Runs one statement binding `id`, as a write (the pool itself only reads).
pub(super) async fn write(db: &Db, sql: &str, id: i64) {
    let mut tx = db.begin_write().await.unwrap();
    sqlx::query(sql).bind(id).execute(&mut **tx).await.unwrap();
    tx.commit().await.unwrap();
}

async fn sku_of(db: &Db, product: ProductId) -> SkuId {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM shop_skus WHERE product_id = $1 ORDER BY id LIMIT 1")
        .bind(product.0)
        .fetch_one(db.pool())
        .await
        .unwrap();
    SkuId(id)
}

impl Mall {
    pub async fn stock(&self, sku: SkuId) -> i64 {
        let (s,): (i64,) = sqlx::query_as("SELECT stock FROM shop_skus WHERE id = $1")
            .bind(sku.0)
            .fetch_one(self.db.pool())
            .await
            .unwrap();
        s
    }

    /// Paid from stored value (or, without it, left to the provider).
    pub fn place(&self, key: &str, stored_value: bool) -> PlaceMallOrder {
        PlaceMallOrder {
            choice: Choice { coupon: None, use_points: false, use_stored_value: stored_value },
            shops: Vec::new(),
            expected_total: None,
            expected_to_pay: None,
            request_key: key.to_string(),
        }
    }

    /// `member` buys `quantity` mugs and pays from stored value; the order's number.
    pub async fn bought_mugs(&self, member: MemberId, quantity: i64, key: &str) -> String {
        cart::add(&self.db, member, self.mug, quantity, self.now).await.unwrap();
        let created = checkout::place(&self.db, &sandbox(), member, &self.place(key, true), self.now).await.unwrap();
        assert_eq!(created.state, crate::payments::PaymentState::Paid);
        format!("{}-1", created.payment_no)
    }

    pub async fn state(&self, order_no: &str) -> String {
        let (s,): (String,) = sqlx::query_as("SELECT state FROM mall_orders WHERE order_no = $1")
            .bind(order_no)
            .fetch_one(self.db.pool())
            .await
            .unwrap();
        s
    }

    pub async fn orders_of(&self, payment_no: &str) -> Vec<(String, i64, String, i64)> {
        sqlx::query_as(
            "SELECT order_no, tenant_id, state, total_fen FROM mall_orders WHERE payment_no = $1 ORDER BY id",
        )
        .bind(payment_no)
        .fetch_all(self.db.pool())
        .await
        .unwrap()
    }
}

pub(super) fn delivery(tenant: TenantId, address: Option<i64>) -> ShopChoice {
    ShopChoice { tenant, fulfilment: MallFulfilment::Delivery, address }
}

/// Pays a payment's provider share in the sandbox and completes it as a notification would.
pub(super) async fn pay_outside(db: &Db, created: &Created, now: Timestamp) {
    assert!(crate::payments::sandbox::confirm(db, &sandbox(), &created.payment_no, now).await.unwrap());
    let confirmation = confirmation(db, &created.payment_no).await;
    complete(db, &created.payment_no, &confirmation, now).await.unwrap();
}

pub(super) async fn confirmation(db: &Db, payment_no: &str) -> Confirmation {
    match sandbox().query(db, payment_no).await.unwrap() {
        ProviderStatus::Paid { transaction_id, amount, paid_at } => {
            Confirmation { provider: Some("sandbox".into()), transaction_id, amount, paid_at }
        }
        other => panic!("not paid: {other:?}"),
    }
}

pub(super) fn user_error<T: std::fmt::Debug>(result: crate::Result<T>) -> plaza_types::AppError {
    match result {
        Err(e) => e.user().cloned().unwrap_or_else(|| panic!("not a user error: {e:?}")),
        Ok(v) => panic!("accepted: {v:?}"),
    }
}
