//! Test helpers: a fresh, migrated database per test, on SQLite by default and on PostgreSQL
//! when `TEST_DATABASE_URL` names a server (the same tests run on both).

use crate::{Db, Secrets};
use std::ops::Deref;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use tokio::sync::mpsc;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A database that exists for one test. SQLite files are removed when it is dropped; a PostgreSQL
/// database is handed to the reaper (below) then, and any a test process left behind (it exited
/// before the reaper got to them) is dropped when the next test process starts.
pub struct TestDb {
    db: Db,
    url: String,
    sqlite_path: Option<PathBuf>,
    /// The server's address and this test's database on it.
    postgres: Option<(String, String)>,
}

impl Deref for TestDb {
    type Target = Db;
    fn deref(&self) -> &Db {
        &self.db
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(path) = &self.sqlite_path {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
        if let Some(database) = self.postgres.take() {
            let _ = reaper().send(database);
        }
    }
}

/// Drops the PostgreSQL databases of finished tests, one after another on a thread of its own,
/// so a test does not wait for it. Without it every test database stayed until the next test
/// process: a run of the workspace left about a thousand, some 9 GB.
fn reaper() -> &'static mpsc::UnboundedSender<(String, String)> {
    static REAPER: OnceLock<mpsc::UnboundedSender<(String, String)>> = OnceLock::new();
    REAPER.get_or_init(|| {
        let (sender, mut finished) = mpsc::unbounded_channel::<(String, String)>();
        std::thread::Builder::new()
            .name("test-db-reaper".into())
            .spawn(move || {
                let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
                runtime.block_on(async move {
                    let mut admin: Option<(String, Db)> = None;
                    while let Some((admin_url, name)) = finished.recv().await {
                        if admin.as_ref().is_none_or(|(url, _)| *url != admin_url) {
                            let Ok(db) = Db::connect(&admin_url).await else { continue };
                            admin = Some((admin_url, db));
                        }
                        let Some((_, db)) = &admin else { continue };
                        // FORCE: a handle the test gave a background task may still hold connections.
                        let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                        if let Err(error) = sqlx::query(&drop).execute(db.pool()).await {
                            eprintln!("test databases: could not drop {name}: {error}");
                        }
                    }
                });
            })
            .expect("the test database reaper starts");
        sender
    })
}

impl TestDb {
    pub fn db(&self) -> Db {
        self.db.clone()
    }

    /// The database's URL, for a `plaza` process started on it.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A second, independent handle on the same database (its own pools and, on SQLite, its own
    /// writer connection): what another server process would have.
    pub async fn another_instance(&self) -> Db {
        Db::connect(&self.url).await.expect("second handle")
    }
}

pub async fn test_db() -> TestDb {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let pid = std::process::id();
    match std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
        Some(admin_url) => {
            let name = format!("plaza_t_{pid}_{n}");
            let admin = Db::connect(&admin_url).await.expect("TEST_DATABASE_URL reachable");
            if n == 0 {
                drop_stale_databases(&admin).await;
            }
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(admin.pool()).await.expect("create test database");
            admin.close().await;
            let url = crate::db::url_with_database(&admin_url, &name);
            let db = Db::connect(&url).await.expect("connect to the test database");
            db.migrate().await.expect("migrations apply");
            TestDb { db, url, sqlite_path: None, postgres: Some((admin_url, name)) }
        }
        None => {
            let path = std::env::temp_dir().join(format!("plaza-test-{pid}-{n}.db"));
            let url = format!("sqlite://{}", path.display());
            let db = Db::connect(&url).await.expect("open SQLite");
            db.migrate().await.expect("migrations apply");
            TestDb { db, url, sqlite_path: Some(path), postgres: None }
        }
    }
}

/// Drops `plaza_t_<pid>_*` databases whose process is gone. A failure is told, not fatal (the
/// tests can run beside leftovers), but never silent: the listing once failed on every run (sqlx's
/// `Any` driver does not decode PostgreSQL's `name` type, hence `::text`) and a thousand
/// databases piled up unnoticed.
async fn drop_stale_databases(admin: &Db) {
    let listed = sqlx::query_as::<_, (String,)>("SELECT datname::text FROM pg_database WHERE datname LIKE 'plaza_t_%'")
        .fetch_all(admin.pool())
        .await;
    let names = match listed {
        Ok(names) => names,
        Err(error) => return eprintln!("test databases: could not list leftovers: {error}"),
    };
    for (name,) in names {
        let pid = name.split('_').nth(2).and_then(|p| p.parse::<u32>().ok());
        let alive = pid.is_some_and(|p| std::path::Path::new(&format!("/proc/{p}")).exists());
        if !alive {
            if let Err(error) = sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(admin.pool()).await {
                eprintln!("test databases: could not drop {name}: {error}");
            }
        }
    }
}

pub fn test_secrets() -> Secrets {
    Secrets::new(b"plaza-test-secret-key-32-bytes-long!".to_vec()).expect("long enough")
}
