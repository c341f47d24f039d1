//! Staff accounts: operators and tenant staff, signed in by username and password.

use super::lockout::{self, PER_ACCOUNT_AND_ADDRESS, PER_ADDRESS};
use super::sessions::{self, NewSession};
use super::{passwords, ClientInfo, StaffPrincipal};
use crate::{Db, Result, Timestamp};
use plaza_types::dto::StaffSummary;
use plaza_types::error::Field;
use plaza_types::{AppError, StaffId, StaffRole, TenantId};
use sqlx::AnyConnection;

/// A username: 3–32 characters of lower-case letters, digits, `.`, `_` or `-`.
pub fn parse_username(input: &str) -> std::result::Result<String, AppError> {
    let name = input.trim().to_ascii_lowercase();
    let valid = (3..=32).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'));
    if valid {
        Ok(name)
    } else {
        Err(AppError::invalid(Field::Username))
    }
}

pub struct NewStaff<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub role: StaffRole,
    pub tenant_id: Option<TenantId>,
}

/// Creates a staff account. Tenant roles need a tenant; operator roles must not have one.
pub async fn create(conn: &mut AnyConnection, new: NewStaff<'_>, now: Timestamp) -> Result<StaffId> {
    let username = parse_username(new.username)?;
    let display_name = new.display_name.trim();
    if display_name.is_empty() || display_name.chars().count() > 40 {
        return Err(AppError::invalid(Field::DisplayName).into());
    }
    passwords::validate(new.password)?;
    if new.role.needs_tenant() != new.tenant_id.is_some() {
        return Err(AppError::invalid(Field::Tenant).into());
    }
    let hash = passwords::hash(new.password)?;
    // ON CONFLICT rather than catching the error: on PostgreSQL a failed statement would abort
    // the caller's whole transaction.
    let inserted: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO staff (username, password_hash, display_name, role, tenant_id, active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 1, $6, $6) ON CONFLICT (username) DO NOTHING RETURNING id",
    )
    .bind(&username)
    .bind(hash)
    .bind(display_name)
    .bind(new.role.as_str())
    .bind(new.tenant_id.map(|t| t.0))
    .bind(now.millis())
    .fetch_optional(&mut *conn)
    .await?;
    let (id,) = inserted.ok_or(AppError::AlreadyExists)?;
    Ok(StaffId(id))
}

#[derive(Debug)]
pub struct StaffSignedIn {
    pub principal: StaffPrincipal,
    pub session: NewSession,
}

/// Checks the password (in constant work whether or not the user exists) and opens a session.
/// Wrong passwords make this account wait at this address (and, far more of them, the address
/// itself); see [`lockout`].
pub async fn sign_in(
    db: &Db,
    username: &str,
    password: &str,
    client: &ClientInfo,
    now: Timestamp,
) -> Result<StaffSignedIn> {
    let username = parse_username(username).map_err(|_| AppError::BadCredentials)?;
    let account = lockout::account_key("staff", &username, &client.ip);
    let address = lockout::address_key(&client.ip);
    lockout::check(db, &[&account, &address], now).await?;
    let result = check_password(db, &username, password, client, now).await;
    let mut tx = db.begin_write().await?;
    match &result {
        Err(crate::Error::User(AppError::BadCredentials)) => {
            lockout::record_failure(&mut tx, &account, &PER_ACCOUNT_AND_ADDRESS, now).await?;
            lockout::record_failure(&mut tx, &address, &PER_ADDRESS, now).await?;
        }
        Ok(_) => lockout::clear(&mut tx, &account).await?,
        Err(_) => {}
    }
    tx.commit().await?;
    result
}

