//! Time is stored as UTC milliseconds since the Unix epoch (`BIGINT` on both backends) and shown
//! in the mall's time zone. Business functions take `now` as an argument, so tests control it.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn now() -> Timestamp {
        Timestamp(jiff::Timestamp::now().as_millisecond())
    }

    pub fn millis(self) -> i64 {
        self.0
    }

    pub fn secs(self) -> i64 {
        self.0.div_euclid(1000)
    }

    pub fn from_secs(secs: i64) -> Timestamp {
        Timestamp(secs * 1000)
    }

    pub fn plus_secs(self, secs: i64) -> Timestamp {
        Timestamp(self.0 + secs * 1000)
    }

    pub fn minus_secs(self, secs: i64) -> Timestamp {
        Timestamp(self.0 - secs * 1000)
    }

    /// `2026-11-22 09:15` in the given IANA time zone (the mall's).
    pub fn format_local(self, tz_name: &str) -> String {
        self.zoned(tz_name).strftime("%Y-%m-%d %H:%M").to_string()
    }

    /// `2026-11-22` in the given time zone.
    pub fn local_date(self, tz_name: &str) -> String {
        self.zoned(tz_name).strftime("%Y-%m-%d").to_string()
    }

    fn zoned(self, tz_name: &str) -> jiff::Zoned {
        let tz = jiff::tz::TimeZone::get(tz_name).unwrap_or(jiff::tz::TimeZone::UTC);
        let ts = jiff::Timestamp::from_millisecond(self.0).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        ts.to_zoned(tz)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_the_mall_time_zone() {
        // 2026-11-22T01:30:00Z is 09:30 in Shanghai.
        let t = Timestamp(1_795_311_000_000);
        assert_eq!(t.format_local("Asia/Shanghai"), "2026-11-22 09:30");
        assert_eq!(t.format_local("UTC"), "2026-11-22 01:30");
        assert_eq!(t.local_date("Asia/Shanghai"), "2026-11-22");
    }
}
