//! The member card page's figures, read in one statement.
//!
//! `GET /card` is the page a shopper opens most (the code a cashier scans sits under it), and it
//! is server-rendered on every visit. Its figures were eleven queries in a row (member, time zone,
//! points, the month's expiring points, stored value, usable coupons, the level ladder, the year's
//! spend, the level again, the paid membership), each a round trip through the pool; they are
//! one `SELECT` of scalar subqueries now (docs/decisions/0026-server-rendering-costs.md).

use super::profile::{last4, masked};
use crate::{Db, MallTz};
use crate::{Result, Timestamp};
use plaza_types::dto::{LevelBadge, LevelProgress, Localized, MemberCard, PaidBadge};
use plaza_types::{AppError, Fen, MemberId};
use std::sync::LazyLock;

/// Points that expire within this many days are "expiring soon" on the card.
const EXPIRING_SOON_DAYS: i64 = 30;

#[derive(sqlx::FromRow)]
struct CardRow {
    name: String,
    phone: String,
    birthday: Option<String>,
    created_at: i64,
    level_code: String,
    level_zh: String,
    level_en: String,
    timezone: Option<String>,
    available: Option<i64>,
    pending: Option<i64>,
    expiring: Option<i64>,
    stored_value: Option<i64>,
    coupons: Option<i64>,
    spend_12m: Option<i64>,
    next_code: Option<String>,
    next_zh: Option<String>,
    next_en: Option<String>,
    next_min_spend: Option<i64>,
    paid_zh: Option<String>,
    paid_en: Option<String>,
    paid_via_main: Option<i64>,
}

/// `$1` the member, `$2` now, `$3` the end of "expiring soon", `$4` a year ago. The paid badge is
/// membership's own statement (`BADGE_SQL`), joined.
static CARD_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT m.name, m.phone, m.birthday, m.created_at, \
           l.code AS level_code, l.name_zh AS level_zh, l.name_en AS level_en, \
           (SELECT timezone FROM mall WHERE id = 1) AS timezone, \
           (SELECT available FROM points_accounts WHERE member_id = $1) AS available, \
           (SELECT pending FROM points_accounts WHERE member_id = $1) AS pending, \
           (SELECT CAST(COALESCE(SUM(remaining), 0) AS BIGINT) FROM points_lots \
            WHERE member_id = $1 AND state = 'available' AND remaining > 0 AND expires_at <= $3) AS expiring, \
           (SELECT balance_fen FROM sv_accounts WHERE member_id = $1) AS stored_value, \
           (SELECT COUNT(*) FROM coupons \
            WHERE member_id = $1 AND state = 'available' AND valid_from <= $2 AND valid_until > $2) AS coupons, \
           (SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM level_spend \
            WHERE member_id = $1 AND spent_at > $4) AS spend_12m, \
           n.code AS next_code, n.name_zh AS next_zh, n.name_en AS next_en, n.min_spend_fen AS next_min_spend, \
           p.name_zh AS paid_zh, p.name_en AS paid_en, p.via_main AS paid_via_main \
         FROM members m \
         JOIN levels l ON l.code = m.level_code \
         LEFT JOIN levels n ON n.rank = (SELECT MIN(rank) FROM levels WHERE rank > l.rank) \
         LEFT JOIN ({badge}) p ON 1 = 1 \
         WHERE m.id = $1 AND m.status = 'active'",
        badge = crate::membership::BADGE_SQL
    )
});

