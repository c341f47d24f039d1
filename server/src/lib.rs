//! The `plaza` server: configuration, the HTTP router, and the command-line tasks. The binary in
//! `main.rs` only parses the command line and calls in here, so tests build the same router.

pub mod audit_sealer;
pub mod config;
pub mod http;
pub mod payment_config;
pub mod receipt_ocr;
pub mod sms_config;
pub mod tasks;
pub mod worker;

pub use config::{Config, Mode};
