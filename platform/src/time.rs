//! Time is stored as UTC milliseconds since the Unix epoch (`BIGINT` on both backends) and shown
//! in the mall's time zone ([`MallTz`]). Business functions take `now` as an argument, so tests
//! control it.

use serde::{Deserialize, Serialize};
use std::fmt;

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

    /// `2026-11-22 09:15` in the mall's time zone.
    pub fn format_local(self, tz: &MallTz) -> String {
        tz.format(self)
    }

    /// `2026-11-22` in the mall's time zone.
    pub fn local_date(self, tz: &MallTz) -> String {
        tz.date(self)
    }

    fn jiff(self) -> jiff::Timestamp {
        jiff::Timestamp::from_millisecond(self.0).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    }
}

/// The mall's time zone: what "today", a date and a time of day mean to its shoppers and staff.
/// Read once per request or job (`mall::timezone`), passed by reference.
#[derive(Clone, PartialEq, Eq)]
pub struct MallTz {
    name: String,
    tz: jiff::tz::TimeZone,
}

impl MallTz {
    /// An IANA time zone by name; `None` if this build does not know it.
    pub fn parse(name: &str) -> Option<MallTz> {
        jiff::tz::TimeZone::get(name).ok().map(|tz| MallTz { name: name.to_string(), tz })
    }

    /// Asia/Shanghai: the default, and what tests use.
    pub fn shanghai() -> MallTz {
        MallTz::parse("Asia/Shanghai").expect("the bundled tz database has Asia/Shanghai")
    }

    pub fn utc() -> MallTz {
        MallTz { name: "UTC".to_string(), tz: jiff::tz::TimeZone::UTC }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The zone itself, for calendar arithmetic.
    pub fn jiff_tz(&self) -> jiff::tz::TimeZone {
        self.tz.clone()
    }

    pub fn zoned(&self, t: Timestamp) -> jiff::Zoned {
        t.jiff().to_zoned(self.tz.clone())
    }

    /// `2026-11-22 09:15`.
    pub fn format(&self, t: Timestamp) -> String {
        self.zoned(t).strftime("%Y-%m-%d %H:%M").to_string()
    }

    /// `2026-11-22`.
    pub fn date(&self, t: Timestamp) -> String {
        self.zoned(t).strftime("%Y-%m-%d").to_string()
    }

    /// `09:15`.
    pub fn time_of_day(&self, t: Timestamp) -> String {
        self.zoned(t).strftime("%H:%M").to_string()
    }

    /// Midnight at the start of `t`'s day.
    pub fn start_of_day(&self, t: Timestamp) -> Timestamp {
        self.zoned(t).start_of_day().map(|z| Timestamp(z.timestamp().as_millisecond())).unwrap_or(t)
    }

    /// Midnight at the start of `date`.
    pub fn start_of_date(&self, date: jiff::civil::Date) -> crate::Result<Timestamp> {
        let zoned = date.to_zoned(self.tz.clone()).map_err(|e| crate::Error::internal(e.to_string()))?;
        let midnight = zoned.start_of_day().map_err(|e| crate::Error::internal(e.to_string()))?;
        Ok(Timestamp(midnight.timestamp().as_millisecond()))
    }

    /// The calendar date of `t`.
    pub fn civil_date(&self, t: Timestamp) -> jiff::civil::Date {
        self.zoned(t).date()
    }
}

impl fmt::Debug for MallTz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MallTz({})", self.name)
    }
}

impl fmt::Display for MallTz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_the_mall_time_zone() {
        // 2026-11-22T01:30:00Z is 09:30 in Shanghai.
        let t = Timestamp(1_795_311_000_000);
        assert_eq!(t.format_local(&MallTz::shanghai()), "2026-11-22 09:30");
        assert_eq!(t.format_local(&MallTz::utc()), "2026-11-22 01:30");
        assert_eq!(t.local_date(&MallTz::shanghai()), "2026-11-22");
        assert_eq!(MallTz::shanghai().time_of_day(t), "09:30");
    }

    #[test]
    fn local_midnight() {
        // 2026-11-22 01:30 UTC is 09:30 in Shanghai; that day began at 2026-11-21 16:00 UTC.
        let now = Timestamp(1_795_311_000_000);
        assert_eq!(MallTz::shanghai().start_of_day(now), Timestamp(1_795_276_800_000));
        assert!(MallTz::parse("Mars/Olympus").is_none());
    }
}
