use super::Localized;
use crate::Fen;
use serde::{Deserialize, Serialize};

/// What a coupon does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CouponKind {
    /// A fixed amount off any purchase in scope.
    AmountOff,
    /// A percentage off (`value` caps the discount when set).
    PercentOff,
    /// 满 X 减 Y: a fixed amount off once the purchase reaches the threshold.
    ThresholdOff,
    /// A service or item to collect (no money value).
    Experience,
    /// Free parking time.
    Parking,
    /// A cash voucher: spends like money up to its value.
    Cash,
    /// The birthday gift (a fixed amount off).
    Birthday,
}

impl CouponKind {
    pub const ALL: [CouponKind; 7] = [
        CouponKind::AmountOff,
        CouponKind::PercentOff,
        CouponKind::ThresholdOff,
        CouponKind::Experience,
        CouponKind::Parking,
        CouponKind::Cash,
        CouponKind::Birthday,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CouponKind::AmountOff => "amount_off",
            CouponKind::PercentOff => "percent_off",
            CouponKind::ThresholdOff => "threshold_off",
            CouponKind::Experience => "experience",
            CouponKind::Parking => "parking",
            CouponKind::Cash => "cash",
            CouponKind::Birthday => "birthday",
        }
    }

    pub fn parse(value: &str) -> Option<CouponKind> {
        CouponKind::ALL.into_iter().find(|k| k.as_str() == value)
    }

    /// Kinds that take money off a payment.
    pub fn is_monetary(self) -> bool {
        !matches!(self, CouponKind::Experience | CouponKind::Parking)
    }
}

/// Where a coupon may be used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "scope", content = "names", rename_all = "snake_case")]
pub enum CouponScope {
    Mall,
    Categories(Vec<Localized>),
    Tenants(Vec<Localized>),
    Products(Vec<Localized>),
}

/// The terms of a coupon, as the wallet and the claim centre explain them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CouponTerms {
    pub name: Localized,
    pub kind: CouponKind,
    pub value: Fen,
    pub percent_off: i64,
    pub threshold: Fen,
    pub parking_minutes: i64,
    pub scope: CouponScope,
    pub description: Localized,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CouponStatus {
    Usable,
    /// Held by an order that is being paid.
    Reserved,
    Used,
    Expired,
    /// Not valid yet (starts later).
    Upcoming,
}

/// A coupon in the member's wallet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WalletCoupon {
    pub id: i64,
    pub code: String,
    pub terms: CouponTerms,
    pub status: CouponStatus,
    pub valid_from: String,
    pub valid_until: String,
}

/// A coupon offered in the claim centre.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClaimableCoupon {
    pub template_id: i64,
    pub terms: CouponTerms,
    /// `None`: unlimited.
    pub stock_left: Option<i64>,
    pub claimed: i64,
    pub limit: i64,
    /// Fixed end date, or days after claiming.
    pub valid_until: Option<String>,
    pub valid_days: Option<i64>,
}

/// A coupon template, for operators.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CouponTemplateView {
    pub id: i64,
    pub code: String,
    pub terms: CouponTerms,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub valid_days: Option<i64>,
    pub per_member_limit: i64,
    pub total_stock: Option<i64>,
    pub issued: i64,
    pub claimable: bool,
    pub status: String,
}
