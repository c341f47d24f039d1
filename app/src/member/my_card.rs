use leptos::prelude::*;
use plaza_types::dto::MemberCard;
use plaza_types::AppError;

#[server(endpoint = "member/card")]
pub async fn get_my_card() -> Result<MemberCard, AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    let ctx = app()?;
    plaza_core::members::card(&ctx.db, member, plaza_core::Timestamp::now()).await.map_err(user_error)
}
