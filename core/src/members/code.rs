//! The dynamic member code: a short-lived token signed with the server's key, so a screenshot
//! stops working within a minute and a made-up code never identifies anyone.

use crate::codes::{code128_svg, qr_svg};
use crate::rate_limit::{self, limit, Limit};
use crate::secrets::{KeyPurpose, Secrets};
use crate::{members, Db, Result, Timestamp};
use plaza_types::dto::{MemberCodeView, MemberIdentity};
use plaza_types::member_code::MemberCodeParts;
use plaza_types::{AppError, MemberId, StaffId};
use subtle::ConstantTimeEq;

pub const TTL_SECS: i64 = 60;

fn mac(secrets: &Secrets, parts: &MemberCodeParts) -> u64 {
    let full = secrets.mac(KeyPurpose::MemberCode, parts.signed_payload().as_bytes());
    u64::from_be_bytes(full[..8].try_into().expect("8 bytes")) % 100_000_000_000
}

/// Signs a code for `member`, valid for [`TTL_SECS`] from `now`.
pub fn sign(secrets: &Secrets, member: MemberId, now: Timestamp) -> String {
    let mut parts = MemberCodeParts { member_id: member, expires_at_secs: now.secs() + TTL_SECS, mac: 0 };
    parts.mac = mac(secrets, &parts);
    parts.to_digits()
}

/// A fresh code with its QR and barcode renderings.
pub fn issue(secrets: &Secrets, member: MemberId, now: Timestamp) -> MemberCodeView {
    let digits = sign(secrets, member, now);
    MemberCodeView {
        qr_svg: qr_svg(&digits),
        barcode_svg: code128_svg(&digits),
        expires_at_secs: now.secs() + TTL_SECS,
        ttl_secs: TTL_SECS,
        digits,
    }
}

/// Checks a scanned or typed code: the signature first (a forged or altered code says nothing
/// about time), then the expiry.
pub fn verify(secrets: &Secrets, scanned: &str, now: Timestamp) -> std::result::Result<MemberId, AppError> {
    let parts = MemberCodeParts::parse(scanned).map_err(|_| AppError::MemberCodeInvalid)?;
    let expected = format!("{:011}", mac(secrets, &parts));
    let given = format!("{:011}", parts.mac);
    if !bool::from(expected.as_bytes().ct_eq(given.as_bytes())) {
        return Err(AppError::MemberCodeInvalid);
    }
    if parts.expires_at_secs <= now.secs() {
        return Err(AppError::MemberCodeExpired);
    }
    Ok(parts.member_id)
}

/// Scans one staff account may check per minute: plenty for a till, too few to guess a signature.
const IDENTIFY_PER_STAFF: [Limit; 1] = [limit(60, 60)];

/// What a cashier sees after scanning: the member, if the code is genuine and current.
pub async fn identify(
    db: &Db,
    secrets: &Secrets,
    scanned: &str,
    by: StaffId,
    now: Timestamp,
) -> Result<MemberIdentity> {
    let mut tx = db.begin_write().await?;
    rate_limit::hit(&mut tx, &format!("member-code:staff:{by}"), &IDENTIFY_PER_STAFF, now).await?;
    tx.commit().await?;
    let member = verify(secrets, scanned, now)?;
    members::identity(db, member).await.map_err(|e| match e {
        crate::Error::User(AppError::NotFound) => AppError::MemberCodeInvalid.into(),
        other => other,
    })
}

/// Uses a verified member code for something that may happen once per code (awarding a sale's
/// points, paying): its digits are claimed in `member_code_uses` inside the caller's
/// transaction. A code already used is refused as expired: the member shows a fresh one.
pub async fn use_once(
    conn: &mut sqlx::AnyConnection,
    code: &str,
    member: MemberId,
    purpose: &str,
    now: Timestamp,
) -> Result<()> {
    let digits = MemberCodeParts::parse(code).map_err(|_| AppError::MemberCodeInvalid)?.to_digits();
    let claimed: Option<(String,)> = sqlx::query_as(
        "INSERT INTO member_code_uses (code, member_id, purpose, used_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (code) DO NOTHING RETURNING code",
    )
    .bind(&digits)
    .bind(member.0)
    .bind(purpose)
    .bind(now.millis())
    .fetch_optional(&mut *conn)
    .await?;
    claimed.map(|_| ()).ok_or_else(|| AppError::MemberCodeExpired.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{seed_member, test_db, test_secrets};

    #[test]
    fn genuine_codes_pass_until_they_expire() {
        let secrets = test_secrets();
        let now = Timestamp(1_800_000_000_000);
        let code = sign(&secrets, MemberId(7), now);
        assert_eq!(code.len(), 32);
        assert_eq!(verify(&secrets, &code, now), Ok(MemberId(7)));
        assert_eq!(verify(&secrets, &code, now.plus_secs(TTL_SECS - 1)), Ok(MemberId(7)));
        assert_eq!(verify(&secrets, &code, now.plus_secs(TTL_SECS)), Err(AppError::MemberCodeExpired));
    }

    #[test]
    fn forged_and_altered_codes_are_refused() {
        let secrets = test_secrets();
        let now = Timestamp(1_800_000_000_000);
        let code = sign(&secrets, MemberId(7), now);
        // Another member id with the same signature.
        let altered = format!("{}{:010}{}", &code[..1], 8, &code[11..]);
        assert_eq!(verify(&secrets, &altered, now), Err(AppError::MemberCodeInvalid));
        // A later expiry.
        let mut later = code.clone().into_bytes();
        later[20] = if later[20] == b'9' { b'8' } else { later[20] + 1 };
        assert_eq!(verify(&secrets, std::str::from_utf8(&later).unwrap(), now), Err(AppError::MemberCodeInvalid));
        // Signed with another key.
        let other = Secrets::new(vec![9; 32]).unwrap();
        assert_eq!(verify(&secrets, &sign(&other, MemberId(7), now), now), Err(AppError::MemberCodeInvalid));
        // An expired forgery is "invalid", not "expired".
        assert_eq!(verify(&secrets, &altered, now.plus_secs(3600)), Err(AppError::MemberCodeInvalid));
        assert_eq!(verify(&secrets, "hello", now), Err(AppError::MemberCodeInvalid));
    }

    #[tokio::test]
    async fn identifies_the_member_behind_a_code() {
        let db = test_db().await;
        let secrets = test_secrets();
        let now = Timestamp::now();
        let member = seed_member(&db, "13700007777").await;
        let view = issue(&secrets, member, now);
        assert!(view.qr_svg.starts_with("<svg"));
        assert!(view.barcode_svg.starts_with("<svg"));
        let staff = StaffId(1);
        let who =
            identify(&db, &secrets, &plaza_types::member_code::group_digits(&view.digits), staff, now).await.unwrap();
        assert_eq!(who.member_id, member);
        assert_eq!(who.masked_phone, "137****7777");
        // A well-signed code for a member that does not exist is simply invalid.
        let ghost = sign(&secrets, MemberId(999_999), now);
        let err = identify(&db, &secrets, &ghost, staff, now).await.unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::MemberCodeInvalid)));
    }
}
