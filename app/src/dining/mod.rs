//! 扫码点餐 for the shopper: a table's code opens `/t/<code>` (its restaurant's menu, or a food
//! court's restaurants to choose from), dishes with their options go into a cart kept on the
//! server, the cart is paid through the payment engine, and the order is followed live on its own
//! page and found again in 我的订单. Every page works without JavaScript and fits a 375 px phone;
//! the live parts (the order's progress, the pickup wall) are small islands.

mod cart_page;
mod dish_page;
mod menu_page;
mod order_live;
mod order_page;
mod orders_page;
mod pay_form;
mod pickup_page;
mod pickup_wall;
mod table_page;

pub use cart_page::{get_checkout, place_order, set_cart_line, CartPage, GetCheckout, PlaceOrder, SetCartLine};
pub use dish_page::{add_to_cart, get_dish, AddToCart, DishPage, GetDish};
pub use menu_page::{get_menu, GetMenu, MenuPage};
pub use order_page::{cancel_my_order, get_order, CancelMyOrder, GetOrder, OrderPage};
pub use orders_page::{my_orders, MyOrders, MyOrdersPage};
pub use pickup_page::{get_pickup_board, GetPickupBoard, PickupScreenPage};
pub use table_page::{get_table, GetTable, TablePage};

use crate::i18n::Tr;
use plaza_types::dto::{DiningState, Fulfilment};

/// The menu of restaurant `shop` at table `code`.
pub fn menu_path(code: &str, shop: &str) -> String {
    format!("/t/{code}/{shop}")
}

/// What a shopper reads for an order's state.
pub fn state_label(t: &Tr, state: DiningState, fulfilment: Fulfilment) -> &'static str {
    match (state, fulfilment) {
        (DiningState::Pending, _) => t.dn_state_pending,
        (DiningState::Paid, _) => t.dn_state_paid,
        (DiningState::Accepted, _) => t.dn_state_accepted,
        (DiningState::Preparing, _) => t.dn_state_preparing,
        (DiningState::Ready, Fulfilment::CallNumber) => t.dn_state_ready_collect,
        (DiningState::Ready, Fulfilment::TableDelivery) => t.dn_state_ready_serving,
        (DiningState::Done, Fulfilment::CallNumber) => t.dn_state_done_collected,
        (DiningState::Done, Fulfilment::TableDelivery) => t.dn_state_done_served,
        (DiningState::Cancelling, _) => t.dn_state_cancelling,
        (DiningState::Cancelled, _) => t.dn_state_cancelled,
        (DiningState::Released, _) => t.dn_state_released,
    }
}
