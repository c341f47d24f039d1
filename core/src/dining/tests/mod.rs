//! Scan-to-order against both databases, with the payment sandbox as the provider.

mod concurrency;
mod menus;
mod orders;

use super::cart::{self, AddDish};
use super::checkout::{self, PlaceOrder};
use super::menu_admin::{self, DishInput};
use super::tables::{self, AreaOwner};
use crate::audit::Actor;
use crate::events::{self, Cursor, Filter};
use crate::payments::sandbox::{self, Delivery, Sandbox};
use crate::payments::{complete, Choice, Completion, Confirmation, Created, PaymentProvider, ProviderStatus};
use crate::testing::{seed_member, test_db, TestDb};
use crate::{stored_value, tenants, Db, Timestamp};
use plaza_types::dto::{DiningTicket, Localized, ServingWindow, TenantKind};
use plaza_types::events::Event;
use plaza_types::{Fen, MemberId, TenantId};

/// 2026-03-10 10:00 in Shanghai.
pub(super) const T0: Timestamp = Timestamp(1_773_108_000_000);

pub(super) fn sandbox() -> Sandbox {
    Sandbox { notify_url: "http://127.0.0.1:9/notify/wechat".into(), delivery: Delivery::Normal }
}

/// A restaurant with a menu (noodles with a required size and optional add-ons, a plain dish, a
/// breakfast dish served 07:00–09:00), one area with tables 1–4, and a shopper.
pub(super) struct Kitchen {
    pub db: TestDb,
    pub tenant: TenantId,
    pub code: &'static str,
    pub table: String,
    pub member: MemberId,
    pub noodles: i64,
    pub large: i64,
    pub small: i64,
    pub egg: i64,
    pub tea: i64,
    pub breakfast: i64,
}

pub(super) async fn restaurant(db: &Db, code: &'static str) -> TenantId {
    let mut tx = db.begin_write().await.unwrap();
    let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM tenant_categories WHERE code = 'dining'")
        .fetch_optional(&mut **tx)
        .await
        .unwrap();
    if exists.is_none() {
        tenants::create_category(&mut tx, "dining", &Localized::new("餐饮", "Dining"), 0).await.unwrap();
    }
    let new = tenants::NewTenant {
        code,
        name: Localized::new(format!("餐厅{code}"), format!("Restaurant {code}")),
        unit_no: "B1-01",
        floor: "B1",
        category_code: "dining",
        kind: TenantKind::Restaurant,
        aliases: &[],
    };
    let id = tenants::create(&mut tx, &new, T0).await.unwrap();
    tx.commit().await.unwrap();
    id
}

pub(super) fn named(zh: &str) -> Localized {
    Localized::new(zh, "")
}

pub(super) async fn dish(db: &Db, tenant: TenantId, category: i64, zh: &str, price: i64, member: Option<i64>) -> i64 {
    let input = DishInput {
        category_id: category,
        name: named(zh),
        price: Fen(price),
        member_price: member.map(Fen),
        ..Default::default()
    };
    menu_admin::save_dish(db, tenant, None, &input, T0).await.unwrap()
}

pub(super) async fn kitchen() -> Kitchen {
    let db = test_db().await;
    let k = setup(db, "noodle").await;
    // ¥500 of stored value: most tests pay without the provider.
    let mut tx = k.db.begin_write().await.unwrap();
    stored_value::credit(&mut tx, k.member, Fen(50_000), "topup", "seed", "", &Actor::System, T0).await.unwrap();
    tx.commit().await.unwrap();
    k
}

pub(super) async fn setup(db: TestDb, code: &'static str) -> Kitchen {
    let tenant = restaurant(&db, code).await;
    let mains = menu_admin::add_category(&db, tenant, &named("面"), None, T0).await.unwrap();
    let morning = ServingWindow { from: 7 * 60, until: 9 * 60 };
    let early = menu_admin::add_category(&db, tenant, &named("早餐"), Some(morning), T0).await.unwrap();
    let noodles = dish(&db, tenant, mains, "牛肉面", 2_800, Some(2_500)).await;
    let size = menu_admin::add_group(&db, tenant, noodles, &named("份量"), 1, 1, T0).await.unwrap();
    let small = menu_admin::add_option(&db, tenant, size, &named("小份"), Fen(0), T0).await.unwrap();
    let large = menu_admin::add_option(&db, tenant, size, &named("大份"), Fen(600), T0).await.unwrap();
    let extra = menu_admin::add_group(&db, tenant, noodles, &named("加料"), 0, 2, T0).await.unwrap();
    let egg = menu_admin::add_option(&db, tenant, extra, &named("加蛋"), Fen(200), T0).await.unwrap();
    menu_admin::add_option(&db, tenant, extra, &named("加肉"), Fen(800), T0).await.unwrap();
    let tea = dish(&db, tenant, mains, "柠檬茶", 800, None).await;
    let breakfast = dish(&db, tenant, early, "豆浆油条", 900, None).await;
    let area =
        tables::create_area(&db, AreaOwner::Restaurant(tenant), &named("大堂"), "", &Actor::System, T0).await.unwrap();
    tables::add_tables(&db, AreaOwner::Restaurant(tenant), area, "1-4", &Actor::System, T0).await.unwrap();
    let table = table_code(&db, area, "1").await;
    let member = seed_member(&db, "13300000101").await;
    Kitchen { db, tenant, code, table, member, noodles, large, small, egg, tea, breakfast }
}

