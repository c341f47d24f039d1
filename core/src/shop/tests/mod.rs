//! The online mall's catalogue on both databases (`TEST_DATABASE_URL` for PostgreSQL).

mod catalog;
mod csv;
mod curation;
mod reviews;
mod search;
mod search_rows;
mod titles;

use crate::auth::staff::{self, NewStaff};
use crate::shop::categories::{self, CategoryInput};
use crate::shop::products::{self, NewProduct};
use crate::testing::{test_db, TestDb};
use crate::{tenants, Timestamp};
use plaza_types::dto::{CategoryId, Localized, ProductId, ShopProblem, SpecDim, TenantKind};
use plaza_types::{AppError, StaffId, StaffRole, TenantId};

/// A mall with two storefronts (A and B), a plate-pay shop, their owners, and a small tree:
/// 家居生活 › 杯壶 / 床品, 食品 › 咖啡, 数码 › 手机配件 / 耳机音箱, 图书文具 › 小说 / 文具.
pub(super) struct Mall {
    pub db: TestDb,
    pub a: TenantId,
    pub b: TenantId,
    pub plate: TenantId,
    pub staff_a: StaffId,
    pub staff_b: StaffId,
    pub operator: StaffId,
    pub leaves: Vec<(&'static str, CategoryId)>,
    pub now: Timestamp,
}

impl Mall {
    pub fn leaf(&self, name: &str) -> CategoryId {
        self.leaves.iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("no category {name}")).1
    }
}

pub(super) const TREE: [(&str, &str, &[&str]); 5] = [
    ("家居生活", "box", &["杯壶", "床品", "厨具", "收纳", "家电"]),
    ("食品", "cup", &["咖啡", "零食"]),
    ("数码", "phone", &["手机配件", "耳机音箱", "电脑外设", "存储"]),
    ("图书文具", "book", &["小说", "文具"]),
    ("潮玩园艺", "toy", &["积木", "潮玩", "绿植"]),
];

pub(super) async fn mall() -> Mall {
    let db = test_db().await;
    let now = Timestamp::now();
    let mut tx = db.begin_write().await.unwrap();
    tenants::create_category(&mut tx, "home", &Localized::new("家居", "Home"), 0).await.unwrap();
    let mut ids = Vec::new();
    for (code, name, kind) in [
        ("jiawu", "家物集", TenantKind::Store),
        ("geek", "极客数码", TenantKind::Store),
        ("yishang", "衣尚精品", TenantKind::Plate),
    ] {
        let new = tenants::NewTenant {
            code,
            name: Localized::new(name, code),
            unit_no: "L3-05",
            floor: "L3",
            category_code: "home",
            kind,
            aliases: &[],
        };
        ids.push(tenants::create(&mut tx, &new, now).await.unwrap());
    }
    let mut staff_ids = Vec::new();
    for (username, role, tenant) in [
        ("jiawu.owner", StaffRole::TenantOwner, Some(ids[0])),
        ("geek.owner", StaffRole::TenantOwner, Some(ids[1])),
        ("admin", StaffRole::OperatorAdmin, None),
    ] {
        let new = NewStaff { username, display_name: username, password: "plaza2026", role, tenant_id: tenant };
        staff_ids.push(staff::create(&mut tx, new, now).await.unwrap());
    }
    tx.commit().await.unwrap();
    crate::mall::set(&db, &Localized::new("星汇广场", "Star Plaza"), crate::mall::DEFAULT_TIMEZONE, now).await.unwrap();
    let mut leaves = Vec::new();
    for (sort, (name, icon, children)) in TREE.iter().enumerate() {
        let input = CategoryInput {
            parent: None,
            name_zh: name.to_string(),
            name_en: String::new(),
            icon: icon.to_string(),
            sort: sort as i64,
        };
        let parent = categories::create(&db, &input, &crate::audit::Actor::System, now).await.unwrap();
        for (i, child) in children.iter().enumerate() {
            let input = CategoryInput {
                parent: Some(parent),
                name_zh: child.to_string(),
                name_en: String::new(),
                icon: "box".into(),
                sort: i as i64,
            };
            leaves.push((*child, categories::create(&db, &input, &crate::audit::Actor::System, now).await.unwrap()));
        }
    }
    Mall {
        a: ids[0],
        b: ids[1],
        plate: ids[2],
        staff_a: staff_ids[0],
        staff_b: staff_ids[1],
        operator: staff_ids[2],
        leaves,
        db,
        now,
    }
}

pub(super) fn dims(specs: &[(&str, &[&str])]) -> Vec<SpecDim> {
    specs
        .iter()
        .map(|(n, v)| SpecDim { name: n.to_string(), values: v.iter().map(|x| x.to_string()).collect() })
        .collect()
}

/// A draft product of `tenant` with these specs, each SKU at `price` yuan with `stock`.
pub(super) async fn product(
    m: &Mall,
    tenant: TenantId,
    title: &str,
    category: &str,
    specs: &[(&str, &[&str])],
    price: &str,
    stock: &str,
) -> ProductId {
    let by = if tenant == m.a { m.staff_a } else { m.staff_b };
    let new = NewProduct {
        title: title.into(),
        code: String::new(),
        category: m.leaf(category),
        specs: dims(specs),
        price: price.into(),
        stock: stock.into(),
    };
    products::create(&m.db, tenant, &new, by, m.now).await.unwrap()
}

/// A gallery photo row as an upload would leave it (the pipeline itself is tested with real
/// storage in `catalog::photos_are_stored_reordered_and_removed`).
pub(super) async fn photo_row(m: &Mall, id: ProductId) {
    let mut tx = m.db.begin_write().await.unwrap();
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

/// A product on sale.
pub(super) async fn listed(
    m: &Mall,
    tenant: TenantId,
    title: &str,
    category: &str,
    specs: &[(&str, &[&str])],
    price: &str,
    stock: &str,
) -> ProductId {
    let id = product(m, tenant, title, category, specs, price, stock).await;
    photo_row(m, id).await;
    products::publish(&m.db, tenant, id, m.now).await.unwrap();
    id
}

pub(super) fn problem<T: std::fmt::Debug>(result: crate::Result<T>) -> ShopProblem {
    match result {
        Err(e) => match e.user() {
            Some(AppError::Shop { problem }) => *problem,
            other => panic!("not a shop refusal: {other:?}"),
        },
        Ok(v) => panic!("accepted: {v:?}"),
    }
}

pub(super) fn not_found<T: std::fmt::Debug>(result: crate::Result<T>) {
    match result {
        Err(e) => assert_eq!(e.user(), Some(&AppError::NotFound)),
        Ok(v) => panic!("accepted: {v:?}"),
    }
}
