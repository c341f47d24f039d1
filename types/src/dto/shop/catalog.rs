use super::{CategoryId, ProductId, ReviewView, SkuId};
use crate::dto::Localized;
use crate::TenantId;
use serde::{Deserialize, Serialize};

/// A category of the mall's tree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryView {
    pub id: CategoryId,
    pub parent: Option<CategoryId>,
    pub name: Localized,
    /// One of [`CATEGORY_ICONS`].
    pub icon: String,
    pub sort: i64,
    pub active: bool,
}

/// A first-level category with its children, in order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryNode {
    pub category: CategoryView,
    pub children: Vec<CategoryView>,
}

/// The icons a category may wear (drawn by the app, no upload).
pub const CATEGORY_ICONS: [&str; 16] = [
    "box",
    "cup",
    "home",
    "kitchen",
    "bed",
    "plant",
    "book",
    "pen",
    "phone",
    "laptop",
    "headphones",
    "camera",
    "gift",
    "toy",
    "shirt",
    "sport",
];

/// A storefront as shoppers see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StorefrontView {
    pub tenant: TenantId,
    /// The tenant's code: the storefront's address (`/mall/s/<code>`).
    pub code: String,
    pub name: String,
    pub intro: String,
    pub logo: Option<String>,
    pub banner: Option<String>,
    pub opening_hours: String,
    pub pickup_unit: String,
    pub delivers: bool,
    pub products: i64,
}

/// A product in a list: cover, title, price from–to, member price, sales and rating.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductCard {
    pub id: ProductId,
    pub title: String,
    pub cover: Option<String>,
    pub min_price_fen: i64,
    pub max_price_fen: i64,
    pub member_price_fen: Option<i64>,
    pub sales: i64,
    pub rating_x100: i64,
    pub rating_count: i64,
    pub shop_name: String,
    pub shop_code: String,
    pub in_stock: bool,
}

/// One photo: the full size and the thumbnail, as URLs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PhotoView {
    pub id: i64,
    pub url: String,
    pub thumb: String,
    pub width: i64,
    pub height: i64,
}

/// One spec dimension (规格): its name and values in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecDim {
    pub name: String,
    pub values: Vec<String>,
}

/// A parameter line (参数): `材质: 304 不锈钢`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Param {
    pub name: String,
    pub value: String,
}

/// A SKU as the product page and the picker see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SkuView {
    pub id: SkuId,
    /// One value per spec dimension, in order (empty for a product without specs).
    pub values: Vec<String>,
    pub price_fen: i64,
    pub member_price_fen: Option<i64>,
    pub stock: i64,
    /// Enabled and the product on sale: may be bought (stock permitting).
    pub sellable: bool,
    pub photo: Option<String>,
}

impl SkuView {
    /// The combination in words: `红色 / XL`.
    pub fn label(&self) -> String {
        self.values.join(" / ")
    }
}

/// The ratings of a product's visible reviews.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RatingSummary {
    pub count: i64,
    /// Average × 100 (0 when there is none).
    pub average_x100: i64,
    /// How many of each star, 1 to 5.
    pub stars: [i64; 5],
    pub with_photos: i64,
}

/// Where a product sits in the tree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryPath {
    pub parent: CategoryView,
    pub category: CategoryView,
}

/// The product page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductPage {
    pub id: ProductId,
    pub title: String,
    pub subtitle: String,
    pub photos: Vec<PhotoView>,
    /// Sanitised when it was saved.
    pub description_html: String,
    pub params: Vec<Param>,
    pub tags: Vec<String>,
    pub specs: Vec<SpecDim>,
    pub skus: Vec<SkuView>,
    pub shop: StorefrontView,
    pub category: Option<CategoryPath>,
    pub rating: RatingSummary,
    pub reviews: Vec<ReviewView>,
    pub sales: i64,
    /// The viewer holds a paid membership: member prices are theirs.
    pub member_prices: bool,
    /// False when it is no longer on sale (the page still shows it, saying so).
    pub on_sale: bool,
    /// The shop's promotions running now that touch this product (limited-time prices, 满减
    /// tiers, bundles).
    #[serde(default)]
    pub promotions: super::ProductPromotions,
}
