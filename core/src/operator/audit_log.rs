//! The audit log as operators read it: who (resolved to a staff account or a member), what, when
//! in mall time, and whether the hash chain still holds.

use crate::audit::{self, Line};
use crate::MallTz;
use crate::{mall, Db, Result, Timestamp};
use plaza_types::dto::{AuditActor, AuditLine, AuditLog};
use plaza_types::MemberId;
use std::collections::HashMap;

/// The newest `limit` entries and the result of walking the whole chain.
pub async fn page(db: &Db, limit: i64) -> Result<AuditLog> {
    let tz = mall::timezone(db).await?;
    let lines = readable(db, audit::recent(db, None, limit.clamp(1, 500)).await?, &tz).await?;
    let verification = audit::verify(db).await?;
    Ok(AuditLog { lines, entries: verification.entries, broken_at: verification.first_broken })
}

/// The newest `limit` entries about one member.
pub async fn for_member(db: &Db, member: MemberId, limit: i64, tz: &MallTz) -> Result<Vec<AuditLine>> {
    readable(db, audit::recent(db, Some(member), limit).await?, tz).await
}

async fn readable(db: &Db, lines: Vec<Line>, tz: &MallTz) -> Result<Vec<AuditLine>> {
    let mut staff: HashMap<i64, AuditActor> = HashMap::new();
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        let actor = match parse_actor(&line.actor) {
            Parsed::Staff(id) => match staff.get(&id) {
                Some(known) => known.clone(),
                None => {
                    let row: Option<(String, String)> =
                        sqlx::query_as("SELECT username, display_name FROM staff WHERE id = $1")
                            .bind(id)
                            .fetch_optional(db.pool())
                            .await?;
                    let actor = match row {
                        Some((username, display_name)) => AuditActor::Staff { username, display_name },
                        None => AuditActor::Other { label: line.actor.clone() },
                    };
                    staff.insert(id, actor.clone());
                    actor
                }
            },
            Parsed::Member(id) => AuditActor::Member { member_id: MemberId(id) },
            Parsed::System => AuditActor::System,
            Parsed::Other => AuditActor::Other { label: line.actor.clone() },
        };
        out.push(AuditLine {
            seq: line.seq,
            at: Timestamp(line.at).format_local(tz),
            actor,
            action: line.action,
            member: line.member_id.map(MemberId),
            subject: line.subject,
            amount: line.amount,
            reason: line.reason,
        });
    }
    Ok(out)
}

enum Parsed {
    System,
    Member(i64),
    Staff(i64),
    Other,
}

/// Reads the labels `audit::Actor::label` writes.
fn parse_actor(label: &str) -> Parsed {
    let id = |rest: &str| rest.parse::<i64>().ok();
    if label == "system" {
        Parsed::System
    } else if let Some(id) = label.strip_prefix("member:").and_then(id) {
        Parsed::Member(id)
    } else if let Some(id) = label.strip_prefix("staff:").and_then(id) {
        Parsed::Staff(id)
    } else {
        Parsed::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{append, Actor, Entry};
    use crate::testing::{seed_member, test_db};
    use plaza_types::StaffId;

    #[tokio::test]
    async fn names_the_actors_and_reports_the_chain() {
        let db = test_db().await;
        let member = seed_member(&db, "13800001001").await;
        let now = Timestamp(1_773_108_000_000); // 2026-03-10 10:00 Shanghai
        let mut tx = db.begin_write().await.unwrap();
        let (staff_id,): (i64,) = sqlx::query_as(
            "INSERT INTO staff (username, password_hash, display_name, role, created_at, updated_at) \
             VALUES ('ops1', 'x', '运营一号', 'operator_staff', 0, 0) RETURNING id",
        )
        .fetch_one(&mut **tx)
        .await
        .unwrap();
        for actor in [Actor::System, Actor::Member(member), Actor::Staff(StaffId(staff_id)), Actor::Staff(StaffId(999))]
        {
            append(&mut tx, Entry::new(&actor, "points.adjust").member(member).amount(5).reason("测试"), now)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();

        let log = page(&db, 100).await.unwrap();
        assert_eq!((log.entries, log.broken_at.clone()), (4, None));
        let actors: Vec<AuditActor> = log.lines.iter().map(|l| l.actor.clone()).collect();
        assert_eq!(
            actors,
            vec![
                AuditActor::Other { label: "staff:999".into() },
                AuditActor::Staff { username: "ops1".into(), display_name: "运营一号".into() },
                AuditActor::Member { member_id: member },
                AuditActor::System,
            ]
        );
        assert_eq!(log.lines[0].at, "2026-03-10 10:00");
        assert_eq!(log.lines[0].member, Some(member));

        let mut tx = db.begin_write().await.unwrap();
        sqlx::query("UPDATE audit_log SET reason = 'edited' WHERE seq = 2").execute(&mut **tx).await.unwrap();
        tx.commit().await.unwrap();
        let log = page(&db, 100).await.unwrap();
        assert_eq!(log.broken_at.map(|b| b.0), Some(2));
        assert_eq!(for_member(&db, member, 2, &MallTz::shanghai()).await.unwrap().len(), 2);
    }
}
