//! The server's integration tests as one binary, each file below a module of it: every test
//! binary links the whole server (about 0.5 GB in debug), and one link instead of eighteen saves
//! minutes of each CI run and gigabytes of target/.

#[path = "support/instances.rs"]
mod instances;
mod support;

mod access_control;
mod alipay_payments;
mod dining;
mod hardening;
mod kill_restart;
mod mall_aftersales;
mod mall_order_live;
mod mall_orders;
mod mall_promotions;
mod mall_stock_kill;
mod membership_pages;
mod operator_pages;
mod pages;
mod payment_notifications;
mod payment_phone;
mod receipts_upload;
mod reports;
mod shop_console;
mod two_instances;
