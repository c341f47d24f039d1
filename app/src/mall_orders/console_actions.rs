//! The shop's order actions, each a plain form post that returns to the page it came from.

use leptos::prelude::*;
use plaza_types::AppError;

#[cfg(feature = "ssr")]
pub(super) const ROLES: [plaza_types::StaffRole; 2] =
    [plaza_types::StaffRole::TenantOwner, plaza_types::StaffRole::TenantFulfilment];

/// Accepts a paid order of the caller's shop.
#[server(endpoint = "tenant/mall/order/accept")]
pub async fn accept_shop_order(tenant: i64, order_no: String) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::TenantId;
    let staff = require_tenant_staff(TenantId(tenant), &ROLES).await?;
    let ctx = app()?;
    plaza_core::mall_orders::console::accept(
        &ctx.db,
        TenantId(tenant),
        staff.staff_id,
        &order_no,
        plaza_core::Timestamp::now(),
    )
    .await
    .map_err(user_error)?;
    leptos_axum::redirect(&format!("/tenant/orders/{order_no}"));
    Ok(())
}

/// Hands a pickup order over against the shopper's code (rate-limited per shop).
#[server(endpoint = "tenant/mall/order/hand-over")]
pub async fn hand_over_shop_order(tenant: i64, code: String) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::TenantId;
    let staff = require_tenant_staff(TenantId(tenant), &ROLES).await?;
    let ctx = app()?;
    let no = plaza_core::mall_orders::console::hand_over(
        &ctx.db,
        TenantId(tenant),
        staff.staff_id,
        &code,
        plaza_core::Timestamp::now(),
    )
    .await
    .map_err(user_error)?;
    leptos_axum::redirect(&format!("/tenant/orders/{no}?handed=1"));
    Ok(())
}

/// Sends a delivery order with its carrier and tracking number.
#[server(endpoint = "tenant/mall/order/dispatch")]
pub async fn dispatch_shop_order(
    tenant: i64,
    order_no: String,
    carrier: String,
    tracking_no: String,
) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::TenantId;
    let staff = require_tenant_staff(TenantId(tenant), &ROLES).await?;
    let ctx = app()?;
    let now = plaza_core::Timestamp::now();
    plaza_core::mall_orders::console::dispatch(
        &ctx.db,
        TenantId(tenant),
        staff.staff_id,
        &order_no,
        &carrier,
        &tracking_no,
        now,
    )
    .await
    .map_err(user_error)?;
    leptos_axum::redirect(&format!("/tenant/orders/{order_no}"));
    Ok(())
}

/// Marks a sent order delivered.
#[server(endpoint = "tenant/mall/order/delivered")]
pub async fn deliver_shop_order(tenant: i64, order_no: String) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::TenantId;
    let staff = require_tenant_staff(TenantId(tenant), &ROLES).await?;
    let ctx = app()?;
    plaza_core::mall_orders::console::mark_delivered(
        &ctx.db,
        TenantId(tenant),
        staff.staff_id,
        &order_no,
        plaza_core::Timestamp::now(),
    )
    .await
    .map_err(user_error)?;
    leptos_axum::redirect(&format!("/tenant/orders/{order_no}"));
    Ok(())
}

/// Refunds some lines of an order (after-sales): `lines[<line id>]` holds the units to refund
/// (empty or 0 skips the line); `restock` returns them to stock. The shop's owner only.
#[server(endpoint = "tenant/mall/order/refund")]
pub async fn refund_shop_order(
    tenant: i64,
    order_no: String,
    lines: Option<std::collections::BTreeMap<String, String>>,
    restock: Option<String>,
    reason: String,
) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::error::Field;
    use plaza_types::{StaffRole, TenantId};
    let staff = require_tenant_staff(TenantId(tenant), &[StaffRole::TenantOwner]).await?;
    let ctx = app()?;
    let mut chosen = Vec::new();
    for (line, quantity) in lines.unwrap_or_default() {
        let quantity = quantity.trim();
        if quantity.is_empty() || quantity == "0" {
            continue;
        }
        let line: i64 = line.parse().map_err(|_| AppError::invalid(Field::Quantity))?;
        let quantity: i64 = quantity.parse().map_err(|_| AppError::invalid(Field::Quantity))?;
        chosen.push((line, quantity));
    }
    let provider = ctx.payments.provider.clone();
    let now = plaza_core::Timestamp::now();
    plaza_core::mall_orders::console::refund_lines(
        &ctx.db,
        provider.as_ref(),
        TenantId(tenant),
        staff.staff_id,
        &order_no,
        &chosen,
        restock.is_some(),
        &reason,
        now,
    )
    .await
    .map_err(user_error)?;
    leptos_axum::redirect(&format!("/tenant/orders/{order_no}"));
    Ok(())
}
