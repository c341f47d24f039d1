//! Receipt photos over plain HTTP (server functions carry no file bodies):
//! - `POST /receipts/upload`: a member's photo, as `multipart/form-data` (field `photo`, the
//!   no-JavaScript form) or as the raw image body (the page's island, which reports progress).
//!   The answer comes at once with the receipt in `recognising`; reading happens after.
//!   JSON callers (`Accept: application/json`) get `{"id", "status"}` or the error as JSON with
//!   its status; forms get a redirect to the receipt's page, or back with `error=…`.
//! - `GET /receipts/{id}/photo` and `/thumb`: the stored photo, to its member and to operators.

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Path, Request};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use plaza_app::components::error_param;
use plaza_app::server::AppContext;
use plaza_core::auth::Principal;
use plaza_core::receipts::{self, photo};
use plaza_core::Timestamp;
use plaza_types::{AppError, StaffRole};

/// The upload route's own body limit: the photo cap plus room for the multipart framing.
pub const UPLOAD_BODY_LIMIT: usize = photo::MAX_UPLOAD_BYTES + 64 * 1024;

/// Uploads whose bodies this process holds at once (each up to 12 MB, waiting for a decode
/// turn); one more is told the service is busy rather than held in memory.
static UPLOADS_IN_FLIGHT: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(8);

async fn principal(ctx: &AppContext, headers: &HeaderMap) -> Result<Option<Principal>, AppError> {
    plaza_app::server::principal_of(ctx, headers).await
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("application/json"))
}

fn json_error(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
    (status, [(header::CONTENT_TYPE, "application/json")], serde_json::to_string(error).unwrap_or_default())
        .into_response()
}

pub async fn upload(ctx: AppContext, request: Request) -> Response {
    let json = wants_json(request.headers());
    let result = accept(&ctx, request).await;
    match (result, json) {
        (Ok(id), true) => (
            StatusCode::CREATED,
            [(header::CONTENT_TYPE, "application/json")],
            serde_json::json!({"id": id, "status": "recognising"}).to_string(),
        )
            .into_response(),
        (Ok(id), false) => Redirect::to(&format!("/receipts/{id}")).into_response(),
        (Err(error), true) => json_error(&error),
        (Err(AppError::Unauthenticated), false) => Redirect::to("/login?next=%2Freceipts").into_response(),
        (Err(error), false) => Redirect::to(&format!("/receipts?{}", error_param(&error))).into_response(),
    }
}

async fn accept(ctx: &AppContext, request: Request) -> Result<i64, AppError> {
    let member = plaza_app::server::member_of(ctx, request.headers()).await?;
    // Before the body is read or a pixel decoded: room for one more body in memory, then the
    // member's day and the member's and address's rates.
    let _in_flight = UPLOADS_IN_FLIGHT.try_acquire().map_err(|_| AppError::Unavailable)?;
    let client = plaza_app::server::client_info_from(&ctx.trust_proxy, request.headers(), request.extensions());
    receipts::upload_limits::admit(&ctx.db, member, &client.ip, Timestamp::now())
        .await
        .map_err(|e| e.into_app_error())?;
    let bytes = body_photo(request).await?;
    // Decoding and re-encoding take a few hundred ms of CPU: off the async threads, a few at a time.
    let prepared = photo::prepare_in_turn(bytes).await?;
    let id = receipts::submit(&ctx.db, ctx.receipts.store.as_ref(), member, &prepared, Timestamp::now())
        .await
        .map_err(|e| e.into_app_error())?;
    ctx.receipts.spawn_recognise(ctx.db.clone(), id);
    Ok(id)
}

/// The photo's bytes from a multipart form (field `photo`) or a raw image body.
async fn body_photo(request: Request) -> Result<Vec<u8>, AppError> {
    let too_large = AppError::PhotoTooLarge { max_mb: (photo::MAX_UPLOAD_BYTES >> 20) as i64 };
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

/// `GET /receipts/{id}/photo` or `/thumb`.
pub async fn photo(ctx: AppContext, headers: HeaderMap, Path((id, which)): Path<(i64, String)>) -> Response {
    let result = async {
        // Signed in first: an answer that differs for ids that exist would tell anyone which do.
        let principal = principal(&ctx, &headers).await?.ok_or(AppError::Unauthenticated)?;
        let (owner, photo_key, thumb_key) =
            receipts::views::photo_keys(&ctx.db, id).await.map_err(|e| e.into_app_error())?;
        let allowed = match principal {
            Principal::Member(member) => member == owner,
            Principal::Staff(staff) => matches!(staff.role, StaffRole::OperatorAdmin | StaffRole::OperatorStaff),
        };
        if !allowed {
            // Another member's receipt is not theirs to know about.
            return Err(AppError::NotFound);
        }
        crate::http::private_photo::read(&ctx, &which, photo_key, thumb_key).await
    }
    .await;
    crate::http::private_photo::answer(result)
}
