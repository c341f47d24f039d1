//! One database handle for both backends. The backend is chosen by the scheme of the URL
//! (`sqlite://…` or `postgres://…`); queries are written once in portable SQL with `$n`
//! placeholders, which both drivers accept.

use crate::events::EventHub;
use crate::Result;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Connection, Executor, Transaction};
use std::ops::{Deref, DerefMut};
use std::str::FromStr;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// A pool plus what differs between the backends.
///
/// On SQLite, writes go through a pool of exactly one connection: SQLite allows one writer at a
/// time, so writers queue in the process instead of spinning on the file lock, and no reader
/// connection can ever hold the write lock (readers are opened `query_only`). Other processes
/// (a CLI command beside the server) still meet `busy_timeout`.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    sqlite_writer: Option<AnyPool>,
    events: EventHub,
}

/// A write transaction. On SQLite it is `BEGIN IMMEDIATE` (the write lock is taken at the start,
/// so no transaction fails later upgrading a read lock); on PostgreSQL a plain `BEGIN`, with
/// conditional updates and row locks inside.
pub struct WriteTx {
    tx: Transaction<'static, Any>,
    backend: Backend,
    events: EventHub,
    /// The events published in this transaction, written at its commit (`events::publish`).
    pub(crate) outbox: Vec<crate::events::Pending>,
}

impl Db {
    /// Connects and applies the SQLite pragmas; creates the SQLite file (and its folder) if missing.
    pub async fn connect(url: &str) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(crate::Error::internal(format!("unsupported DATABASE_URL scheme: {url}")));
        };
        match backend {
            Backend::Sqlite => {
                let options = AnyConnectOptions::from_str(&prepare_sqlite_url(url)?)?;
                // WAL is a property of the file, and switching to it needs an exclusive lock that
                // busy_timeout cannot wait for: set it once here, never per pooled connection.
                let mut first = sqlx::AnyConnection::connect_with(&options).await?;
                first.execute("PRAGMA busy_timeout = 15000; PRAGMA journal_mode = WAL;").await?;
                first.close().await?;
                let writer = sqlite_pool(&options, 1, false).await?;
                let readers = sqlite_pool(&options, 8, true).await?;
                Ok(Db { pool: readers, backend, sqlite_writer: Some(writer), events: EventHub::new(None) })
            }
            Backend::Postgres => {
                let pool = pool_options().max_connections(16).connect_with(AnyConnectOptions::from_str(url)?).await?;
                Ok(Db { pool, backend, sqlite_writer: None, events: EventHub::new(Some(url.to_string())) })
            }
        }
    }

    pub async fn migrate(&self) -> Result<()> {
        let (migrator, pool) = match self.backend {
            Backend::Sqlite => (&SQLITE_MIGRATIONS, self.sqlite_writer.as_ref().unwrap_or(&self.pool)),
            Backend::Postgres => (&POSTGRES_MIGRATIONS, &self.pool),
        };
        migrator.run(pool).await.map_err(|e| crate::Error::internal(format!("migration failed: {e}")))
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// This handle's event hub: live streams subscribe to it.
    pub fn events(&self) -> &EventHub {
        &self.events
    }

    /// For reads: any number may run at once. (On SQLite these connections cannot write.)
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub async fn begin_write(&self) -> Result<WriteTx> {
        let tx = match &self.sqlite_writer {
            Some(writer) => {
                // sqlx's `begin_with` is not cancellation-safe: dropped at the wrong moment (a
                // client going away, a page render discarding a resource), it returns the
                // connection to the pool inside an open transaction. A spawned task always runs
                // to the end; if nobody waits for its transaction any more, dropping it rolls back.
                let writer = writer.clone();
                tokio::spawn(async move { writer.begin_with("BEGIN IMMEDIATE").await })
                    .await
                    .map_err(|e| crate::Error::internal(format!("begin task failed: {e}")))??
            }
            None => self.pool.begin().await?,
        };
        Ok(WriteTx { tx, backend: self.backend, events: self.events.clone(), outbox: Vec::new() })
    }

    /// One write statement on its own, committed by itself: one round trip instead of `BEGIN`,
    /// the statement and `COMMIT`. For a single row that nothing else in a transaction depends on
    /// (a delivery logged, a link remembered); anything touching a balance or publishing an event
    /// belongs in [`Db::begin_write`]. Returns the rows affected.
    pub async fn write_one<'q>(&self, query: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>) -> Result<u64> {
        let pool = self.sqlite_writer.as_ref().unwrap_or(&self.pool).clone();
        // Like `begin_write`, run to the end even if the caller goes away.
        let done = query.execute(&pool).await?;
        Ok(done.rows_affected())
    }

    pub async fn close(&self) {
        if let Some(writer) = &self.sqlite_writer {
            writer.close().await;
        }
        self.pool.close().await;
    }
}

/// How long a pooled connection may sit unused before it is checked on its way out.
const CHECK_AFTER_IDLE: Duration = Duration::from_secs(30);

