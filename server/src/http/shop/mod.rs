//! The online mall over plain HTTP, for what server functions cannot carry (files):
//! - `GET /media/{key}`: product, storefront, banner and (visible) review photos, cached for good;
//! - `POST /mall/reviews`: a member's review with up to 6 photos;
//! - `POST /mall/aftersales` and `GET /mall/aftersales/photo/{id}/{which}`: after-sales requests
//!   with up to 6 photos, and those photos to the request's shopper, shop and operators;
//! - `POST /tenant/shop/photos`, `/tenant/shop/storefront-picture`, `/tenant/shop/import` and
//!   `GET /tenant/shop/export.csv`: a storefront's photos, pictures and CSV files;
//! - `POST /ops/shop/banners`: the mall home's banners.
//!
//! Forms get a redirect (back with `error=…` when refused); JSON callers (`Accept:
//! application/json`) get the result or the error as JSON with its status. Each route has its own
//! body limit, at most four uploads are held at once, and files are read one at a time.

mod aftersales;
mod form;
mod media;
mod ops;
mod reviews;
mod tenant;

use axum::routing::{get, post};
use axum::Router;
use plaza_app::server::AppContext;
use tower_http::limit::RequestBodyLimitLayer;

/// The largest photo accepted (the receipts' limit) and the framing around it.
const PHOTO_BYTES: usize = plaza_core::receipts::photo::MAX_UPLOAD_BYTES;
const FRAMING: usize = 64 * 1024;

pub fn routes<S: Clone + Send + Sync + 'static>(ctx: AppContext) -> Router<S> {
    let c = |ctx: &AppContext| ctx.clone();
    Router::new()
        .route(
            "/media/{*key}",
            get({
                let ctx = c(&ctx);
                move |path| media::get(ctx.clone(), path)
            }),
        )
        .route(
            "/mall/reviews",
            post({
                let ctx = c(&ctx);
                move |request| reviews::post(ctx.clone(), request)
            })
            .layer(RequestBodyLimitLayer::new(plaza_core::shop::reviews::MAX_PHOTOS * PHOTO_BYTES + FRAMING)),
        )
        .route(
            "/mall/aftersales",
            post({
                let ctx = c(&ctx);
                move |request| aftersales::post(ctx.clone(), request)
            })
            .layer(RequestBodyLimitLayer::new(plaza_core::mall_orders::aftersales::MAX_PHOTOS * PHOTO_BYTES + FRAMING)),
        )
        .route(
            "/mall/aftersales/photo/{id}/{which}",
            get({
                let ctx = c(&ctx);
                move |headers, path| aftersales::photo(ctx.clone(), headers, path)
            }),
        )
        .route(
            "/tenant/shop/photos",
            post({
                let ctx = c(&ctx);
                move |request| tenant::photos(ctx.clone(), request)
            })
            .layer(RequestBodyLimitLayer::new(9 * PHOTO_BYTES + FRAMING)),
        )
        .route(
            "/tenant/shop/storefront-picture",
            post({
                let ctx = c(&ctx);
                move |request| tenant::storefront_picture(ctx.clone(), request)
            })
            .layer(RequestBodyLimitLayer::new(PHOTO_BYTES + FRAMING)),
        )
        .route(
            "/tenant/shop/import",
            post({
                let ctx = c(&ctx);
                move |request| tenant::import(ctx.clone(), request)
            })
            .layer(RequestBodyLimitLayer::new(plaza_core::shop::csv::MAX_BYTES + FRAMING)),
        )
        .route(
            "/tenant/shop/export.csv",
            get({
                let ctx = c(&ctx);
                move |headers| tenant::export(ctx.clone(), headers)
            }),
        )
        .route(
            "/ops/shop/banners",
            post({
                let ctx = c(&ctx);
                move |request| ops::banner(ctx.clone(), request)
            })
            .layer(RequestBodyLimitLayer::new(PHOTO_BYTES + FRAMING)),
        )
}
