//! A throw-away database for a bench: a `sqlite://` file removed before and after, or a fresh
//! PostgreSQL database `<prefix>_<pid>` created beside the one a `postgres://` URL names and
//! dropped afterwards.

use plaza_core::Db;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
pub type Cleanup = std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>;

pub async fn fresh_database(url: &str, prefix: &str) -> Result<(Db, Cleanup), BoxError> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let path = path.split('?').next().unwrap_or(path).to_string();
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
        let db = Db::connect(url).await?;
        let cleanup: Cleanup = Box::pin(async move {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{path}{suffix}"));
            }
        });
        return Ok((db, cleanup));
    }
    let name = format!("{prefix}_{}", std::process::id());
    let admin = Db::connect(url).await?;
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(admin.pool()).await?;
    let db = Db::connect(&plaza_core::db::url_with_database(url, &name)).await?;
    let cleanup: Cleanup = Box::pin(async move {
        // A plain DROP stops an autovacuum worker busy on the database (after a bulk load there
        // often is one), which `WITH (FORCE)` may not terminate for a role that is not a
        // superuser; FORCE ends sessions of our own the bench left open. A few tries, then say so:
        // at a million members the database is about 9 GB.
        for attempt in 0..10 {
            let force = if attempt % 2 == 1 { " WITH (FORCE)" } else { "" };
            match sqlx::query(&format!("DROP DATABASE IF EXISTS {name}{force}")).execute(admin.pool()).await {
                Ok(_) => break,
                Err(error) if attempt == 9 => eprintln!("could not drop {name}: {error}; drop it by hand"),
                Err(_) => tokio::time::sleep(std::time::Duration::from_secs(1)).await,
            }
        }
        admin.close().await;
    });
    Ok((db, cleanup))
}
