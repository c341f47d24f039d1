//! Test helpers of the features: a fresh database per test comes from the platform
//! ([`test_db`]); here, members and tenants to test with.

pub use plaza_platform::testing::{test_secrets, TestDb};

/// A fresh, migrated database for one test, with the payment purposes installed.
pub async fn test_db() -> TestDb {
    crate::purposes::install();
    plaza_platform::testing::test_db().await
}

use crate::{tenants, Db, Timestamp};
use plaza_types::dto::{Localized, TenantKind};
use plaza_types::{MemberId, PhoneNumber, TenantId};

/// A member with this phone number.
pub async fn seed_member(db: &Db, phone: &str) -> MemberId {
    let mut tx = db.begin_write().await.unwrap();
    let (id, _) =
        crate::members::find_or_create_by_phone(&mut tx, &PhoneNumber::parse(phone).unwrap(), Timestamp::now())
            .await
            .unwrap();
    tx.commit().await.unwrap();
    id
}

/// A plate-pay tenant with this code (and its category, the first time).
pub async fn seed_tenant(db: &Db, code: &str) -> TenantId {
    let mut tx = db.begin_write().await.unwrap();
    let exists: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM tenant_categories WHERE code = 'test'").fetch_optional(&mut **tx).await.unwrap();
    if exists.is_none() {
        tenants::create_category(&mut tx, "test", &Localized::new("测试", "Test"), 0).await.unwrap();
    }
    let new = tenants::NewTenant {
        code,
        name: Localized::new(format!("测试{code}"), format!("Test {code}")),
        unit_no: "L1-01",
        floor: "L1",
        category_code: "test",
        kind: TenantKind::Plate,
        aliases: &[],
    };
    let id = tenants::create(&mut tx, &new, Timestamp::now()).await.unwrap();
    tx.commit().await.unwrap();
    id
}

/// A counter plate at `tenant`, as the details of a plate payment made there.
pub async fn plate_details(db: &Db, tenant: TenantId) -> std::sync::Arc<dyn crate::payments::Details> {
    let plate =
        crate::plates::issue(db, tenant, "测试码牌", &crate::audit::Actor::System, Timestamp::now()).await.unwrap();
    std::sync::Arc::new(crate::payments::plate_pay::PlateDetails { plate_id: plate.id, tenant })
}
