use super::{OrderLineId, PhotoView, ProductId, ReviewId};
use serde::{Deserialize, Serialize};

/// A review as it is shown: to shoppers (visible ones), to its author, to the shop and to
/// operators (who also see hidden ones, with the reason).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewView {
    pub id: ReviewId,
    pub product: ProductId,
    pub product_title: String,
    pub rating: i64,
    pub body: String,
    pub photos: Vec<PhotoView>,
    /// The reviewer as others see them: `张**`.
    pub reviewer: String,
    /// The SKU bought: `红色 / XL`.
    pub spec: String,
    /// In the mall's time zone.
    pub at: String,
    pub reply: Option<String>,
    /// Why an operator hid it (only its author, the shop and operators see hidden reviews).
    pub hidden_reason: Option<String>,
}

/// A completed order line its buyer has not reviewed yet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewableLine {
    pub line: OrderLineId,
    pub product: ProductId,
    pub title: String,
    pub spec: String,
    pub cover: Option<String>,
    pub completed_at: String,
}

/// 评价中心: what the member may still review, and what they wrote.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MyReviews {
    pub to_review: Vec<ReviewableLine>,
    pub written: Vec<ReviewView>,
}
