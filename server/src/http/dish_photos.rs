//! Dish photos over plain HTTP (server functions carry no file bodies):
//! - `POST /tenant/menu/dish/{id}/photo`: the restaurant owner's upload, as `multipart/form-data`
//!   (field `photo`) or a raw image body. Forms get a redirect back to the dish's page (with
//!   `error=…` when refused).
//! - `GET /photos/dishes/{tenant}/{file}`: a stored dish photo, public (menus are), named by its
//!   content and so cached for good.

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Path, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use plaza_app::components::error_param;
use plaza_app::server::{principal_of, AppContext};
use plaza_core::auth::Principal;
use plaza_core::dining::photos;
use plaza_core::receipts::photo::MAX_UPLOAD_BYTES;
use plaza_core::Timestamp;
use plaza_types::{AppError, StaffRole};

/// The upload route's own body limit: the photo cap plus room for the multipart framing.
pub const UPLOAD_BODY_LIMIT: usize = MAX_UPLOAD_BYTES + 64 * 1024;

/// Uploads this process holds in memory at once; one more is told to try again.
static UPLOADS_IN_FLIGHT: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

pub async fn upload(ctx: AppContext, Path(dish): Path<i64>, request: Request) -> Response {
    let back = format!("/tenant/menu/dish/{dish}");
    match accept(&ctx, dish, request).await {
        Ok(()) => Redirect::to(&format!("{back}?photo=1")).into_response(),
        Err(AppError::Unauthenticated) => Redirect::to("/staff/login").into_response(),
        Err(error) => Redirect::to(&format!("{back}?{}", error_param(&error))).into_response(),
    }
}

async fn accept(ctx: &AppContext, dish: i64, request: Request) -> Result<(), AppError> {
    // The owner of the dish's restaurant: another restaurant's dish is not found by its owner.
    let tenant = match principal_of(ctx, request.headers()).await? {
        Some(Principal::Staff(staff)) if staff.role == StaffRole::TenantOwner => {
            staff.tenant_id.ok_or(AppError::Forbidden)?
        }
        Some(Principal::Staff(_)) => return Err(AppError::Forbidden),
        Some(Principal::Member(_)) => return Err(AppError::Forbidden),
        None => return Err(AppError::Unauthenticated),
    };
    let _in_flight = UPLOADS_IN_FLIGHT.try_acquire().map_err(|_| AppError::Unavailable)?;
    let bytes = body_photo(request).await?;
    photos::set_photo(&ctx.db, ctx.receipts.store.as_ref(), tenant, dish, bytes, Timestamp::now())
        .await
        .map_err(|e| e.into_app_error())?;
    Ok(())
}

/// The photo's bytes from a multipart form (field `photo`) or a raw image body.
async fn body_photo(request: Request) -> Result<Vec<u8>, AppError> {
    let too_large = AppError::PhotoTooLarge { max_mb: (MAX_UPLOAD_BYTES >> 20) as i64 };
    let content_type =
        request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    if content_type.starts_with("multipart/form-data") {
        let mut form = Multipart::from_request(request, &()).await.map_err(|_| AppError::PhotoUnreadable)?;
        loop {
            match form.next_field().await {
                Ok(Some(field)) if field.name() == Some("photo") => {
                    let bytes = field.bytes().await.map_err(|e| {
                        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                            too_large.clone()
                        } else {
                            AppError::PhotoUnreadable
                        }
                    })?;
                    return Ok(bytes.to_vec());
                }
                Ok(Some(_)) => continue,
                Ok(None) => return Err(AppError::PhotoUnreadable),
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large),
                Err(_) => return Err(AppError::PhotoUnreadable),
            }
        }
    }
    match Bytes::from_request(request, &()).await {
        Ok(bytes) => Ok(bytes.to_vec()),
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(too_large),
        Err(_) => Err(AppError::PhotoUnreadable),
    }
}

/// `GET /photos/dishes/{tenant}/{file}`.
pub async fn photo(ctx: AppContext, Path((tenant, file)): Path<(i64, String)>) -> Response {
    let key = format!("dishes/{tenant}/{file}");
    match photos::read(ctx.receipts.store.as_ref(), &key).await {
        Ok(Some(bytes)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg")),
                // The name carries the content's hash: a new photo is a new name.
                (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable")),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, key, "reading a dish photo");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
