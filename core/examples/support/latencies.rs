//! Percentiles of measured durations, as every bench reports them (nearest rank).

use std::time::Duration;

pub struct Percentiles(Vec<Duration>);

impl Percentiles {
    pub fn of(samples: &[Duration]) -> Percentiles {
        let mut sorted = samples.to_vec();
        sorted.sort();
        Percentiles(sorted)
    }

    /// The `q` quantile (0 < q ≤ 1) in milliseconds; 0 with no samples.
    pub fn ms(&self, q: f64) -> f64 {
        let Some(last) = self.0.len().checked_sub(1) else { return 0.0 };
        let rank = ((self.0.len() as f64 * q).ceil() as usize).clamp(1, last + 1) - 1;
        self.0[rank].as_secs_f64() * 1000.0
    }
}
