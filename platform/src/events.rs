//! The event outbox: what a screen or another process must hear about (a sale landed, an order
//! moved) is written into `events` in the same transaction as the change itself, so an event
//! exists exactly when its change committed.
//!
//! Fan-out: committing a transaction that published wakes this process's [`EventHub`] at once;
//! on PostgreSQL the same commit also delivers a `NOTIFY plaza_events`, which wakes every other
//! instance through its `LISTEN` connection. A woken stream reads the outbox after its
//! [`Cursor`] with its own [`Filter`]; a reconnecting browser sends the cursor back as
//! `Last-Event-ID` and gets exactly what it missed.
//!
//! Order without gaps: on SQLite one writer commits at a time, so ids are assigned in commit
//! order. On PostgreSQL ids are taken at insert and transactions commit in any order, so a reader
//! walking by id alone could pass an id whose transaction commits a moment later and never see it.
//! Each row therefore carries the id of its transaction, and readers walk by (transaction, id)
//! only below the oldest transaction still running (`pg_snapshot_xmin`): every row there is final.

use crate::{Backend, Db, Result, Timestamp, WriteTx};
use plaza_types::events::Event;
use plaza_types::{MemberId, TenantId};
use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, OnceLock};
use tokio::sync::watch;

/// The channel PostgreSQL notifies on commit of a transaction that published.
pub const CHANNEL: &str = "plaza_events";

/// Who an event concerns: the streams of that tenant, of that member, and the mall's operators.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    pub tenant: Option<TenantId>,
    pub member: Option<MemberId>,
}

impl Scope {
    pub fn tenant(tenant: TenantId) -> Scope {
        Scope { tenant: Some(tenant), member: None }
    }

    pub fn member(member: MemberId) -> Scope {
        Scope { tenant: None, member: Some(member) }
    }

    pub fn with_member(mut self, member: MemberId) -> Scope {
        self.member = Some(member);
        self
    }

    pub fn with_tenant(mut self, tenant: Option<TenantId>) -> Scope {
        self.tenant = tenant;
        self
    }
}

/// A position in the outbox: (transaction, id). Shown to browsers as `<txid>.<id>`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cursor {
    pub txid: i64,
    pub id: i64,
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.txid, self.id)
    }
}

impl FromStr for Cursor {
    type Err = ();
    fn from_str(s: &str) -> std::result::Result<Cursor, ()> {
        let (txid, id) = s.trim().split_once('.').ok_or(())?;
        let (txid, id) = (txid.parse::<i64>().map_err(|_| ())?, id.parse::<i64>().map_err(|_| ())?);
        (txid >= 0 && id >= 0).then_some(Cursor { txid, id }).ok_or(())
    }
}

/// An event as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Stored {
    pub cursor: Cursor,
    pub tenant: Option<TenantId>,
    pub member: Option<MemberId>,
    pub event: Event,
    pub at: Timestamp,
}

/// What one stream reads: some kinds, for one tenant, one member, or (operators) everyone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    pub kinds: &'static [&'static str],
    pub tenant: Option<TenantId>,
    pub member: Option<MemberId>,
}

/// Wakes this process's streams. Cheap to clone; one per [`Db`].
#[derive(Clone)]
pub struct EventHub {
    inner: Arc<HubInner>,
}

struct HubInner {
    wake: watch::Sender<u64>,
    /// The PostgreSQL `LISTEN` task, started by the first subscriber.
    listener: OnceLock<()>,
    listen_url: Option<String>,
}

impl EventHub {
    pub(crate) fn new(listen_url: Option<String>) -> EventHub {
        EventHub { inner: Arc::new(HubInner { wake: watch::channel(0).0, listener: OnceLock::new(), listen_url }) }
    }

    /// Wakes every stream of this process.
    /// Tells one database handle (and its clones) from another in this process.
    pub fn id(&self) -> usize {
        Arc::as_ptr(&self.inner) as usize
    }

    pub fn wake(&self) {
        self.inner.wake.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// A receiver that changes whenever an event may have committed, on this instance or (with
    /// PostgreSQL) any other.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        if let Some(url) = &self.inner.listen_url {
            self.inner.listener.get_or_init(|| {
                tokio::spawn(listen(url.clone(), self.clone()));
            });
        }
        self.inner.wake.subscribe()
    }
}

impl fmt::Debug for EventHub {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EventHub(..)")
    }
}

