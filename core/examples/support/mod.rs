//! What the core benches share: a throw-away database, and the percentiles they report.

pub mod fresh_database;
pub mod latencies;

pub use fresh_database::{fresh_database, BoxError};

/// The line bench/run reads: `backend per_second p50_ms p99_ms`.
pub fn throughput_line(
    url: &str,
    done: usize,
    elapsed: std::time::Duration,
    samples: &[std::time::Duration],
) -> String {
    let backend = if url.starts_with("sqlite") { "sqlite" } else { "postgres" };
    let per_second = done as f64 / elapsed.as_secs_f64();
    let p = latencies::Percentiles::of(samples);
    format!("{backend} {per_second:.0} {:.1} {:.1}", p.ms(0.50), p.ms(0.99))
}
