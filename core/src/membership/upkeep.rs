//! The daily care of memberships: a reminder shortly before the end (once per period), and
//! marking lapsed memberships (their history stays).

use super::MembershipPolicy;
use crate::audit::{self, Actor, Entry};
use crate::sms::{self, SmsProvider};
use crate::{mall, settings, Db, Result, Timestamp};
use plaza_types::{MemberId, PhoneNumber};

/// Sends the expiry reminder to every membership ending within the reminder window that has not
/// had one for its current end date. Returns how many were sent.
pub async fn remind_expiring(db: &Db, provider: &dyn SmsProvider, now: Timestamp) -> Result<i64> {
    let policy: MembershipPolicy = settings::get(db.pool()).await?;
    let tz = mall::timezone(db).await?;
    let mall_name = mall::name_zh(db).await?;
    let due: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT m.member_id, p.phone, m.ends_at FROM memberships m JOIN members p ON p.id = m.member_id \
         WHERE m.ends_at > $1 AND m.ends_at <= $2 AND (m.reminded_for IS NULL OR m.reminded_for <> m.ends_at)",
    )
    .bind(now.millis())
    .bind(now.plus_secs(policy.reminder_days * 86_400).millis())
    .fetch_all(db.pool())
    .await?;
    let mut sent = 0;
    for (member, phone, ends_at) in due {
        let Ok(phone) = PhoneNumber::parse(&phone) else { continue };
        let mut tx = db.begin_write().await?;
        // Claimed by a conditional update, so two workers never remind twice.
        let claimed = sqlx::query("UPDATE memberships SET reminded_for = ends_at WHERE member_id = $1 AND ends_at = $2 AND (reminded_for IS NULL OR reminded_for <> ends_at)")
            .bind(member)
            .bind(ends_at)
            .execute(&mut **tx)
            .await?;
        if claimed.rows_affected() != 1 {
            continue;
        }
        let message = sms::SmsMessage::membership_expiring(&mall_name, &Timestamp(ends_at - 1).local_date(&tz));
        let queued = sms::queue(&mut tx, provider, &phone, &message, now).await?;
        tx.commit().await?;
        sms::deliver(db, provider, queued).await?;
        sent += 1;
    }
    Ok(sent)
}

/// Marks memberships whose period has ended as lapsed (once each).
pub async fn mark_lapsed(db: &Db, now: Timestamp) -> Result<i64> {
    let ended: Vec<(i64,)> =
        sqlx::query_as("SELECT member_id FROM memberships WHERE ends_at <= $1 AND lapsed_at IS NULL")
            .bind(now.millis())
            .fetch_all(db.pool())
            .await?;
    let mut lapsed = 0;
    for (member,) in ended {
        let mut tx = db.begin_write().await?;
        let done = sqlx::query(
            "UPDATE memberships SET lapsed_at = $1 WHERE member_id = $2 AND ends_at <= $1 AND lapsed_at IS NULL",
        )
        .bind(now.millis())
        .bind(member)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() == 1 {
            audit::append(&mut tx, Entry::new(&Actor::System, "membership.lapse").member(MemberId(member)), now)
                .await?;
            lapsed += 1;
        }
        tx.commit().await?;
    }
    Ok(lapsed)
}
