//! Who holds a membership now, who gets member prices, and where a sub-card's earnings go.

use super::tiers::{self, TierRow};
use crate::MallTz;
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{Localized, MembershipView, PaidBadge};
use plaza_types::{MemberId, PhoneNumber};
use sqlx::AnyConnection;

/// The member's own membership, if it is running now: (tier, ends_at).
async fn own_active(conn: &mut AnyConnection, member: MemberId, now: Timestamp) -> Result<Option<(TierRow, i64)>> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT tier_id, ends_at FROM memberships WHERE member_id = $1 AND ends_at > $2")
            .bind(member.0)
            .bind(now.millis())
            .fetch_optional(&mut *conn)
            .await?;
    let Some((tier, ends_at)) = row else { return Ok(None) };
    Ok(tiers::load(&mut *conn, tier).await?.map(|t| (t, ends_at)))
}

/// Whether the member's own membership is running now.
pub(crate) async fn own_is_active(conn: &mut AnyConnection, member: MemberId, now: Timestamp) -> Result<bool> {
    Ok(own_active(conn, member, now).await?.is_some())
}

/// The main card of an active sub-card binding held by `member`.
async fn main_of(conn: &mut AnyConnection, member: MemberId) -> Result<Option<MemberId>> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT main_member_id FROM subcards WHERE sub_member_id = $1 AND unbound_at IS NULL")
            .bind(member.0)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(m,)| MemberId(m)))
}

/// Where `member`'s earnings (points, coupons) go: to the main card while they hold a sub-card of
/// a running membership, else to themselves.
pub async fn beneficiary(conn: &mut AnyConnection, member: MemberId, now: Timestamp) -> Result<MemberId> {
    if let Some(main) = main_of(conn, member).await? {
        if own_active(conn, main, now).await?.is_some() {
            return Ok(main);
        }
    }
    Ok(member)
}

/// Whether `member` pays member prices: their own running membership of a tier with member
/// prices, or a sub-card of one.
pub async fn has_member_prices(conn: &mut AnyConnection, member: MemberId, now: Timestamp) -> Result<bool> {
    if let Some((tier, _)) = own_active(conn, member, now).await? {
        return Ok(tier.member_prices == 1);
    }
    if let Some(main) = main_of(conn, member).await? {
        if let Some((tier, _)) = own_active(conn, main, now).await? {
            return Ok(tier.member_prices == 1);
        }
    }
    Ok(false)
}

fn masked(phone: &str) -> String {
    PhoneNumber::parse(phone).map(|p| p.masked()).unwrap_or_default()
}

/// The badge's tier names and whether it comes through a main card (`via_main` 1), for `$1` the
/// member and `$2` now. The card page's one-statement read joins it too (members::card).
pub(crate) const BADGE_SQL: &str =
    "SELECT t.name_zh, t.name_en, CASE WHEN ms.member_id = $1 THEN 0 ELSE 1 END AS via_main \
     FROM memberships ms JOIN membership_tiers t ON t.id = ms.tier_id \
     WHERE ms.ends_at > $2 AND (ms.member_id = $1 OR ms.member_id IN \
       (SELECT s.main_member_id FROM subcards s WHERE s.sub_member_id = $1 AND s.unbound_at IS NULL)) \
     ORDER BY via_main LIMIT 1";

/// The card's paid-membership badge: the member's own active membership, else the active one of
/// the main card they hold a sub-card of.
pub async fn badge(db: &Db, member: MemberId, now: Timestamp) -> Result<Option<PaidBadge>> {
    let row: Option<(String, String, i64)> =
        sqlx::query_as(BADGE_SQL).bind(member.0).bind(now.millis()).fetch_optional(db.pool()).await?;
    Ok(row.map(|(zh, en, via_main)| PaidBadge { tier: Localized::new(zh, en), subcard: via_main == 1 }))
}

/// The member's membership page.
pub async fn status(db: &Db, member: MemberId, now: Timestamp, tz: &MallTz) -> Result<MembershipView> {
    let mut conn = db.pool().acquire().await?;
    let own: Option<(i64, i64, i64)> =
        sqlx::query_as("SELECT tier_id, started_at, ends_at FROM memberships WHERE member_id = $1")
            .bind(member.0)
            .fetch_optional(&mut *conn)
            .await?;
    let tier_id = own.map(|(tier, _, _)| tier);
    let (tier, active, ends_on) = match own {
        Some((tier, _, ends_at)) => {
            let t = tiers::load(&mut *conn, tier).await?;
            (
                t.map(|t| Localized::new(t.name_zh, t.name_en)),
                ends_at > now.millis(),
                Some(Timestamp(ends_at - 1).local_date(tz)),
            )
        }
        None => (None, false, None),
    };
    let sub: Option<(String,)> = sqlx::query_as(
        "SELECT m.phone FROM subcards s JOIN members m ON m.id = s.sub_member_id WHERE s.main_member_id = $1 AND s.unbound_at IS NULL",
    )
    .bind(member.0)
    .fetch_optional(&mut *conn)
    .await?;
    let main: Option<(String,)> = sqlx::query_as(
        "SELECT m.phone FROM subcards s JOIN members m ON m.id = s.main_member_id WHERE s.sub_member_id = $1 AND s.unbound_at IS NULL",
    )
    .bind(member.0)
    .fetch_optional(&mut *conn)
    .await?;
    let next_bind = super::subcards::next_bind_allowed(&mut conn, member, now).await?;
    Ok(MembershipView {
        tier_id,
        tier,
        active,
        ends_on,
        subcard_holder: sub.map(|(p,)| masked(&p)),
        main_card_holder: main.map(|(p,)| masked(&p)),
        member_prices: has_member_prices(&mut conn, member, now).await?,
        can_bind_from: next_bind.filter(|t| *t > now).map(|t| t.local_date(tz)),
    })
}
