//! Alipay open platform (RSA2): verifying and reading asynchronous notifications, signing our
//! requests, and Alipay's side of the notification signature for the sandbox.
//!
//! A notification handler form-decodes the POST body into name/value pairs (values URL-decoded,
//! as UTF-8), runs [`verify_notification`] then [`parse_notification`], compares `app_id`,
//! `out_trade_no` and `total_amount_fen` with its own order, and answers [`ACKNOWLEDGE`] as the
//! whole `text/plain` body once the notification is handled (or was already).

mod bill;
mod client;
mod notification;
mod raw_json;
mod signature;
mod wap;

#[cfg(test)]
pub(crate) mod client_tests;
#[cfg(test)]
mod mock_bill;
#[cfg(test)]
pub(crate) mod mock_server;
#[cfg(test)]
mod tests;

pub use bill::{details_csv, parse_trade_bill, AlipayRefundState};
pub use client::{
    beijing_datetime, fen_to_yuan, parse_beijing_datetime, AlipayClient, AlipayClientConfig, AlipayRefund, AlipayTrade,
    DEFAULT_GATEWAY_URL,
};
pub use notification::{
    parse_notification, yuan_to_fen, AlipayNotification, ParseError, TradeStatus, ACKNOWLEDGE, REPLY_CONTENT_TYPE,
    RETRY,
};
pub use signature::{
    canonical_string, request_canonical_string, sign_notification, sign_request, sign_rsa2, verify_notification,
    VerifyError, RSA2, SIGN, SIGN_TYPE,
};
pub use wap::{check_page_request, PageForm, PageRequest, WapOrder, WAP_METHOD, WAP_PRODUCT};
