//! Invites (邀请有礼): each member has an invite code; a newcomer who signs up through it is linked
//! to the inviter, and the inviter is rewarded once the newcomer's first purchase of at least the
//! minimum amount has stood through the refund window without a refund.
//! Self-invites and invites of people who were already members are refused; rewards per inviter
//! per day are capped against abuse.

use crate::audit::{self, Actor, Entry};
use crate::points::{credit, Credit, PointsPolicy};
use crate::settings::{self, Setting};
use crate::{mall, Db, Result, Timestamp};
use plaza_types::MemberId;
use rand::Rng;
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InvitePolicy {
    pub inviter_points: i64,
    pub max_rewards_per_day: i64,
    /// The smallest first purchase that earns the inviter their reward, in fen.
    pub min_purchase_fen: i64,
}

impl Default for InvitePolicy {
    fn default() -> Self {
        InvitePolicy { inviter_points: 200, max_rewards_per_day: 10, min_purchase_fen: 1_000 }
    }
}

impl Setting for InvitePolicy {
    const KEY: &'static str = "invites.policy";
}

/// Why an invite did not link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotLinked {
    UnknownCode,
    SelfInvite,
    AlreadyMember,
}

/// The member's invite code, created on first use.
pub async fn code_for(db: &Db, member: MemberId, now: Timestamp) -> Result<String> {
    if let Some((code,)) = sqlx::query_as::<_, (String,)>("SELECT code FROM invite_codes WHERE member_id = $1")
        .bind(member.0)
        .fetch_optional(db.pool())
        .await?
    {
        return Ok(code);
    }
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    let mut tx = db.begin_write().await?;
    let code: String = {
        let mut rng = rand::rngs::OsRng;
        (0..8).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
    };
    sqlx::query(
        "INSERT INTO invite_codes (member_id, code, created_at) VALUES ($1, $2, $3) ON CONFLICT (member_id) DO NOTHING",
    )
    .bind(member.0)
    .bind(&code)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    let (code,): (String,) = sqlx::query_as("SELECT code FROM invite_codes WHERE member_id = $1")
        .bind(member.0)
        .fetch_one(&mut **tx)
        .await?;
    tx.commit().await?;
    Ok(code)
}

/// Links a member who has just been created to the owner of `code`. `created_now` must say
/// whether the member was created by this sign-in: existing members cannot be "invited".
pub async fn link(
    conn: &mut AnyConnection,
    invitee: MemberId,
    created_now: bool,
    code: &str,
    now: Timestamp,
) -> Result<std::result::Result<MemberId, NotLinked>> {
    let inviter: Option<(i64,)> = sqlx::query_as("SELECT member_id FROM invite_codes WHERE code = $1")
        .bind(code.trim().to_ascii_lowercase())
        .fetch_optional(&mut *conn)
        .await?;
    let Some((inviter,)) = inviter else { return Ok(Err(NotLinked::UnknownCode)) };
    let inviter = MemberId(inviter);
    if inviter == invitee {
        return Ok(Err(NotLinked::SelfInvite));
    }
    if !created_now {
        return Ok(Err(NotLinked::AlreadyMember));
    }
    let linked = sqlx::query("UPDATE members SET invited_by = $1 WHERE id = $2 AND invited_by IS NULL")
        .bind(inviter.0)
        .bind(invitee.0)
        .execute(&mut *conn)
        .await?;
    if linked.rows_affected() != 1 {
        return Ok(Err(NotLinked::AlreadyMember));
    }
    sqlx::query(
        "INSERT INTO invite_rewards (invitee_id, inviter_id, state, created_at) VALUES ($1, $2, 'waiting', $3) ON CONFLICT (invitee_id) DO NOTHING",
    )
    .bind(invitee.0)
    .bind(inviter.0)
    .bind(now.millis())
    .execute(&mut *conn)
    .await?;
    audit::append(
        conn,
        Entry::new(&Actor::Member(invitee), "invite.link").member(invitee).subject(format!("inviter:{inviter}")),
        now,
    )
    .await?;
    Ok(Ok(inviter))
}

/// Rewards inviters whose newcomer made a purchase that has stood: at least the minimum amount,
/// earned points (any purchase source: plate, dining, mall, receipt, counter), older than the
/// refund window and never refunded. Reading the points ledger rather than being called by it
/// keeps the arrow invites → points, and makes a purchase refunded within the window (even of
/// one fen) earn nothing. Run by the job worker; returns how many inviters were credited.
pub async fn reward_due(db: &Db, now: Timestamp) -> Result<usize> {
    let policy: InvitePolicy = settings::get(db.pool()).await?;
    let points: PointsPolicy = settings::get(db.pool()).await?;
    let stood_before = now.minus_secs(points.refund_window_days * 86_400);
    let due: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT r.invitee_id, r.inviter_id, MIN(a.id) FROM invite_rewards r \
         JOIN points_awards a ON a.earner_id = r.invitee_id \
         WHERE r.state = 'waiting' AND a.amount_fen >= $1 AND a.refunded_fen = 0 AND a.created_at <= $2 \
         AND a.created_at >= r.created_at GROUP BY r.invitee_id, r.inviter_id LIMIT 500",
    )
    .bind(policy.min_purchase_fen.max(1))
    .bind(stood_before.millis())
    .fetch_all(db.pool())
    .await?;
    let mut credited = 0;
    for (invitee, inviter, award) in due {
        let mut tx = db.begin_write().await?;
        if credit_inviter(&mut tx, MemberId(invitee), MemberId(inviter), award, &policy, now).await? > 0 {
            credited += 1;
        }
        tx.commit().await?;
    }
    Ok(credited)
}

