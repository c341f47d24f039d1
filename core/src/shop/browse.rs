//! What shoppers browse: lists with filters and sorting (search, category and storefront
//! pages), the suggestions when a search finds nothing, and the mall's home page.

use super::search::{self, tokens, Combine};
use super::{categories, curation, media_url, storefront};
use crate::{Db, Result};
use plaza_types::dto::{
    BrowseFilter, BrowsePage, CategoryView, MallHome, ProductCard, ProductId, Sort, Suggestions, PAGE_SIZE,
};
use plaza_types::TenantId;

/// A product shoppers may see listed.
pub(crate) const LISTED: &str =
    "p.status = 'published' AND p.blocked_at IS NULL AND t.status = 'active' AND t.kind = 'store'";

const CARD_COLUMNS: &str = "p.id, p.title, p.cover_key, COALESCE(p.min_price_fen, 0), COALESCE(p.max_price_fen, 0), \
     p.min_member_price_fen, p.sales_count, p.rating_x100, p.rating_count, COALESCE(s.name, t.name_zh), t.code, \
     CASE WHEN EXISTS (SELECT 1 FROM shop_skus k WHERE k.product_id = p.id AND k.enabled = 1 AND k.removed_at IS NULL \
     AND k.stock > 0) THEN 1 ELSE 0 END";

pub(crate) type CardRow = (i64, String, Option<String>, i64, i64, Option<i64>, i64, i64, i64, String, String, i64);

pub(crate) fn card(
    (id, title, cover, min, max, member, sales, rating, count, shop, code, stock): CardRow,
) -> ProductCard {
    ProductCard {
        id: ProductId(id),
        title,
        cover: cover.as_deref().map(media_url),
        min_price_fen: min,
        max_price_fen: max,
        member_price_fen: member,
        sales,
        rating_x100: rating,
        rating_count: count,
        shop_name: shop,
        shop_code: code,
        in_stock: stock == 1,
    }
}

/// `FROM` with the joins every card needs.
pub(crate) const CARD_FROM: &str =
    "FROM shop_products p JOIN tenants t ON t.id = p.tenant_id LEFT JOIN shop_storefronts s ON s.tenant_id = p.tenant_id";

enum Bind {
    Int(i64),
    Text(String),
}

/// Builds the statement and its parameters together, so `$n` always matches.
struct Query {
    binds: Vec<Bind>,
}

impl Query {
    fn int(&mut self, v: i64) -> String {
        self.binds.push(Bind::Int(v));
        format!("${}", self.binds.len())
    }

    fn text(&mut self, v: String) -> String {
        self.binds.push(Bind::Text(v));
        format!("${}", self.binds.len())
    }

    async fn cards(self, db: &Db, sql: &str) -> Result<Vec<ProductCard>> {
        let mut q = sqlx::query_as::<_, CardRow>(sql);
        for b in self.binds {
            q = match b {
                Bind::Int(v) => q.bind(v),
                Bind::Text(v) => q.bind(v),
            };
        }
        Ok(q.fetch_all(db.pool()).await?.into_iter().map(card).collect())
    }
}

/// A page of products for `filter`, and suggestions when a search on page 1 finds nothing.
pub async fn browse(db: &Db, filter: &BrowseFilter) -> Result<BrowsePage> {
    let terms = tokens::query_terms(&filter.query);
    if !filter.query.trim().is_empty() && terms.is_empty() {
        // Only punctuation: nothing to look for.
        return Ok(BrowsePage { page: 1, suggestions: Some(suggest(db, &[]).await?), ..BrowsePage::default() });
    }
    let page = filter.page.clamp(1, 50);
    let (items, has_more) = list(db, filter, &terms, Combine::All, page, PAGE_SIZE).await?;
    let suggestions =
        if items.is_empty() && !terms.is_empty() && page == 1 { Some(suggest(db, &terms).await?) } else { None };
    Ok(BrowsePage { items, page, has_more, suggestions })
}

async fn list(
    db: &Db,
    filter: &BrowseFilter,
    terms: &[tokens::Term],
    combine: Combine,
    page: u32,
    size: u32,
) -> Result<(Vec<ProductCard>, bool)> {
    let mut q = Query { binds: Vec::new() };
    // A search reads the matches' search rows (`m`, see `search::ROW_COLUMNS`), never the
    // products: a broad word matches 15,000 of them, and joining each to its product for the
    // filters and sort keys was most of a search's time. Lists without words read the products.
    let searching = !terms.is_empty();
    let (from, x) = if searching {
        let n = q.binds.len() + 1;
        let (matcher, text) = search::matcher(db.backend(), terms, combine, n);
        q.text(text);
        (format!("FROM ({matcher}) m"), "m")
    } else {
        (CARD_FROM.to_string(), "p")
    };
    let mut conditions = vec![if searching { "m.listed = 1".to_string() } else { LISTED.to_string() }];
    if let Some(category) = filter.category {
        let c = q.int(category.0);
        conditions.push(if searching {
            format!("(m.category_id = {c} OR m.parent_category_id = {c})")
        } else {
            format!("(p.category_id = {c} OR p.category_id IN (SELECT id FROM shop_categories WHERE parent_id = {c}))")
        });
    }
    if let Some(shop) = filter.shop {
        conditions.push(format!("{x}.tenant_id = {}", q.int(shop.0)));
    }
    if let Some(min) = filter.min_price_fen {
        conditions.push(format!("{x}.min_price_fen >= {}", q.int(min)));
    }
    if let Some(max) = filter.max_price_fen {
        conditions.push(format!("{x}.min_price_fen <= {}", q.int(max)));
    }
    if filter.in_stock {
        conditions.push(if searching {
            "m.in_stock = 1".to_string()
        } else {
            "EXISTS (SELECT 1 FROM shop_skus k WHERE k.product_id = p.id AND k.enabled = 1 AND k.removed_at IS NULL \
             AND k.stock > 0)"
                .to_string()
        });
    }
    let limit = q.int(i64::from(size) + 1);
    let offset = q.int(i64::from(page.saturating_sub(1)) * i64::from(size));
    // The page is chosen first, on the sort keys alone, and only its rows get the card's columns
    // (the shop's name, whether any SKU is in stock).
    let score = if searching { "m.score" } else { "0" };
    let sql = format!(
        "SELECT {CARD_COLUMNS} FROM (SELECT {x}.id AS id, {score} AS score {from} WHERE {} \
         ORDER BY {}, {x}.id DESC LIMIT {limit} OFFSET {offset}) pick \
         JOIN shop_products p ON p.id = pick.id JOIN tenants t ON t.id = p.tenant_id \
         LEFT JOIN shop_storefronts s ON s.tenant_id = p.tenant_id ORDER BY {}, p.id DESC",
        conditions.join(" AND "),
        order(filter.sort, searching, x, score),
        order(filter.sort, searching, "p", "pick.score"),
    );
    let mut items = q.cards(db, &sql).await?;
    let more = items.len() > size as usize;
    items.truncate(size as usize);
    Ok((items, more))
}

