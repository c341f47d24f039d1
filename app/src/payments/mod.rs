//! Paying: at a tenant's counter plate (scan → amount → tenders → pay), the sandbox's hosted pay
//! page, the result page every payment returns to, and the member's payment history.

mod amount_keypad;
mod history_page;
mod pay_form;
mod pay_page;
mod plate_page;
mod result_page;
mod sales_board;
mod sales_feed;
mod sandbox_page;

pub use history_page::{my_payments, MyPayments, PaymentsPage};
pub use pay_page::{get_pay_options, pay_at_plate, GetPayOptions, PayAtPlate, PlatePayPage};
pub use plate_page::{get_plate, GetPlate, PlatePage};
pub use result_page::{get_payment_result, GetPaymentResult, PayResultPage};
pub use sales_board::{get_sales_board, page_nonce, refund_sale, GetSalesBoard, RefundSale, BOARD_LINES};
pub use sales_feed::SalesFeed;
pub use sandbox_page::{
    get_sandbox_order, sandbox_cancel, sandbox_confirm, GetSandboxOrder, SandboxCancel, SandboxConfirm, SandboxPayPage,
};

/// The page to return to after a payment of this purpose.
pub fn back_link(purpose: plaza_types::Purpose, plate: Option<&str>) -> String {
    use plaza_types::Purpose;
    match (purpose, plate) {
        (Purpose::Plate, Some(code)) => format!("/p/{code}"),
        (Purpose::Plate, None) => "/".to_string(),
        (Purpose::Membership, _) => "/membership".to_string(),
        (Purpose::Topup, _) => "/balance".to_string(),
        (Purpose::Dining, _) => "/dining/orders".to_string(),
        (Purpose::Mall, _) => "/mall/orders".to_string(),
    }
}
