//! Receipt OCR for receipt-photo points (拍照积分).
//!
//! Two halves, both free of HTML and of the database:
//! - [`Ocr`]: the PP-OCRv4 detection and recognition models (ONNX, fetched by scripts/setup)
//!   run in pure Rust by `rten`: an image in, its [`Line`]s out. CPU-heavy (about a second a
//!   photo): run it off the async runtime, e.g. through [`OcrPool`].
//! - [`receipt`]: pure functions from lines to receipt fields (merchant, unit, receipt number,
//!   amounts, purchase time), tenant matching and a decision from the fields alone.
//!
//! See docs/decisions/0007-receipt-ocr.md.

mod ctc;
mod detect;
mod engine;
mod geometry;
mod lines;
mod pool;
pub mod receipt;

pub use engine::{Ocr, OcrError, DEFAULT_MODELS_DIR};
pub use geometry::{Point, Quad};
pub use lines::{Line, Word};
pub use pool::{decode_image, OcrPool};