/// The card of an active member: `NotFound` for a member who is not (or no longer) active.
pub async fn card(db: &Db, member: MemberId, now: Timestamp) -> Result<MemberCard> {
    let row: Option<CardRow> = sqlx::query_as(&CARD_SQL)
        .bind(member.0)
        .bind(now.millis())
        .bind(now.plus_secs(EXPIRING_SOON_DAYS * 86_400).millis())
        .bind(now.minus_secs(crate::levels::YEAR_SECS).millis())
        .fetch_optional(db.pool())
        .await?;
    let row = row.ok_or(AppError::NotFound)?;
    let tz = row.timezone.as_deref().and_then(MallTz::parse).unwrap_or_else(MallTz::shanghai);
    let spend = Fen(row.spend_12m.unwrap_or(0).max(0));
    let next = row.next_code.map(|code| LevelBadge {
        code,
        name: Localized::new(row.next_zh.unwrap_or_default(), row.next_en.unwrap_or_default()),
    });
    let needed = row.next_min_spend.filter(|_| next.is_some()).map(|min| Fen((min - spend.0).max(0)));
    Ok(MemberCard {
        member_id: member,
        phone_last4: last4(&row.phone),
        masked_phone: masked(&row.phone),
        name: row.name,
        birthday: row.birthday,
        level: LevelBadge { code: row.level_code, name: Localized::new(row.level_zh, row.level_en) },
        points_available: row.available.unwrap_or(0),
        points_pending: row.pending.unwrap_or(0),
        points_expiring_soon: row.expiring.unwrap_or(0),
        stored_value: Fen(row.stored_value.unwrap_or(0)),
        usable_coupons: row.coupons.unwrap_or(0),
        progress: LevelProgress { spend_12m: spend, next, needed },
        member_since: Timestamp(row.created_at).local_date(&tz),
        paid: row.paid_zh.map(|zh| PaidBadge {
            tier: Localized::new(zh, row.paid_en.unwrap_or_default()),
            subcard: row.paid_via_main == Some(1),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::test_db;
    use crate::{coupons, levels, membership, points, stored_value};

    /// Every demo member's card, read in one statement, says what the reads it replaced say.
    #[tokio::test]
    async fn the_card_agrees_with_each_figure_read_on_its_own() {
        let db = test_db().await;
        let now = Timestamp(1_780_000_000_000);
        assert!(crate::demo::seed(&db, now).await.unwrap());
        let members: Vec<(i64,)> = sqlx::query_as("SELECT id FROM members WHERE status = 'active' ORDER BY id")
            .fetch_all(db.pool())
            .await
            .unwrap();
        assert!(members.len() >= 3);
        let tz = crate::mall::timezone(&db).await.unwrap();
        let mut seen = (0, 0, 0, 0);
        for (id,) in members {
            let member = MemberId(id);
            let card = card(&db, member, now).await.unwrap();
            let points = points::account::balance(db.pool(), member).await.unwrap();
            let expiring: i64 = points::history::expiring(&db, member, now, EXPIRING_SOON_DAYS, &tz)
                .await
                .unwrap()
                .iter()
                .map(|l| l.points)
                .sum();
            assert_eq!((card.points_available, card.points_pending), (points.available, points.pending), "{id}");
            assert_eq!(card.points_expiring_soon, expiring, "{id}");
            assert_eq!(card.stored_value, stored_value::balance(db.pool(), member).await.unwrap(), "{id}");
            assert_eq!(card.usable_coupons, coupons::wallet::usable_count(&db, member, now).await.unwrap(), "{id}");
            assert_eq!(card.progress, levels::progress(&db, member, now).await.unwrap(), "{id}");
            assert_eq!(card.paid, membership::badge(&db, member, now).await.unwrap(), "{id}");
            let identity = crate::members::identity(&db, member).await.unwrap();
            assert_eq!((&card.name, &card.level), (&identity.name, &identity.level), "{id}");
            seen.0 += i64::from(card.points_available > 0);
            seen.1 += i64::from(card.usable_coupons > 0);
            seen.2 += i64::from(card.progress.spend_12m.0 > 0);
            seen.3 += i64::from(card.stored_value.0 > 0);
        }
        // The comparison meant something: some members have each figure.
        assert!(seen.0 > 0 && seen.1 > 0 && seen.2 > 0 && seen.3 > 0, "{seen:?}");
    }

    #[tokio::test]
    async fn a_member_who_is_not_active_has_no_card() {
        let db = test_db().await;
        let member = crate::testing::seed_member(&db, "13900007777").await;
        let now = Timestamp(1_780_000_000_000);
        assert_eq!(card(&db, member, now).await.unwrap().level.code, "normal");
        // Through the writer: on SQLite the pool reads only.
        let mut tx = db.begin_write().await.unwrap();
        sqlx::query("UPDATE members SET status = 'disabled' WHERE id = $1")
            .bind(member.0)
            .execute(&mut **tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(matches!(card(&db, member, now).await, Err(crate::Error::User(AppError::NotFound))));
        assert!(matches!(card(&db, MemberId(999_999), now).await, Err(crate::Error::User(AppError::NotFound))));
    }
}
