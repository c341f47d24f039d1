//! The platform every feature stands on and none owns: the database handle for both backends,
//! the error type, time and the mall's time zone, the hash-chained audit log, durable jobs,
//! typed settings, keys derived from the master secret, rate limits, QR and barcode rendering,
//! calls to outside services, file storage and the event outbox.
//!
//! Nothing here knows a feature: arrows point from `plaza-core`'s features to this crate, never
//! back (the compiler enforces it).

pub mod audit;
pub mod codes;
pub mod db;
pub mod error;
pub mod events;
pub mod external;
pub mod input;
pub mod jobs;
pub mod mall;
pub mod placeholders;
pub mod principal;
mod qr_matrix;
pub mod rate_limit;
pub mod secrets;
pub mod settings;
pub mod storage;
pub mod time;

#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use db::{Backend, Db, WriteTx};
pub use error::{Error, Result};
pub use secrets::Secrets;
pub use time::{MallTz, Timestamp};
