//! Mall orders (商城订单) pages: the cart across shops, checkout into one order per shop under one
//! payment, the shopper's orders and order page, the shop's order console, and after-sales.
//! Every page works as plain forms (JavaScript off); the server functions are thin over `plaza_core::mall_orders`.

mod aftersales_card;
mod aftersales_shop;
mod aftersales_shopper;
mod cart_page;
mod checkout_page;
mod console_actions;
mod console_page;
mod order_page;
mod orders_page;

pub use aftersales_card::{problem_text as aftersales_problem, AfterSalesCard};
pub use aftersales_shop::{
    approve_aftersales, get_shop_aftersales, get_shop_order_aftersales, reject_aftersales, ShopAfterSalesList,
    ShopOrderAfterSales,
};
pub use aftersales_shopper::{dispute_aftersales, get_order_aftersales, AfterSalesRequestPage, OrderAfterSalesPanel};
pub use cart_page::{add_to_mall_cart, get_mall_cart, set_mall_cart_line, AddToCart, MallCartPage};
pub use checkout_page::{add_mall_address, get_mall_checkout, place_mall_order, MallCheckoutPage};
pub use console_page::{get_shop_order, get_shop_orders, ShopOrderPage, ShopOrdersPage};
pub use order_page::{cancel_mall_order, confirm_mall_order, get_mall_order, MallOrderPage};
pub use orders_page::{my_mall_orders, MyMallOrdersPage};

use crate::i18n::Tr;
use plaza_types::dto::{MallFulfilment, MallOrderState};

/// The words for an order's state.
pub fn state_label(t: &Tr, state: MallOrderState) -> &'static str {
    match state {
        MallOrderState::Pending => t.mo_state_pending,
        MallOrderState::Paid => t.mo_state_paid,
        MallOrderState::Ready => t.mo_state_ready,
        MallOrderState::Accepted => t.mo_state_accepted,
        MallOrderState::Shipped => t.mo_state_shipped,
        MallOrderState::Delivered => t.mo_state_delivered,
        MallOrderState::Completed => t.mo_state_completed,
        MallOrderState::Cancelling => t.mo_state_cancelling,
        MallOrderState::Cancelled => t.mo_state_cancelled,
        MallOrderState::Expired => t.mo_state_expired,
    }
}

pub fn fulfilment_label(t: &Tr, f: MallFulfilment) -> &'static str {
    match f {
        MallFulfilment::Pickup => t.mo_pickup,
        MallFulfilment::Delivery => t.mo_delivery,
    }
}
