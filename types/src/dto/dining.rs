//! Scan-to-order (扫码点餐): tables, menus, carts, orders, the kitchen and pickup screens, and the
//! restaurant's administration, as pages and live screens see them.

use super::{Localized, UsableCoupon};
use crate::Fen;
use serde::{Deserialize, Serialize};

/// How a restaurant hands food over.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fulfilment {
    /// 叫号取餐: each paid order gets the next pickup number of the day; a screen calls it.
    #[default]
    CallNumber,
    /// 按桌号配餐: staff bring the order to the table.
    TableDelivery,
}

impl Fulfilment {
    pub const ALL: [Fulfilment; 2] = [Fulfilment::CallNumber, Fulfilment::TableDelivery];

    pub fn as_str(self) -> &'static str {
        match self {
            Fulfilment::CallNumber => "call_number",
            Fulfilment::TableDelivery => "table_delivery",
        }
    }

    pub fn parse(value: &str) -> Option<Fulfilment> {
        Fulfilment::ALL.into_iter().find(|f| f.as_str() == value)
    }
}

impl TryFrom<String> for Fulfilment {
    type Error = String;
    fn try_from(value: String) -> Result<Fulfilment, String> {
        Fulfilment::parse(&value).ok_or(value)
    }
}

/// Where a food order stands. Forward only, except a kitchen recalling a done order to ready and
/// a failed cancellation returning to where it started.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiningState {
    /// Placed, its payment not complete yet: no kitchen sees it.
    Pending,
    /// Paid; not yet on a kitchen screen.
    Paid,
    /// On the kitchen's screen (接单).
    Accepted,
    Preparing,
    /// Ready: called on the pickup screen, or being brought to the table.
    Ready,
    /// Collected or served.
    Done,
    /// A cancellation's refund is under way.
    Cancelling,
    /// Cancelled and refunded in full.
    Cancelled,
    /// Its payment was never completed (abandoned, failed, timed out): released, nothing owed.
    Released,
}

impl DiningState {
    pub const ALL: [DiningState; 9] = [
        DiningState::Pending,
        DiningState::Paid,
        DiningState::Accepted,
        DiningState::Preparing,
        DiningState::Ready,
        DiningState::Done,
        DiningState::Cancelling,
        DiningState::Cancelled,
        DiningState::Released,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DiningState::Pending => "pending",
            DiningState::Paid => "paid",
            DiningState::Accepted => "accepted",
            DiningState::Preparing => "preparing",
            DiningState::Ready => "ready",
            DiningState::Done => "done",
            DiningState::Cancelling => "cancelling",
            DiningState::Cancelled => "cancelled",
            DiningState::Released => "released",
        }
    }

    pub fn parse(value: &str) -> Option<DiningState> {
        DiningState::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Paid and in the kitchen's hands: what a kitchen screen shows.
    pub fn in_kitchen(self) -> bool {
        matches!(self, DiningState::Paid | DiningState::Accepted | DiningState::Preparing | DiningState::Ready)
    }

    /// Paid and not yet being cooked: anyone may still cancel it for a full refund.
    pub fn before_preparing(self) -> bool {
        matches!(self, DiningState::Paid | DiningState::Accepted)
    }

    /// The step a kitchen's tap moves this order to.
    pub fn next_in_kitchen(self) -> Option<DiningState> {
        match self {
            DiningState::Paid | DiningState::Accepted => Some(DiningState::Preparing),
            DiningState::Preparing => Some(DiningState::Ready),
            DiningState::Ready => Some(DiningState::Done),
            _ => None,
        }
    }

    /// Where the shopper's progress bar stands: 0 paid, 1 accepted, 2 preparing, 3 ready, 4 done.
    pub fn progress(self) -> Option<usize> {
        match self {
            DiningState::Paid => Some(0),
            DiningState::Accepted => Some(1),
            DiningState::Preparing => Some(2),
            DiningState::Ready => Some(3),
            DiningState::Done => Some(4),
            _ => None,
        }
    }
}

impl TryFrom<String> for DiningState {
    type Error = String;
    fn try_from(value: String) -> Result<DiningState, String> {
        DiningState::parse(&value).ok_or(value)
    }
}

