//! The member record, the profile a member edits, and the card page.

use crate::{levels, mall, Db, Result, Timestamp, WriteTx};
use plaza_types::dto::{LevelBadge, MemberIdentity, MemberViewer};
use plaza_types::error::Field;
use plaza_types::{AppError, MemberId, PhoneNumber};

/// Finds the member with this verified number, creating them (at the lowest level) on first sign-in.
/// Returns the id and whether the member was created now.
pub async fn find_or_create_by_phone(
    tx: &mut WriteTx,
    phone: &PhoneNumber,
    now: Timestamp,
) -> Result<(MemberId, bool)> {
    let entry_level = levels::entry_level_code(tx).await?;
    let inserted = sqlx::query(
        "INSERT INTO members (phone, level_code, created_at, updated_at) VALUES ($1, $2, $3, $3) ON CONFLICT (phone) DO NOTHING",
    )
    .bind(phone.as_str())
    .bind(entry_level)
    .bind(now.millis())
    .execute(&mut ***tx)
    .await?;
    let (id, status): (i64, String) = sqlx::query_as("SELECT id, status FROM members WHERE phone = $1")
        .bind(phone.as_str())
        .fetch_one(&mut ***tx)
        .await?;
    if status != "active" {
        return Err(AppError::AccountDisabled.into());
    }
    Ok((MemberId(id), inserted.rows_affected() == 1))
}

#[derive(Clone, Debug, Default)]
pub struct ProfileUpdate {
    pub name: String,
    /// `YYYY-MM-DD`, or empty to leave it as it is.
    pub birthday: String,
}

/// A display name: 1–20 characters, no control characters.
fn parse_name(input: &str) -> std::result::Result<String, AppError> {
    let name = input.trim();
    let len = name.chars().count();
    if (1..=20).contains(&len) && !name.chars().any(char::is_control) {
        Ok(name.to_string())
    } else {
        Err(AppError::invalid(Field::Name))
    }
}

/// A birthday in the past, as `YYYY-MM-DD`.
fn parse_birthday(input: &str, today: jiff::civil::Date) -> std::result::Result<String, AppError> {
    let date: jiff::civil::Date = input.trim().parse().map_err(|_| AppError::invalid(Field::Birthday))?;
    if date.year() < 1900 || date > today {
        return Err(AppError::invalid(Field::Birthday));
    }
    Ok(date.to_string())
}

/// Saves name and birthday. The birthday can be set once by the member (it drives the birthday
/// gift); correcting it later is an operator's job.
pub async fn update_profile(db: &Db, member: MemberId, update: &ProfileUpdate, now: Timestamp) -> Result<()> {
    let name = parse_name(&update.name)?;
    let tz = mall::timezone(db).await?;
    let today: jiff::civil::Date = now.local_date(&tz).parse().map_err(|_| crate::Error::internal("bad date"))?;
    let birthday = match update.birthday.trim() {
        "" => None,
        value => Some(parse_birthday(value, today)?),
    };
    let mut tx = db.begin_write().await?;
    let (current,): (Option<String>,) = sqlx::query_as("SELECT birthday FROM members WHERE id = $1")
        .bind(member.0)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if let (Some(current), Some(new)) = (&current, &birthday) {
        if current != new {
            return Err(AppError::invalid(Field::Birthday).into());
        }
    }
    // When the birthday was set: the gift waits 30 days from then (a new account cannot set
    // today and collect at once).
    let set_at = (current.is_none() && birthday.is_some()).then_some(now.millis());
    sqlx::query(
        "UPDATE members SET name = $1, birthday = COALESCE(birthday, $2), \
         birthday_set_at = COALESCE(birthday_set_at, $5), updated_at = $3 WHERE id = $4",
    )
    .bind(name)
    .bind(birthday)
    .bind(now.millis())
    .bind(member.0)
    .bind(set_at)
    .execute(&mut **tx)
    .await?;
    tx.commit().await
}

type MemberRow = (String, String, Option<String>, String, String, String, i64);

async fn load(db: &Db, member: MemberId) -> Result<MemberRow> {
    let row: Option<MemberRow> = sqlx::query_as(
        "SELECT m.name, m.phone, m.birthday, l.code, l.name_zh, l.name_en, m.created_at \
         FROM members m JOIN levels l ON l.code = m.level_code WHERE m.id = $1 AND m.status = 'active'",
    )
    .bind(member.0)
    .fetch_optional(db.pool())
    .await?;
    row.ok_or_else(|| AppError::NotFound.into())
}

pub(super) fn last4(phone: &str) -> String {
    phone[phone.len().saturating_sub(4)..].to_string()
}

pub(super) fn masked(phone: &str) -> String {
    PhoneNumber::parse(phone).map(|p| p.masked()).unwrap_or_else(|_| "***".into())
}

pub async fn identity(db: &Db, member: MemberId) -> Result<MemberIdentity> {
    let (name, phone, _, level_code, level_zh, level_en, _) = load(db, member).await?;
    Ok(MemberIdentity {
        member_id: member,
        name,
        phone_last4: last4(&phone),
        masked_phone: masked(&phone),
        level: LevelBadge { code: level_code, name: plaza_types::dto::Localized::new(level_zh, level_en) },
    })
}

pub async fn viewer(db: &Db, member: MemberId) -> Result<MemberViewer> {
    let (name, phone, ..) = load(db, member).await?;
    Ok(MemberViewer { member_id: member, name, phone_last4: last4(&phone), masked_phone: masked(&phone) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::members::card;
    use crate::testing::{seed_member, test_db};

    #[tokio::test]
    async fn profile_edits_and_the_one_time_birthday() {
        let db = test_db().await;
        let now = Timestamp(1_800_000_000_000);
        let member = seed_member(&db, "13800001111").await;
        let card0 = card(&db, member, now).await.unwrap();
        assert_eq!((card0.name.as_str(), card0.phone_last4.as_str()), ("", "1111"));
        assert_eq!(card0.masked_phone, "138****1111");
        assert_eq!(card0.level.code, "normal");
        assert_eq!(card0.level.name.zh, "普卡");

        update_profile(&db, member, &ProfileUpdate { name: " 王小明 ".into(), birthday: "1990-05-04".into() }, now)
            .await
            .unwrap();
        let card1 = card(&db, member, now).await.unwrap();
        assert_eq!(card1.name, "王小明");
        assert_eq!(card1.birthday.as_deref(), Some("1990-05-04"));

        // Same birthday again is fine; a different one is refused and changes nothing.
        update_profile(&db, member, &ProfileUpdate { name: "王明".into(), birthday: "1990-05-04".into() }, now)
            .await
            .unwrap();
        let err =
            update_profile(&db, member, &ProfileUpdate { name: "改名".into(), birthday: "1991-01-01".into() }, now)
                .await
                .unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::Invalid { field: Field::Birthday })));
        assert_eq!(card(&db, member, now).await.unwrap().name, "王明");

        for (name, birthday, field) in [
            ("", "", Field::Name),
            ("a name that is far too long to be a name", "", Field::Name),
            ("ok", "2999-01-01", Field::Birthday),
            ("ok", "1990-02-30", Field::Birthday),
            ("ok", "yesterday", Field::Birthday),
        ] {
            let err = update_profile(&db, member, &ProfileUpdate { name: name.into(), birthday: birthday.into() }, now)
                .await
                .unwrap_err();
            assert!(
                matches!(err, crate::Error::User(AppError::Invalid { field: f }) if f == field),
                "{name} {birthday}"
            );
        }
    }
}
