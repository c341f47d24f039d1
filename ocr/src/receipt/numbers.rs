//! The receipt number (单号, 流水号, …) and the shop's unit number (B1-16, L1-08, …).

use super::text::{fold_lookalikes, normalise, squeeze};
use crate::Line;
use regex::Regex;
use std::sync::LazyLock;

/// Receipt-number labels, longest first so 订单号 wins over 单号.
const RECEIPT_LABELS: &[&str] = &[
    "小票号",
    "流水号",
    "交易号",
    "单据号",
    "订单号",
    "收据号",
    "票据号",
    "账单号",
    "结账单号",
    "单号",
    "票号",
    "NO.",
    "No.",
    "No:",
    "NO:",
    "No",
    "NO",
];

static RECEIPT_TOKEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[.:#]*([A-Za-z0-9][A-Za-z0-9\-_/]{2,31})").expect("valid"));

/// The receipt number as printed (read), e.g. `S2611050042`. Compare numbers with
/// [`receipt_key`], never as read.
pub fn receipt_no(lines: &[Line]) -> Option<String> {
    for line in lines {
        let text = squeeze(&line.text);
        let mut labels: Vec<&str> = RECEIPT_LABELS.to_vec();
        labels.sort_by_key(|l| std::cmp::Reverse(l.len()));
        for label in labels {
            let Some(at) = text.find(label) else { continue };
            // "No" must stand alone, not end a word (e.g. "CASINO").
            if label.starts_with('N') && text[..at].chars().last().is_some_and(|c| c.is_ascii_alphanumeric()) {
                continue;
            }
            let after = &text[at + label.len()..];
            if let Some(caps) = RECEIPT_TOKEN.captures(after) {
                let token = caps[1].trim_end_matches(['-', '_', '/']).to_string();
                if token.chars().any(|c| c.is_ascii_digit()) {
                    return Some(token);
                }
            }
        }
    }
    None
}

/// The duplicate key of a receipt number: look-alikes folded, separators dropped, so two
/// photos of one slip read `S2611050042` and `52611O50042` give one key.
pub fn receipt_key(receipt_no: &str) -> String {
    fold_lookalikes(receipt_no).replace('-', "")
}

static UNIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([A-Za-z]\d{1,2})\s*-\s*([A-Za-z]?\d{1,3})").expect("valid"));

/// Lines that may carry the shop's unit: the header (first lines) and address-like lines;
/// never date or amount lines, whose digits and dashes look like units.
pub(crate) fn unit_lines(lines: &[Line]) -> impl Iterator<Item = &Line> {
    lines
        .iter()
        .enumerate()
        .filter(|(i, line)| {
            let text = squeeze(&line.text);
            let addressy = ["铺位", "地址", "门店", "店铺", "商铺", "位置"].iter().any(|l| text.contains(l));
            let datey = text.contains("20") && (text.contains(':') || text.contains('年') || text.contains('/'));
            (*i < 5 || addressy) && !datey && !text.contains('¥')
        })
        .map(|(_, line)| line)
}

/// A unit number as printed, e.g. `B1-16` (floor letter, floor, dash, shop).
pub fn unit_no(lines: &[Line]) -> Option<String> {
    unit_lines(lines).find_map(|line| {
        let text = normalise(&line.text);
        UNIT.captures(&text).map(|c| format!("{}-{}", c[1].to_ascii_uppercase(), c[2].to_ascii_uppercase()))
    })
}

/// Whether `unit` (from the tenant list) appears on the receipt's unit lines, look-alikes
/// folded: a `B1-16` read as `81-16` still matches.
pub fn mentions_unit(lines: &[Line], unit: &str) -> bool {
    let wanted = fold_lookalikes(unit);
    if wanted.len() < 3 {
        return false;
    }
    unit_lines(lines).any(|line| {
        let folded = fold_lookalikes(&line.text);
        folded.match_indices(&wanted).any(|(at, _)| {
            let before = folded[..at].chars().last();
            let after = folded[at + wanted.len()..].chars().next();
            // Not in the middle of a longer number (L1-080, 2L1-08).
            !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(texts: &[&str]) -> Vec<Line> {
        texts.iter().map(|t| Line::plain(*t)).collect()
    }

    #[test]
    fn every_label() {
        for (text, no) in [
            ("单号：S2611050042", "S2611050042"),
            ("流水号: 208815", "208815"),
            ("小票号：YS-20261106-0107", "YS-20261106-0107"),
            ("交易号 CW0087331", "CW0087331"),
            ("单据号：NN-0312", "NN-0312"),
            ("订单号：880126", "880126"),
            ("No.:GD2611070019", "GD2611070019"),
            ("NO. 000123", "000123"),
            ("No 4471", "4471"),
        ] {
            assert_eq!(receipt_no(&lines(&["面面俱到", text])).as_deref(), Some(no), "{text}");
        }
    }

    #[test]
    fn words_ending_in_no_are_not_labels() {
        assert_eq!(receipt_no(&lines(&["CASINO 2026", "流水号 1234"])).as_deref(), Some("1234"));
    }

    #[test]
    fn a_label_without_a_number_gives_nothing() {
        assert_eq!(receipt_no(&lines(&["单号：", "谢谢"])), None);
    }

    #[test]
    fn keys_survive_look_alikes_and_dashes() {
        assert_eq!(receipt_key("S2611050042"), receipt_key("52611O50042"));
        assert_eq!(receipt_key("YS-20261106-0107"), receipt_key("YS20261106-0107"));
        assert_ne!(receipt_key("S2611050042"), receipt_key("S2611050043"));
    }

    #[test]
    fn unit_numbers() {
        assert_eq!(unit_no(&lines(&["面面俱到", "星汇广场店 B1-16"])).as_deref(), Some("B1-16"));
        assert_eq!(unit_no(&lines(&["极客数码", "GEEK DIGITALL2-20"])).as_deref(), Some("L2-20"));
        assert_eq!(unit_no(&lines(&["小鹿饰品", "铺位:l1-k2"])).as_deref(), Some("L1-K2"));
        assert_eq!(unit_no(&lines(&["日期 2026-11-05", "谢谢"])), None);
    }

    #[test]
    fn a_unit_read_with_look_alikes_still_matches() {
        let read = lines(&["面面俱到", "星汇广场店 81-16"]);
        assert!(mentions_unit(&read, "B1-16"));
        assert!(!mentions_unit(&read, "B1-17"));
        assert!(!mentions_unit(&lines(&["铺位 L1-080"]), "L1-08"));
        // A date's digits are not a unit.
        assert!(!mentions_unit(&lines(&["甜品时光", "日期 2026-11-05 11:05"]), "B1-10"));
    }
}
