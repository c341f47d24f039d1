//! The audit log: every change to points, coupons, stored value, payments and refunds appends an
//! entry in the transaction of the change. A sealer then chains committed entries in order: each
//! gets a sequence number and the SHA-256 of its fields and of the entry before it, so editing,
//! deleting or reordering any sealed entry breaks the chain at that point. `verify` walks the
//! chain, holds it against its head and against signed checkpoints, and reports the first broken
//! link; an exported checkpoint also catches the newest entries cut off with the head reset.
//!
//! Appending takes no lock: the chain is built after commit by one sealer at a time, so money
//! transactions do not queue behind each other for it (docs/decisions/0015-audit-sealing.md).

mod checkpoint;

pub use checkpoint::{checkpoint, due as checkpoint_due, stored_checkpoints, verify_against, Checkpoint};

use crate::{Backend, Db, Result, Timestamp};
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

type Stored =
    (i64, i64, String, String, Option<i64>, Option<i64>, String, i64, String, String, Option<String>, Option<String>);

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

/// Appends `entry` inside the caller's transaction, unsealed: no lock is taken, so concurrent
/// money transactions do not wait for each other here. [`seal`] chains it after it commits.
/// Returns the row's id.
pub async fn append(conn: &mut AnyConnection, entry: Entry, now: Timestamp) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO audit_log (at, actor, action, member_id, tenant_id, subject, amount, details, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(now.millis())
    .bind(&entry.actor)
    .bind(entry.action)
    .bind(entry.member.map(|m| m.0))
    .bind(entry.tenant.map(|t| t.0))
    .bind(&entry.subject)
    .bind(entry.amount)
    .bind(&entry.details)
    .bind(&entry.reason)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// Appends many entries at once inside the caller's transaction (multi-row `INSERT`s), for jobs
/// that audit thousands of changes in one transaction; each entry is the same as [`append`]'s.
pub async fn append_many(conn: &mut AnyConnection, entries: &[Entry], now: Timestamp) -> Result<()> {
    for chunk in entries.chunks(500) {
        let mut placeholders = crate::placeholders::Placeholders::for_connection(conn);
        let sql = format!(
            "INSERT INTO audit_log (at, actor, action, member_id, tenant_id, subject, amount, details, reason) VALUES {}",
            placeholders.rows(chunk.len(), 9)
        );
        let mut query = sqlx::query(&sql);
        for entry in chunk {
            query = query
                .bind(now.millis())
                .bind(&entry.actor)
                .bind(entry.action)
                .bind(entry.member.map(|m| m.0))
                .bind(entry.tenant.map(|t| t.0))
                .bind(&entry.subject)
                .bind(entry.amount)
                .bind(&entry.details)
                .bind(&entry.reason);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Entries committed but not yet chained that a sealer may take now: on SQLite all (one writer,
/// ids in commit order); on PostgreSQL those of transactions older than any still running, walked
/// by (transaction, id), so no entry can later appear before the sealed end (see
/// docs/decisions/0015-audit-sealing.md).
fn settled(db: &Db) -> &'static str {
    match db.backend() {
        Backend::Sqlite => "1 = 1",
        Backend::Postgres => "txid < CAST(CAST(pg_snapshot_xmin(pg_current_snapshot()) AS TEXT) AS BIGINT)",
    }
}

type Unsealed = (i64, i64, String, String, Option<i64>, Option<i64>, String, i64, String, String);

/// Chains up to `max` committed entries, in order, after the head; returns how many. One sealer at
/// a time (the head row is its lock; only sealers take it, never a business transaction).
pub async fn seal(db: &Db, max: i64) -> Result<usize> {
    let mut tx = db.begin_write().await?;
    let (mut seq, mut prev): (i64, String) =
        sqlx::query_as("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash").fetch_one(&mut **tx).await?;
    let rows: Vec<Unsealed> = sqlx::query_as(&format!(
        "SELECT id, at, actor, action, member_id, tenant_id, subject, amount, details, reason FROM audit_log \
         WHERE seq IS NULL AND {} ORDER BY txid, id LIMIT $1",
        settled(db)
    ))
    .bind(max)
    .fetch_all(&mut **tx)
    .await?;
    let sealed = rows.len();
    for (id, at, actor, action, member, tenant, subject, amount, details, reason) in rows {
        seq += 1;
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
        let hash = chain_hash(seq, at, &entry, &action, &prev);
        sqlx::query("UPDATE audit_log SET seq = $1, prev_hash = $2, hash = $3 WHERE id = $4 AND seq IS NULL")
            .bind(seq)
            .bind(&prev)
            .bind(&hash)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        prev = hash;
    }
    if sealed > 0 {
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(seq)
            .bind(&prev)
            .execute(&mut **tx)
            .await?;
    }
    tx.commit().await?;
    Ok(sealed)
}

/// Seals until nothing settled is left (a transaction still running is left for later).
pub async fn seal_all(db: &Db) -> Result<usize> {
    let mut total = 0;
    loop {
        let n = seal(db, SEAL_BATCH).await?;
        total += n;
        if n < SEAL_BATCH as usize {
            return Ok(total);
        }
    }
}

/// Seals everything appended before this call, waiting (up to `patience`) for transactions that
/// were still running to end; what they wrote is sealed as soon as they commit.
pub async fn settle(db: &Db, patience: std::time::Duration) -> Result<usize> {
    let (last,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM audit_log").fetch_one(db.pool()).await?;
    let started = std::time::Instant::now();
    let mut total = seal_all(db).await?;
    loop {
        let (waiting,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE seq IS NULL AND id <= $1")
            .bind(last)
            .fetch_one(db.pool())
            .await?;
        if waiting == 0 || started.elapsed() >= patience {
            return Ok(total);
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        total += seal_all(db).await?;
    }
}

/// How many entries one sealing transaction chains at most.
pub const SEAL_BATCH: i64 = 2_000;

/// The outcome of walking the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    pub entries: i64,
    /// The first entry whose link does not hold, and why.
    pub first_broken: Option<(i64, String)>,
    /// Entries committed and not yet sealed (normally none, or a moment's worth).
    pub unsealed: i64,
}

const PAGE: i64 = 2000;

/// Seals what has settled, then walks the whole chain in order, in pages, and holds it against
/// its head row and every signed checkpoint stored beside it.
pub async fn verify(db: &Db) -> Result<Verification> {
    settle(db, std::time::Duration::from_secs(10)).await?;
    let mut expected_prev = "0".repeat(64);
    let mut expected_seq = 1;
    let mut hashes_at: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
    let checkpoints = stored_checkpoints(db).await?;
    for c in &checkpoints {
        hashes_at.insert(c.seq, String::new());
    }
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
            let broken = |why: String| {
                Ok(Verification { entries: expected_seq - 1, first_broken: Some((seq, why)), unsealed: 0 })
            };
            if seq != expected_seq {
                return broken(format!("entry {expected_seq} is missing"));
            }
            if prev_hash.as_deref() != Some(expected_prev.as_str()) {
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
            let hash = hash.unwrap_or_default();
            if chain_hash(seq, at, &entry, &action, &expected_prev) != hash {
                return broken("its contents do not match its hash (edited)".to_string());
            }
            if let Some(slot) = hashes_at.get_mut(&seq) {
                slot.clone_from(&hash);
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
    let (unsealed,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE seq IS NULL").fetch_one(db.pool()).await?;
    let cut = |why: String| Ok(Verification { entries, first_broken: Some((entries + 1, why)), unsealed });
    if head_seq != entries || head_hash != expected_prev {
        return cut(format!("the chain ends at {entries} but its head says {head_seq} (entries removed)"));
    }
    for c in &checkpoints {
        match hashes_at.get(&c.seq).map(String::as_str) {
            Some(h) if h == c.hash => {}
            Some("") | None => {
                return cut(format!("the chain ends at {entries} but a checkpoint vouches for entry {}", c.seq));
            }
            Some(_) => return cut(format!("entry {} is not the one its checkpoint vouches for", c.seq)),
        }
    }
    Ok(Verification { entries, first_broken: None, unsealed })
}

/// One line of the audit log as operators read it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct Line {
    pub id: i64,
    /// `None` for the moment between commit and sealing.
    pub seq: Option<i64>,
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
        "SELECT id, seq, at, actor, action, member_id, subject, amount, reason FROM audit_log \
         WHERE ($1 IS NULL OR member_id = $1) ORDER BY id DESC LIMIT $2",
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
        settle(db, std::time::Duration::from_secs(10)).await.unwrap();
    }

    #[tokio::test]
    async fn an_intact_chain_verifies() {
        let db = test_db().await;
        append_some(&db, 5).await;
        assert_eq!(verify(&db).await.unwrap(), Verification { entries: 5, first_broken: None, unsealed: 0 });
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

    #[tokio::test]
    async fn entries_are_chained_after_commit_and_never_from_a_rolled_back_transaction() {
        let db = test_db().await;
        let mut tx = db.begin_write().await.unwrap();
        append(&mut tx, Entry::new(&Actor::System, "points.adjust").subject("gone"), Timestamp(1)).await.unwrap();
        tx.rollback().await.unwrap();
        append_some(&db, 3).await;
        let mut pending = db.begin_write().await.unwrap();
        append(&mut pending, Entry::new(&Actor::System, "points.adjust").subject("later"), Timestamp(2)).await.unwrap();
        if db.backend() == Backend::Postgres {
            // (SQLite has one writer: the sealer would wait for this transaction.)
            let v = verify(&db).await.unwrap();
            assert_eq!((v.entries, v.first_broken.clone()), (3, None), "the running transaction's entry waits: {v:?}");
        }
        pending.commit().await.unwrap();
        let v = verify(&db).await.unwrap();
        assert_eq!((v.entries, v.unsealed, v.first_broken), (4, 0, None));
        let subjects: Vec<(String,)> =
            sqlx::query_as("SELECT subject FROM audit_log ORDER BY seq").fetch_all(db.pool()).await.unwrap();
        assert!(!subjects.iter().any(|(s,)| s == "gone"));
        assert_eq!(subjects.last().map(|(s,)| s.as_str()), Some("later"));
    }

    #[tokio::test]
    async fn two_entries_swapped_are_found() {
        let db = test_db().await;
        append_some(&db, 5).await;
        let mut tx = db.begin_write().await.unwrap();
        // Reorder: entries 2 and 3 trade places (their sequence numbers and links kept).
        sqlx::query("UPDATE audit_log SET seq = -seq WHERE seq IN (2, 3)").execute(&mut **tx).await.unwrap();
        sqlx::query("UPDATE audit_log SET seq = 3 WHERE seq = -2").execute(&mut **tx).await.unwrap();
        sqlx::query("UPDATE audit_log SET seq = 2 WHERE seq = -3").execute(&mut **tx).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(verify(&db).await.unwrap().first_broken.map(|b| b.0), Some(2));
    }

    #[tokio::test]
    async fn a_cut_tail_with_its_head_reset_is_caught_by_a_checkpoint() {
        let secrets = crate::testing::test_secrets();
        let db = test_db().await;
        append_some(&db, 4).await;
        let kept = checkpoint(&db, &secrets, Timestamp(1_800_000_100_000)).await.unwrap();
        assert_eq!(kept.seq, 4);
        assert!(kept.is_signed_by(&secrets));
        assert_eq!(Checkpoint::parse(&kept.text()), Some(kept.clone()));
        let mut forged = kept.clone();
        forged.seq = 3;
        assert!(!forged.is_signed_by(&secrets), "a checkpoint cannot be edited");
        assert!(Checkpoint::parse("plaza-audit-checkpoint v1 seq=1 hash=zz at=1 sig=00").is_none());

        // The newest two entries cut off and the head rewound to match what is left.
        let mut tx = db.begin_write().await.unwrap();
        sqlx::query("DELETE FROM audit_log WHERE seq >= 3").execute(&mut **tx).await.unwrap();
        sqlx::query("UPDATE audit_head SET seq = 2, hash = (SELECT hash FROM audit_log WHERE seq = 2) WHERE id = 1")
            .execute(&mut **tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let v = verify(&db).await.unwrap();
        assert!(v.first_broken.is_some(), "the stored checkpoint vouches for entry 4: {v:?}");
        // Even with the stored checkpoints deleted too, the exported one still knows.
        let mut tx = db.begin_write().await.unwrap();
        sqlx::query("DELETE FROM audit_checkpoints").execute(&mut **tx).await.unwrap();
        tx.commit().await.unwrap();
        assert!(verify(&db).await.unwrap().first_broken.is_none(), "the chain alone looks whole");
        assert!(verify_against(&db, &secrets, &kept).await.unwrap().is_err());
    }

    /// PostgreSQL: many writers append at once without waiting for each other, and the sealed
    /// chain holds every committed entry once, in a total order.
    #[tokio::test]
    async fn concurrent_appenders_make_one_unbroken_chain() {
        let db = test_db().await;
        let mut tasks = Vec::new();
        for w in 0..8i64 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                for i in 0..25i64 {
                    let mut tx = db.begin_write().await.unwrap();
                    let entry = Entry::new(&Actor::System, "points.adjust").amount(w * 100 + i);
                    append(&mut tx, entry, Timestamp(i)).await.unwrap();
                    tx.commit().await.unwrap();
                    if i % 10 == 0 {
                        seal(&db, 7).await.unwrap();
                    }
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let v = verify(&db).await.unwrap();
        assert_eq!((v.entries, v.first_broken, v.unsealed), (200, None, 0));
    }
}
