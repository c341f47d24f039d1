use leptos::prelude::*;
use plaza_types::dto::MemberCodeView;
use plaza_types::AppError;

/// A freshly signed member code (valid 60 s) with its QR and barcode.
#[server(endpoint = "member/code")]
pub async fn get_member_code() -> Result<MemberCodeView, AppError> {
    use crate::server::{app, require_member};
    let member = require_member().await?;
    let ctx = app()?;
    Ok(plaza_core::members::code::issue(&ctx.secrets, member, plaza_core::Timestamp::now()))
}
