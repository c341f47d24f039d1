//! A storefront's files: product photos (gallery or description, several per form), the logo
//! and banner, and the CSV import and export. Only the shop's own owner and fulfilment staff;
//! every product is looked up among the shop's own.

use super::form::{self, Done, Part};
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use plaza_app::server::AppContext;
use plaza_core::auth::{Principal, StaffPrincipal};
use plaza_core::shop::photos::ProductPhotoKind;
use plaza_core::shop::storefront::Picture;
use plaza_core::Timestamp;
use plaza_types::dto::ProductId;
use plaza_types::{AppError, StaffRole, TenantId};

const CATALOGUE: [StaffRole; 2] = [StaffRole::TenantOwner, StaffRole::TenantFulfilment];

/// The caller, if they are staff of a shop in one of `roles`, and their shop.
async fn shop_staff(
    ctx: &AppContext,
    headers: &HeaderMap,
    roles: &[StaffRole],
) -> Result<(StaffPrincipal, TenantId), AppError> {
    match plaza_app::server::principal_of(ctx, headers).await? {
        Some(Principal::Staff(staff)) if roles.contains(&staff.role) => match staff.tenant_id {
            Some(tenant) => Ok((staff, tenant)),
            None => Err(AppError::Forbidden),
        },
        Some(_) => Err(AppError::Forbidden),
        None => Err(AppError::Unauthenticated),
    }
}

fn core(e: plaza_core::Error) -> AppError {
    e.into_app_error()
}

/// `POST /tenant/shop/photos`: `product`, `kind` (`gallery` or `description`), then one or
/// more `photo` files, added in order.
pub async fn photos(ctx: AppContext, request: Request) -> Response {
    let json = form::wants_json(request.headers());
    let mut back = "/tenant/products".to_string();
    let result = async {
        let (_, tenant) = shop_staff(&ctx, request.headers(), &CATALOGUE).await?;
        let _held = form::admit()?;
        let mut form = form::open(request).await?;
        let (mut product, mut kind, mut added) = (None, ProductPhotoKind::Gallery, Vec::new());
        while let Some(part) = form.next(super::PHOTO_BYTES).await? {
            match part {
                Part::Text(name, value) if name == "product" => {
                    let id = value.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
                    product = Some(ProductId(id));
                    back = format!("/tenant/products/{id}#photos");
                }
                Part::Text(name, value) if name == "kind" && value == "description" => {
                    kind = ProductPhotoKind::Description;
                    back = back.replace("#photos", "#description");
                }
                Part::Text(..) => {}
                Part::File(bytes) => {
                    let product = product.ok_or(AppError::NotFound)?;
                    let store = ctx.receipts.store.as_ref();
                    let photo = plaza_core::shop::photos::add_to_product(
                        &ctx.db,
                        store,
                        tenant,
                        product,
                        kind,
                        bytes,
                        Timestamp::now(),
                    )
                    .await
                    .map_err(core)?;
                    added.push(photo);
                }
            }
        }
        let product = product.ok_or(AppError::NotFound)?;
        if added.is_empty() {
            return Err(AppError::PhotoUnreadable);
        }
        let fragment = if kind == ProductPhotoKind::Description { "description" } else { "photos" };
        Ok(Done {
            to: format!("/tenant/products/{}?uploaded={}#{fragment}", product.0, added.len()),
            json: serde_json::to_value(&added).unwrap_or_default(),
        })
    }
    .await;
    form::answer(result, &back, json)
}

/// `POST /tenant/shop/storefront-picture`: `which` (`logo` or `banner`), then `photo`. The owner's.
pub async fn storefront_picture(ctx: AppContext, request: Request) -> Response {
    let json = form::wants_json(request.headers());
    let result = async {
        let (_, tenant) = shop_staff(&ctx, request.headers(), &[StaffRole::TenantOwner]).await?;
        let _held = form::admit()?;
        let mut form = form::open(request).await?;
        let mut which = Picture::Logo;
        while let Some(part) = form.next(super::PHOTO_BYTES).await? {
            match part {
                Part::Text(name, value) if name == "which" => {
                    which = if value == "banner" { Picture::Banner } else { Picture::Logo };
                }
                Part::Text(..) => {}
                Part::File(bytes) => {
                    let store = ctx.receipts.store.as_ref();
                    let url = plaza_core::shop::storefront::upload_picture(
                        &ctx.db,
                        store,
                        tenant,
                        which,
                        bytes,
                        Timestamp::now(),
                    )
                    .await
                    .map_err(core)?;
                    return Ok(Done {
                        to: "/tenant/products/storefront?saved=picture".into(),
                        json: serde_json::json!({ "url": url }),
                    });
                }
            }
        }
        Err(AppError::PhotoUnreadable)
    }
    .await;
    form::answer(result, "/tenant/products/storefront", json)
}

/// `POST /tenant/shop/import`: one `file`, applied whole or refused with its report; either way
/// the browser goes to the report.
pub async fn import(ctx: AppContext, request: Request) -> Response {
    let json = form::wants_json(request.headers());
    let result = async {
        let (staff, tenant) = shop_staff(&ctx, request.headers(), &CATALOGUE).await?;
        let _held = form::admit()?;
        let mut form = form::open(request).await?;
        while let Some(part) = form.next(plaza_core::shop::csv::MAX_BYTES).await.map_err(|e| match e {
            AppError::PhotoTooLarge { .. } => AppError::Shop { problem: plaza_types::dto::ShopProblem::CsvFile },
            other => other,
        })? {
            if let Part::File(bytes) = part {
                let report = plaza_core::shop::csv::import(
                    &ctx.db,
                    tenant,
                    staff.staff_id,
                    "products.csv",
                    &bytes,
                    Timestamp::now(),
                )
                .await
                .map_err(core)?;
                return Ok(Done {
                    to: format!("/tenant/products/import/{}", report.id),
                    json: serde_json::to_value(&report).unwrap_or_default(),
                });
            }
        }
        Err(AppError::Shop { problem: plaza_types::dto::ShopProblem::CsvFile })
    }
    .await;
    form::answer(result, "/tenant/products", json)
}

/// `GET /tenant/shop/export.csv`: every current SKU of the shop's products.
pub async fn export(ctx: AppContext, headers: HeaderMap) -> Response {
    let result = async {
        let (_, tenant) = shop_staff(&ctx, &headers, &CATALOGUE).await?;
        plaza_core::shop::csv::export(&ctx.db, tenant).await.map_err(core)
    }
    .await;
    match result {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
                (header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"products.csv\"")),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            bytes,
        )
            .into_response(),
        Err(error) => StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::BAD_REQUEST).into_response(),
    }
}