/// A restaurant as a table's landing page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestaurantRef {
    pub id: i64,
    pub code: String,
    pub name: Localized,
    pub unit_no: String,
    pub fulfilment: Fulfilment,
    /// Takes orders (the shop is active).
    pub open: bool,
}

/// A scanned table code: the table, its area and the restaurants that serve it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableView {
    pub code: String,
    pub label: String,
    pub area: Localized,
    pub floor: String,
    /// A food court's table: several restaurants to choose from.
    pub shared: bool,
    pub restaurants: Vec<RestaurantRef>,
}

/// A serving window (minutes after midnight, mall time); `from > until` runs past midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServingWindow {
    pub from: i64,
    pub until: i64,
}

impl ServingWindow {
    pub fn parse(from: &str, until: &str) -> Option<Option<ServingWindow>> {
        match (from.trim(), until.trim()) {
            ("", "") => Some(None),
            (f, u) => {
                let (from, until) = (minutes(f)?, minutes(u)?);
                (from != until).then_some(Some(ServingWindow { from, until }))
            }
        }
    }

    /// Whether `minute` (after midnight) falls inside.
    pub fn contains(self, minute: i64) -> bool {
        if self.from < self.until {
            (self.from..self.until).contains(&minute)
        } else {
            minute >= self.from || minute < self.until
        }
    }

    /// `07:00–10:00`.
    pub fn text(self) -> String {
        format!("{}–{}", hhmm(self.from), hhmm(self.until))
    }
}

/// `07:30` → 450.
fn minutes(text: &str) -> Option<i64> {
    let (h, m) = text.split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m) && text.len() <= 5).then_some(h * 60 + m)
}

/// 450 → `07:30`.
pub fn hhmm(minute: i64) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// A dish as the menu lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DishCard {
    pub id: i64,
    pub name: Localized,
    pub description: Localized,
    pub price: Fen,
    pub member_price: Option<Fen>,
    /// The small photo's address, when the dish has a photo.
    pub thumb: Option<String>,
    pub sold_out: bool,
    /// Has option groups: adding it opens the dish page.
    pub has_options: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenuCategory {
    pub id: i64,
    pub name: Localized,
    pub window: Option<ServingWindow>,
    /// Served now (inside its window, if it has one).
    pub serving: bool,
    pub dishes: Vec<DishCard>,
}

/// A restaurant's menu at a table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenuView {
    pub restaurant: RestaurantRef,
    pub table: TableView,
    pub categories: Vec<MenuCategory>,
    /// The viewer pays member prices (a paid membership with member prices, or its sub-card).
    pub member_prices: bool,
    /// The viewer's cart here: number of items and its total.
    pub cart_count: i64,
    pub cart_total: Fen,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DishOption {
    pub id: i64,
    pub name: Localized,
    pub price_delta: Fen,
}

/// Size, spice, add-ons: choose between `min` and `max` of its options.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DishOptionGroup {
    pub id: i64,
    pub name: Localized,
    pub min: i64,
    pub max: i64,
    pub options: Vec<DishOption>,
}

impl DishOptionGroup {
    pub fn required(&self) -> bool {
        self.min > 0
    }

    pub fn single(&self) -> bool {
        self.max == 1
    }
}

/// A dish's own page (or sheet).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DishView {
    pub card: DishCard,
    pub photo: Option<String>,
    pub ingredients: Localized,
    pub taste: Localized,
    pub groups: Vec<DishOptionGroup>,
    pub pairings: Vec<DishCard>,
    pub category: Localized,
    /// Its category is served now.
    pub serving: bool,
    pub window: Option<ServingWindow>,
    pub member_prices: bool,
}

