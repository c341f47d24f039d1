//! The online mall (商城), part 1: the catalogue.
//!
//! - [`categories`]: the mall's two-level category tree (operators);
//! - [`storefront`]: a storefront tenant's shop page and profile;
//! - [`products`]: products (SPU) with specs, SKUs (price, member price, stock, barcode, photo,
//!   enabled), parameters, tags and a sanitised description ([`description`]); drafts,
//!   publishing; [`photos`] for every picture of the mall;
//! - [`stock`]: stock per SKU by conditional updates, adjustments with a reason and their
//!   history, and the take / give back / sellable functions orders use;
//! - [`search`] (Chinese search on both databases) and [`browse`] (filters, sorting, pages,
//!   suggestions, the home page); [`product_page`];
//! - [`purchases`]: the order lines reviews hang on; [`reviews`];
//! - [`curation`]: banners, featured products, suggested searches, take-downs (operators);
//! - [`csv`]: import and export of products and SKUs;
//! - [`promotions`]: 限时折扣, 满减 and 组合套餐, within the mall's cap, read by the price engine.
//!
//! Money is fen, every change of stock is a conditional update, and every function of a shop's
//! console takes the tenant and finds records only among the tenant's own.

pub mod browse;
pub mod categories;
pub mod csv;
pub mod curation;
pub mod description;
pub mod input;
pub mod photos;
pub mod product_page;
pub mod products;
pub mod promotions;
pub mod purchases;
pub mod reviews;
pub mod search;
pub mod stock;
pub mod storefront;

#[cfg(test)]
mod tests;

/// The public address of a stored photo (served by the media route).
pub fn media_url(key: &str) -> String {
    format!("/media/{key}")
}
