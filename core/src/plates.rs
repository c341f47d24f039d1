//! Payment plates (码牌): a printed QR code at a tenant's counter. Its URL is plain https
//! (`/p/<code>`), so a phone camera, WeChat or Alipay all open it. Issued, named, printed and
//! revoked by the tenant or an operator.

use crate::audit::{self, Actor, Entry};
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{Localized, PlateView};
use plaza_types::error::Field;
use plaza_types::{AppError, TenantId};
use rand::Rng;

/// The plate's code: 10 characters without look-alikes, unguessable enough not to be enumerated.
fn new_code() -> String {
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    let mut rng = rand::rngs::OsRng;
    (0..10).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
}

pub async fn issue(db: &Db, tenant: TenantId, name: &str, actor: &Actor, now: Timestamp) -> Result<PlateView> {
    let name = name.trim();
    if !(1..=30).contains(&name.chars().count()) {
        return Err(AppError::invalid(Field::Name).into());
    }
    let mut tx = db.begin_write().await?;
    let code = new_code();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO payment_plates (tenant_id, code, name, status, created_at) VALUES ($1, $2, $3, 'active', $4) RETURNING id",
    )
    .bind(tenant.0)
    .bind(&code)
    .bind(name)
    .bind(now.millis())
    .fetch_one(&mut **tx)
    .await?;
    audit::append(
        &mut tx,
        Entry::new(actor, "plate.issue").tenant(Some(tenant)).subject(format!("plate:{id}")).details(name.to_string()),
        now,
    )
    .await?;
    tx.commit().await?;
    get(db, &code).await?.ok_or_else(|| crate::Error::internal("plate vanished"))
}

/// Revokes one of `tenant`'s plates (a plate of another tenant is not found).
pub async fn revoke(db: &Db, tenant: TenantId, plate: i64, actor: &Actor, now: Timestamp) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query("UPDATE payment_plates SET status = 'revoked', revoked_at = $1 WHERE id = $2 AND tenant_id = $3 AND status = 'active'")
        .bind(now.millis())
        .bind(plate)
        .bind(tenant.0)
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::NotFound.into());
    }
    audit::append(
        &mut tx,
        Entry::new(actor, "plate.revoke").tenant(Some(tenant)).subject(format!("plate:{plate}")),
        now,
    )
    .await?;
    tx.commit().await
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    tenant_id: i64,
    code: String,
    name: String,
    status: String,
    name_zh: String,
    name_en: String,
    unit_no: String,
    tenant_status: String,
}

const SELECT: &str =
    "SELECT p.id, p.tenant_id, p.code, p.name, p.status, t.name_zh, t.name_en, t.unit_no, t.status AS tenant_status \
     FROM payment_plates p JOIN tenants t ON t.id = p.tenant_id";

fn view(r: Row) -> PlateView {
    PlateView {
        id: r.id,
        tenant_id: r.tenant_id,
        code: r.code,
        name: r.name,
        active: r.status == "active" && r.tenant_status == "active",
        tenant: Localized::new(r.name_zh, r.name_en),
        unit_no: r.unit_no,
    }
}

/// A plate by its code (what a scan opens).
pub async fn get(db: &Db, code: &str) -> Result<Option<PlateView>> {
    let row: Option<Row> =
        sqlx::query_as(&format!("{SELECT} WHERE p.code = $1")).bind(code).fetch_optional(db.pool()).await?;
    Ok(row.map(view))
}

pub async fn list(db: &Db, tenant: TenantId) -> Result<Vec<PlateView>> {
    let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} WHERE p.tenant_id = $1 ORDER BY p.status, p.id"))
        .bind(tenant.0)
        .fetch_all(db.pool())
        .await?;
    Ok(rows.into_iter().map(view).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{seed_tenant, test_db};

    #[tokio::test]
    async fn plates_are_issued_found_by_code_and_revoked_by_their_own_tenant_only() {
        let db = test_db().await;
        let now = Timestamp(1_773_108_000_000);
        let a = seed_tenant(&db, "a").await;
        let b = seed_tenant(&db, "b").await;
        let plate = issue(&db, a, "收银台 1", &Actor::System, now).await.unwrap();
        assert_eq!(plate.code.len(), 10);
        assert!(get(&db, &plate.code).await.unwrap().unwrap().active);
        assert!(revoke(&db, b, plate.id, &Actor::System, now).await.is_err(), "another tenant's plate is not found");
        revoke(&db, a, plate.id, &Actor::System, now).await.unwrap();
        assert!(!get(&db, &plate.code).await.unwrap().unwrap().active);
        assert_eq!(list(&db, a).await.unwrap().len(), 1);
        assert!(issue(&db, a, " ", &Actor::System, now).await.is_err());
    }
}
