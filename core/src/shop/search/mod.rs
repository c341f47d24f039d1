//! Product search, one implementation for SQLite and PostgreSQL (docs/decisions/0014): Plaza
//! tokenises the text itself ([`tokens`]) and each database indexes those tokens — SQLite's FTS5
//! (`shop_search`, ranked by bm25) and PostgreSQL's full-text search (a `tsvector` written with
//! its positions and weights, a GIN index, ranked by `ts_rank`). What differs between the two is
//! only here: how an entry is written and how a query is matched.
//!
//! A product's entry has two parts: its title (weighted most), and the rest a shopper may type —
//! subtitle, tags, parameters, its category's names, its shop's names and its barcodes. An entry
//! is rewritten in the transaction of every change to any of them.
//!
//! Beside each entry are its search row's columns ([`ROW_COLUMNS`], migration 0021, decision
//! 0021): whether the product is listed, its shop, category and the category's parent, lowest
//! price, sales, rating, publication time and whether a SKU is in stock — everything a search's
//! filters and sorts read, so a page is picked from the matches alone and only its rows are
//! joined to the products. Database triggers keep them in the transaction of every change to
//! what they copy, whichever code (or statement) makes it.

pub mod tokens;

use crate::{Backend, Result};
use plaza_types::dto::{CategoryId, ProductId};
use plaza_types::TenantId;
use sqlx::AnyConnection;
use tokens::{document_tokens, Term};

pub(crate) fn backend(conn: &AnyConnection) -> Backend {
    if conn.backend_name().eq_ignore_ascii_case("postgresql") {
        Backend::Postgres
    } else {
        Backend::Sqlite
    }
}

/// The two parts of a product's entry as text.
async fn texts(conn: &mut AnyConnection, id: ProductId) -> Result<Option<(String, String)>> {
    type Row = (String, String, String, String, String, String, String, String, String, String, Option<String>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT p.title, p.subtitle, p.tags, p.params, c.name_zh, c.name_en, \
         COALESCE(pc.name_zh, ''), COALESCE(pc.name_en, ''), t.name_zh, t.name_en, s.name \
         FROM shop_products p JOIN shop_categories c ON c.id = p.category_id \
         LEFT JOIN shop_categories pc ON pc.id = c.parent_id \
         JOIN tenants t ON t.id = p.tenant_id LEFT JOIN shop_storefronts s ON s.tenant_id = p.tenant_id \
         WHERE p.id = $1",
    )
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((title, subtitle, tags, params, c_zh, c_en, pc_zh, pc_en, t_zh, t_en, shop)) = row else {
        return Ok(None);
    };
    let tags: Vec<String> = serde_json::from_str(&tags).unwrap_or_default();
    let params: Vec<plaza_types::dto::Param> = serde_json::from_str(&params).unwrap_or_default();
    let barcodes: Vec<(String,)> =
        sqlx::query_as("SELECT barcode FROM shop_skus WHERE product_id = $1 AND removed_at IS NULL AND barcode <> ''")
            .bind(id.0)
            .fetch_all(&mut *conn)
            .await?;
    let mut extra = vec![subtitle];
    extra.extend(tags);
    extra.extend(params.into_iter().map(|p| format!("{} {}", p.name, p.value)));
    extra.extend([c_zh, c_en, pc_zh, pc_en, t_zh, t_en, shop.unwrap_or_default()]);
    extra.extend(barcodes.into_iter().map(|(b,)| b));
    // Each piece on its own, so a phrase never runs from one into the next.
    Ok(Some((title, extra.join(" | "))))
}

/// The tokens of a text with a break between its pieces (" | "): FTS5 and PostgreSQL both see a
/// gap in positions where a piece ends.
fn joined_tokens(text: &str) -> Vec<Vec<String>> {
    text.split(" | ").map(document_tokens).filter(|t| !t.is_empty()).collect()
}

/// The tsvector literal: `'保温':1A '温杯':2A …`, pieces one position apart, title A, rest B.
fn tsvector(title: &str, extra: &str) -> String {
    let mut out = String::new();
    let mut position = 1usize;
    for (weight, pieces) in [('A', joined_tokens(title)), ('B', joined_tokens(extra))] {
        for piece in pieces {
            for token in piece {
                // tsvector positions stop at 16,383; an entry never comes near it.
                if position > 16_000 {
                    break;
                }
                out.push_str(&format!("'{token}':{position}{weight} "));
                position += 1;
            }
            position += 1;
        }
    }
    out
}

/// FTS5 text: tokens separated by spaces, pieces by a comma (a separator to FTS5 too, and a
/// position gap to nothing — so phrases are kept within pieces by the query instead).
fn fts_text(text: &str) -> String {
    joined_tokens(text).into_iter().map(|piece| piece.join(" ")).collect::<Vec<_>>().join(" , ")
}

