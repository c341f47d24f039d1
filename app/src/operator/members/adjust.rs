//! The manual changes staff make on a member's profile, each with a mandatory reason. Both
//! operator roles may make them — except stored-value credits, the mall administrator's alone
//! (with a daily cap and a second administrator above a threshold); each redirects back to the
//! profile, which shows the result.

use leptos::prelude::*;
use plaza_types::{AppError, Fen};

/// Grants (`+300`) or takes (`-100`) points.
#[server(endpoint = "ops/members/adjust-points")]
pub async fn adjust_member_points(member_id: i64, points: String, reason: String) -> Result<i64, AppError> {
    use crate::server::{app, require_operator, user_error};
    use plaza_core::input;
    use plaza_core::operator::members;
    use plaza_types::{error::Field, MemberId};
    let staff = require_operator().await?;
    let points = input::number(&points, Field::Amount).map_err(user_error)?;
    let ctx = app()?;
    let operator = plaza_core::audit::Actor::Staff(staff.staff_id);
    let now = plaza_core::Timestamp::now();
    let available = members::adjust_points(&ctx.db, MemberId(member_id), points, &reason, &operator, now)
        .await
        .map_err(user_error)?;
    leptos_axum::redirect(&format!("/ops/members/{member_id}?saved=points"));
    Ok(available)
}

/// Credits (`12.50`, the administrator only) or debits (`-12.50`) stored value, in yuan. A
/// credit above the approval threshold waits for a second administrator (`saved=sv-pending`).
#[server(endpoint = "ops/members/adjust-stored-value")]
pub async fn adjust_member_stored_value(member_id: i64, amount: String, reason: String) -> Result<Fen, AppError> {
    use crate::server::{app, require_operator, user_error};
    use plaza_core::input;
    use plaza_core::operator::members;
    use plaza_core::stored_value::credits::{self, ManualCredit};
    use plaza_types::{error::Field, MemberId, StaffRole};
    let staff = require_operator().await?;
    let delta = input::signed_yuan(&amount, Field::Amount).map_err(user_error)?;
    if delta.0 > 0 && staff.role != StaffRole::OperatorAdmin {
        return Err(AppError::Forbidden);
    }
    let ctx = app()?;
    let now = plaza_core::Timestamp::now();
    let member = MemberId(member_id);
    let (balance, saved) = if delta.0 > 0 {
        match credits::credit(&ctx.db, &staff, member, delta, &reason, now).await.map_err(user_error)? {
            ManualCredit::Credited(balance) => (balance, "stored-value"),
            ManualCredit::AwaitingApproval(_) => {
                (plaza_core::stored_value::balance(ctx.db.pool(), member).await.map_err(user_error)?, "sv-pending")
            }
        }
    } else {
        let operator = plaza_core::audit::Actor::Staff(staff.staff_id);
        let balance =
            members::adjust_stored_value(&ctx.db, member, delta, &reason, &operator, now).await.map_err(user_error)?;
        (balance, "stored-value")
    };
    leptos_axum::redirect(&format!("/ops/members/{member_id}?saved={saved}"));
    Ok(balance)
}

/// Hands one coupon of an active template to the member.
#[server(endpoint = "ops/members/hand-out")]
pub async fn hand_out_coupon(member_id: i64, template_id: String, reason: String) -> Result<i64, AppError> {
    use crate::server::{app, require_operator, user_error};
    use plaza_core::input;
    use plaza_core::operator::members;
    use plaza_types::{error::Field, MemberId};
    let staff = require_operator().await?;
    let template = input::number(&template_id, Field::Coupon).map_err(user_error)?;
    let ctx = app()?;
    let operator = plaza_core::audit::Actor::Staff(staff.staff_id);
    let now = plaza_core::Timestamp::now();
    let coupon =
        members::hand_out(&ctx.db, MemberId(member_id), template, &reason, &operator, now).await.map_err(user_error)?;
    leptos_axum::redirect(&format!("/ops/members/{member_id}?saved=coupon"));
    Ok(coupon)
}
