//! The audit log as operators read it: who (resolved to a staff account or a member), what, when
//! in mall time, and whether the hash chain still holds.

use crate::audit::{self, Line};
use crate::MallTz;
use crate::{mall, Db, Result, Timestamp};
use plaza_types::dto::{AuditActor, AuditLine, AuditLog, AuditUnit};
use plaza_types::MemberId;
use std::collections::HashMap;

/// Every action the audit log records, with the unit of its amount. The operator pages give each
/// one words in both languages; a test below finds every action written in the source and
/// fails if one is missing here.
pub const ACTIONS: &[(&str, AuditUnit)] = &[
    ("counter_sale.award", AuditUnit::Fen),
    ("counter_sale.reverse", AuditUnit::Fen),
    ("coupon.handout", AuditUnit::None),
    ("coupon.issue", AuditUnit::Fen),
    ("coupon.redeem", AuditUnit::None),
    ("coupon.release", AuditUnit::None),
    ("coupon.reserve", AuditUnit::None),
    ("coupon.template.create", AuditUnit::None),
    ("coupon.template.status", AuditUnit::None),
    ("invite.link", AuditUnit::None),
    ("level.downgrade", AuditUnit::Fen),
    ("level.upgrade", AuditUnit::Fen),
    ("levels.save", AuditUnit::None),
    ("mall.aftersales.refund", AuditUnit::Fen),
    ("mall.aftersales.uphold", AuditUnit::None),
    ("membership.lapse", AuditUnit::None),
    ("membership.pack.create", AuditUnit::None),
    ("membership.pack.update", AuditUnit::None),
    ("membership.period", AuditUnit::Fen),
    ("membership.tier.create", AuditUnit::Fen),
    ("membership.tier.reactivate", AuditUnit::None),
    ("membership.tier.retire", AuditUnit::None),
    ("membership.tier.update", AuditUnit::Fen),
    ("payment.close", AuditUnit::None),
    ("payment.create", AuditUnit::Fen),
    ("payment.paid", AuditUnit::Fen),
    ("payment.paid_after_close", AuditUnit::Fen),
    ("payment.refund", AuditUnit::Fen),
    ("payment.reject", AuditUnit::None),
    ("plate.issue", AuditUnit::None),
    ("plate.revoke", AuditUnit::None),
    ("points.adjust", AuditUnit::Points),
    ("points.award", AuditUnit::Points),
    ("points.credit", AuditUnit::Points),
    ("points.expire", AuditUnit::Points),
    ("points.restore", AuditUnit::Points),
    ("points.reverse", AuditUnit::Points),
    ("points.spend", AuditUnit::Points),
    ("receipt.approve", AuditUnit::Points),
    ("receipt.auto_approve", AuditUnit::Points),
    ("receipt.auto_reject", AuditUnit::None),
    ("receipt.reject", AuditUnit::None),
    ("receipt.to_review", AuditUnit::None),
    ("receipts.rules", AuditUnit::None),
    ("reconcile.difference", AuditUnit::Fen),
    ("reconcile.run", AuditUnit::None),
    ("refund.handled", AuditUnit::Fen),
    ("reward.create", AuditUnit::Points),
    ("reward.redeem", AuditUnit::Points),
    ("reward.status", AuditUnit::None),
    ("rules.birthday_gift", AuditUnit::None),
    ("rules.campaign.add", AuditUnit::Percent),
    ("rules.campaign.remove", AuditUnit::Percent),
    ("rules.checkin", AuditUnit::None),
    ("rules.invite", AuditUnit::None),
    ("rules.override.remove", AuditUnit::RateMilli),
    ("rules.override.set", AuditUnit::RateMilli),
    ("rules.points_policy", AuditUnit::None),
    ("settings.topup", AuditUnit::None),
    ("shop.banner.add", AuditUnit::None),
    ("shop.banner.remove", AuditUnit::None),
    ("shop.banner.update", AuditUnit::None),
    ("shop.category.create", AuditUnit::None),
    ("shop.category.delete", AuditUnit::None),
    ("shop.category.update", AuditUnit::None),
    ("shop.feature", AuditUnit::None),
    ("shop.hot_words", AuditUnit::None),
    ("shop.promotion.create", AuditUnit::None),
    ("shop.promotion.end", AuditUnit::None),
    ("shop.promotion_cap", AuditUnit::None),
    ("shop.restore", AuditUnit::None),
    ("shop.review.hide", AuditUnit::None),
    ("shop.storefront.update", AuditUnit::None),
    ("shop.take_down", AuditUnit::None),
    ("shop.unfeature", AuditUnit::None),
    ("subcard.bind", AuditUnit::None),
    ("subcard.leave", AuditUnit::None),
    ("subcard.unbind", AuditUnit::None),
    ("sv.credit", AuditUnit::Fen),
    ("sv.credit_approved", AuditUnit::Fen),
    ("sv.credit_rejected", AuditUnit::Fen),
    ("sv.credit_requested", AuditUnit::Fen),
    ("sv.debit", AuditUnit::Fen),
    ("tenant.commission", AuditUnit::None),
];

/// The unit of an action's amount; an action this version does not know counts plainly.
pub fn unit_of(action: &str) -> AuditUnit {
    ACTIONS.iter().find(|(a, _)| *a == action).map(|(_, unit)| *unit).unwrap_or(AuditUnit::Points)
}

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
            unit: unit_of(&line.action),
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

    /// The action keys written by the business code: string literals on lines that write an
    /// audit entry or choose its action (and the line after `Entry::new(` when it wraps).
    fn actions_in_source() -> std::collections::BTreeSet<String> {
        fn walk(dir: &std::path::Path, files: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, files);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        walk(&root.join("src"), &mut files);
        walk(&root.join("../platform/src"), &mut files);
        let is_action = |text: &str| {
            text.contains('.')
                && text
                    .split('.')
                    .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        };
        let mut found = std::collections::BTreeSet::new();
        for file in files {
            let source = std::fs::read_to_string(&file).unwrap();
            let lines: Vec<&str> = source.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                let writes = ["Entry::new(", "put_audited(", "let action", "=> \""].iter().any(|m| line.contains(m));
                if !writes {
                    continue;
                }
                let mut text = line.to_string();
                if line.trim_end().ends_with("Entry::new(") {
                    text.push_str(lines.get(i + 1).unwrap_or(&""));
                }
                for literal in text.split('"').skip(1).step_by(2) {
                    if is_action(literal) {
                        found.insert(literal.to_string());
                    }
                }
            }
        }
        found
    }

    #[test]
    fn every_action_in_the_source_has_a_unit() {
        let known: std::collections::BTreeSet<String> = ACTIONS.iter().map(|(a, _)| a.to_string()).collect();
        let found = actions_in_source();
        assert!(found.len() > 40, "the scan finds the actions: {found:?}");
        let missing: Vec<&String> = found.difference(&known).collect();
        assert!(missing.is_empty(), "audit actions without an entry in ACTIONS: {missing:?}");
        assert!(ACTIONS.windows(2).all(|w| w[0].0 < w[1].0), "ACTIONS in order, once each");
    }
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
