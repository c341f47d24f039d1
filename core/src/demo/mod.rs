//! The demo mall: 星汇广场 / Star Plaza, with tenants of all three kinds (plate-pay shops,
//! restaurants including a food court, storefronts), staff for every role, two shoppers, and the
//! rewards side (`wallet`).

mod dining;
mod membership;
pub mod reconcile;
mod shop;
mod wallet;

/// Draws and stores the demo's pictures (dishes, products, the mall home's banners) that are
/// still missing, and puts the demo products on sale. Returns how many pictures it drew.
pub async fn draw_photos(db: &Db, storage: &crate::storage::Storage, now: Timestamp) -> Result<usize> {
    Ok(dining::draw_photos(db, storage, now).await? + shop::draw_photos(db, storage, now).await?)
}

use crate::auth::staff::{self, NewStaff};
use crate::members::{self, ProfileUpdate};
use crate::tenants::{self, NewTenant};
use crate::{mall, Db, Result, Timestamp};
use plaza_types::dto::{Localized, TenantKind};
use plaza_types::{PhoneNumber, StaffRole};

/// Every demo staff account uses this password (the README lists the accounts).
pub const DEMO_PASSWORD: &str = "plaza2026";

pub struct DemoShopper {
    pub phone: &'static str,
    pub name: &'static str,
}

pub const DEMO_SHOPPERS: [DemoShopper; 4] = [
    DemoShopper { phone: "13800138000", name: "张小满" },
    DemoShopper { phone: "13900139000", name: "李想" },
    DemoShopper { phone: "13700137000", name: "王晓" },
    DemoShopper { phone: "13600136000", name: "陈晨" },
];

const CATEGORIES: [(&str, &str, &str); 8] = [
    ("fashion", "服饰", "Fashion"),
    ("beauty", "美容美发", "Beauty & hair"),
    ("sports", "运动户外", "Sports"),
    ("dining", "餐饮", "Dining"),
    ("cafe", "咖啡茶饮", "Cafés & tea"),
    ("home", "家居生活", "Home & living"),
    ("books", "图书文具", "Books & stationery"),
    ("digital", "数码电器", "Electronics"),
];

struct DemoTenant {
    code: &'static str,
    zh: &'static str,
    en: &'static str,
    unit: &'static str,
    category: &'static str,
    kind: TenantKind,
    aliases: &'static [&'static str],
    /// Staff besides the owner.
    staff: &'static [StaffRole],
}

use StaffRole::{TenantCashier as Cashier, TenantFulfilment as Fulfilment, TenantKitchen as Kitchen};
use TenantKind::{Plate, Restaurant, Store};

