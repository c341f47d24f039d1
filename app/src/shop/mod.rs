//! 商城: the mall's online shop for shoppers — the home page, search, category and storefront
//! pages, the product page with its SKU picker, and reviews. Every page is server-rendered HTML
//! with links and plain forms, and carries no island: these pages load no WebAssembly at all
//! (see [`loads_no_wasm`]), so a phone on 4G gets a product list as fast as HTML and photos
//! arrive. The gallery swipes with CSS scroll-snap; the picker is links.

mod card;
mod category_icon;
mod category_page;
mod home_page;
mod list;
mod problem_text;
mod product_page;
mod product_reviews_page;
mod reviews_page;
mod search_page;
mod storefront_page;
mod write_review_page;

pub use card::{price_range, ProductGrid};
pub use category_icon::CategoryIcon;
pub use category_page::{get_categories, CategoryPage, GetCategories};
pub use home_page::{get_mall_home, GetMallHome, MallHomePage};
pub use list::{browse_products, BrowseProducts};
pub use problem_text::problem_text;
pub use product_page::{get_product, GetProduct, ProductPage};
pub use product_reviews_page::{get_product_reviews, GetProductReviews, ProductReviewsPage};
pub use reviews_page::{my_reviews, MyReviews, MyReviewsPage};
pub use search_page::SearchPage;
pub use storefront_page::{get_storefront, GetStorefront, StorefrontPage};
pub use write_review_page::{get_reviewable, GetReviewable, WriteReviewPage};

use leptos::prelude::*;
use leptos_router::components::Redirect;

/// The old address of the 商城 tab.
#[component]
pub fn ShopPage() -> impl IntoView {
    view! { <Redirect path="/mall" /> }
}

/// Whether the page at `path` is one of the mall's shopper pages, none of which has an island:
/// the shell leaves out the hydration scripts there, so the browser fetches no WebAssembly.
pub fn loads_no_wasm(path: &str) -> bool {
    path == "/mall" || path.starts_with("/mall/")
}