pub(super) async fn table_code(db: &Db, area: i64, label: &str) -> String {
    let (code,): (String,) =
        sqlx::query_as("SELECT code FROM dining_tables WHERE area_id = $1 AND label = $2 AND status = 'active'")
            .bind(area)
            .bind(label)
            .fetch_one(db.pool())
            .await
            .unwrap();
    code
}

impl Kitchen {
    pub fn add(&self, dish: i64, options: &[i64], quantity: i64) -> AddDish {
        AddDish {
            table_code: self.table.clone(),
            restaurant_code: self.code.to_string(),
            dish,
            options: options.to_vec(),
            quantity,
            remark: String::new(),
        }
    }

    pub fn order(&self, key: &str) -> PlaceOrder {
        PlaceOrder {
            table_code: self.table.clone(),
            restaurant_code: self.code.to_string(),
            choice: Choice { coupon: None, use_points: false, use_stored_value: true },
            expected_total: None,
            expected_to_pay: None,
            request_key: key.to_string(),
        }
    }

    /// A bowl of large noodles with an egg (¥36) in `member`'s cart, placed and paid from stored value.
    pub async fn paid_order(&self, member: MemberId, key: &str) -> String {
        cart::add(&self.db, member, &self.add(self.noodles, &[self.large, self.egg], 1), T0).await.unwrap();
        let created = checkout::place(&self.db, &sandbox(), member, &self.order(key), T0).await.unwrap();
        assert_eq!(created.state, crate::payments::PaymentState::Paid, "stored value covers it");
        created.payment_no.to_string()
    }

    pub async fn order_id(&self, order_no: &str) -> i64 {
        let (id,): (i64,) = sqlx::query_as("SELECT id FROM dining_orders WHERE payment_no = $1")
            .bind(order_no)
            .fetch_one(self.db.pool())
            .await
            .unwrap();
        id
    }

    pub async fn state(&self, order_no: &str) -> String {
        let (state,): (String,) = sqlx::query_as("SELECT state FROM dining_orders WHERE payment_no = $1")
            .bind(order_no)
            .fetch_one(self.db.pool())
            .await
            .unwrap();
        state
    }
}

/// Pays an order's provider share in the sandbox and completes it as a notification would.
pub(super) async fn pay_outside(db: &Db, created: &Created) -> Completion {
    assert!(sandbox::confirm(db, &sandbox(), &created.payment_no, T0).await.unwrap());
    complete(db, &created.payment_no, &confirmation(db, &created.payment_no).await, T0).await.unwrap()
}

pub(super) async fn confirmation(db: &Db, payment_no: &str) -> Confirmation {
    match sandbox().query(db, payment_no).await.unwrap() {
        ProviderStatus::Paid { transaction_id, amount, paid_at } => {
            Confirmation { provider: Some("sandbox".into()), transaction_id, amount, paid_at }
        }
        other => panic!("not paid: {other:?}"),
    }
}

/// The dining tickets the outbox holds for `tenant`, oldest first.
pub(super) async fn kitchen_events(db: &Db, tenant: TenantId) -> Vec<DiningTicket> {
    let filter = Filter { kinds: &[Event::DINING], tenant: Some(tenant), member: None };
    // On PostgreSQL another test's open transaction on the same cluster holds the read back (the
    // outbox never hands out an event while an older transaction may still commit one): wait it out.
    let mut batch = events::read_after(db, Cursor::default(), &filter, 1_000).await.unwrap();
    for _ in 0..200 {
        if !batch.held_back {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        batch = events::read_after(db, Cursor::default(), &filter, 1_000).await.unwrap();
    }
    batch
        .events
        .into_iter()
        .filter_map(|e| match e.event {
            Event::Dining(t) => Some(t),
            _ => None,
        })
        .collect()
}
