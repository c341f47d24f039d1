//! The HTTP side: the router with pages, server functions and static files, and the middleware
//! around them.

mod dining_feeds;
mod dish_photos;
mod error_status;
mod flash;
mod lang;
mod notify;
mod page_finish;
mod pay_choose;
mod pay_code;
mod pay_flow;
mod private_photo;
pub mod receipts;
mod reports_csv;
mod sales_feed;
mod same_origin;
mod security_headers;
mod shop;

use axum::http::{header, HeaderValue};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use plaza_app::server::AppContext;
use plaza_app::{shell, App};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Largest request body accepted (forms and server-function calls; uploads get their own limits).
const MAX_BODY_BYTES: usize = 256 * 1024;

pub fn router(ctx: AppContext, options: LeptosOptions) -> Router {
    let routes = generate_route_list(App);
    let context = ctx.clone();
    let ctx_upload = ctx.clone();
    // Served over https (production): browsers are told to keep to it.
    let https = ctx.secure_cookies;
    let secure_cookies = ctx.secure_cookies;
    Router::new()
        .leptos_routes_with_context(
            &options,
            routes,
            move || {
                leptos::prelude::provide_context(context.clone());
                plaza_app::server::provide_request_caller();
            },
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        .route("/lang", axum::routing::post(lang::switch))
        .route(
            "/notify/wechat",
            axum::routing::post({
                let ctx = ctx.clone();
                move |headers, body| notify::wechat(ctx.clone(), headers, body)
            }),
        )
        .route(
            "/pay/code/{no}",
            axum::routing::get({
                let ctx = ctx.clone();
                move |request| pay_code::page(ctx.clone(), request)
            }),
        )
        .route(
            "/pay/go/{no}",
            axum::routing::get({
                let ctx = ctx.clone();
                move |request| pay_flow::go(ctx.clone(), request)
            }),
        )
        .route(
            "/pay/wechat/oauth",
            axum::routing::get({
                let ctx = ctx.clone();
                move |headers, query| pay_flow::oauth(ctx.clone(), headers, query)
            }),
        )
        .route(
            "/sandbox/wechat/authorize",
            axum::routing::get({
                let ctx = ctx.clone();
                move |headers, request| pay_flow::sandbox_authorize(ctx.clone(), headers, request)
            }),
        )
        .route(
            "/sandbox/wechat/h5",
            axum::routing::get({
                let ctx = ctx.clone();
                move |headers, query| pay_flow::sandbox_h5(ctx.clone(), headers, query)
            }),
        )
        .route(
            "/sandbox/wechat/jsapi",
            axum::routing::post({
                let ctx = ctx.clone();
                move |headers, body| pay_flow::sandbox_jsapi(ctx.clone(), headers, body)
            }),
        )
        .route(
            "/sandbox/alipay/gateway",
            axum::routing::post({
                let ctx = ctx.clone();
                move |headers, body| pay_flow::sandbox_alipay(ctx.clone(), headers, body)
            }),
        )
        .route(
            "/notify/alipay",
            axum::routing::post({
                let ctx = ctx.clone();
                move |body| notify::alipay(ctx.clone(), body)
            }),
        )
        .route(
            "/events/sales",
            axum::routing::get({
                let ctx = ctx.clone();
                move |headers, query| sales_feed::sales(ctx.clone(), headers, query)
            }),
        )
        .route(
            "/events/kitchen",
            axum::routing::get({
                let ctx = ctx.clone();
                move |headers, query| dining_feeds::kitchen_feed(ctx.clone(), headers, query)
            }),
        )
        .route(
            "/events/orders/{no}",
            axum::routing::get({
                let ctx = ctx.clone();
                move |headers, path, query| dining_feeds::order_feed(ctx.clone(), headers, path, query)
            }),
        )
        .route(
            "/events/pickup/{shop}",
            axum::routing::get({
                let ctx = ctx.clone();
                move |headers, path, query| dining_feeds::pickup_feed(ctx.clone(), headers, path, query)
            }),
        )
        .route(
            "/photos/dishes/{tenant}/{file}",
            axum::routing::get({
                let ctx = ctx.clone();
                move |path| dish_photos::photo(ctx.clone(), path)
            }),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context(
            move || {
                leptos::prelude::provide_context(ctx.clone());
                plaza_app::server::provide_request_caller();
            },
            shell,
        ))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        // Added after the general limit, so only the photo upload may send more.
        .route(
            "/receipts/upload",
            axum::routing::post({
                let ctx = ctx_upload.clone();
                move |request| receipts::upload(ctx.clone(), request)
            })
            .layer(RequestBodyLimitLayer::new(receipts::UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/tenant/menu/dish/{id}/photo",
            axum::routing::post({
                let ctx = ctx_upload.clone();
                move |path, request| dish_photos::upload(ctx.clone(), path, request)
            })
            .layer(RequestBodyLimitLayer::new(dish_photos::UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/receipts/{id}/{which}",
            axum::routing::get({
                let ctx = ctx_upload.clone();
                move |headers, path| receipts::photo(ctx.clone(), headers, path)
            }),
        )
        .merge(shop::routes(ctx_upload.clone()))
        .route(
            "/tenant/reports/statement.csv",
            axum::routing::get({
                let ctx = ctx_upload.clone();
                move |headers, query| reports_csv::file(ctx.clone(), headers, query, reports_csv::File::Statement)
            }),
        )
        .route(
            "/tenant/reports/sales.csv",
            axum::routing::get({
                let ctx = ctx_upload.clone();
                move |headers, query| reports_csv::file(ctx.clone(), headers, query, reports_csv::File::Sales)
            }),
        )
        .layer(axum::middleware::from_fn(error_status::from_app_error))
        .layer(axum::middleware::from_fn(move |request: axum::extract::Request, next| {
            flash::errors_to_cookie(secure_cookies, request, next)
        }))
        .layer(axum::middleware::from_fn(same_origin::refuse_cross_site_posts))
        .layer(axum::middleware::from_fn(move |request: axum::extract::Request, next| {
            security_headers::add(https, request, next)
        }))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        .layer(axum::middleware::from_fn(page_finish::finish))
        // What is compressed here is made per request (pages, server functions' answers; the
        // static files are precompressed at build time). At tower-http's default (brotli quality
        // 4) each response set up the encoder's large tables and compressing a 13 KB member-card
        // page was a sixth of the server's time; the fastest level costs a fraction of that for
        // a few hundred bytes more (docs/decisions/0026-server-rendering-costs.md).
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(TraceLayer::new_for_http())
        .with_state(options)
}
