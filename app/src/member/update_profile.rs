use leptos::prelude::*;
use plaza_types::AppError;

/// Saves the member's name and (once) birthday.
#[server(endpoint = "member/profile")]
pub async fn update_profile(name: String, birthday: String) -> Result<(), AppError> {
    use crate::server::{app, require_member, user_error};
    use plaza_core::members::ProfileUpdate;
    let member = require_member().await?;
    let ctx = app()?;
    let update = ProfileUpdate { name, birthday };
    plaza_core::members::update_profile(&ctx.db, member, &update, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/me?saved=1");
    Ok(())
}
