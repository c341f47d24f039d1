//! `GET /media/{key}`: the mall's public photos. Keys are random and never reused, so the
//! answer may be cached for a year; receipts and anything else are not served here.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use plaza_app::server::AppContext;

pub async fn get(ctx: AppContext, Path(key): Path<String>) -> Response {
    let content_type = match key.rsplit_once('.').map(|(_, ext)| ext) {
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    match plaza_core::shop::photos::read_public(&ctx.db, ctx.receipts.store.as_ref(), &key).await {
        Ok(Some(bytes)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
                (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable")),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(%e, key, "serving a shop photo");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