async fn check_password(
    db: &Db,
    username: &str,
    password: &str,
    client: &ClientInfo,
    now: Timestamp,
) -> Result<StaffSignedIn> {
    let row: Option<(i64, String, String, Option<i64>, i64)> =
        sqlx::query_as("SELECT id, password_hash, role, tenant_id, active FROM staff WHERE username = $1")
            .bind(username)
            .fetch_optional(db.pool())
            .await?;
    let stored = row.as_ref().map(|r| r.1.clone()).unwrap_or_else(|| passwords::decoy_hash().to_string());
    let password = password.to_string();
    let matches = tokio::task::spawn_blocking(move || passwords::verify(&password, &stored))
        .await
        .map_err(|e| crate::Error::internal(format!("password check panicked: {e}")))?;
    let Some((id, _, role, tenant_id, active)) = row else {
        return Err(AppError::BadCredentials.into());
    };
    if !matches {
        return Err(AppError::BadCredentials.into());
    }
    if active != 1 {
        return Err(AppError::AccountDisabled.into());
    }
    let role = StaffRole::parse(&role).ok_or_else(|| crate::Error::internal(format!("unknown role {role}")))?;
    let principal = StaffPrincipal { staff_id: StaffId(id), role, tenant_id: tenant_id.map(TenantId) };
    let mut tx = db.begin_write().await?;
    let session = sessions::create_for_staff(&mut tx, principal.staff_id, client, now).await?;
    tx.commit().await?;
    Ok(StaffSignedIn { principal, session })
}

/// The staff of one tenant.
pub async fn list_for_tenant(db: &Db, tenant: TenantId) -> Result<Vec<StaffSummary>> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT username, display_name, role, active FROM staff WHERE tenant_id = $1 ORDER BY role, username",
    )
    .bind(tenant.0)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(username, display_name, role, active)| {
            Some(StaffSummary { username, display_name, role: StaffRole::parse(&role)?, active: active == 1 })
        })
        .collect())
}

/// True when at least one operator administrator exists (start-up hints and `create-operator`).
pub async fn operator_admin_exists(db: &Db) -> Result<bool> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM staff WHERE role = 'operator_admin' AND active = 1")
        .fetch_one(db.pool())
        .await?;
    Ok(count > 0)
}

