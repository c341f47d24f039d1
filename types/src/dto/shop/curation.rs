use serde::{Deserialize, Serialize};

/// A banner on the mall's home page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BannerView {
    pub id: i64,
    pub title: String,
    pub image: String,
    pub link: String,
    pub position: i64,
    pub active: bool,
}

/// A product the operators see (any shop, any state), to feature or take down.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpsProductRow {
    pub id: super::ProductId,
    pub title: String,
    pub cover: Option<String>,
    pub shop_name: String,
    pub status: super::ProductStatus,
    pub blocked_reason: Option<String>,
    pub featured: bool,
    pub min_price_fen: Option<i64>,
}

/// The mall home as operators arrange it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OpsShopHome {
    pub banners: Vec<BannerView>,
    pub featured: Vec<OpsProductRow>,
    pub hot_words: Vec<String>,
}
