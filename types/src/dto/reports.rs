//! A tenant's reports and settlement statement (报表与结算): what the console page, the
//! operator's view of a tenant and the CSV files show. Every amount is integer fen.

use super::Localized;
use crate::Fen;
use serde::{Deserialize, Serialize};

/// The ways a tenant sells through Plaza.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SalesChannel {
    /// QR plate payments at the counter.
    Counter,
    /// Scan-to-order.
    Dining,
    /// Online mall orders.
    Mall,
}

impl SalesChannel {
    pub const ALL: [SalesChannel; 3] = [SalesChannel::Counter, SalesChannel::Dining, SalesChannel::Mall];

    pub fn as_str(self) -> &'static str {
        match self {
            SalesChannel::Counter => "counter",
            SalesChannel::Dining => "dining",
            SalesChannel::Mall => "mall",
        }
    }
}

/// The period a report covers: mall-local dates, `to` included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportPeriod {
    /// `day`, `week`, `month` or `custom`.
    pub preset: String,
    pub from: String,
    pub to: String,
}

/// Sales of one day (or a total): gross is at list price, discounts the price reductions the
/// shop gave (member prices, promotions), net = gross − discounts − refunds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesFigures {
    pub count: i64,
    pub gross: Fen,
    pub discounts: Fen,
    pub refund_count: i64,
    pub refunds: Fen,
    pub net: Fen,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesDay {
    pub date: String,
    pub figures: SalesFigures,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelFigures {
    pub channel: SalesChannel,
    pub figures: SalesFigures,
}

/// A refund made in the period, with the date of the sale it gave back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundRow {
    pub at: String,
    pub sale_date: String,
    pub channel: SalesChannel,
    pub payment_no: String,
    pub amount: Fen,
    pub reason: String,
}

/// A product or dish sold in the period (quantities net of the units refunded).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopItem {
    pub channel: SalesChannel,
    pub name: Localized,
    pub quantity: i64,
    pub amount: Fen,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesReport {
    pub tenant: Localized,
    pub period: ReportPeriod,
    pub days: Vec<SalesDay>,
    pub total: SalesFigures,
    pub channels: Vec<ChannelFigures>,
    pub refunds: Vec<RefundRow>,
    pub top_by_quantity: Vec<TopItem>,
    pub top_by_amount: Vec<TopItem>,
}

/// The commission at one rate: on the net sales whose sale date fell under it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommissionPart {
    pub rate_bps: i64,
    pub base: Fen,
    pub commission: Fen,
}

/// The settlement statement of a period. Its lines add up:
/// - `net_sales = sales − refunds`;
/// - `net_sales = coupons_mall + coupons_tenant + points + stored_value + provider` (who paid
///   how);
/// - `net_owed = net_sales − commission − coupons_tenant` (the tenant bears its own coupons;
///   the mall pays the tenant for the mall's coupons, the points and stored value it holds and
///   what the provider collected).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub tenant: Localized,
    pub period: ReportPeriod,
    pub sale_count: i64,
    pub sales: Fen,
    pub refund_count: i64,
    pub refunds: Fen,
    pub net_sales: Fen,
    pub commission: Fen,
    pub commission_parts: Vec<CommissionPart>,
    pub coupons_mall: Fen,
    pub coupons_tenant: Fen,
    pub points: Fen,
    pub stored_value: Fen,
    pub provider: Fen,
    pub net_owed: Fen,
}

/// A commission rate as set by the operator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommissionRate {
    pub rate_bps: i64,
    pub effective_from: String,
    pub set_at: String,
    pub reason: String,
}

/// A tenant's rates: the one in force today, what is scheduled, the history (newest first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommissionRates {
    pub today: String,
    pub current_bps: i64,
    pub history: Vec<CommissionRate>,
}

/// Basis points as a percentage: `550` → `5.5%`.
pub fn bps_percent(bps: i64) -> String {
    let whole = bps / 100;
    let frac = bps % 100;
    if frac == 0 {
        format!("{whole}%")
    } else if frac % 10 == 0 {
        format!("{whole}.{}%", frac / 10)
    } else {
        format!("{whole}.{frac:02}%")
    }
}

#[cfg(test)]
mod tests {
    use super::bps_percent;

    #[test]
    fn basis_points_read_as_percent() {
        assert_eq!(bps_percent(500), "5%");
        assert_eq!(bps_percent(550), "5.5%");
        assert_eq!(bps_percent(525), "5.25%");
        assert_eq!(bps_percent(5), "0.05%");
        assert_eq!(bps_percent(0), "0%");
    }
}
