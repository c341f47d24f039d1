//! The purchase date and time: 2026-11-05, 2026/11/5, 2026.11.05, 2026年11月5日, with or without
//! a time, and with the time glued to the date as OCR often reads it (2026-11-0512:31).

use super::text::squeeze;
use crate::Line;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::LazyLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PurchaseTime {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    /// Hour and minute, when the time was printed and read.
    pub time: Option<(u8, u8)>,
}

impl PurchaseTime {
    /// `YYYY-MM-DD HH:MM`, when the time is known.
    pub fn minute_text(&self) -> Option<String> {
        self.time.map(|(h, m)| format!("{:04}-{:02}-{:02} {h:02}:{m:02}", self.year, self.month, self.day))
    }

    pub fn date_text(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// Milliseconds since the Unix epoch of this local time (midnight when no time was read)
    /// in a zone `offset_minutes` east of UTC (the mall's: +480 for China).
    pub fn unix_millis(&self, offset_minutes: i32) -> i64 {
        let (h, m) = self.time.unwrap_or((0, 0));
        let days = days_from_civil(i64::from(self.year), i64::from(self.month), i64::from(self.day));
        let minutes = days * 1440 + i64::from(h) * 60 + i64::from(m) - i64::from(offset_minutes);
        minutes * 60_000
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl fmt::Display for PurchaseTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.minute_text() {
            Some(text) => f.write_str(&text),
            None => f.write_str(&self.date_text()),
        }
    }
}

// Spaces are squeezed out first, so the day's digits and a glued hour's run together: the
// third group holds both and is split below.
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(20\d{2})[-/.年](\d{1,2})[-/.月](\d{1,4})日?(?:(\d{1,2})?[:时](\d{2})(?:[:分](\d{2}))?)?")
        .expect("valid")
});

/// Labels that mark the purchase time (as against a validity or print date).
const TIME_LABELS: &[&str] = &["日期", "时间", "Date", "DATE", "交易", "下单", "消费", "结账"];

/// The purchase time: a date with a time is preferred, then a labelled one, then the first.
pub fn purchase_time(lines: &[Line]) -> Option<PurchaseTime> {
    let mut best: Option<(u8, PurchaseTime)> = None;
    for line in lines {
        let text = squeeze(&line.text);
        let labelled = TIME_LABELS.iter().any(|l| text.contains(l));
        let expiry = text.contains("有效期") || text.contains("截止") || text.contains("到期");
        for caps in DATE.captures_iter(&text) {
            let Some(found) = parse(&caps) else { continue };
            let rank = u8::from(found.time.is_some()) * 2 + u8::from(labelled) + if expiry { 0 } else { 4 };
            if best.as_ref().is_none_or(|(r, _)| rank > *r) {
                best = Some((rank, found));
            }
        }
    }
    best.map(|(_, t)| t)
}

fn parse(caps: &regex::Captures<'_>) -> Option<PurchaseTime> {
    let year: u16 = caps[1].parse().ok()?;
    let month: u8 = caps[2].parse().ok()?;
    let run = &caps[3];
    let minute = caps.get(5).map(|m| m.as_str().parse::<u8>()).transpose().ok()?;
    // Either the hour stands apart, or it is glued to the day's digits (spaces are squeezed
    // out): a two-digit hour first, as printers print them. The date alone comes last.
    let mut splits: Vec<(&str, Option<&str>)> = Vec::new();
    match (caps.get(4), minute) {
        (Some(hour), Some(_)) => splits.push((run, Some(hour.as_str()))),
        (None, Some(_)) => {
            for h in [2, 1] {
                if run.len() > h && run.len() - h <= 2 {
                    splits.push((&run[..run.len() - h], Some(&run[run.len() - h..])));
                }
            }
        }
        _ => {}
    }
    if run.len() <= 2 {
        splits.push((run, None));
    }
    for (day, hour) in splits {
        let Ok(day) = day.parse::<u8>() else { continue };
        if !valid_date(year, month, day) {
            continue;
        }
        let time = match (hour.map(str::parse::<u8>), minute) {
            (Some(Ok(h)), Some(m)) if h < 24 && m < 60 => Some((h, m)),
            (Some(_), Some(_)) => continue,
            _ => None,
        };
        return Some(PurchaseTime { year, month, day, time });
    }
    None
}

fn valid_date(year: u16, month: u8, day: u8) -> bool {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (2000..2100).contains(&year) && (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(texts: &[&str]) -> Option<String> {
        let lines: Vec<Line> = texts.iter().map(|t| Line::plain(*t)).collect();
        purchase_time(&lines).map(|t| t.to_string())
    }

    #[test]
    fn the_usual_formats() {
        assert_eq!(read(&["日期: 2026-11-05 12:31"]).unwrap(), "2026-11-05 12:31");
        assert_eq!(read(&["时间 2026/11/5 9:42:17"]).unwrap(), "2026-11-05 09:42");
        assert_eq!(read(&["2026.11.05 21:05"]).unwrap(), "2026-11-05 21:05");
        assert_eq!(read(&["日期：2026年11月5日 18:40"]).unwrap(), "2026-11-05 18:40");
        assert_eq!(read(&["Date:2026-11-07 20:15:03"]).unwrap(), "2026-11-07 20:15");
    }

    #[test]
    fn a_time_glued_to_the_date() {
        assert_eq!(read(&["日期：2026-11-0512:31"]).unwrap(), "2026-11-05 12:31");
        assert_eq!(read(&["时间：2026/11/509:42:17"]).unwrap(), "2026-11-05 09:42");
        assert_eq!(read(&["2026/11/1219:10"]).unwrap(), "2026-11-12 19:10");
        assert_eq!(read(&["2026年11月10日10:03"]).unwrap(), "2026-11-10 10:03");
        assert_eq!(read(&["2026.11.0921:05"]).unwrap(), "2026-11-09 21:05");
    }

    #[test]
    fn spaces_inside_and_full_width_colons() {
        assert_eq!(read(&["日期 2026 - 11 - 05  12：31"]).unwrap(), "2026-11-05 12:31");
    }

    #[test]
    fn a_date_without_time_is_kept_but_one_with_time_wins() {
        assert_eq!(read(&["打印 2026-11-06", "交易时间 2026-11-05 12:31"]).unwrap(), "2026-11-05 12:31");
        let only = read(&["日期 2026-11-05"]).unwrap();
        assert_eq!(only, "2026-11-05");
    }

    #[test]
    fn an_expiry_date_is_not_the_purchase() {
        assert_eq!(read(&["券有效期至 2026-12-31 23:59", "2026-11-05 10:00"]).unwrap(), "2026-11-05 10:00");
    }

    #[test]
    fn local_time_to_epoch_millis() {
        let t = PurchaseTime { year: 2026, month: 11, day: 5, time: Some((12, 31)) };
        // 2026-11-05 12:31 in Beijing is 04:31 UTC.
        assert_eq!(t.unix_millis(480), 1_793_853_060_000);
        assert_eq!(PurchaseTime { year: 1970, month: 1, day: 1, time: None }.unix_millis(0), 0);
        assert_eq!(PurchaseTime { year: 2024, month: 3, day: 1, time: None }.unix_millis(0), 1_709_251_200_000);
    }

    #[test]
    fn impossible_dates_are_skipped() {
        assert_eq!(read(&["2026-02-30 10:00"]), None);
        assert_eq!(read(&["2026-13-01"]), None);
        assert_eq!(read(&["单号 20261105"]), None);
    }
}
