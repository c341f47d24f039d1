//! The errors a user may see. Each kind is translated in the browser; the rich cause stays in the
//! server log. Serialised as `{"error": "kind", ...}`.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// Which input was wrong, so the message can name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Phone,
    SmsCode,
    Name,
    Birthday,
    Username,
    Password,
    DisplayName,
    Role,
    Tenant,
    Amount,
    MemberCode,
    Reason,
    Level,
    Coupon,
    Reward,
    Date,
    ReceiptNo,
    Dish,
    Quantity,
    DishOptions,
    Table,
    Category,
    Remark,
    Price,
    ServingHours,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", rename_all = "snake_case")]
#[non_exhaustive]
pub enum AppError {
    #[error("sign-in required")]
    Unauthenticated,
    #[error("not allowed for this account")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid {field:?}")]
    Invalid { field: Field },
    #[error("too many requests; retry after {retry_after_secs} s")]
    RateLimited { retry_after_secs: i64 },
    #[error("the SMS code is wrong")]
    SmsCodeWrong { attempts_left: i64 },
    #[error("no valid SMS code: expired, used or never sent")]
    SmsCodeExpired,
    #[error("the username or password is wrong")]
    BadCredentials,
    #[error("the account is disabled")]
    AccountDisabled,
    #[error("the member code has expired")]
    MemberCodeExpired,
    #[error("the member code is not valid")]
    MemberCodeInvalid,
    #[error("already exists")]
    AlreadyExists,
    #[error("not enough points ({available} available)")]
    InsufficientPoints { available: i64 },
    #[error("not enough stored value ({available_fen} fen available)")]
    InsufficientBalance { available_fen: i64 },
    #[error("sold out")]
    SoldOut,
    #[error("limit per member reached")]
    LimitReached,
    #[error("already done today")]
    AlreadyToday,
    #[error("not usable now")]
    NotUsable,
    #[error("not available in this mode")]
    Unavailable,
    #[error("the amount must be between {min_fen} and {max_fen} fen")]
    AmountOutOfRange { min_fen: i64, max_fen: i64 },
    #[error("at most two decimals")]
    AmountTooPrecise,
    /// Balances or coupons changed between showing the breakdown and paying: nothing was taken.
    #[error("the breakdown changed; check it and confirm again")]
    QuoteChanged,
    /// A dish in the cart sold out, is not served at this hour, or changed: nothing was ordered,
    /// and the cart (kept) marks which.
    #[error("some dishes in the cart cannot be ordered now")]
    DishUnavailable,
    /// A receipt photo larger than the upload limit.
    #[error("the photo is larger than {max_mb} MB")]
    PhotoTooLarge { max_mb: i64 },
    /// Not a JPEG, PNG or WebP photo (`heic`: an iPhone HEIC photo, which is said plainly).
    #[error("only JPEG, PNG or WebP photos are accepted")]
    PhotoUnsupported { heic: bool },
    /// A photo whose pixels cannot be decoded, or too large in pixels to decode safely.
    #[error("the photo cannot be read")]
    PhotoUnreadable,
    /// The online mall refused an input (which box, and what is allowed).
    #[error("refused by the online mall: {problem:?}")]
    Shop { problem: crate::dto::ShopProblem },
    /// A shop's promotion was refused (which rule, and the mall's cap where it applies).
    #[error("promotion refused: {problem:?}")]
    Promotion { problem: crate::pricing::PromotionProblem },
    /// After-sales of a mall order refused a step (what, and why).
    #[error("refused by after-sales: {problem:?}")]
    AfterSales { problem: crate::dto::AfterSalesProblem },
    /// A sub-card holder tried to buy a paid membership of their own: they may leave the main
    /// card first, after which the main card waits `cooldown_days` to bind another sub-card.
    #[error("bound as a sub-card; leave the main card first")]
    SubcardBound { cooldown_days: i64 },
    #[error("internal server error")]
    Internal,
    #[error("request failed: {message}")]
    Transport { message: String },
}

impl AppError {
    pub fn invalid(field: Field) -> AppError {
        AppError::Invalid { field }
    }

    /// The HTTP status a server function answers with for this error.
    pub fn http_status(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::AlreadyExists => 409,
            AppError::RateLimited { .. } => 429,
            AppError::Internal | AppError::Transport { .. } => 500,
            AppError::Unavailable => 503,
            _ => 400,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport { message: value.to_string() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_with_a_kind_tag() {
        let json = serde_json_like(&AppError::RateLimited { retry_after_secs: 30 });
        assert!(json.contains("rate_limited"), "{json}");
        let parsed: AppError = AppError::de(AppError::RateLimited { retry_after_secs: 30 }.ser());
        assert_eq!(parsed, AppError::RateLimited { retry_after_secs: 30 });
    }

    fn serde_json_like(error: &AppError) -> String {
        String::from_utf8(error.ser().to_vec()).unwrap()
    }
}