const TENANTS: [DemoTenant; 14] = [
    DemoTenant {
        code: "yishang",
        zh: "衣尚精品",
        en: "Yishang Boutique",
        unit: "L1-08",
        category: "fashion",
        kind: Plate,
        aliases: &["衣尚", "YISHANG"],
        staff: &[Cashier],
    },
    DemoTenant {
        code: "deer",
        zh: "小鹿饰品",
        en: "Little Deer Accessories",
        unit: "L1-K2",
        category: "fashion",
        kind: Plate,
        aliases: &["小鹿"],
        staff: &[Cashier],
    },
    DemoTenant {
        code: "hair",
        zh: "剪艺美发",
        en: "Cut & Style Salon",
        unit: "L3-21",
        category: "beauty",
        kind: Plate,
        aliases: &["剪艺"],
        staff: &[Cashier],
    },
    DemoTenant {
        code: "move",
        zh: "悦动运动",
        en: "Move Sports",
        unit: "L2-15",
        category: "sports",
        kind: Plate,
        aliases: &["悦动"],
        staff: &[Cashier],
    },
    DemoTenant {
        code: "breeze",
        zh: "清风眼镜",
        en: "Breeze Optical",
        unit: "L2-03",
        category: "fashion",
        kind: Plate,
        aliases: &[],
        staff: &[],
    },
    DemoTenant {
        code: "sichuan",
        zh: "川味小馆",
        en: "Sichuan Bistro",
        unit: "L4-02",
        category: "dining",
        kind: Restaurant,
        aliases: &["川味"],
        staff: &[Cashier, Kitchen],
    },
    DemoTenant {
        code: "noodle",
        zh: "面面俱到",
        en: "Noodle House",
        unit: "B1-16",
        category: "dining",
        kind: Restaurant,
        aliases: &[],
        staff: &[Kitchen],
    },
    DemoTenant {
        code: "roast",
        zh: "港式烧腊",
        en: "HK Roast",
        unit: "B1-17",
        category: "dining",
        kind: Restaurant,
        aliases: &["烧腊"],
        staff: &[Kitchen],
    },
    DemoTenant {
        code: "dessert",
        zh: "甜品时光",
        en: "Dessert Time",
        unit: "B1-18",
        category: "dining",
        kind: Restaurant,
        aliases: &[],
        staff: &[Kitchen],
    },
    DemoTenant {
        code: "coffee",
        zh: "转角咖啡",
        en: "Corner Coffee",
        unit: "L1-02",
        category: "cafe",
        kind: Restaurant,
        aliases: &["CORNER COFFEE"],
        staff: &[Cashier, Kitchen],
    },
    DemoTenant {
        code: "homegoods",
        zh: "家物集",
        en: "Home Goods Co.",
        unit: "L3-05",
        category: "home",
        kind: Store,
        aliases: &[],
        staff: &[Fulfilment],
    },
    DemoTenant {
        code: "cozy",
        zh: "暖暖生活馆",
        en: "Cozy Living",
        unit: "L3-06",
        category: "home",
        kind: Store,
        aliases: &["暖暖"],
        staff: &[Fulfilment],
    },
    DemoTenant {
        code: "bookworm",
        zh: "书香阁",
        en: "Bookworm",
        unit: "L3-10",
        category: "books",
        kind: Store,
        aliases: &[],
        staff: &[Fulfilment],
    },
    DemoTenant {
        code: "geek",
        zh: "极客数码",
        en: "Geek Digital",
        unit: "L2-20",
        category: "digital",
        kind: Store,
        aliases: &["极客"],
        staff: &[Cashier, Fulfilment],
    },
];

/// Restaurants sharing the basement food court.
const FOOD_COURT: [&str; 3] = ["noodle", "roast", "dessert"];

/// A line of the demo accounts table.
pub struct DemoAccount {
    pub username: String,
    pub role: StaffRole,
    pub tenant: Option<&'static str>,
}

fn role_suffix(role: StaffRole) -> &'static str {
    match role {
        StaffRole::OperatorAdmin => "admin",
        StaffRole::OperatorStaff => "ops",
        StaffRole::TenantOwner => "owner",
        StaffRole::TenantCashier => "cashier",
        StaffRole::TenantKitchen => "kitchen",
        StaffRole::TenantFulfilment => "fulfilment",
    }
}

/// The staff accounts the demo creates, in the order of the README table.
pub fn accounts() -> Vec<DemoAccount> {
    let mut accounts = vec![
        DemoAccount { username: "admin".into(), role: StaffRole::OperatorAdmin, tenant: None },
        DemoAccount { username: "ops".into(), role: StaffRole::OperatorStaff, tenant: None },
    ];
    for t in &TENANTS {
        for role in std::iter::once(&StaffRole::TenantOwner).chain(t.staff) {
            accounts.push(DemoAccount {
                username: format!("{}.{}", t.code, role_suffix(*role)),
                role: *role,
                tenant: Some(t.code),
            });
        }
    }
    accounts
}

