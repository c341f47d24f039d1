//! Live sales for counter screens: a tenant's own (owner, cashier) or every tenant's (operators).
//! The page opens with the latest lines and today's totals; the `SalesFeed` island then follows
//! `GET /events/sales` (server-sent events) and refunds go through `refund_sale`.

use leptos::prelude::*;
use plaza_types::dto::SalesBoard;
use plaza_types::AppError;

/// A random key per page view, for the refund forms' idempotency keys.
pub fn page_nonce() -> String {
    #[cfg(feature = "ssr")]
    return plaza_core::codes::random_key();
    #[cfg(not(feature = "ssr"))]
    String::new()
}

/// How many lines a screen opens with.
pub const BOARD_LINES: i64 = 30;

/// The caller's view of sales: `tenant` for a tenant's staff must be their own; operators may
/// pass any tenant or none (all).
#[server(endpoint = "sales/board")]
pub async fn get_sales_board(tenant: Option<i64>) -> Result<SalesBoard, AppError> {
    use crate::server::{app, require_staff, user_error};
    use plaza_core::payments::sales;
    use plaza_types::{StaffRole, TenantId};
    let staff = require_staff(&[
        StaffRole::OperatorAdmin,
        StaffRole::OperatorStaff,
        StaffRole::TenantOwner,
        StaffRole::TenantCashier,
    ])
    .await?;
    let scope = if staff.role.is_operator() {
        tenant.map(TenantId)
    } else {
        let own = staff.tenant_id.ok_or(AppError::Forbidden)?;
        if tenant.is_some_and(|t| t != own.0) {
            return Err(AppError::Forbidden);
        }
        Some(own)
    };
    let ctx = app()?;
    let tz = plaza_core::mall::timezone(&ctx.db).await.map_err(user_error)?;
    // The outbox position first: a sale landing while the lines are read comes again on the
    // stream (the screen ignores a line it shows), never not at all.
    let cursor = plaza_core::events::head(&ctx.db).await.map_err(user_error)?.to_string();
    let mut lines = sales::latest(&ctx.db, scope, BOARD_LINES, &tz).await.map_err(user_error)?;
    lines.reverse();
    let totals = sales::today(&ctx.db, scope, plaza_core::Timestamp::now(), &tz).await.map_err(user_error)?;
    Ok(SalesBoard { lines, totals, cursor })
}

/// Refunds part or all of a sale: the tenant's owner for its own sales, or an operator admin.
/// `refund_key` comes with the form, so pressing twice refunds once.
#[server(endpoint = "sales/refund")]
pub async fn refund_sale(
    payment_no: String,
    amount: String,
    reason: String,
    refund_key: String,
    back: String,
) -> Result<(), AppError> {
    use crate::server::{app, require_staff, user_error};
    use plaza_core::payments::{find, refund, RefundRequest};
    use plaza_types::{StaffRole, TenantId};
    let staff = require_staff(&[StaffRole::OperatorAdmin, StaffRole::TenantOwner]).await?;
    let back = crate::auth::safe_next(&back, "/");
    let attempt = async {
        let ctx = app()?;
        let payment = find(ctx.db.pool(), &payment_no).await.map_err(user_error)?.ok_or(AppError::NotFound)?;
        // A tenant refunds only its own sales; another tenant's payment does not exist for it.
        if !payment.tenant_id.is_some_and(|t| staff.may_act_for(TenantId(t))) {
            return Err(AppError::NotFound);
        }
        let amount = plaza_types::Fen::from_yuan_str(&amount)
            .map_err(|_| AppError::invalid(plaza_types::error::Field::Amount))?;
        let refund_no: String =
            refund_key.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').take(63).collect();
        if refund_no.len() < 16 {
            // Not from our form: without its key a retry could refund twice.
            return Err(AppError::NotUsable);
        }
        let request =
            RefundRequest { payment_no: &payment_no, refund_no: &format!("R{refund_no}"), amount, reason: &reason };
        let provider = ctx.payments.provider.clone();
        let actor = plaza_core::audit::Actor::Staff(staff.staff_id);
        refund(&ctx.db, provider.as_ref(), request, &actor, plaza_core::Timestamp::now()).await.map_err(user_error)?;
        Ok(())
    };
    let separator = if back.contains('?') { '&' } else { '?' };
    match attempt.await {
        Ok(()) => {
            leptos_axum::redirect(&format!("{back}{separator}refunded=1"));
            Ok(())
        }
        Err(error) => {
            leptos_axum::redirect(&format!("{back}{separator}{}", crate::components::error_param(&error)));
            Err(error)
        }
    }
}