/// Credits the inviter once for this invitee (within the inviter's daily cap: over it, the reward
/// is recorded with no points). Returns the points credited.
async fn credit_inviter(
    conn: &mut AnyConnection,
    invitee: MemberId,
    inviter: MemberId,
    award: i64,
    policy: &InvitePolicy,
    now: Timestamp,
) -> Result<i64> {
    crate::points::account::lock(conn, inviter, now).await?;
    let tz = mall::timezone_in(&mut *conn).await?;
    let day_start = tz.start_of_day(now);
    let (today,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM invite_rewards WHERE inviter_id = $1 AND state = 'credited' AND credited_at >= $2",
    )
    .bind(inviter.0)
    .bind(day_start.millis())
    .fetch_one(&mut *conn)
    .await?;
    let points = if today < policy.max_rewards_per_day { policy.inviter_points } else { 0 };
    let marked = sqlx::query(
        "UPDATE invite_rewards SET state = 'credited', credited_at = $1, points = $2, award_id = $3 \
         WHERE invitee_id = $4 AND state = 'waiting'",
    )
    .bind(now.millis())
    .bind(points)
    .bind(award)
    .bind(invitee.0)
    .execute(&mut *conn)
    .await?;
    if marked.rows_affected() != 1 || points == 0 {
        return Ok(0);
    }
    let reference = format!("invitee:{invitee}");
    let grant = Credit { member: inviter, points, source: "invite", reference: &reference, reason: "" };
    credit(conn, &grant, &Actor::System, now).await?;
    Ok(points)
}

/// How many people the member invited, and how many have made a first purchase.
pub async fn summary(db: &Db, member: MemberId) -> Result<(i64, i64, i64)> {
    let (invited, credited, points): (i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN state = 'credited' THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM invite_rewards WHERE inviter_id = $1",
    )
    .bind(member.0)
    .fetch_one(db.pool())
    .await?;
    Ok((invited, credited, points))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::points::{award_for_purchase, Award};
    use crate::testing::{seed_member, test_db};
    use plaza_types::{Fen, PhoneNumber};

    const T0: Timestamp = Timestamp(1_773_108_000_000);
    const DAY: i64 = 86_400;

    #[tokio::test]
    async fn the_inviter_is_rewarded_once_when_the_newcomer_first_buys() {
        let db = test_db().await;
        let inviter = seed_member(&db, "15900000001").await;
        let code = code_for(&db, inviter, T0).await.unwrap();
        assert_eq!(code_for(&db, inviter, T0).await.unwrap(), code, "one code per member");

        let mut tx = db.begin_write().await.unwrap();
        let (newcomer, created) =
            crate::members::find_or_create_by_phone(&mut tx, &PhoneNumber::parse("13900000777").unwrap(), T0)
                .await
                .unwrap();
        assert_eq!(link(&mut tx, newcomer, created, &code, T0).await.unwrap(), Ok(inviter));
        assert_eq!(link(&mut tx, inviter, false, &code, T0).await.unwrap(), Err(NotLinked::SelfInvite));
        assert_eq!(link(&mut tx, newcomer, false, &code, T0).await.unwrap(), Err(NotLinked::AlreadyMember));
        assert_eq!(link(&mut tx, newcomer, true, "nope", T0).await.unwrap(), Err(NotLinked::UnknownCode));
        tx.commit().await.unwrap();

        // A first purchase of 1 fen, or one refunded within the window, earns the inviter nothing;
        // one that stands for the refund window does, once.
        let buy = |reference: &str, fen: i64| Award {
            member: newcomer,
            tenant: None,
            amount: Fen(fen),
            source: "plate_pay",
            external_ref: reference.to_string(),
        };
        let mut tx = db.begin_write().await.unwrap();
        award_for_purchase(&mut tx, &buy("tiny", 1), T0).await.unwrap();
        award_for_purchase(&mut tx, &buy("refunded", 50_000), T0).await.unwrap();
        crate::points::reverse_for_refund(&mut tx, "plate_pay", "refunded", "r1", Fen(50_000), T0.plus_secs(60))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let window = 7 * 86_400;
        assert_eq!(reward_due(&db, T0.plus_secs(window + 1)).await.unwrap(), 0, "nothing stood");

        for i in 1..=2 {
            let mut tx = db.begin_write().await.unwrap();
            award_for_purchase(&mut tx, &buy(&format!("p{i}"), 5_000), T0.plus_secs(DAY)).await.unwrap();
            tx.commit().await.unwrap();
        }
        assert_eq!(reward_due(&db, T0.plus_secs(DAY + window - 1)).await.unwrap(), 0, "still refundable");
        assert_eq!(summary(&db, inviter).await.unwrap(), (1, 0, 0));
        assert_eq!(reward_due(&db, T0.plus_secs(DAY + window)).await.unwrap(), 1);
        assert_eq!(reward_due(&db, T0.plus_secs(DAY + window + 60)).await.unwrap(), 0, "once");
        assert_eq!(crate::points::account::balance(db.pool(), inviter).await.unwrap().available, 200);
        assert_eq!(summary(&db, inviter).await.unwrap(), (1, 1, 200));
    }
}