/// The sort keys of `sort`, on the columns of `x` (a search's rows `m` or the products `p`, which
/// hold the same values) with `score` the match's.
fn order(sort: Sort, searching: bool, x: &str, score: &str) -> String {
    match (sort, searching) {
        (Sort::Relevance, true) => format!("{score} DESC, {x}.sales_count DESC"),
        (Sort::Relevance, false) | (Sort::Newest, _) => format!("{x}.published_at DESC"),
        (Sort::PriceAsc, _) => format!("{x}.min_price_fen ASC"),
        (Sort::PriceDesc, _) => format!("{x}.min_price_fen DESC"),
        (Sort::Sales, _) => format!("{x}.sales_count DESC"),
        (Sort::Rating, _) => format!("{x}.rating_x100 DESC, {x}.rating_count DESC"),
    }
}

/// For a search that found nothing: the words that find something alone, products matching
/// any word, categories sharing words with the query, and the mall's suggested searches.
async fn suggest(db: &Db, terms: &[tokens::Term]) -> Result<Suggestions> {
    let mut out = Suggestions { hot_words: curation::hot_words(db).await?, ..Suggestions::default() };
    if terms.is_empty() {
        return Ok(out);
    }
    let everything = BrowseFilter::default();
    if terms.len() > 1 {
        for term in terms {
            let (found, _) = list(db, &everything, std::slice::from_ref(term), Combine::All, 1, 1).await?;
            if !found.is_empty() {
                out.terms.push(term.text());
            }
        }
        out.partial = list(db, &everything, terms, Combine::Any, 1, 6).await?.0;
    }
    let wanted: Vec<String> = terms
        .iter()
        .flat_map(|t| match t {
            tokens::Term::Phrase(pairs) => pairs.clone(),
            tokens::Term::Prefix(x) | tokens::Term::Exact(x) => vec![x.clone()],
        })
        .collect();
    out.categories = categories::tree(db, false)
        .await?
        .into_iter()
        .flat_map(|node| node.children)
        .filter(|c: &CategoryView| {
            tokens::document_tokens(&format!("{} {}", c.name.zh, c.name.en)).iter().any(|t| wanted.contains(t))
        })
        .take(6)
        .collect();
    Ok(out)
}

/// The mall's home page.
pub async fn home(db: &Db) -> Result<MallHome> {
    let featured = {
        let sql = format!(
            "SELECT {CARD_COLUMNS} {CARD_FROM} JOIN shop_featured f ON f.product_id = p.id WHERE {LISTED} \
             ORDER BY f.position, p.id LIMIT 12"
        );
        Query { binds: Vec::new() }.cards(db, &sql).await?
    };
    let newest = {
        let sql = format!(
            "SELECT {CARD_COLUMNS} {CARD_FROM} WHERE {LISTED} ORDER BY p.published_at DESC, p.id DESC LIMIT 10"
        );
        Query { binds: Vec::new() }.cards(db, &sql).await?
    };
    Ok(MallHome {
        banners: curation::banners(db, false).await?,
        categories: categories::tree(db, false).await?,
        featured,
        newest,
        storefronts: storefront::list(db).await?,
        hot_words: curation::hot_words(db).await?,
    })
}

/// Cards of the given products that are listed, in the given order.
pub async fn cards(db: &Db, ids: &[ProductId]) -> Result<Vec<ProductCard>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query { binds: Vec::new() };
    let list: Vec<String> = ids.iter().map(|id| q.int(id.0)).collect();
    let sql = format!("SELECT {CARD_COLUMNS} {CARD_FROM} WHERE {LISTED} AND p.id IN ({})", list.join(", "));
    let mut found = q.cards(db, &sql).await?;
    found.sort_by_key(|c| ids.iter().position(|id| *id == c.id));
    Ok(found)
}

/// The listed products of one shop (for its storefront page): a filter fixed to the shop.
pub fn shop_filter(tenant: TenantId, mut filter: BrowseFilter) -> BrowseFilter {
    filter.shop = Some(tenant);
    filter
}
