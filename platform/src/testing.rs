//! Test helpers: a fresh, migrated database per test, on SQLite by default and on PostgreSQL
//! when `TEST_DATABASE_URL` names a server (the same tests run on both).

use crate::{Db, Secrets};
use std::ops::Deref;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A database that exists for one test. SQLite files are removed when it is dropped; PostgreSQL
/// databases left by earlier test processes are dropped when the next process starts.
pub struct TestDb {
    db: Db,
    url: String,
    sqlite_path: Option<PathBuf>,
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
    }
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
            let url = replace_database(&admin_url, &name);
            let db = Db::connect(&url).await.expect("connect to the test database");
            db.migrate().await.expect("migrations apply");
            TestDb { db, url, sqlite_path: None }
        }
        None => {
            let path = std::env::temp_dir().join(format!("plaza-test-{pid}-{n}.db"));
            let url = format!("sqlite://{}", path.display());
            let db = Db::connect(&url).await.expect("open SQLite");
            db.migrate().await.expect("migrations apply");
            TestDb { db, url, sqlite_path: Some(path) }
        }
    }
}

fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map(|(b, q)| (b, Some(q))).unwrap_or((url, None));
    let base = base.rsplit_once('/').map(|(b, _)| b).unwrap_or(base);
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// Drops `plaza_t_<pid>_*` databases whose process is gone.
async fn drop_stale_databases(admin: &Db) {
    let names: Vec<(String,)> = sqlx::query_as("SELECT datname FROM pg_database WHERE datname LIKE 'plaza_t_%'")
        .fetch_all(admin.pool())
        .await
        .unwrap_or_default();
    for (name,) in names {
        let pid = name.split('_').nth(2).and_then(|p| p.parse::<u32>().ok());
        let alive = pid.is_some_and(|p| std::path::Path::new(&format!("/proc/{p}")).exists());
        if !alive {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(admin.pool()).await;
        }
    }
}

pub fn test_secrets() -> Secrets {
    Secrets::new(b"plaza-test-secret-key-32-bytes-long!".to_vec()).expect("long enough")
}
