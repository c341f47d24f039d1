use super::{CategoryId, CategoryView, ProductCard, StorefrontView};
use crate::TenantId;
use serde::{Deserialize, Serialize};

/// How a list is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Best match first when searching; otherwise newest.
    #[default]
    Relevance,
    PriceAsc,
    PriceDesc,
    Sales,
    Newest,
    Rating,
}

impl Sort {
    pub const ALL: [Sort; 6] =
        [Sort::Relevance, Sort::Sales, Sort::PriceAsc, Sort::PriceDesc, Sort::Newest, Sort::Rating];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::PriceAsc => "price_asc",
            Sort::PriceDesc => "price_desc",
            Sort::Sales => "sales",
            Sort::Newest => "newest",
            Sort::Rating => "rating",
        }
    }

    /// Unknown text is the default order.
    pub fn parse(text: &str) -> Sort {
        Sort::ALL.into_iter().find(|s| s.as_str() == text).unwrap_or_default()
    }
}

/// What a shopper asked a list for (search, category, storefront pages).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BrowseFilter {
    pub query: String,
    pub category: Option<CategoryId>,
    pub shop: Option<TenantId>,
    pub min_price_fen: Option<i64>,
    pub max_price_fen: Option<i64>,
    pub in_stock: bool,
    pub sort: Sort,
    /// From 1.
    pub page: u32,
}

/// Products per page.
pub const PAGE_SIZE: u32 = 20;

/// A page of a list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BrowsePage {
    pub items: Vec<ProductCard>,
    pub page: u32,
    pub has_more: bool,
    /// When a search found nothing: what might help.
    pub suggestions: Option<Suggestions>,
}

/// For a search that found nothing.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Suggestions {
    /// The parts of the query that do find something alone.
    pub terms: Vec<String>,
    /// Products matching some of the words.
    pub partial: Vec<ProductCard>,
    /// Categories whose names share words with the query.
    pub categories: Vec<CategoryView>,
    /// What the mall suggests searching for.
    pub hot_words: Vec<String>,
}

/// The mall's home page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MallHome {
    pub banners: Vec<super::BannerView>,
    pub categories: Vec<super::CategoryNode>,
    pub featured: Vec<ProductCard>,
    pub newest: Vec<ProductCard>,
    pub storefronts: Vec<StorefrontView>,
    pub hot_words: Vec<String>,
}