/// Pool settings both databases share. sqlx checks every connection it hands out by default (a
/// `ping`: on PostgreSQL a network round trip, on SQLite a round trip to the connection's worker
/// thread), so each query on the pool and each transaction paid for two round trips. A
/// connection that was in use moments ago is known to work; only one that sat idle for
/// [`CHECK_AFTER_IDLE`] (the server may have closed it) is checked, and replaced if it fails
/// (docs/decisions/0026-server-rendering-costs.md).
fn pool_options() -> AnyPoolOptions {
    AnyPoolOptions::new().acquire_timeout(Duration::from_secs(30)).test_before_acquire(false).before_acquire(
        |conn, meta| {
            Box::pin(async move {
                if meta.idle_for >= CHECK_AFTER_IDLE {
                    conn.ping().await?;
                }
                Ok(true)
            })
        },
    )
}

async fn sqlite_pool(options: &AnyConnectOptions, size: u32, read_only: bool) -> Result<AnyPool> {
    Ok(pool_options()
        .max_connections(size)
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                // Pages are read through a memory map of the file (up to SQLite's built-in limit of
                // 2 GB) rather than a read call and a copy per page: the points expiry at 100,000
                // members 4.4 -> 2.8 s (decision 0023).
                conn.execute(
                    "PRAGMA busy_timeout = 15000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
                     PRAGMA mmap_size = 2147418112;",
                )
                .await?;
                if read_only {
                    conn.execute("PRAGMA query_only = ON;").await?;
                } else {
                    // The one writer keeps 64 MB of pages (the default is 2 MB): at a large mall a
                    // batch job's writes land on accounts and lots spread over the whole file.
                    // Its statement journals (the pages a multi-row statement may have to undo)
                    // stay in memory rather than a temporary file, and the WAL is copied back
                    // into the database every 10,000 pages rather than 1,000, so a page changed
                    // by consecutive transactions is written back once. At a million members
                    // these were 18 % and 22 % of the points expiry (decision 0023).
                    conn.execute(
                        "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 10000;",
                    )
                    .await?;
                }
                Ok(())
            })
        })
        .connect_with(options.clone())
        .await?)
}

impl WriteTx {
    /// Writes the events published in the transaction and commits; if there were any, wakes this
    /// process's streams (PostgreSQL wakes the other instances itself, by the `NOTIFY` sent inside
    /// the transaction).
    pub async fn commit(mut self) -> Result<()> {
        let outbox = std::mem::take(&mut self.outbox);
        if !outbox.is_empty() {
            crate::events::write_outbox(&mut self, &outbox).await?;
        }
        self.tx.commit().await?;
        if !outbox.is_empty() {
            self.events.wake();
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub async fn rollback(self) -> Result<()> {
        self.tx.rollback().await?;
        Ok(())
    }
}

impl Deref for WriteTx {
    type Target = Transaction<'static, Any>;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

/// A PostgreSQL URL naming another database on the same server: the name sits between the
/// address's last '/' and its options, which are kept (`?host=/run/postgresql` for a socket names
/// a folder, so the options are split off first).
pub fn url_with_database(url: &str, name: &str) -> String {
    let (address, options) = url.split_once('?').map(|(a, o)| (a, Some(o))).unwrap_or((url, None));
    let base = address.rsplit_once('/').map(|(b, _)| b).unwrap_or(address);
    match options {
        Some(o) => format!("{base}/{name}?{o}"),
        None => format!("{base}/{name}"),
    }
}

/// Adds `mode=rwc` (create if missing) and creates the folder of a file database.
fn prepare_sqlite_url(url: &str) -> Result<String> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let path = rest.split('?').next().unwrap_or_default();
    if !path.is_empty() && path != ":memory:" {
        if let Some(parent) = std::path::Path::new(path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| crate::Error::internal(format!("cannot create {}: {e}", parent.display())))?;
            }
        }
    }
    Ok(if url.contains("mode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::test_db;
    use std::time::Duration;

    #[test]
    fn another_database_on_the_same_server_keeps_the_options() {
        let to = |url| super::url_with_database(url, "other");
        assert_eq!(to("postgres://u:p@127.0.0.1:5432/plaza"), "postgres://u:p@127.0.0.1:5432/other");
        assert_eq!(
            to("postgres://u:p@localhost/plaza?host=/var/run/postgresql"),
            "postgres://u:p@localhost/other?host=/var/run/postgresql"
        );
    }

    /// Write transactions abandoned at any point (a client hanging up mid-request) must not leave
    /// the connection inside a transaction for the next writer.
    #[tokio::test]
    async fn cancelled_writes_leave_no_open_transaction() {
        let db = test_db().await;
        for i in 0..300u64 {
            let attempt = async {
                let mut tx = db.begin_write().await?;
                sqlx::query("INSERT INTO rate_limit_hits (bucket, at) VALUES ('cancel-test', $1)")
                    .bind(i as i64)
                    .execute(&mut **tx)
                    .await?;
                tx.commit().await
            };
            let _ = tokio::time::timeout(Duration::from_micros(i * 37 % 900), attempt).await;
        }
        let mut tx = db.begin_write().await.expect("the next writer gets a clean connection");
        sqlx::query("INSERT INTO rate_limit_hits (bucket, at) VALUES ('cancel-test', -1)")
            .execute(&mut **tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM rate_limit_hits WHERE at = -1").fetch_one(db.pool()).await.unwrap();
        assert_eq!(n, 1);
    }
}
