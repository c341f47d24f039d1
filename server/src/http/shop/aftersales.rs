//! After-sales over plain HTTP (server functions carry no files):
//! - `POST /mall/aftersales`: a shopper's request — `order_no`, `q[<line id>]` (units),
//!   `reason`, `reason_text`, `returning`, then up to 6 `photos` — checked before any photo is
//!   read, each photo checked and re-encoded as it arrives. The form works without JavaScript.
//! - `GET /mall/aftersales/photo/{id}/{photo|thumb}`: a request's photo, only to its shopper,
//!   its shop's staff and operators; anyone else is told it does not exist.

use super::form::{self, Done, Part};
use axum::extract::{Path, Request};
use axum::http::HeaderMap;
use axum::response::Response;
use plaza_app::server::AppContext;
use plaza_core::auth::Principal;
use plaza_core::mall_orders::aftersales::{self, views, NewRequest, MAX_PHOTOS};
use plaza_core::Timestamp;
use plaza_types::dto::AfterSalesProblem;
use plaza_types::{AppError, StaffRole};

pub async fn post(ctx: AppContext, request: Request) -> Response {
    let json = form::wants_json(request.headers());
    let mut back = "/mall/orders".to_string();
    let result = accept(&ctx, request, &mut back).await;
    form::answer(result, &back, json)
}

async fn accept(ctx: &AppContext, request: Request, back: &mut String) -> Result<Done, AppError> {
    let member = plaza_app::server::member_of(ctx, request.headers()).await?;
    let _held = form::admit()?;
    let mut form = form::open(request).await?;
    let mut new = NewRequest::default();
    let mut checked = false;
    let bad_lines = || AppError::AfterSales { problem: AfterSalesProblem::Lines };
    while let Some(part) = form.next(super::PHOTO_BYTES).await? {
        match part {
            Part::Text(name, value) => match name.as_str() {
                "order_no" => {
                    new.order_no = value.trim().to_string();
                    *back = format!("/mall/order/{}/aftersales", plaza_app::auth::encode_component(&new.order_no));
                }
                "reason" => new.reason = value,
                "reason_text" => new.reason_text = value,
                "returning" => new.returning = !value.is_empty(),
                name => {
                    if let Some(line) = name.strip_prefix("q[").and_then(|n| n.strip_suffix(']')) {
                        let value = value.trim();
                        if value.is_empty() || value == "0" {
                            continue;
                        }
                        let line: i64 = line.parse().map_err(|_| bad_lines())?;
                        let quantity: i64 = value.parse().map_err(|_| bad_lines())?;
                        new.lines.push((line, quantity));
                    }
                }
            },
            Part::File(bytes) => {
                if !checked {
                    // Before the first photo is decoded: may this shopper ask on this order,
                    // and is the rest of the form right?
                    check(ctx, member, &new).await?;
                    checked = true;
                }
                if new.photos.len() == MAX_PHOTOS {
                    return Err(AppError::AfterSales { problem: AfterSalesProblem::TooManyPhotos });
                }
                new.photos.push(aftersales::prepare_photo(bytes).await.map_err(|e| e.into_app_error())?);
            }
        }
    }
    let order_no = new.order_no.clone();
    let id = aftersales::request(&ctx.db, ctx.receipts.store.as_ref(), member, new, Timestamp::now())
        .await
        .map_err(|e| e.into_app_error())?;
    let to = format!("/mall/order/{}?aftersales={id}", plaza_app::auth::encode_component(&order_no));
    Ok(Done { to, json: serde_json::json!({ "id": id, "order_no": order_no }) })
}

async fn check(ctx: &AppContext, member: plaza_types::MemberId, new: &NewRequest) -> Result<(), AppError> {
    aftersales::ensure_requestable(&ctx.db, member, &new.order_no, Timestamp::now())
        .await
        .map_err(|e| e.into_app_error())?;
    aftersales::check(new).map(|_| ()).map_err(|e| e.into_app_error())
}

/// `GET /mall/aftersales/photo/{id}/{which}`.
pub async fn photo(ctx: AppContext, headers: HeaderMap, Path((id, which)): Path<(i64, String)>) -> Response {
    let result = async {
        // Signed in first: an answer that differs for ids that exist would tell anyone which do.
        let principal = plaza_app::server::principal_of(&ctx, &headers).await?.ok_or(AppError::Unauthenticated)?;
        let (shopper, shop, photo_key, thumb_key) = views::photo(&ctx.db, id).await.map_err(|e| e.into_app_error())?;
        let allowed = match principal {
            Principal::Member(member) => member == shopper,
            Principal::Staff(staff) => {
                staff.role.is_operator()
                    || (staff.tenant_id == Some(shop)
                        && matches!(staff.role, StaffRole::TenantOwner | StaffRole::TenantFulfilment))
            }
        };
        if !allowed {
            return Err(AppError::NotFound);
        }
        crate::http::private_photo::read(&ctx, &which, photo_key, thumb_key).await
    }
    .await;
    crate::http::private_photo::answer(result)
}
