//! Mall orders (商城订单): the cart across shops, checkout, the shopper's orders and the shop's
//! order console, as pages see them.

use super::{Localized, UsableCoupon};
use crate::pricing::{AppliedBundle, ExplainedLine, Tier, UnitRule};
use crate::Fen;
use serde::{Deserialize, Serialize};

/// How a mall order reaches its shopper.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MallFulfilment {
    /// 到店自提: collected at the shop with a pickup code.
    #[default]
    Pickup,
    /// 配送: sent to an address from the shopper's address book.
    Delivery,
}

impl MallFulfilment {
    pub const ALL: [MallFulfilment; 2] = [MallFulfilment::Pickup, MallFulfilment::Delivery];

    pub fn as_str(self) -> &'static str {
        match self {
            MallFulfilment::Pickup => "pickup",
            MallFulfilment::Delivery => "delivery",
        }
    }

    pub fn parse(value: &str) -> Option<MallFulfilment> {
        MallFulfilment::ALL.into_iter().find(|f| f.as_str() == value)
    }
}

impl TryFrom<String> for MallFulfilment {
    type Error = String;
    fn try_from(value: String) -> Result<MallFulfilment, String> {
        MallFulfilment::parse(&value).ok_or(value)
    }
}

/// Where a mall order stands. Forward only, except a cancellation whose refund the provider
/// refused, which returns to paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MallOrderState {
    /// Placed, stock reserved, its payment not complete yet.
    Pending,
    /// Paid; the shop has not accepted it yet (the shopper may still cancel).
    Paid,
    /// A pickup order the shop accepted: ready to collect with its code.
    Ready,
    /// A delivery order the shop accepted, not yet sent.
    Accepted,
    /// Sent with a carrier and tracking number.
    Shipped,
    Delivered,
    Completed,
    /// The shopper's cancellation is being refunded.
    Cancelling,
    /// Cancelled after payment and refunded in full.
    Cancelled,
    /// Never paid: the payment was closed (cancelled or timed out) and the stock released.
    Expired,
}

impl MallOrderState {
    pub const ALL: [MallOrderState; 10] = [
        MallOrderState::Pending,
        MallOrderState::Paid,
        MallOrderState::Ready,
        MallOrderState::Accepted,
        MallOrderState::Shipped,
        MallOrderState::Delivered,
        MallOrderState::Completed,
        MallOrderState::Cancelling,
        MallOrderState::Cancelled,
        MallOrderState::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MallOrderState::Pending => "pending",
            MallOrderState::Paid => "paid",
            MallOrderState::Ready => "ready",
            MallOrderState::Accepted => "accepted",
            MallOrderState::Shipped => "shipped",
            MallOrderState::Delivered => "delivered",
            MallOrderState::Completed => "completed",
            MallOrderState::Cancelling => "cancelling",
            MallOrderState::Cancelled => "cancelled",
            MallOrderState::Expired => "expired",
        }
    }

    pub fn parse(value: &str) -> Option<MallOrderState> {
        MallOrderState::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// The shop has the goods to hand over or send.
    pub fn is_open_for_shop(self) -> bool {
        matches!(
            self,
            MallOrderState::Paid | MallOrderState::Ready | MallOrderState::Accepted | MallOrderState::Shipped
        )
    }
}

impl TryFrom<String> for MallOrderState {
    type Error = String;
    fn try_from(value: String) -> Result<MallOrderState, String> {
        MallOrderState::parse(&value).ok_or(value)
    }
}

/// Why a cart line cannot be bought as it stands (shown beside it; never dropped silently).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CartLineProblem {
    /// Unpublished, taken down, the SKU disabled or removed, or the shop closed.
    NotSellable,
    /// Fewer units left than the line asks for (`stock` says how many).
    StockShort,
    /// The price changed since the line was added (the line shows both).
    PriceChanged,
}

/// One SKU in the cart, priced now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MallCartLine {
    pub sku_id: i64,
    pub product_id: i64,
    pub title: String,
    pub spec: String,
    pub thumb: Option<String>,
    pub quantity: i64,
    /// The list price now.
    pub list_price: Fen,
    /// What one unit costs this shopper now (the member price for paid members).
    pub unit_price: Fen,
    /// The price the shopper saw when adding it.
    pub seen_price: Fen,
    /// What is paid for the line after bundles and 满减 (before coupon and points).
    pub line_total: Fen,
    pub stock: i64,
    pub problem: Option<CartLineProblem>,
    /// The price engine's explanation (zero shares for a line with a problem, which is not priced).
    pub price: ExplainedLine,
}

