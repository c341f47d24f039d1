//! The audit log: every change to points, coupons, stored value, payments and refunds appends an
//! entry carrying the SHA-256 of the entry before it, so editing or deleting any entry breaks the
//! chain at that point. `verify` walks the chain and reports the first broken link.
//!
//! Appending updates the single `audit_head` row first; on PostgreSQL that row lock serialises
//! concurrent appenders (the chain stays a chain), and SQLite has one writer anyway.

use crate::{Db, Result, Timestamp};
use plaza_types::{MemberId, StaffId, TenantId};
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

/// Who did it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    System,
    Member(MemberId),
    Staff(StaffId),
}

impl Actor {
    pub fn label(&self) -> String {
        match self {
            Actor::System => "system".to_string(),
            Actor::Member(id) => format!("member:{id}"),
            Actor::Staff(id) => format!("staff:{id}"),
        }
    }
}

/// One audit entry, before it is chained.
#[derive(Clone, Debug, Default)]
pub struct Entry {
    pub actor: String,
    pub action: &'static str,
    pub member: Option<MemberId>,
    pub tenant: Option<TenantId>,
    /// What was touched, e.g. `coupon:42` or `award:7`.
    pub subject: String,
    /// Points, fen or count, as the action defines.
    pub amount: i64,
    pub details: String,
    /// Why (mandatory for operators' manual changes).
    pub reason: String,
}

impl Entry {
    pub fn new(actor: &Actor, action: &'static str) -> Entry {
        Entry { actor: actor.label(), action, ..Entry::default() }
    }

    pub fn member(mut self, member: MemberId) -> Entry {
        self.member = Some(member);
        self
    }

    pub fn tenant(mut self, tenant: Option<TenantId>) -> Entry {
        self.tenant = tenant;
        self
    }

    pub fn subject(mut self, subject: impl Into<String>) -> Entry {
        self.subject = subject.into();
        self
    }

    pub fn amount(mut self, amount: i64) -> Entry {
        self.amount = amount;
        self
    }

    pub fn details(mut self, details: impl Into<String>) -> Entry {
        self.details = details.into();
        self
    }

    pub fn reason(mut self, reason: impl Into<String>) -> Entry {
        self.reason = reason.into();
        self
    }
}

type Stored = (i64, i64, String, String, Option<i64>, Option<i64>, String, i64, String, String, String, String);

/// The hash of an entry: SHA-256 over its fields (as a JSON array, so no two field lists can
/// serialise alike) and the previous hash.
fn chain_hash(seq: i64, at: i64, e: &Entry, action: &str, prev_hash: &str) -> String {
    let fields = serde_json::json!([
        seq,
        at,
        e.actor,
        action,
        e.member.map(|m| m.0),
        e.tenant.map(|t| t.0),
        e.subject,
        e.amount,
        e.details,
        e.reason,
        prev_hash
    ]);
    hex::encode(Sha256::digest(fields.to_string().as_bytes()))
}

/// Appends `entry` inside the caller's transaction; returns its sequence number.
pub async fn append(conn: &mut AnyConnection, entry: Entry, now: Timestamp) -> Result<i64> {
    let (seq, prev_hash): (i64, String) =
        sqlx::query_as("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
            .fetch_one(&mut *conn)
            .await?;
    let hash = chain_hash(seq, now.millis(), &entry, entry.action, &prev_hash);
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, member_id, tenant_id, subject, amount, details, reason, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(seq)
    .bind(now.millis())
    .bind(&entry.actor)
    .bind(entry.action)
    .bind(entry.member.map(|m| m.0))
    .bind(entry.tenant.map(|t| t.0))
    .bind(&entry.subject)
    .bind(entry.amount)
    .bind(&entry.details)
    .bind(&entry.reason)
    .bind(&prev_hash)
    .bind(&hash)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&hash).execute(&mut *conn).await?;
    Ok(seq)
}

/// The outcome of walking the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    pub entries: i64,
    /// The first entry whose link does not hold, and why.
    pub first_broken: Option<(i64, String)>,
}

const PAGE: i64 = 2000;

