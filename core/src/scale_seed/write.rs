//! Rows in bulk, the way each database takes them fastest: multi-row `INSERT`s inside one big
//! transaction on SQLite, `COPY … FROM STDIN` on PostgreSQL. This is the one place the seeder
//! talks to a driver directly (sqlx's `Any` has no `COPY`); everything it writes is plain rows of
//! the tables the features own.

use crate::Result;
use sqlx::postgres::PgConnection;
use sqlx::sqlite::SqliteConnection;
use sqlx::Connection;
use std::fmt::Write as _;

/// One value of a row.
pub enum V {
    I(i64),
    T(String),
    S(&'static str),
    N,
}

impl From<i64> for V {
    fn from(v: i64) -> V {
        V::I(v)
    }
}
impl From<String> for V {
    fn from(v: String) -> V {
        V::T(v)
    }
}
impl From<&'static str> for V {
    fn from(v: &'static str) -> V {
        V::S(v)
    }
}
impl From<Option<i64>> for V {
    fn from(v: Option<i64>) -> V {
        v.map_or(V::N, V::I)
    }
}
impl From<Option<String>> for V {
    fn from(v: Option<String>) -> V {
        v.map_or(V::N, V::T)
    }
}

/// Rows waiting to be written to one table.
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    values: Vec<V>,
}

impl Table {
    pub fn new(name: &'static str, columns: &'static [&'static str]) -> Table {
        Table { name, columns, values: Vec::new() }
    }

    pub fn push<const N: usize>(&mut self, row: [V; N]) {
        debug_assert_eq!(N, self.columns.len(), "{}", self.name);
        self.values.extend(row);
    }

    pub fn rows(&self) -> usize {
        self.values.len() / self.columns.len()
    }

    pub fn clear(&mut self) {
        self.values.clear();
    }
}

/// A connection of either kind, opened for the load only.
pub enum Loader {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

impl Loader {
    /// SQLite: durability off for the load (a crash means starting again from a fresh database
    /// anyway), a big page cache, temporary b-trees in memory. PostgreSQL: commits need not wait
    /// for the disk. Both settings last for this connection only.
    pub async fn open(url: &str) -> Result<Loader> {
        if url.starts_with("sqlite:") {
            use sqlx::sqlite::SqliteConnectOptions;
            use std::str::FromStr;
            let options = SqliteConnectOptions::from_str(url)?
                .foreign_keys(false)
                .busy_timeout(std::time::Duration::from_secs(30));
            let mut conn = SqliteConnection::connect_with(&options).await?;
            sqlx::raw_sql(
                "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY; \
                 PRAGMA journal_mode = WAL;",
            )
            .execute(&mut conn)
            .await?;
            Ok(Loader::Sqlite(conn))
        } else {
            let mut conn = PgConnection::connect(url).await?;
            sqlx::raw_sql("SET synchronous_commit = off").execute(&mut conn).await?;
            Ok(Loader::Postgres(conn))
        }
    }

    /// Writes every table, in the order given (parents first), in one transaction.
    pub async fn write(&mut self, tables: &mut [&mut Table]) -> Result<u64> {
        let mut rows = 0;
        match self {
            Loader::Sqlite(conn) => {
                let mut tx = conn.begin().await?;
                for table in tables.iter_mut() {
                    rows += insert_sqlite(&mut tx, table).await?;
                    table.clear();
                }
                tx.commit().await?;
            }
            Loader::Postgres(conn) => {
                let mut tx = conn.begin().await?;
                for table in tables.iter_mut() {
                    rows += copy_postgres(&mut tx, table).await?;
                    table.clear();
                }
                tx.commit().await?;
            }
        }
        Ok(rows)
    }

    /// Runs statements outside the load's transactions (index creation, sequence updates).
    pub async fn execute(&mut self, sql: &str) -> Result<()> {
        match self {
            Loader::Sqlite(conn) => sqlx::raw_sql(sql).execute(&mut *conn).await.map(|_| ())?,
            Loader::Postgres(conn) => sqlx::raw_sql(sql).execute(&mut *conn).await.map(|_| ())?,
        }
        Ok(())
    }

    pub async fn close(self) -> Result<()> {
        match self {
            Loader::Sqlite(conn) => conn.close().await?,
            Loader::Postgres(conn) => conn.close().await?,
        }
        Ok(())
    }
}

/// SQLite binds at most 32,766 values per statement; 500 rows a statement keeps each one small
/// enough to prepare once and reuse.
async fn insert_sqlite(conn: &mut SqliteConnection, table: &Table) -> Result<u64> {
    let width = table.columns.len();
    let per_statement = (32_000 / width).min(500);
    let head = format!("INSERT INTO {} ({}) VALUES ", table.name, table.columns.join(", "));
    let mut written = 0;
    for chunk in table.values.chunks(per_statement * width) {
        let rows = chunk.len() / width;
        let mut sql = head.clone();
        for r in 0..rows {
            sql.push_str(if r == 0 { "(" } else { ", (" });
            for c in 0..width {
                if c > 0 {
                    sql.push_str(", ");
                }
                sql.push('?');
            }
            sql.push(')');
        }
        let mut query = sqlx::query(&sql);
        for value in chunk {
            query = match value {
                V::I(v) => query.bind(*v),
                V::T(v) => query.bind(v.as_str()),
                V::S(v) => query.bind(*v),
                V::N => query.bind(None::<i64>),
            };
        }
        written += query.execute(&mut *conn).await?.rows_affected();
    }
    Ok(written)
}

/// COPY in text format: tab-separated, `\N` for NULL, backslash escapes.
async fn copy_postgres(conn: &mut PgConnection, table: &Table) -> Result<u64> {
    if table.values.is_empty() {
        return Ok(0);
    }
    let width = table.columns.len();
    let mut copy = conn.copy_in_raw(&format!("COPY {} ({}) FROM STDIN", table.name, table.columns.join(", "))).await?;
    let mut buffer = String::with_capacity(1 << 20);
    for row in table.values.chunks(width) {
        for (c, value) in row.iter().enumerate() {
            if c > 0 {
                buffer.push('\t');
            }
            match value {
                V::I(v) => {
                    let _ = write!(buffer, "{v}");
                }
                V::T(v) => escape(&mut buffer, v),
                V::S(v) => escape(&mut buffer, v),
                V::N => buffer.push_str("\\N"),
            }
        }
        buffer.push('\n');
        if buffer.len() > 1 << 20 {
            copy.send(buffer.as_bytes()).await?;
            buffer.clear();
        }
    }
    if !buffer.is_empty() {
        copy.send(buffer.as_bytes()).await?;
    }
    Ok(copy.finish().await?)
}

fn escape(buffer: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '\\' => buffer.push_str("\\\\"),
            '\t' => buffer.push_str("\\t"),
            '\n' => buffer.push_str("\\n"),
            '\r' => buffer.push_str("\\r"),
            other => buffer.push(other),
        }
    }
}