/// Why a cart line cannot be ordered now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DishProblem {
    SoldOut,
    /// Outside its category's serving window.
    NotNow,
    /// The dish or one of its chosen options was removed, or the choice no longer fits.
    Changed,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiningCartLine {
    pub id: i64,
    pub dish_id: i64,
    pub name: Localized,
    pub options: Vec<Localized>,
    pub remark: String,
    pub quantity: i64,
    pub unit_price: Fen,
    pub total: Fen,
    pub problem: Option<DishProblem>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiningCart {
    pub restaurant: RestaurantRef,
    pub table: Option<TableView>,
    pub lines: Vec<DiningCartLine>,
    pub remark: String,
    /// What the lines without a problem come to.
    pub total: Fen,
    pub count: i64,
    pub member_prices: bool,
    /// Some line cannot be ordered now.
    pub blocked: bool,
}

/// The cart with the tenders on offer for it (the checkout page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiningCheckout {
    pub cart: DiningCart,
    pub coupons: Vec<UsableCoupon>,
    pub points_available: i64,
    pub points_per_yuan: i64,
    pub max_points_pct: i64,
    pub stored_value: Fen,
    /// A fresh key for this page's pay button: pressing it twice pays once.
    pub request_key: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketItem {
    pub name: Localized,
    pub quantity: i64,
    pub options: Localized,
    pub remark: String,
    pub total: Fen,
}

/// An order as the kitchen, the shopper's live page and the event outbox carry it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiningTicket {
    pub order_id: i64,
    /// The order's payment number: its reference for the shopper.
    pub order_no: String,
    pub tenant_id: i64,
    pub state: DiningState,
    /// Goes up with every change: a screen keeps the highest it has seen.
    pub version: i64,
    pub fulfilment: Fulfilment,
    pub pickup_no: Option<i64>,
    pub table: String,
    pub area: Localized,
    pub items: Vec<TicketItem>,
    pub remark: String,
    pub total: Fen,
    /// UTC milliseconds (the kitchen counts the waiting time from here).
    pub paid_at: Option<i64>,
    /// `12:05`, mall time.
    pub paid_time: String,
}

impl DiningTicket {
    /// `007`: how a pickup number is shown and called.
    pub fn number_text(&self) -> Option<String> {
        self.pickup_no.map(pickup_text)
    }
}

pub fn pickup_text(no: i64) -> String {
    format!("{no:03}")
}

/// One step of an order's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiningStep {
    pub state: DiningState,
    pub at: String,
    pub note: String,
}

/// The shopper's order page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiningOrderView {
    pub ticket: DiningTicket,
    pub restaurant: RestaurantRef,
    pub table_code: Option<String>,
    pub breakdown: super::Breakdown,
    pub payment_state: crate::PaymentState,
    pub refunded: Fen,
    pub points_earned: i64,
    /// Where to pay while the payment is open.
    pub pay_url: Option<String>,
    pub steps: Vec<DiningStep>,
    pub created_at: String,
    pub cancel_reason: Option<String>,
    /// Where the order page's live stream resumes.
    pub cursor: String,
}

/// A line of 我的订单.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiningOrderSummary {
    pub order_no: String,
    pub restaurant: Localized,
    pub state: DiningState,
    pub fulfilment: Fulfilment,
    pub pickup_no: Option<i64>,
    pub table: String,
    pub total: Fen,
    pub items: i64,
    pub created_at: String,
}

/// The kitchen screen when it opens.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KitchenBoard {
    /// Paid orders not yet done, oldest first.
    pub open: Vec<DiningTicket>,
    /// Today's latest done orders, newest first (to recall).
    pub done: Vec<DiningTicket>,
    pub cursor: String,
    /// The server's clock (UTC ms), so waiting times count from the same moment.
    pub now: i64,
}

/// The wall screen of a call-number restaurant: numbers only.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickupBoard {
    pub restaurant: Localized,
    pub code: String,
    pub preparing: Vec<i64>,
    pub ready: Vec<i64>,
    pub cursor: String,
}

/// What the public pickup stream says of one order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickupChange {
    pub number: i64,
    /// `preparing`, `ready` or `gone`.
    pub column: PickupColumn,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PickupColumn {
    Preparing,
    Ready,
    Gone,
}

impl PickupColumn {
    pub fn of(state: DiningState) -> PickupColumn {
        match state {
            DiningState::Paid | DiningState::Accepted | DiningState::Preparing => PickupColumn::Preparing,
            DiningState::Ready => PickupColumn::Ready,
            _ => PickupColumn::Gone,
        }
    }
}

