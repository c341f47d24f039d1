//! A private photo's answer (a receipt's, an after-sales request's): the caller has been checked
//! by the route; this picks the stored file the path names and answers it as a JPEG only the
//! browser may keep, or the error's status.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use plaza_app::server::AppContext;
use plaza_types::AppError;

/// The stored photo (`which` = `photo`) or its thumbnail (`thumb`); anything else does not exist.
pub async fn read(ctx: &AppContext, which: &str, photo_key: String, thumb_key: String) -> Result<Vec<u8>, AppError> {
    let key = match which {
        "photo" => photo_key,
        "thumb" => thumb_key,
        _ => return Err(AppError::NotFound),
    };
    ctx.receipts.store.get(&key).await.map_err(|e| {
        tracing::error!(%key, %e, "reading a private photo");
        AppError::NotFound
    })
}

/// The JPEG with a private cache header, or the error's status.
pub fn answer(result: Result<Vec<u8>, AppError>) -> Response {
    match result {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg")),
                (header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=86400")),
            ],
            bytes,
        )
            .into_response(),
        Err(error) => StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::NOT_FOUND).into_response(),
    }
}
