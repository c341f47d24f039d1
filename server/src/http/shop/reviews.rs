//! `POST /mall/reviews`: a member's review — `line`, `rating`, `body`, then up to 6 `photos` —
//! checked before any photo is read, each photo cut to size as it arrives.

use super::form::{self, Done, Part};
use axum::extract::Request;
use axum::response::Response;
use plaza_app::server::AppContext;
use plaza_core::shop::reviews::{self, NewReview, MAX_PHOTOS};
use plaza_core::Timestamp;
use plaza_types::dto::{OrderLineId, ShopProblem};
use plaza_types::AppError;

pub async fn post(ctx: AppContext, request: Request) -> Response {
    let json = form::wants_json(request.headers());
    let mut back = "/mall/reviews".to_string();
    let result = accept(&ctx, request, &mut back).await;
    form::answer(result, &back, json)
}

async fn accept(ctx: &AppContext, request: Request, back: &mut String) -> Result<Done, AppError> {
    let member = plaza_app::server::member_of(ctx, request.headers()).await?;
    let _held = form::admit()?;
    let mut form = form::open(request).await?;
    let mut review = NewReview { line: OrderLineId(0), rating: 0, body: String::new(), photos: Vec::new() };
    let mut checked = false;
    while let Some(part) = form.next(super::PHOTO_BYTES).await? {
        match part {
            Part::Text(name, value) => match name.as_str() {
                "line" => {
                    review.line = OrderLineId(value.trim().parse().map_err(|_| AppError::NotFound)?);
                    *back = format!("/mall/reviews/{}", review.line.0);
                }
                "rating" => review.rating = value.trim().parse().unwrap_or(0),
                "body" => review.body = value,
                _ => {}
            },
            Part::File(bytes) => {
                if !checked {
                    // Before the first photo is decoded: may this member review this line, and
                    // is the rest of the form right?
                    reviews::ensure_reviewable(&ctx.db, member, review.line).await.map_err(|e| e.into_app_error())?;
                    reviews::check(&review).map_err(|e| e.into_app_error())?;
                    checked = true;
                }
                if review.photos.len() == MAX_PHOTOS {
                    return Err(AppError::Shop { problem: ShopProblem::ReviewPhotos });
                }
                review.photos.push(reviews::prepare_photo(bytes).await.map_err(|e| e.into_app_error())?);
            }
        }
    }
    let line = review.line;
    reviews::write(&ctx.db, ctx.receipts.store.as_ref(), member, review, Timestamp::now())
        .await
        .map_err(|e| e.into_app_error())?;
    Ok(Done { to: "/mall/reviews?written=1".into(), json: serde_json::json!({ "line": line.0 }) })
}
