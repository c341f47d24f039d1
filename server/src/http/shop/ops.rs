//! `POST /ops/shop/banners`: an operator adds a banner to the mall home — `title`, `link` (inside
//! the mall), then `photo`.

use super::form::{self, Done, Part};
use axum::extract::Request;
use axum::response::Response;
use plaza_app::server::AppContext;
use plaza_core::auth::Principal;
use plaza_core::Timestamp;
use plaza_types::{AppError, StaffRole};

pub async fn banner(ctx: AppContext, request: Request) -> Response {
    let json = form::wants_json(request.headers());
    let result = async {
        let staff = match plaza_app::server::principal_of(&ctx, request.headers()).await? {
            Some(Principal::Staff(s)) if matches!(s.role, StaffRole::OperatorAdmin | StaffRole::OperatorStaff) => s,
            Some(_) => return Err(AppError::Forbidden),
            None => return Err(AppError::Unauthenticated),
        };
        let _held = form::admit()?;
        let mut form = form::open(request).await?;
        let (mut title, mut link) = (String::new(), String::new());
        while let Some(part) = form.next(super::PHOTO_BYTES).await? {
            match part {
                Part::Text(name, value) if name == "title" => title = value,
                Part::Text(name, value) if name == "link" => link = value,
                Part::Text(..) => {}
                Part::File(bytes) => {
                    let store = ctx.receipts.store.as_ref();
                    let id = plaza_core::shop::curation::add_banner(
                        &ctx.db,
                        store,
                        &title,
                        &link,
                        bytes,
                        staff.staff_id,
                        Timestamp::now(),
                    )
                    .await
                    .map_err(|e| e.into_app_error())?;
                    return Ok(Done { to: "/ops/shop?saved=banner".into(), json: serde_json::json!({ "id": id }) });
                }
            }
        }
        Err(AppError::PhotoUnreadable)
    }
    .await;
    form::answer(result, "/ops/shop", json)
}
