//! The online mall's refusals in the reader's language.

use crate::i18n::Tr;
use plaza_types::dto::ShopProblem;

pub fn problem_text(t: &Tr, problem: ShopProblem) -> &'static str {
    match problem {
        ShopProblem::NotAStorefront => t.shp_not_a_storefront,
        ShopProblem::Title => t.shp_title,
        ShopProblem::Subtitle => t.shp_subtitle,
        ShopProblem::ProductCode => t.shp_product_code,
        ShopProblem::ProductCodeTaken => t.shp_product_code_taken,
        ShopProblem::CategoryLevel => t.shp_category_level,
        ShopProblem::Specs => t.shp_specs,
        ShopProblem::DuplicateCombination => t.shp_duplicate_combination,
        ShopProblem::TooManySkus => t.shp_too_many_skus,
        ShopProblem::Price => t.shp_price,
        ShopProblem::MemberPrice => t.shp_member_price,
        ShopProblem::Stock => t.shp_stock,
        ShopProblem::StockShort => t.shp_stock_short,
        ShopProblem::Barcode => t.shp_barcode,
        ShopProblem::Params => t.shp_params,
        ShopProblem::Tags => t.shp_tags,
        ShopProblem::Description => t.shp_description,
        ShopProblem::TooManyPhotos => t.shp_too_many_photos,
        ShopProblem::NeedsPhoto => t.shp_needs_photo,
        ShopProblem::NeedsSku => t.shp_needs_sku,
        ShopProblem::Blocked => t.shp_blocked,
        ShopProblem::Reason => t.shp_reason,
        ShopProblem::UnknownSku => t.shp_unknown_sku,
        ShopProblem::NotSellable => t.shp_not_sellable,
        ShopProblem::Rating => t.shp_rating,
        ShopProblem::ReviewText => t.shp_review_text,
        ShopProblem::ReviewPhotos => t.shp_review_photos,
        ShopProblem::NotReviewable => t.shp_not_reviewable,
        ShopProblem::AlreadyReviewed => t.shp_already_reviewed,
        ShopProblem::AlreadyReplied => t.shp_already_replied,
        ShopProblem::ReplyText => t.shp_reply_text,
        ShopProblem::Storefront => t.shp_storefront,
        ShopProblem::Category => t.shp_category,
        ShopProblem::CategoryInUse => t.shp_category_in_use,
        ShopProblem::Banner => t.shp_banner,
        ShopProblem::CsvFile => t.shp_csv_file,
        ShopProblem::CsvHeader => t.shp_csv_header,
        ShopProblem::CsvInconsistent => t.shp_csv_inconsistent,
        _ => t.err_internal,
    }
}
