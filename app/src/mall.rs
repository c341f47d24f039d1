//! The mall itself: its name and its directory of shops (public).

use leptos::prelude::*;
use plaza_types::dto::{MallInfo, TenantSummary};
use plaza_types::AppError;

#[server(endpoint = "mall/info")]
pub async fn get_mall_info() -> Result<MallInfo, AppError> {
    use crate::server::{app, user_error};
    let ctx = app()?;
    let mall = plaza_core::mall::get(&ctx.db).await.map_err(user_error)?.ok_or(AppError::NotFound)?;
    Ok(MallInfo { name: mall.name, timezone: mall.timezone, dev_mode: ctx.dev_mode })
}

/// The open shops, by floor: the mall guide on the home page.
#[server(endpoint = "mall/directory")]
pub async fn get_mall_directory() -> Result<Vec<TenantSummary>, AppError> {
    use crate::server::{app, user_error};
    let ctx = app()?;
    let tenants = plaza_core::tenants::list(&ctx.db).await.map_err(user_error)?;
    Ok(tenants.into_iter().filter(|t| t.active).collect())
}
