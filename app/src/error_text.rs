//! What each error kind says to the user, in their language.

use crate::i18n::{fill, Tr};
use plaza_types::error::Field;
use plaza_types::AppError;

pub fn field_name(t: &Tr, field: Field) -> &'static str {
    match field {
        Field::Phone => t.field_phone,
        Field::SmsCode => t.field_sms_code,
        Field::Name => t.field_name,
        Field::Birthday => t.field_birthday,
        Field::Username => t.field_username,
        Field::Password => t.field_password,
        Field::DisplayName => t.field_display_name,
        Field::Role => t.field_role,
        Field::Tenant => t.field_tenant,
        Field::Amount => t.field_amount,
        Field::MemberCode => t.field_member_code,
        Field::Reason => t.field_reason,
        Field::Level => t.field_level,
        Field::Coupon => t.field_coupon,
        Field::Reward => t.field_reward,
        Field::Date => t.field_date,
        Field::ReceiptNo => t.field_receipt_no,
        Field::Dish => t.field_dish,
        Field::Quantity => t.field_quantity,
        Field::DishOptions => t.field_dish_options,
        Field::Table => t.field_table,
        Field::Category => t.field_category,
        Field::Remark => t.field_remark,
        Field::Price => t.field_price,
        Field::ServingHours => t.field_serving_hours,
    }
}

pub fn error_text(t: &Tr, error: &AppError) -> String {
    match error {
        AppError::Unauthenticated => t.err_unauthenticated.into(),
        AppError::Forbidden => t.err_forbidden.into(),
        AppError::NotFound => t.err_not_found.into(),
        AppError::Invalid { field: Field::Phone } => t.err_invalid_phone.into(),
        AppError::Invalid { field: Field::SmsCode } => t.err_invalid_sms_code.into(),
        AppError::Invalid { field: Field::Birthday } => t.err_invalid_birthday.into(),
        AppError::Invalid { field: Field::Name } => t.err_invalid_name.into(),
        AppError::Invalid { field } => fill(t.err_invalid_field, &[("field", field_name(t, *field))]),
        AppError::RateLimited { retry_after_secs } => fill(t.err_rate_limited, &[("n", &retry_after_secs.to_string())]),
        AppError::SmsCodeWrong { attempts_left } => fill(t.err_sms_code_wrong, &[("n", &attempts_left.to_string())]),
        AppError::SmsCodeExpired => t.err_sms_code_expired.into(),
        AppError::BadCredentials => t.err_bad_credentials.into(),
        AppError::AccountDisabled => t.err_account_disabled.into(),
        AppError::MemberCodeExpired => t.err_member_code_expired.into(),
        AppError::MemberCodeInvalid => t.err_member_code_invalid.into(),
        AppError::AlreadyExists => t.err_already_exists.into(),
        AppError::InsufficientPoints { available } => fill(t.err_insufficient_points, &[("n", &available.to_string())]),
        AppError::InsufficientBalance { available_fen } => {
            fill(t.err_insufficient_balance, &[("amount", &plaza_types::Fen(*available_fen).to_string())])
        }
        AppError::SoldOut => t.err_sold_out.into(),
        AppError::LimitReached => t.err_limit_reached.into(),
        AppError::AlreadyToday => t.err_already_today.into(),
        AppError::NotUsable => t.err_not_usable.into(),
        AppError::Unavailable => t.err_unavailable.into(),
        AppError::AmountOutOfRange { min_fen, max_fen } => fill(
            t.err_amount_out_of_range,
            &[("min", &plaza_types::Fen(*min_fen).to_string()), ("max", &plaza_types::Fen(*max_fen).to_string())],
        ),
        AppError::AmountTooPrecise => t.err_amount_too_precise.into(),
        AppError::QuoteChanged => t.err_quote_changed.into(),
        AppError::SubcardBound { cooldown_days } => fill(t.err_subcard_bound, &[("n", &cooldown_days.to_string())]),
        AppError::DishUnavailable => t.err_dish_unavailable.into(),
        AppError::PhotoTooLarge { max_mb } => fill(t.err_photo_too_large, &[("n", &max_mb.to_string())]),
        AppError::PhotoUnsupported { heic: true } => t.err_photo_heic.into(),
        AppError::PhotoUnsupported { heic: false } => t.err_photo_unsupported.into(),
        AppError::PhotoUnreadable => t.err_photo_unreadable.into(),
        AppError::Transport { .. } => t.err_network.into(),
        AppError::Shop { problem } => crate::shop::problem_text(t, *problem).into(),
        AppError::Promotion { problem } => crate::mall_promotions::problem_text(t, *problem),
        AppError::AfterSales { problem } => crate::mall_orders::aftersales_problem(t, *problem).into(),
        _ => t.err_internal.into(),
    }
}