/// Writes (or rewrites) a product's entry (every change to what it holds does; the bench seeds
/// with it).
pub async fn index_product(conn: &mut AnyConnection, id: ProductId) -> Result<()> {
    let Some((title, extra)) = texts(conn, id).await? else { return Ok(()) };
    match backend(conn) {
        Backend::Sqlite => {
            sqlx::query("DELETE FROM shop_search WHERE rowid = $1").bind(id.0).execute(&mut *conn).await?;
            sqlx::query("INSERT INTO shop_search (rowid, title, extra) VALUES ($1, $2, $3)")
                .bind(id.0)
                .bind(fts_text(&title))
                .bind(fts_text(&extra))
                .execute(&mut *conn)
                .await?;
        }
        Backend::Postgres => {
            sqlx::query(
                "INSERT INTO shop_search (product_id, tokens) VALUES ($1, CAST($2 AS tsvector)) \
                 ON CONFLICT (product_id) DO UPDATE SET tokens = EXCLUDED.tokens",
            )
            .bind(id.0)
            .bind(tsvector(&title, &extra))
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// Every product of a shop (its name changed).
pub(crate) async fn reindex_tenant(conn: &mut AnyConnection, tenant: TenantId) -> Result<()> {
    let ids: Vec<(i64,)> = sqlx::query_as("SELECT id FROM shop_products WHERE tenant_id = $1")
        .bind(tenant.0)
        .fetch_all(&mut *conn)
        .await?;
    for (id,) in ids {
        index_product(conn, ProductId(id)).await?;
    }
    Ok(())
}

/// Every product in a category or its children (a name changed).
pub(crate) async fn reindex_category(conn: &mut AnyConnection, category: CategoryId) -> Result<()> {
    let ids: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM shop_products WHERE category_id = $1 \
         OR category_id IN (SELECT id FROM shop_categories WHERE parent_id = $1)",
    )
    .bind(category.0)
    .fetch_all(&mut *conn)
    .await?;
    for (id,) in ids {
        index_product(conn, ProductId(id)).await?;
    }
    Ok(())
}

/// How terms combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Combine {
    All,
    Any,
}

/// The search row's columns every [`matcher`] gives beside `id` and `score`.
pub(crate) const ROW_COLUMNS: &str = "listed, tenant_id, category_id, parent_category_id, min_price_fen, sales_count, \
     rating_x100, rating_count, published_at, in_stock";

/// A subquery giving `(id, score, ROW_COLUMNS…)` of the products matching `terms` (higher score,
/// better match), and the text to bind as its one parameter, `$n`.
pub(crate) fn matcher(backend: Backend, terms: &[Term], combine: Combine, n: usize) -> (String, String) {
    match backend {
        Backend::Sqlite => {
            let parts: Vec<String> = terms
                .iter()
                .map(|t| match t {
                    Term::Phrase(pairs) => format!("\"{}\"", pairs.join(" ")),
                    Term::Prefix(token) => format!("\"{token}\"*"),
                    Term::Exact(token) => format!("\"{token}\""),
                })
                .collect();
            let join = if combine == Combine::All { " AND " } else { " OR " };
            (
                format!(
                    "SELECT r.product_id AS id, -bm25(shop_search, 10.0, 3.0) AS score, {ROW_COLUMNS} FROM shop_search \
                     JOIN shop_search_rows r ON r.product_id = shop_search.rowid WHERE shop_search MATCH ${n}"
                ),
                parts.join(join),
            )
        }
        Backend::Postgres => {
            let parts: Vec<String> = terms
                .iter()
                .map(|t| match t {
                    Term::Phrase(pairs) => {
                        format!("({})", pairs.iter().map(|p| format!("'{p}'")).collect::<Vec<_>>().join(" <-> "))
                    }
                    Term::Prefix(token) => format!("'{token}':*"),
                    Term::Exact(token) => format!("'{token}'"),
                })
                .collect();
            let join = if combine == Combine::All { " & " } else { " | " };
            (
                format!(
                    "SELECT product_id AS id, ts_rank(tokens, CAST(${n} AS tsquery)) AS score, {ROW_COLUMNS} \
                     FROM shop_search WHERE tokens @@ CAST(${n} AS tsquery)"
                ),
                parts.join(join),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_keep_pieces_apart() {
        assert_eq!(
            tsvector("保温杯", "家物集 | 500ml"),
            "'保温':1A '温杯':2A '杯':3A '家物':5B '物集':6B '集':7B '500':9B 'ml':10B "
        );
        assert_eq!(fts_text("家物集 | 500ml"), "家物 物集 集 , 500 ml");
    }

    #[test]
    fn queries_in_both_dialects() {
        let terms = tokens::query_terms("iPhone 15 手机壳");
        let (_, fts) = matcher(Backend::Sqlite, &terms, Combine::All, 1);
        assert_eq!(fts, "\"iphone\"* AND \"15\" AND \"手机 机壳\"");
        let (sql, pg) = matcher(Backend::Postgres, &terms, Combine::Any, 3);
        assert_eq!(pg, "'iphone':* | '15' | ('手机' <-> '机壳')");
        assert!(sql.contains("$3"));
    }
}