/// Walks the whole chain in order, in pages.
pub async fn verify(db: &Db) -> Result<Verification> {
    let mut expected_prev = "0".repeat(64);
    let mut expected_seq = 1;
    loop {
        let rows: Vec<Stored> = sqlx::query_as(
            "SELECT seq, at, actor, action, member_id, tenant_id, subject, amount, details, reason, prev_hash, hash \
             FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2",
        )
        .bind(expected_seq)
        .bind(PAGE)
        .fetch_all(db.pool())
        .await?;
        let page_len = rows.len() as i64;
        for (seq, at, actor, action, member, tenant, subject, amount, details, reason, prev_hash, hash) in rows {
            let broken = |why: String| Ok(Verification { entries: expected_seq - 1, first_broken: Some((seq, why)) });
            if seq != expected_seq {
                return broken(format!("entry {expected_seq} is missing"));
            }
            if prev_hash != expected_prev {
                return broken("its link to the previous entry does not match".to_string());
            }
            let entry = Entry {
                actor,
                action: "",
                member: member.map(MemberId),
                tenant: tenant.map(TenantId),
                subject,
                amount,
                details,
                reason,
            };
            if chain_hash(seq, at, &entry, &action, &prev_hash) != hash {
                return broken("its contents do not match its hash (edited)".to_string());
            }
            expected_prev = hash;
            expected_seq += 1;
        }
        if page_len < PAGE {
            break;
        }
    }
    let (head_seq, head_hash): (i64, String) =
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(db.pool()).await?;
    let entries = expected_seq - 1;
    if head_seq != entries || head_hash != expected_prev {
        return Ok(Verification {
            entries,
            first_broken: Some((
                entries + 1,
                format!("the chain ends at {entries} but its head says {head_seq} (entries removed)"),
            )),
        });
    }
    Ok(Verification { entries, first_broken: None })
}

/// One line of the audit log as operators read it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct Line {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub member_id: Option<i64>,
    pub subject: String,
    pub amount: i64,
    pub reason: String,
}

/// The newest entries, optionally for one member.
pub async fn recent(db: &Db, member: Option<MemberId>, limit: i64) -> Result<Vec<Line>> {
    let lines: Vec<Line> = sqlx::query_as(
        "SELECT seq, at, actor, action, member_id, subject, amount, reason FROM audit_log \
         WHERE ($1 IS NULL OR member_id = $1) ORDER BY seq DESC LIMIT $2",
    )
    .bind(member.map(|m| m.0))
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::test_db;

    async fn append_some(db: &Db, n: i64) {
        for i in 0..n {
            let mut tx = db.begin_write().await.unwrap();
            let entry = Entry::new(&Actor::Staff(StaffId(1)), "points.adjust")
                .member(MemberId(i + 1))
                .subject(format!("member:{}", i + 1))
                .amount(i * 10)
                .reason("goodwill");
            append(&mut tx, entry, Timestamp(1_800_000_000_000 + i)).await.unwrap();
            tx.commit().await.unwrap();
        }
    }

    #[tokio::test]
    async fn an_intact_chain_verifies() {
        let db = test_db().await;
        append_some(&db, 5).await;
        assert_eq!(verify(&db).await.unwrap(), Verification { entries: 5, first_broken: None });
    }

    #[tokio::test]
    async fn an_edited_entry_is_the_first_broken_link() {
        let db = test_db().await;
        append_some(&db, 6).await;
        let mut tx = db.begin_write().await.unwrap();
        sqlx::query("UPDATE audit_log SET amount = 999999 WHERE seq = 3").execute(&mut **tx).await.unwrap();
        tx.commit().await.unwrap();
        let result = verify(&db).await.unwrap();
        assert_eq!(result.first_broken.as_ref().map(|b| b.0), Some(3), "{result:?}");
        assert_eq!(result.entries, 2);
    }

    #[tokio::test]
    async fn a_deleted_entry_or_a_cut_tail_is_found() {
        let db = test_db().await;
        append_some(&db, 6).await;
        let mut tx = db.begin_write().await.unwrap();
        sqlx::query("DELETE FROM audit_log WHERE seq = 4").execute(&mut **tx).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(verify(&db).await.unwrap().first_broken.map(|b| b.0), Some(5));

        let db = test_db().await;
        append_some(&db, 6).await;
        let mut tx = db.begin_write().await.unwrap();
        sqlx::query("DELETE FROM audit_log WHERE seq >= 5").execute(&mut **tx).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(verify(&db).await.unwrap().first_broken.map(|b| b.0), Some(5));
    }

    #[tokio::test]
    async fn a_rewritten_chain_still_disagrees_with_its_head() {
        // Someone edits an entry and recomputes every later hash: the head row still knows.
        let db = test_db().await;
        append_some(&db, 3).await;
        let mut tx = db.begin_write().await.unwrap();
        sqlx::query("UPDATE audit_head SET hash = 'f' WHERE id = 1").execute(&mut **tx).await.unwrap();
        tx.commit().await.unwrap();
        assert!(verify(&db).await.unwrap().first_broken.is_some());
    }
}
