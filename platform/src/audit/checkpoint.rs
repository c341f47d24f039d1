//! Signed checkpoints of the audit chain: its length and newest hash at a moment, signed with a key
//! derived from the master secret. The server stores one every few minutes beside the chain; an
//! operator exports them (`plaza audit checkpoint`) and keeps them elsewhere. Someone who can
//! write to the database can rebuild the chain's hashes and its head, or cut its newest entries
//! off, but cannot make a chain that still matches a checkpoint kept outside it.

use super::settle;
use crate::secrets::KeyPurpose;
use crate::{Db, Result, Secrets, Timestamp};

const PREFIX: &str = "plaza-audit-checkpoint v1";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    pub at: Timestamp,
    pub signature: String,
}

impl Checkpoint {
    fn signed_text(seq: i64, hash: &str, at: Timestamp) -> String {
        format!("{PREFIX} seq={seq} hash={hash} at={}", at.millis())
    }

    fn sign(secrets: &Secrets, seq: i64, hash: &str, at: Timestamp) -> String {
        hex::encode(secrets.mac(KeyPurpose::AuditCheckpoint, Self::signed_text(seq, hash, at).as_bytes()))
    }

    /// One line to keep: `plaza-audit-checkpoint v1 seq=… hash=… at=… sig=…`.
    pub fn text(&self) -> String {
        format!("{} sig={}", Self::signed_text(self.seq, &self.hash, self.at), self.signature)
    }

    pub fn parse(text: &str) -> Option<Checkpoint> {
        let rest = text.trim().strip_prefix(PREFIX)?;
        let mut fields = std::collections::HashMap::new();
        for part in rest.split_whitespace() {
            let (k, v) = part.split_once('=')?;
            fields.insert(k, v);
        }
        let hash = fields.get("hash")?;
        let signature = fields.get("sig")?;
        let hex64 = |v: &str| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit());
        if !hex64(hash) || !hex64(signature) {
            return None;
        }
        Some(Checkpoint {
            seq: fields.get("seq")?.parse().ok().filter(|s| *s >= 0)?,
            hash: hash.to_string(),
            at: Timestamp(fields.get("at")?.parse().ok()?),
            signature: signature.to_string(),
        })
    }

    /// Signed with this deployment's key.
    pub fn is_signed_by(&self, secrets: &Secrets) -> bool {
        let expected = Self::sign(secrets, self.seq, &self.hash, self.at);
        subtle_eq(expected.as_bytes(), self.signature.as_bytes())
    }
}

fn subtle_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Seals what has settled, then signs and stores the chain's head as a checkpoint (once per head).
pub async fn checkpoint(db: &Db, secrets: &Secrets, now: Timestamp) -> Result<Checkpoint> {
    settle(db, std::time::Duration::from_secs(10)).await?;
    let (seq, hash): (i64, String) =
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(db.pool()).await?;
    let signature = Checkpoint::sign(secrets, seq, &hash, now);
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO audit_checkpoints (seq, hash, at, signature) VALUES ($1, $2, $3, $4) ON CONFLICT (seq) DO NOTHING",
    )
    .bind(seq)
    .bind(&hash)
    .bind(now.millis())
    .bind(&signature)
    .execute(&mut **tx)
    .await?;
    tx.commit().await?;
    Ok(Checkpoint { seq, hash, at: now, signature })
}

/// The checkpoints stored beside the chain, oldest first.
pub async fn stored_checkpoints(db: &Db) -> Result<Vec<Checkpoint>> {
    let rows: Vec<(i64, String, i64, String)> =
        sqlx::query_as("SELECT seq, hash, at, signature FROM audit_checkpoints ORDER BY seq")
            .fetch_all(db.pool())
            .await?;
    Ok(rows
        .into_iter()
        .map(|(seq, hash, at, signature)| Checkpoint { seq, hash, at: Timestamp(at), signature })
        .collect())
}

/// The newest stored checkpoint, if one is at least `every_secs` old or there is none (the server
/// calls this after sealing, so a checkpoint is stored every few minutes while entries arrive).
pub async fn due(db: &Db, now: Timestamp, every_secs: i64) -> Result<bool> {
    let newest: Option<(i64, i64)> = sqlx::query_as("SELECT seq, at FROM audit_checkpoints ORDER BY seq DESC LIMIT 1")
        .fetch_optional(db.pool())
        .await?;
    let (head,): (i64,) = sqlx::query_as("SELECT seq FROM audit_head WHERE id = 1").fetch_one(db.pool()).await?;
    Ok(match newest {
        None => head > 0,
        Some((seq, at)) => head > seq && now.millis() - at >= every_secs * 1000,
    })
}

/// Holds the chain against a checkpoint kept outside it: signed with this deployment's key, and
/// the chain still has that entry with that hash. `Err` says what does not hold.
pub async fn verify_against(
    db: &Db,
    secrets: &Secrets,
    checkpoint: &Checkpoint,
) -> Result<std::result::Result<(), String>> {
    if !checkpoint.is_signed_by(secrets) {
        return Ok(Err("the checkpoint is not signed with this deployment's key".into()));
    }
    settle(db, std::time::Duration::from_secs(10)).await?;
    let row: Option<(Option<String>,)> = sqlx::query_as("SELECT hash FROM audit_log WHERE seq = $1")
        .bind(checkpoint.seq)
        .fetch_optional(db.pool())
        .await?;
    Ok(match row {
        _ if checkpoint.seq == 0 => Ok(()),
        Some((Some(hash),)) if hash == checkpoint.hash => Ok(()),
        Some(_) => Err(format!("entry {} is not the one the checkpoint vouches for", checkpoint.seq)),
        None => Err(format!("entry {} is gone: the chain was cut after the checkpoint", checkpoint.seq)),
    })
}