/// Keeps a `LISTEN` connection open and wakes the hub on every notification, and once after each
/// reconnection (notifications sent while it was away are lost; the outbox is not).
async fn listen(url: String, hub: EventHub) {
    use sqlx::postgres::PgListener;
    let mut backoff = std::time::Duration::from_millis(250);
    loop {
        match PgListener::connect(&url).await {
            Ok(mut listener) => {
                if let Err(error) = listener.listen(CHANNEL).await {
                    tracing::warn!(%error, "LISTEN {CHANNEL}");
                } else {
                    backoff = std::time::Duration::from_millis(250);
                    hub.wake();
                    loop {
                        match listener.try_recv().await {
                            Ok(Some(_)) => hub.wake(),
                            // The connection was lost; `try_recv` reconnects on the next call.
                            Ok(None) => hub.wake(),
                            Err(error) => {
                                tracing::warn!(%error, "event listener lost its connection");
                                break;
                            }
                        }
                    }
                }
            }
            Err(error) => tracing::warn!(%error, "event listener cannot connect"),
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(std::time::Duration::from_secs(10));
    }
}

/// An event published in a transaction that has not committed yet.
#[derive(Debug)]
pub(crate) struct Pending {
    kind: &'static str,
    tenant: Option<i64>,
    member: Option<i64>,
    payload: String,
    at: i64,
}

/// Puts `event` in `tx`'s outbox. The transaction's events are written at its commit, all in one
/// statement (a completion publishes its sale and its payment's change, a mall checkout one
/// change per shop: a round trip each before), and become visible, and wake the streams, when it
/// commits. Nothing reads the outbox inside the transaction that publishes.
pub fn publish(tx: &mut WriteTx, scope: Scope, event: &Event, now: Timestamp) -> Result<()> {
    let payload = serde_json::to_string(event).map_err(|e| crate::Error::internal(format!("event payload: {e}")))?;
    tx.outbox.push(Pending {
        kind: event.kind(),
        tenant: scope.tenant.map(|t| t.0),
        member: scope.member.map(|m| m.0),
        payload,
        at: now.millis(),
    });
    Ok(())
}

/// Writes a transaction's outbox, just before its `COMMIT`. On PostgreSQL the same statement asks
/// for the notification that wakes the other instances at commit.
pub(crate) async fn write_outbox(tx: &mut WriteTx, pending: &[Pending]) -> Result<()> {
    // Five values a row: 100 rows stay far below either database's limit on bound values.
    for (n, chunk) in pending.chunks(100).enumerate() {
        let mut placeholders = crate::placeholders::Placeholders::new(tx.backend());
        let insert = format!(
            "INSERT INTO events (kind, tenant_id, member_id, payload, created_at) VALUES {}",
            placeholders.rows(chunk.len(), 5)
        );
        let notify = n == 0 && tx.backend() == Backend::Postgres;
        let sql = if notify {
            let channel = placeholders.one();
            format!("WITH e AS ({insert} RETURNING id) SELECT (pg_notify({channel}, '') IS NULL) FROM (SELECT COUNT(*) FROM e) n")
        } else {
            insert
        };
        let mut query = sqlx::query(&sql);
        for event in chunk {
            query = query.bind(event.kind).bind(event.tenant).bind(event.member).bind(&event.payload).bind(event.at);
        }
        if notify {
            query = query.bind(CHANNEL);
        }
        query.execute(&mut ***tx).await?;
    }
    Ok(())
}

/// The newest position a stream starting now should resume after.
pub async fn head(db: &Db) -> Result<Cursor> {
    let horizon = horizon_clause(db.backend());
    let row: Option<(i64, i64)> =
        sqlx::query_as(&format!("SELECT txid, id FROM events WHERE {horizon} ORDER BY txid DESC, id DESC LIMIT 1"))
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(txid, id)| Cursor { txid, id }).unwrap_or_default())
}

/// What a read returned: the events in order, the cursor after them, and whether rows exist past
/// the horizon that a read a moment later will return (a transaction still running).
#[derive(Debug, Default)]
pub struct Batch {
    pub events: Vec<Stored>,
    pub cursor: Cursor,
    pub held_back: bool,
}

type Row = (i64, i64, Option<i64>, Option<i64>, String, i64, i64);

/// Events after `after` that `filter` admits, oldest first, at most `limit`.
pub async fn read_after(db: &Db, after: Cursor, filter: &Filter, limit: i64) -> Result<Batch> {
    let horizon = horizon_clause(db.backend());
    let kinds = filter.kinds.iter().map(|k| format!("'{}'", k.replace('\'', ""))).collect::<Vec<_>>().join(", ");
    let kinds = if kinds.is_empty() { "TRUE".to_string() } else { format!("kind IN ({kinds})") };
    let sql = format!(
        "SELECT txid, id, tenant_id, member_id, payload, created_at, CASE WHEN {horizon} THEN 1 ELSE 0 END AS settled \
         FROM events WHERE (txid > $1 OR (txid = $1 AND id > $2)) AND {kinds} \
         AND ($3 IS NULL OR tenant_id = $3) AND ($4 IS NULL OR member_id = $4) \
         ORDER BY txid, id LIMIT $5"
    );
    let rows: Vec<Row> = sqlx::query_as(&sql)
        .bind(after.txid)
        .bind(after.id)
        .bind(filter.tenant.map(|t| t.0))
        .bind(filter.member.map(|m| m.0))
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    let mut batch = Batch { events: Vec::with_capacity(rows.len()), cursor: after, held_back: false };
    for (txid, id, tenant, member, payload, at, settled) in rows {
        if settled == 0 {
            // Everything from here on waits until the older transactions are done.
            batch.held_back = true;
            break;
        }
        let cursor = Cursor { txid, id };
        batch.cursor = cursor;
        match serde_json::from_str::<Event>(&payload) {
            Ok(event) => batch.events.push(Stored {
                cursor,
                tenant: tenant.map(TenantId),
                member: member.map(MemberId),
                event,
                at: Timestamp(at),
            }),
            // A kind this version does not know (a newer instance wrote it): skipped, not fatal.
            Err(error) => tracing::debug!(%error, id, "skipping an event this version cannot read"),
        }
    }
    Ok(batch)
}

/// How long events are kept: long enough for any screen to reconnect; the ledgers and the audit
/// log, not the outbox, are the record.
pub const KEEP_SECS: i64 = 7 * 86_400;

/// Deletes events written before `before`; returns how many.
pub async fn prune(db: &Db, before: Timestamp) -> Result<u64> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query("DELETE FROM events WHERE created_at < $1").bind(before.millis()).execute(&mut **tx).await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}

/// The rows every reader may take: all on SQLite; on PostgreSQL, those of transactions older
/// than any still running.
fn horizon_clause(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "1 = 1",
        Backend::Postgres => "txid < CAST(CAST(pg_snapshot_xmin(pg_current_snapshot()) AS TEXT) AS BIGINT)",
    }
}

#[cfg(test)]
mod tests;
