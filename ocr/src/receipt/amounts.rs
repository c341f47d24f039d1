//! The labelled amounts of a receipt: gross (合计), discount (优惠) and paid (实收), and
//! whether they agree.

use super::text::{normalise, squeeze};
use crate::Line;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// An amount as read: fen, whether a currency sign stood before it, and the line's confidence.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Amount {
    pub fen: i64,
    /// A ¥ was read in front of the figure. When OCR misses the sign it often reads it as a
    /// digit instead (¥37.70 → 137.70), so a figure without one deserves less trust.
    pub signed: bool,
    pub confidence: f32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmountCheck {
    /// 合计 − 优惠 = 实收 (or 合计 = 实收 with no discount printed).
    Consistent,
    /// Only one amount was read: nothing to check it against.
    Unchecked,
    /// The amounts read do not add up: misread, or an altered slip.
    Inconsistent,
    /// No labelled amount was read.
    Missing,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Gross,
    Discount,
    Paid,
}

/// Labels, most specific first: 应付金额 is what was paid but 应收 is the gross.
const LABELS: &[(&str, Kind)] = &[
    ("实收金额", Kind::Paid),
    ("实付金额", Kind::Paid),
    ("应付金额", Kind::Paid),
    ("实收", Kind::Paid),
    ("实付", Kind::Paid),
    ("应付", Kind::Paid),
    ("支付金额", Kind::Paid),
    ("折扣优惠", Kind::Discount),
    ("优惠金额", Kind::Discount),
    ("优惠", Kind::Discount),
    ("折扣", Kind::Discount),
    ("折让", Kind::Discount),
    ("减免", Kind::Discount),
    ("抹零", Kind::Discount),
    ("合计金额", Kind::Gross),
    ("合计", Kind::Gross),
    ("总计", Kind::Gross),
    ("总金额", Kind::Gross),
    ("总额", Kind::Gross),
    ("应收", Kind::Gross),
];

static AMOUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(-?)\s*(¥?)\s*(-?)\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?").expect("valid"));

/// The amounts found on the receipt's lines.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Amounts {
    pub gross: Option<Amount>,
    pub discount: Option<Amount>,
    pub paid: Option<Amount>,
}

impl Amounts {
    pub fn read(lines: &[Line]) -> Amounts {
        let mut found = Amounts::default();
        for (i, line) in lines.iter().enumerate() {
            let text = squeeze(&line.text);
            let Some(&(label, kind)) = LABELS.iter().find(|(label, _)| text.contains(label)) else { continue };
            // 合计数量 / 总件数: a count of items, not money.
            if text.contains("数量") || text.contains("件数") {
                continue;
            }
            let after = &text[text.find(label).expect("found") + label.len()..];
            // The figure follows its label on the line, or (when the line broke) alone on the next.
            let amount = last_amount(after, line.confidence).or_else(|| {
                let next = lines.get(i + 1)?;
                let next_text = squeeze(&next.text);
                (!LABELS.iter().any(|(l, _)| next_text.contains(l)))
                    .then(|| last_amount(&next_text, next.confidence))
                    .flatten()
            });
            let Some(mut amount) = amount else { continue };
            if kind == Kind::Discount {
                amount.fen = amount.fen.abs();
            }
            let slot = match kind {
                Kind::Gross => &mut found.gross,
                Kind::Discount => &mut found.discount,
                Kind::Paid => &mut found.paid,
            };
            // The first of each kind counts: later ones are payment breakdowns.
            if slot.is_none() {
                *slot = Some(amount);
            }
        }
        found
    }

    /// The amount to award on: what was paid, else the gross when nothing was discounted.
    pub fn total(&self) -> Option<Amount> {
        self.paid.or(match self.discount {
            None => self.gross,
            Some(_) => self.gross.zip(self.discount).map(|(g, d)| Amount {
                fen: g.fen - d.fen,
                signed: g.signed && d.signed,
                confidence: g.confidence.min(d.confidence),
            }),
        })
    }