/// Seeds the demo mall into an empty database. Returns false (and changes nothing) when the
/// database already has a mall or tenants.
pub async fn seed(db: &Db, now: Timestamp) -> Result<bool> {
    if mall::get(db).await?.is_some() || tenants::count(db).await? > 0 {
        return Ok(false);
    }
    mall::set(db, &Localized::new("星汇广场", "Star Plaza"), mall::DEFAULT_TIMEZONE, now).await?;
    let demo_accounts = accounts();
    let mut tx = db.begin_write().await?;
    for (sort, (code, zh, en)) in CATEGORIES.iter().enumerate() {
        tenants::create_category(&mut tx, code, &Localized::new(*zh, *en), sort as i64).await?;
    }
    let mut ids = std::collections::HashMap::new();
    for t in &TENANTS {
        let floor = t.unit.split('-').next().unwrap_or_default();
        let new = NewTenant {
            code: t.code,
            name: Localized::new(t.zh, t.en),
            unit_no: t.unit,
            floor,
            category_code: t.category,
            kind: t.kind,
            aliases: t.aliases,
        };
        ids.insert(t.code, tenants::create(&mut tx, &new, now).await?);
    }
    let (area,): (i64,) = sqlx::query_as(
        "INSERT INTO dining_areas (code, name_zh, name_en, floor, shared) VALUES ('food-court', '美食广场', 'Food Court', 'B1', 1) RETURNING id",
    )
    .fetch_one(&mut **tx)
    .await?;
    for code in FOOD_COURT {
        sqlx::query("INSERT INTO dining_area_tenants (area_id, tenant_id) VALUES ($1, $2)")
            .bind(area)
            .bind(ids[code].0)
            .execute(&mut **tx)
            .await?;
    }
    for account in demo_accounts {
        let tenant_id = account.tenant.map(|code| ids[code]);
        let display_name = match account.tenant.and_then(|code| TENANTS.iter().find(|t| t.code == code)) {
            Some(t) => format!("{} {}", t.zh, role_label_zh(account.role)),
            None => role_label_zh(account.role).to_string(),
        };
        let new = NewStaff {
            username: &account.username,
            display_name: &display_name,
            password: DEMO_PASSWORD,
            role: account.role,
            tenant_id,
        };
        staff::create(&mut tx, new, now).await?;
    }
    let mut shoppers = Vec::new();
    for shopper in &DEMO_SHOPPERS {
        let phone = PhoneNumber::parse(shopper.phone).map_err(|_| crate::Error::internal("demo phone"))?;
        shoppers.push((members::find_or_create_by_phone(&mut tx, &phone, now).await?.0, shopper.name));
    }
    let (dining,): (i64,) =
        sqlx::query_as("SELECT id FROM tenant_categories WHERE code = 'dining'").fetch_one(&mut **tx).await?;
    tx.commit().await?;
    // A counter plate at every shop, ready to print from its console.
    for tenant in ids.values() {
        crate::plates::issue(db, *tenant, "收银台 1", &crate::audit::Actor::System, now).await?;
    }
    // Menus, tables and the food court's tables for scan-to-order.
    dining::seed(db, &ids, now).await?;
    // The online mall: categories, storefronts, products (on sale once their photos are drawn).
    shop::seed(db, &ids, now).await?;
    for (member, name) in &shoppers {
        let update = ProfileUpdate { name: name.to_string(), birthday: String::new() };
        members::update_profile(db, *member, &update, now).await?;
    }
    let ids: Vec<_> = shoppers.iter().map(|(id, _)| *id).collect();
    wallet::seed(db, &ids, dining, now).await?;
    membership::seed(db, now).await?;
    reconcile::seed(db, now).await?;
    Ok(true)
}

fn role_label_zh(role: StaffRole) -> &'static str {
    match role {
        StaffRole::OperatorAdmin => "商场管理员",
        StaffRole::OperatorStaff => "会员运营",
        StaffRole::TenantOwner => "店长",
        StaffRole::TenantCashier => "收银员",
        StaffRole::TenantKitchen => "后厨",
        StaffRole::TenantFulfilment => "履约",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::test_db;

    #[tokio::test]
    async fn seeds_a_full_mall_once() {
        let db = test_db().await;
        let now = Timestamp::now();
        assert!(seed(&db, now).await.unwrap());
        assert!(!seed(&db, now).await.unwrap(), "a second run changes nothing");
        let all = tenants::list(&db).await.unwrap();
        assert!(all.len() >= 12);
        for kind in [TenantKind::Plate, TenantKind::Restaurant, TenantKind::Store] {
            assert!(all.iter().filter(|t| t.kind == kind).count() >= 3, "{kind:?}");
        }
        let roles: std::collections::HashSet<_> = accounts().iter().map(|a| a.role).collect();
        assert_eq!(roles.len(), StaffRole::ALL.len(), "every role has a demo account");
        let client = crate::auth::ClientInfo::default();
        let signed = staff::sign_in(&db, "sichuan.kitchen", DEMO_PASSWORD, &client, now).await.unwrap();
        assert_eq!(signed.principal.role, StaffRole::TenantKitchen);
        let (shared,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM dining_area_tenants").fetch_one(db.pool()).await.unwrap();
        assert_eq!(shared, 3);
    }
}
