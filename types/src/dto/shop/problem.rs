use serde::{Deserialize, Serialize};

/// Why the online mall refused an input, precisely enough to say which box is wrong and what
/// is allowed. Carried in `AppError::Shop`; CSV imports report one per bad cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ShopProblem {
    /// The tenant is not a storefront (plate-pay shops and restaurants sell elsewhere).
    NotAStorefront,
    /// 1–60 characters.
    Title,
    /// At most 80 characters.
    Subtitle,
    /// 1–32 letters, digits, `-` or `_`.
    ProductCode,
    /// Another product of this shop has the code.
    ProductCodeTaken,
    /// No such category, or not an active second-level one.
    CategoryLevel,
    /// At most 3 dimensions, each named (1–10 characters) with 1–30 distinct values of 1–20.
    Specs,
    /// A value typed twice in one dimension, or two rows for one combination.
    DuplicateCombination,
    /// More than 200 combinations.
    TooManySkus,
    /// Not a price from ¥0.01 to ¥999,999.99 with at most two decimals.
    Price,
    /// A member price above the price, or not a price.
    MemberPrice,
    /// Stock must be a whole number from 0 to 9,999,999.
    Stock,
    /// Not enough stock to take this many away.
    StockShort,
    /// 8–32 letters and digits.
    Barcode,
    /// At most 30 lines of `name: value` (name ≤ 20, value ≤ 100 characters).
    Params,
    /// At most 10 tags of 1–12 characters.
    Tags,
    /// The description is longer than 20,000 characters.
    Description,
    /// At most 9 photos in the gallery (30 in the description).
    TooManyPhotos,
    /// Publishing needs a photo.
    NeedsPhoto,
    /// Publishing needs an enabled SKU with a price.
    NeedsSku,
    /// Taken down by the mall: it cannot be published until the mall restores it.
    Blocked,
    /// A reason is needed (1–200 characters).
    Reason,
    /// Not a SKU of this product, or removed.
    UnknownSku,
    /// Not for sale: disabled SKU, unpublished or taken-down product, or closed shop.
    NotSellable,
    /// 1–5 stars.
    Rating,
    /// At most 500 characters.
    ReviewText,
    /// At most 6 photos.
    ReviewPhotos,
    /// Only the buyer of a completed order line may review it.
    NotReviewable,
    /// This order line already has its review.
    AlreadyReviewed,
    /// The shop has replied already.
    AlreadyReplied,
    /// 1–300 characters.
    ReplyText,
    /// A storefront name of 1–30 characters, the rest within its bounds.
    Storefront,
    /// Names 1–12 characters (Chinese), an icon from the list, a parent that is level one.
    Category,
    /// The category still holds products or subcategories.
    CategoryInUse,
    /// A banner links inside the mall (`/mall…`) and has a title of 1–30 characters.
    Banner,
    /// Not a CSV file in UTF-8 or GB18030, or larger than 2 MB / 5,000 rows.
    CsvFile,
    /// The first row lacks a required column.
    CsvHeader,
    /// Rows of one product disagree on a product field.
    CsvInconsistent,
}
