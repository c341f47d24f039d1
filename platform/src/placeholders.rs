//! Placeholders for statements built at run time with many values (multi-row inserts, long `IN`
//! lists). PostgreSQL gets `$1, $2, …`; SQLite gets plain `?`, bound in order. SQLite looks a
//! `$n` name up in a linear list when it parses the statement and again when each value is bound,
//! which is quadratic in the number of values: with a few thousand values a third of a batch
//! job's time went there (the points expiry at the new year, docs/decisions/0023-scale.md).
//!
//! The placeholders must appear in the text in the order the values are bound, and a value used
//! twice is bound twice.

use crate::db::Backend;
use sqlx::AnyConnection;

pub struct Placeholders {
    backend: Backend,
    next: usize,
}

impl Placeholders {
    pub fn new(backend: Backend) -> Placeholders {
        Placeholders { backend, next: 1 }
    }

    /// For the backend `conn` is connected to.
    pub fn for_connection(conn: &AnyConnection) -> Placeholders {
        let backend =
            if conn.backend_name().eq_ignore_ascii_case("postgresql") { Backend::Postgres } else { Backend::Sqlite };
        Placeholders::new(backend)
    }

    /// The placeholder of the next value bound.
    pub fn one(&mut self) -> String {
        let n = self.next;
        self.next += 1;
        match self.backend {
            Backend::Postgres => format!("${n}"),
            Backend::Sqlite => "?".to_owned(),
        }
    }

    /// `n` placeholders separated by commas.
    pub fn list(&mut self, n: usize) -> String {
        (0..n).map(|_| self.one()).collect::<Vec<_>>().join(", ")
    }

    /// `rows` parenthesised groups of `columns` placeholders, separated by commas: a `VALUES` list.
    pub fn rows(&mut self, rows: usize, columns: usize) -> String {
        (0..rows).map(|_| format!("({})", self.list(columns))).collect::<Vec<_>>().join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_on_postgres_anonymous_on_sqlite_in_binding_order() {
        let mut pg = Placeholders::new(Backend::Postgres);
        assert_eq!(pg.one(), "$1");
        assert_eq!(pg.rows(2, 2), "($2, $3), ($4, $5)");
        assert_eq!(pg.list(2), "$6, $7");
        let mut sqlite = Placeholders::new(Backend::Sqlite);
        assert_eq!(sqlite.one(), "?");
        assert_eq!(sqlite.rows(2, 2), "(?, ?), (?, ?)");
    }
}