/// Name, role and tenant of a signed-in staff member, for the console header.
pub async fn viewer(db: &Db, staff: StaffId) -> Result<Option<(String, String)>> {
    let row: Option<(String, String)> = sqlx::query_as("SELECT username, display_name FROM staff WHERE id = $1")
        .bind(staff.0)
        .fetch_optional(db.pool())
        .await?;
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Principal;
    use crate::testing::{seed_tenant, test_db};

    fn client() -> ClientInfo {
        ClientInfo { ip: "10.0.0.1".into(), user_agent: "test".into() }
    }

    #[tokio::test]
    async fn staff_sign_in_checks_password_and_role_binding() {
        let db = test_db().await;
        let now = Timestamp(1_800_000_000_000);
        let tenant = seed_tenant(&db, "shop-a").await;
        let mut tx = db.begin_write().await.unwrap();
        let new = |username, role, tenant_id| NewStaff {
            username,
            display_name: "Test",
            password: "password-1",
            role,
            tenant_id,
        };
        create(&mut tx, new("cashier.a", StaffRole::TenantCashier, Some(tenant)), now).await.unwrap();
        create(&mut tx, new("boss", StaffRole::OperatorAdmin, None), now).await.unwrap();
        // Role and tenant must agree.
        let err = create(&mut tx, new("loose", StaffRole::TenantOwner, None), now).await.unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::Invalid { field: Field::Tenant })));
        let err = create(&mut tx, new("boss", StaffRole::OperatorStaff, None), now).await.unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::AlreadyExists)));
        tx.commit().await.unwrap();

        let signed = sign_in(&db, "Cashier.A", "password-1", &client(), now).await.unwrap();
        assert_eq!(signed.principal.role, StaffRole::TenantCashier);
        assert_eq!(signed.principal.tenant_id, Some(tenant));
        assert!(signed.principal.may_act_for(tenant));
        assert!(!signed.principal.may_act_for(TenantId(tenant.0 + 1)));
        let who = sessions::authenticate(&db, &signed.session.token, now).await.unwrap();
        assert_eq!(who, Some(Principal::Staff(signed.principal.clone())));

        for (user, pass) in [("cashier.a", "wrong-pass"), ("nobody", "password-1"), ("x", "password-1")] {
            let err = sign_in(&db, user, pass, &client(), now).await.unwrap_err();
            assert!(matches!(err, crate::Error::User(AppError::BadCredentials)), "{user}: {err:?}");
        }

        // Sign-out everywhere ends every session of that account.
        let other = sign_in(&db, "cashier.a", "password-1", &client(), now).await.unwrap();
        assert_eq!(sessions::end_all(&db, &Principal::Staff(signed.principal)).await.unwrap(), 2);
        assert_eq!(sessions::authenticate(&db, &other.session.token, now).await.unwrap(), None);
    }

    /// Finding 5 of issue 14: ten wrong passwords from a stranger's address locked the owner
    /// out for 15 minutes. Now the stranger waits, the owner at their own address does not, and
    /// the right password never counts against anyone.
    #[tokio::test]
    async fn wrong_passwords_slow_the_guesser_not_the_owner() {
        let db = test_db().await;
        let now = Timestamp(1_800_000_000_000);
        let tenant = seed_tenant(&db, "dessert").await;
        let mut tx = db.begin_write().await.unwrap();
        let owner = NewStaff {
            username: "dessert.owner",
            display_name: "Owner",
            password: "password-1",
            role: StaffRole::TenantOwner,
            tenant_id: Some(tenant),
        };
        create(&mut tx, owner, now).await.unwrap();
        tx.commit().await.unwrap();
        let stranger = ClientInfo { ip: "203.0.113.9".into(), user_agent: "x".into() };
        let at_the_counter = ClientInfo { ip: "10.0.0.7".into(), user_agent: "phone".into() };

        // Successes cost nothing: twenty in a row.
        for i in 0..20 {
            sign_in(&db, "dessert.owner", "password-1", &at_the_counter, now.plus_secs(i)).await.unwrap();
        }
        let mut refused_at = None;
        for i in 0..10 {
            match sign_in(&db, "dessert.owner", "wrong-pass", &stranger, now.plus_secs(i)).await.unwrap_err() {
                crate::Error::User(AppError::BadCredentials) => {}
                crate::Error::User(AppError::RateLimited { retry_after_secs }) => {
                    refused_at.get_or_insert((i, retry_after_secs));
                }
                other => panic!("{other:?}"),
            }
        }
        // Five wrong tries are free; the sixth waits.
        assert_eq!(refused_at.map(|(i, _)| i), Some(5));
        // Even the right password waits from the stranger's address…
        let err = sign_in(&db, "dessert.owner", "password-1", &stranger, now.plus_secs(10)).await.unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::RateLimited { .. })), "{err:?}");
        // …but the owner at the counter signs in at once.
        sign_in(&db, "dessert.owner", "password-1", &at_the_counter, now.plus_secs(10)).await.unwrap();
        // After the wait the stranger may try again, and each failure doubles the next wait.
        sign_in(&db, "dessert.owner", "wrong-pass", &stranger, now.plus_secs(45)).await.unwrap_err();
        let err = sign_in(&db, "dessert.owner", "wrong-pass", &stranger, now.plus_secs(46)).await.unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::RateLimited { retry_after_secs: 59 })), "{err:?}");
        // The right password after the wait clears the count for that address.
        sign_in(&db, "dessert.owner", "password-1", &stranger, now.plus_secs(106)).await.unwrap();
        sign_in(&db, "dessert.owner", "wrong-pass", &stranger, now.plus_secs(107)).await.unwrap_err();
        let err = sign_in(&db, "dessert.owner", "wrong-pass", &stranger, now.plus_secs(108)).await.unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::BadCredentials)), "{err:?}");
    }

    #[tokio::test]
    async fn disabled_staff_cannot_sign_in_or_use_old_sessions() {
        let db = test_db().await;
        let now = Timestamp(1_800_000_000_000);
        let mut tx = db.begin_write().await.unwrap();
        let new = NewStaff {
            username: "ops1",
            display_name: "Ops",
            password: "password-1",
            role: StaffRole::OperatorStaff,
            tenant_id: None,
        };
        create(&mut tx, new, now).await.unwrap();
        tx.commit().await.unwrap();
        let signed = sign_in(&db, "ops1", "password-1", &client(), now).await.unwrap();
        let mut tx = db.begin_write().await.unwrap();
        sqlx::query("UPDATE staff SET active = 0").execute(&mut **tx).await.unwrap();
        tx.commit().await.unwrap();
        let err = sign_in(&db, "ops1", "password-1", &client(), now).await.unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::AccountDisabled)));
        assert_eq!(sessions::authenticate(&db, &signed.session.token, now).await.unwrap(), None);
    }
}
