use super::Localized;
use crate::Fen;
use serde::{Deserialize, Serialize};

/// One line of a counter feed: a sale, or a refund (negative amount).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleLine {
    pub id: i64,
    pub tenant_id: i64,
    pub tenant: Localized,
    pub refund: bool,
    pub amount: Fen,
    pub payment_no: String,
    pub coupon: Fen,
    pub points: Fen,
    pub stored_value: Fen,
    pub external: Fen,
    /// Masked: 138****8000.
    pub member: String,
    pub at: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesTotals {
    pub sales: i64,
    pub amount: Fen,
    pub refunds: Fen,
    pub net: Fen,
}

/// The tender breakdown shown before paying.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown {
    pub amount: Fen,
    pub coupon: Fen,
    pub points_used: i64,
    pub points_value: Fen,
    pub stored_value: Fen,
    /// What the shopper still pays through WeChat Pay / Alipay.
    pub to_pay: Fen,
}

/// A payment as its result page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentView {
    pub payment_no: String,
    pub state: crate::PaymentState,
    pub purpose: crate::Purpose,
    pub subject: String,
    pub tenant: Option<Localized>,
    /// The plate it was paid at (to pay there again).
    pub plate: Option<String>,
    pub breakdown: Breakdown,
    pub refunded: Fen,
    /// Points this purchase earned (pending until the refund window closes).
    pub points_earned: i64,
    pub pay_url: Option<String>,
    pub created_at: String,
    pub paid_at: Option<String>,
}

/// A payment plate at a tenant's counter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlateView {
    pub id: i64,
    pub tenant_id: i64,
    pub code: String,
    pub name: String,
    /// The plate and its tenant both active.
    pub active: bool,
    pub tenant: Localized,
    pub unit_no: String,
}

/// A coupon the shopper may use on this purchase, with what it takes off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsableCoupon {
    pub id: i64,
    pub name: Localized,
    pub discount: Fen,
    pub valid_until: String,
}

/// Everything the pay page offers for one amount at one plate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayOptions {
    pub plate: PlateView,
    pub amount: Fen,
    /// Best first.
    pub coupons: Vec<UsableCoupon>,
    pub points_available: i64,
    pub points_per_yuan: i64,
    pub max_points_pct: i64,
    pub stored_value: Fen,
    /// A fresh key for this page's pay button: pressing it twice pays once.
    pub request_key: String,
}

/// The sandbox's hosted pay page: what "WeChat Pay" asks the shopper to confirm.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxOrderView {
    pub payment_no: String,
    pub amount: Fen,
    pub description: String,
    /// `open`, `paid`, `cancelled`, `closed`.
    pub state: String,
}

/// A counter screen when it opens: the latest lines (newest first) and today's totals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesBoard {
    pub lines: Vec<SaleLine>,
    pub totals: SalesTotals,
    /// Where these lines stand in the event outbox: the live stream resumes after it.
    pub cursor: String,
}

/// A plate with the link its QR code holds, for the plates page and the printable sheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintablePlate {
    pub plate: PlateView,
    pub url: String,
    /// The QR code as an SVG document.
    pub qr_svg: String,
}