/// One shop's part of the cart (and of the checkout: one order per shop).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MallCartShop {
    pub tenant_id: i64,
    pub name: Localized,
    pub pickup_unit: String,
    pub delivers: bool,
    pub lines: Vec<MallCartLine>,
    /// At list prices.
    pub list_total: Fen,
    /// After unit prices, bundles and 满减.
    pub total: Fen,
    /// The bundles applied, the 满减 tier reached and what it took off, the next tier, and all
    /// the shop's tiers running now (shown beside the shop).
    pub bundles: Vec<AppliedBundle>,
    pub tier: Option<Tier>,
    pub spend_off: Fen,
    pub next_tier: Option<Tier>,
    /// What the tiers are reached on (the goods at their everyday price).
    pub everyday_total: Fen,
    pub tiers: Vec<Tier>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MallCart {
    pub shops: Vec<MallCartShop>,
    pub list_total: Fen,
    pub total: Fen,
    /// Whether member prices apply to this shopper.
    pub member_prices: bool,
    /// True when some line cannot be bought as it stands.
    pub has_problems: bool,
}

/// An address from the shopper's address book.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MallAddress {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub address: String,
}

/// The checkout page: the cart split per shop, the address book and the tenders on offer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MallCheckout {
    pub cart: MallCart,
    pub addresses: Vec<MallAddress>,
    pub coupons: Vec<UsableCoupon>,
    pub points_available: i64,
    pub points_per_yuan: i64,
    pub max_points_pct: i64,
    pub stored_value: Fen,
    pub request_key: String,
}

/// A line of a placed order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MallOrderLine {
    pub line_id: i64,
    pub product_id: i64,
    pub sku_id: i64,
    pub title: String,
    pub spec: String,
    pub quantity: i64,
    pub refunded_quantity: i64,
    pub list_price: Fen,
    pub unit_price: Fen,
    /// Which price the unit price is (list, member, limited-time), and what bundles and 满减 took
    /// off the line.
    pub rule: UnitRule,
    pub bundle_off: Fen,
    pub spend_off: Fen,
    /// What was paid for the line (before coupon and points).
    pub line_total: Fen,
}

/// One step of an order's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MallOrderStep {
    pub state: MallOrderState,
    pub note: String,
    pub at: String,
}

/// An order as its shopper and its shop see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MallOrderView {
    pub order_no: String,
    pub payment_no: String,
    pub tenant_id: i64,
    pub shop: Localized,
    pub pickup_unit: String,
    pub state: MallOrderState,
    pub fulfilment: MallFulfilment,
    /// Shown to the shopper once the shop accepted a pickup order; never to the shop.
    pub pickup_code: Option<String>,
    pub ship_name: String,
    pub ship_phone: String,
    pub ship_address: String,
    pub carrier: String,
    pub tracking_no: String,
    pub lines: Vec<MallOrderLine>,
    /// At list prices.
    pub list_total: Fen,
    pub total: Fen,
    /// This order's share of the payment's tenders.
    pub coupon: Fen,
    pub points: Fen,
    pub stored_value: Fen,
    pub external: Fen,
    pub refunded: Fen,
    /// Unpaid: when the payment closes (mall time), and the seconds left.
    pub expires_at: Option<String>,
    pub seconds_left: Option<i64>,
    /// Where to pay an unpaid order (the provider's page).
    pub pay_url: Option<String>,
    pub placed_at: String,
    pub steps: Vec<MallOrderStep>,
    /// The shopper may cancel it now (paid, not accepted yet).
    pub cancellable: bool,
    /// The shopper may confirm receipt now.
    pub confirmable: bool,
}

/// A row of the shopper's 我的订单 or the shop's order list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MallOrderSummary {
    pub order_no: String,
    pub shop: Localized,
    pub state: MallOrderState,
    pub fulfilment: MallFulfilment,
    pub first_title: String,
    pub item_count: i64,
    pub total: Fen,
    pub placed_at: String,
    /// The buyer's phone, masked (the shop's list only).
    pub buyer: String,
}