    pub fn check(&self) -> AmountCheck {
        let discount = self.discount.map_or(0, |d| d.fen);
        match (self.gross, self.paid) {
            (Some(g), Some(p)) if g.fen - discount == p.fen => AmountCheck::Consistent,
            (Some(_), Some(_)) => AmountCheck::Inconsistent,
            (Some(_), None) if self.discount.is_some() => AmountCheck::Unchecked,
            (None, None) => AmountCheck::Missing,
            _ => AmountCheck::Unchecked,
        }
    }
}

/// The rightmost figure in `text` (amounts are right-aligned after their label).
fn last_amount(text: &str, confidence: f32) -> Option<Amount> {
    let text = normalise(text);
    let m = AMOUNT.captures_iter(&text).last()?;
    let whole: i64 = m[4].replace(',', "").parse().ok()?;
    let cents: i64 = match m.get(5) {
        Some(c) if c.as_str().len() == 1 => c.as_str().parse::<i64>().ok()? * 10,
        Some(c) => c.as_str().parse().ok()?,
        None => 0,
    };
    let negative = !m[1].is_empty() || !m[3].is_empty();
    let fen = whole.checked_mul(100)?.checked_add(cents)?;
    Some(Amount { fen: if negative { -fen } else { fen }, signed: !m[2].is_empty(), confidence })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(texts: &[&str]) -> Vec<Line> {
        texts.iter().map(|t| Line::plain(*t)).collect()
    }

    #[test]
    fn gross_minus_discount_is_paid() {
        let a = Amounts::read(&lines(&["合计： ￥46.00", "优惠： -￥5.00", "实收： ￥41.00"]));
        assert_eq!(a.gross.unwrap().fen, 4600);
        assert_eq!(a.discount.unwrap().fen, 500);
        assert_eq!(a.paid.unwrap(), Amount { fen: 4100, signed: true, confidence: 1.0 });
        assert_eq!(a.check(), AmountCheck::Consistent);
        assert_eq!(a.total().unwrap().fen, 4100);
    }

    #[test]
    fn a_yuan_sign_read_as_a_one_breaks_the_check() {
        let a = Amounts::read(&lines(&["合计 ¥42.70", "优惠 ¥5.00", "实收 137.70"]));
        assert_eq!(a.check(), AmountCheck::Inconsistent);
        assert!(!a.paid.unwrap().signed);
    }

    #[test]
    fn labels_vary() {
        let a = Amounts::read(&lines(&["应收:¥137.00", "折扣优惠 -17", "应付金额 ¥120.00", "微信支付 ¥120.00"]));
        assert_eq!((a.gross.unwrap().fen, a.discount.unwrap().fen, a.paid.unwrap().fen), (13700, 1700, 12000));
        assert_eq!(a.check(), AmountCheck::Consistent);
    }

    #[test]
    fn thousands_and_one_decimal() {
        let a = Amounts::read(&lines(&["合计金额 ¥1,280.5", "实付金额 ¥1,280.50"]));
        assert_eq!(a.paid.unwrap().fen, 128050);
        assert_eq!(a.check(), AmountCheck::Consistent);
    }

    #[test]
    fn a_figure_on_the_next_line() {
        let a = Amounts::read(&lines(&["实收金额:", "¥88.00", "谢谢"]));
        assert_eq!(a.paid.unwrap().fen, 8800);
        assert_eq!(a.check(), AmountCheck::Unchecked);
    }

    #[test]
    fn cash_and_change_are_not_the_total() {
        let a = Amounts::read(&lines(&["合计 ¥137.00", "实收 ¥137.00", "现金 ¥200.00", "找零 ¥63.00"]));
        assert_eq!(a.total().unwrap().fen, 13700);
    }

    #[test]
    fn an_item_count_is_not_money() {
        let a = Amounts::read(&lines(&["合计数量: 3", "合计 ¥88.00", "实收 ¥88.00"]));
        assert_eq!(a.gross.unwrap().fen, 8800);
    }

    #[test]
    fn nothing_labelled() {
        let a = Amounts::read(&lines(&["牛肉面 x1 32.00", "谢谢惠顾"]));
        assert_eq!(a.check(), AmountCheck::Missing);
        assert_eq!(a.total(), None);
    }
}