/// Today's orders at a restaurant (the console's list).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiningOrderRow {
    pub ticket: DiningTicket,
    /// Masked: 138****8000.
    pub member: String,
    pub refunded: Fen,
    pub cancel_reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopDish {
    pub name: Localized,
    pub quantity: i64,
    pub sales: Fen,
}

/// A restaurant's day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiningDayReport {
    pub date: String,
    /// Paid orders (cancelled ones included in `cancelled`, not here).
    pub orders: i64,
    pub sales: Fen,
    pub cancelled: i64,
    pub refunds: Fen,
    /// Sales over orders.
    pub average: Fen,
    pub top: Vec<TopDish>,
}

/// The console's dining settings for one restaurant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiningSettings {
    pub fulfilment: Fulfilment,
    /// The wall screen's address (call number only).
    pub pickup_url: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DishAdminRow {
    pub id: i64,
    pub category_id: i64,
    pub name: Localized,
    pub price: Fen,
    pub member_price: Option<Fen>,
    pub sold_out: bool,
    pub thumb: Option<String>,
    pub groups: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenuCategoryAdmin {
    pub id: i64,
    pub name: Localized,
    pub window: Option<ServingWindow>,
    pub dishes: Vec<DishAdminRow>,
}

/// The console's menu page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenuAdmin {
    pub settings: DiningSettings,
    pub categories: Vec<MenuCategoryAdmin>,
}

/// A dish being edited, with everything the form shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DishEdit {
    pub id: i64,
    pub category_id: i64,
    pub name: Localized,
    pub description: Localized,
    pub ingredients: Localized,
    pub taste: Localized,
    pub price: Fen,
    pub member_price: Option<Fen>,
    pub sold_out: bool,
    pub photo: Option<String>,
    pub groups: Vec<DishOptionGroup>,
    pub pairings: Vec<i64>,
    /// The restaurant's other dishes (to pair with) and categories (to move to).
    pub others: Vec<(i64, Localized)>,
    pub categories: Vec<(i64, Localized)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiningTableAdmin {
    pub id: i64,
    pub label: String,
    pub code: String,
    pub url: String,
    pub qr_svg: String,
    pub active: bool,
}

/// An area and its tables, for the console (a restaurant's own) or the operator (shared).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiningAreaAdmin {
    pub id: i64,
    pub name: Localized,
    pub floor: String,
    pub shared: bool,
    pub restaurants: Vec<RestaurantRef>,
    pub tables: Vec<DiningTableAdmin>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_and_modes_round_trip() {
        for s in DiningState::ALL {
            assert_eq!(DiningState::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.as_str()));
        }
        for f in Fulfilment::ALL {
            assert_eq!(Fulfilment::parse(f.as_str()), Some(f));
        }
        assert_eq!(DiningState::Accepted.next_in_kitchen(), Some(DiningState::Preparing));
        assert_eq!(DiningState::Ready.next_in_kitchen(), Some(DiningState::Done));
        assert_eq!(DiningState::Pending.next_in_kitchen(), None);
        assert!(!DiningState::Pending.in_kitchen() && !DiningState::Released.in_kitchen());
    }

    #[test]
    fn serving_windows_parse_and_wrap_midnight() {
        let breakfast = ServingWindow::parse("07:00", "10:00").unwrap().unwrap();
        assert!(breakfast.contains(7 * 60) && breakfast.contains(9 * 60 + 59) && !breakfast.contains(10 * 60));
        let late = ServingWindow::parse("22:00", "02:00").unwrap().unwrap();
        assert!(late.contains(23 * 60) && late.contains(60) && !late.contains(12 * 60));
        assert_eq!(ServingWindow::parse("", ""), Some(None));
        assert_eq!(ServingWindow::parse("7", "10:00"), None);
        assert_eq!(ServingWindow::parse("24:00", "10:00"), None);
        assert_eq!(ServingWindow::parse("10:00", "10:00"), None);
        assert_eq!(breakfast.text(), "07:00–10:00");
        assert_eq!(pickup_text(7), "007");
    }
}
