//! The period a report covers: a mall day, the Monday-to-Sunday week or the calendar month of a
//! date, or a custom range of at most [`MAX_DAYS`] days — always whole mall days, so a report's
//! bounds are midnight in the mall's time zone.

use crate::{mall, Db, MallTz, Result, Timestamp};
use jiff::civil::Date;
use jiff::ToSpan;
use plaza_types::dto::ReportPeriod;
use plaza_types::error::Field;
use plaza_types::AppError;

/// The longest custom range.
pub const MAX_DAYS: i32 = 92;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    Day,
    Week,
    Month,
    Custom,
}

impl Preset {
    pub fn as_str(self) -> &'static str {
        match self {
            Preset::Day => "day",
            Preset::Week => "week",
            Preset::Month => "month",
            Preset::Custom => "custom",
        }
    }
}

/// Mall dates `from` to `to`, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub preset: Preset,
    pub from: Date,
    pub to: Date,
}

fn date(text: &str) -> std::result::Result<Date, AppError> {
    text.trim().parse().map_err(|_| AppError::invalid(Field::Date))
}

impl Period {
    /// From the page's GET form: `preset` (`day`, `week`, `month` — the default — or `custom`),
    /// `anchor` a date in the period (default `today`), and `from`/`to` for a custom range.
    pub fn parse(
        preset: &str,
        anchor: &str,
        from: &str,
        to: &str,
        today: Date,
    ) -> std::result::Result<Period, AppError> {
        let anchor = if anchor.trim().is_empty() { today } else { date(anchor)? };
        let bad = || AppError::invalid(Field::Date);
        match preset.trim() {
            "day" => Ok(Period { preset: Preset::Day, from: anchor, to: anchor }),
            "week" => {
                let monday = anchor
                    .checked_sub(i64::from(anchor.weekday().to_monday_zero_offset()).days())
                    .map_err(|_| bad())?;
                Ok(Period { preset: Preset::Week, from: monday, to: monday.checked_add(6.days()).map_err(|_| bad())? })
            }
            "" | "month" => {
                Ok(Period { preset: Preset::Month, from: anchor.first_of_month(), to: anchor.last_of_month() })
            }
            "custom" => {
                let (from, to) = (date(from)?, date(to)?);
                let days = from.until(to).map_err(|_| bad())?.get_days();
                if to < from || days >= MAX_DAYS {
                    return Err(bad());
                }
                Ok(Period { preset: Preset::Custom, from, to })
            }
            _ => Err(bad()),
        }
    }

    /// Every date of the period, in order.
    pub fn dates(&self) -> Vec<Date> {
        let mut dates = Vec::new();
        let mut d = self.from;
        while d <= self.to {
            dates.push(d);
            match d.tomorrow() {
                Ok(next) => d = next,
                Err(_) => break,
            }
        }
        dates
    }

    /// [midnight of `from`, midnight after `to`) in UTC milliseconds.
    pub fn bounds(&self, tz: &MallTz) -> Result<(i64, i64)> {
        let after = self.to.tomorrow().map_err(|_| AppError::invalid(Field::Date))?;
        Ok((tz.start_of_date(self.from)?.millis(), tz.start_of_date(after)?.millis()))
    }

    pub fn view(&self) -> ReportPeriod {
        ReportPeriod { preset: self.preset.as_str().to_string(), from: self.from.to_string(), to: self.to.to_string() }
    }
}

/// The period a page's GET form asks for, against the mall's today.
pub async fn from_form(db: &Db, preset: &str, anchor: &str, from: &str, to: &str, now: Timestamp) -> Result<Period> {
    let today = mall::timezone(db).await?.civil_date(now);
    Ok(Period::parse(preset, anchor, from, to, today)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn presets_cover_whole_days_weeks_and_months() {
        let today = d("2026-12-03"); // a Thursday
        let month = Period::parse("", "", "", "", today).unwrap();
        assert_eq!((month.from, month.to), (d("2026-12-01"), d("2026-12-31")));
        let week = Period::parse("week", "", "", "", today).unwrap();
        assert_eq!((week.from, week.to), (d("2026-11-30"), d("2026-12-06")));
        let day = Period::parse("day", "2026-02-28", "", "", today).unwrap();
        assert_eq!((day.from, day.to, day.dates().len()), (d("2026-02-28"), d("2026-02-28"), 1));
        let feb = Period::parse("month", "2026-02-10", "", "", today).unwrap();
        assert_eq!(feb.dates().len(), 28);
        let custom = Period::parse("custom", "", "2026-11-25", "2026-12-02", today).unwrap();
        assert_eq!(custom.dates().len(), 8);
    }

    #[test]
    fn a_bad_range_is_refused() {
        let today = d("2026-12-03");
        for (preset, anchor, from, to) in [
            ("custom", "", "2026-12-02", "2026-11-25"),
            ("custom", "", "2026-01-01", "2026-12-31"),
            ("custom", "", "", "2026-12-01"),
            ("day", "2026-13-01", "", ""),
            ("year", "", "", ""),
        ] {
            assert_eq!(
                Period::parse(preset, anchor, from, to, today),
                Err(AppError::invalid(Field::Date)),
                "{preset} {anchor} {from} {to}"
            );
        }
    }

    #[test]
    fn bounds_are_mall_midnights() {
        let p = Period::parse("day", "2026-03-10", "", "", d("2026-03-10")).unwrap();
        let (start, end) = p.bounds(&MallTz::shanghai()).unwrap();
        assert_eq!(start, 1_773_072_000_000); // 2026-03-09 16:00 UTC
        assert_eq!(end - start, 86_400_000);
    }
}
