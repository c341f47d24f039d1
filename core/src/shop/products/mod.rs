//! Products (SPU) and their SKUs as their shop manages them: created as drafts with a SKU for
//! every combination of their specs, edited section by section, published when they have a
//! photo and a SKU to sell. Every function takes the tenant and finds the product only among
//! that tenant's: another shop's product is not found.

mod console;
pub(crate) mod create;
pub(crate) mod edit;
pub(crate) mod publish;
pub(crate) mod skus;

pub use console::{console_get, console_list, ConsoleFilter};
pub use create::{create, NewProduct};
pub use edit::{set_description, set_specs, update_info, InfoInput};
pub use publish::{publish, unpublish};
pub use skus::{update_skus, SkuEdit};

use crate::Result;
use plaza_types::dto::{Param, ProductId, ProductStatus, SpecDim};
use plaza_types::{AppError, TenantId};
use sqlx::AnyConnection;

/// A product's own row, as its functions need it.
#[derive(Clone, Debug)]
pub(crate) struct Product {
    pub tenant: TenantId,
    pub category_id: i64,
    pub code: String,
    pub title: String,
    pub subtitle: String,
    pub description_html: String,
    pub specs: Vec<SpecDim>,
    pub params: Vec<Param>,
    pub tags: Vec<String>,
    pub status: ProductStatus,
    pub blocked_reason: Option<String>,
}

type Row = (i64, i64, i64, String, String, String, String, String, String, String, String, Option<String>);

const SELECT: &str =
    "SELECT id, tenant_id, category_id, code, title, subtitle, description_html, specs, params, tags, \
     status, blocked_reason FROM shop_products";

fn from_row(row: Row) -> Result<Product> {
    let (id, tenant, category_id, code, title, subtitle, description_html, specs, params, tags, status, blocked) = row;
    let json = |e: serde_json::Error| crate::Error::internal(format!("product {id}: {e}"));
    Ok(Product {
        tenant: TenantId(tenant),
        category_id,
        code,
        title,
        subtitle,
        description_html,
        specs: serde_json::from_str(&specs).map_err(json)?,
        params: serde_json::from_str(&params).map_err(json)?,
        tags: serde_json::from_str(&tags).map_err(json)?,
        status: ProductStatus::parse(&status).ok_or_else(|| crate::Error::internal("product status"))?,
        blocked_reason: blocked,
    })
}

/// `tenant`'s product `id`; another tenant's is not found.
pub(crate) async fn load(conn: &mut AnyConnection, tenant: TenantId, id: ProductId) -> Result<Product> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE id = $1 AND tenant_id = $2"))
        .bind(id.0)
        .bind(tenant.0)
        .fetch_optional(&mut *conn)
        .await?;
    from_row(row.ok_or(AppError::NotFound)?)
}

/// Any product (operators, shoppers' pages).
pub(crate) async fn load_any(conn: &mut AnyConnection, id: ProductId) -> Result<Product> {
    let row: Option<Row> =
        sqlx::query_as(&format!("{SELECT} WHERE id = $1")).bind(id.0).fetch_optional(&mut *conn).await?;
    from_row(row.ok_or(AppError::NotFound)?)
}

/// Recomputes what the product row caches from its SKUs and photos (price range, member price,
/// cover) and its search entry. Called in the transaction of every change to them.
pub(crate) async fn refresh(conn: &mut AnyConnection, id: ProductId, now: crate::Timestamp) -> Result<()> {
    sqlx::query(
        "UPDATE shop_products SET \
         min_price_fen = (SELECT MIN(price_fen) FROM shop_skus WHERE product_id = $1 AND enabled = 1 AND removed_at IS NULL), \
         max_price_fen = (SELECT MAX(price_fen) FROM shop_skus WHERE product_id = $1 AND enabled = 1 AND removed_at IS NULL), \
         min_member_price_fen = (SELECT MIN(member_price_fen) FROM shop_skus WHERE product_id = $1 AND enabled = 1 AND removed_at IS NULL), \
         cover_key = (SELECT thumb_key FROM shop_product_photos WHERE product_id = $1 AND kind = 'gallery' ORDER BY position, id LIMIT 1), \
         updated_at = $2 \
         WHERE id = $1",
    )
    .bind(id.0)
    .bind(now.millis())
    .execute(&mut *conn)
    .await?;
    super::search::index_product(conn, id).await
}

/// The columns a SKU's values are kept in, in dimension order.
pub(crate) fn value_columns(values: &[String]) -> [String; 3] {
    [0, 1, 2].map(|i| values.get(i).cloned().unwrap_or_default())
}
