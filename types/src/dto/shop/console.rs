use super::{CategoryId, Param, PhotoView, ProductId, ShopProblem, SkuId, SpecDim};
use serde::{Deserialize, Serialize};

/// Where a product is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductStatus {
    /// Being prepared: shoppers do not see it.
    Draft,
    Published,
    /// Taken off sale by the shop.
    Unpublished,
}

impl ProductStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ProductStatus::Draft => "draft",
            ProductStatus::Published => "published",
            ProductStatus::Unpublished => "unpublished",
        }
    }

    pub fn parse(text: &str) -> Option<ProductStatus> {
        [ProductStatus::Draft, ProductStatus::Published, ProductStatus::Unpublished]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// A row of the tenant's product list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsoleProductRow {
    pub id: ProductId,
    pub code: String,
    pub title: String,
    pub cover: Option<String>,
    pub status: ProductStatus,
    pub blocked_reason: Option<String>,
    pub min_price_fen: Option<i64>,
    pub max_price_fen: Option<i64>,
    pub stock: i64,
    pub skus: i64,
    pub updated_at: String,
}

/// A SKU in the console: everything the shop may change, and its stock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsoleSku {
    pub id: SkuId,
    pub values: Vec<String>,
    pub price_fen: i64,
    pub member_price_fen: Option<i64>,
    pub stock: i64,
    pub barcode: String,
    pub photo_id: Option<i64>,
    pub enabled: bool,
}

impl ConsoleSku {
    pub fn label(&self) -> String {
        self.values.join(" / ")
    }
}

/// A product in the tenant's editor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsoleProduct {
    pub id: ProductId,
    pub code: String,
    pub title: String,
    pub subtitle: String,
    pub category: CategoryId,
    pub tags: Vec<String>,
    pub params: Vec<Param>,
    pub specs: Vec<SpecDim>,
    pub description_html: String,
    pub status: ProductStatus,
    pub blocked_reason: Option<String>,
    pub photos: Vec<PhotoView>,
    pub description_photos: Vec<PhotoView>,
    /// Current combinations only (removed ones are kept for order history, not shown).
    pub skus: Vec<ConsoleSku>,
}

/// A line of a SKU's stock history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StockAdjustmentView {
    pub id: i64,
    pub sku: SkuId,
    pub sku_label: String,
    pub delta: i64,
    pub stock_after: i64,
    pub reason: StockReason,
    pub note: String,
    pub by: String,
    pub at: String,
}

/// Why stock changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StockReason {
    /// The stock a new SKU started with.
    Initial,
    /// Goods arrived (入库).
    Restock,
    /// A stock count found a different number (盘点).
    Count,
    /// Damaged or lost (损耗).
    Damage,
    /// Returned goods back on the shelf.
    Return,
    /// Set by a CSV import.
    Import,
    Other,
}

impl StockReason {
    /// What a person may choose in the adjustment form.
    pub const CHOOSABLE: [StockReason; 5] =
        [StockReason::Restock, StockReason::Count, StockReason::Damage, StockReason::Return, StockReason::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            StockReason::Initial => "initial",
            StockReason::Restock => "restock",
            StockReason::Count => "count",
            StockReason::Damage => "damage",
            StockReason::Return => "return",
            StockReason::Import => "import",
            StockReason::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<StockReason> {
        [
            StockReason::Initial,
            StockReason::Restock,
            StockReason::Count,
            StockReason::Damage,
            StockReason::Return,
            StockReason::Import,
            StockReason::Other,
        ]
        .into_iter()
        .find(|r| r.as_str() == text)
    }
}

/// The storefront's profile as its shop edits it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StorefrontProfile {
    pub name: String,
    pub intro: String,
    pub logo: Option<String>,
    pub banner: Option<String>,
    pub opening_hours: String,
    pub pickup_unit: String,
    pub delivers: bool,
}

/// What a CSV import did: applied whole, or refused with every bad cell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CsvImportView {
    pub id: i64,
    pub file_name: String,
    pub rows: i64,
    pub applied: bool,
    pub created: i64,
    pub updated: i64,
    pub errors: Vec<CsvRowError>,
    pub at: String,
}

/// One refusal of a CSV import: the line of the file (the header is line 1), the column, the
/// value found and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CsvRowError {
    pub line: i64,
    pub column: String,
    pub value: String,
    pub problem: ShopProblem,
}
