//! What the operator console's forms send, and the small value types they are parsed into.
//! Form fields are strings (an empty number box sends ""), parsed once on the server.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An earning rate in thousandths of a point per whole yuan: `1` point per ¥1 is 1000,
/// `1.5` is 1500. Operators type it with up to three decimals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RateMilli(pub i64);

impl RateMilli {
    /// The highest rate a rule may set: 100 points per ¥1.
    pub const MAX: RateMilli = RateMilli(100_000);

    /// Parses `1`, `1.5`, `0.125`, `2.` (at most three decimals, at most [`RateMilli::MAX`]).
    pub fn parse(input: &str) -> Option<RateMilli> {
        let text = input.trim();
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if (whole.is_empty() && frac.is_empty()) || !digits(whole) || !digits(frac) || frac.len() > 3 {
            return None;
        }
        if whole.len() > 6 {
            return None;
        }
        let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
        let frac: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<3}").parse().ok()? };
        let milli = whole * 1000 + frac;
        (milli <= Self::MAX.0).then_some(RateMilli(milli))
    }
}

impl fmt::Display for RateMilli {
    /// `1`, `1.5`, `0.125`: no trailing zeros.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / 1000;
        let frac = self.0 % 1000;
        if frac == 0 {
            write!(f, "{whole}")
        } else {
            let digits = format!("{frac:03}");
            write!(f, "{whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

/// Where an earning rule applies: the whole mall, one tenant category or one tenant. In forms it
/// travels as `mall`, `category:3` or `tenant:5`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleScope {
    Mall,
    Category(i64),
    Tenant(i64),
}

impl RuleScope {
    pub fn parse(input: &str) -> Option<RuleScope> {
        let input = input.trim();
        if input == "mall" {
            return Some(RuleScope::Mall);
        }
        let (kind, id) = input.split_once(':')?;
        let id: i64 = id.parse().ok().filter(|id| *id > 0)?;
        match kind {
            "category" => Some(RuleScope::Category(id)),
            "tenant" => Some(RuleScope::Tenant(id)),
            _ => None,
        }
    }

    /// The form value.
    pub fn value(self) -> String {
        match self {
            RuleScope::Mall => "mall".to_string(),
            RuleScope::Category(id) => format!("category:{id}"),
            RuleScope::Tenant(id) => format!("tenant:{id}"),
        }
    }
}

/// One row of the level table form (in rank order).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelForm {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// Yuan, e.g. `5000` or `5000.00`.
    pub min_spend: String,
    pub multiplier_pct: String,
}

/// The create-template form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateForm {
    pub code: String,
    /// A `CouponKind` name: `amount_off`, `percent_off`, `threshold_off`, …
    pub kind: String,
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    /// Yuan: the amount off, the voucher's value, or the percent-off cap (empty: none).
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub percent_off: String,
    /// Yuan: the order total a threshold coupon needs.
    #[serde(default)]
    pub threshold: String,
    #[serde(default)]
    pub parking_minutes: String,
    /// `mall`, `category` or `tenant`.
    pub scope: String,
    #[serde(default)]
    pub category_ids: Option<Vec<i64>>,
    #[serde(default)]
    pub tenant_ids: Option<Vec<i64>>,
    /// `days` (N days after issue) or `fixed` (between two mall-local dates, both inclusive).
    pub validity: String,
    #[serde(default)]
    pub valid_days: String,
    #[serde(default)]
    pub valid_from: String,
    #[serde(default)]
    pub valid_until: String,
    pub per_member_limit: String,
    /// Empty: unlimited.
    #[serde(default)]
    pub total_stock: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    pub claimable: Option<String>,
    #[serde(default)]
    pub description_zh: String,
    #[serde(default)]
    pub description_en: String,
}

/// The create-reward form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RewardForm {
    /// `gift`, `coupon` or `parking`.
    pub kind: String,
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub description_zh: String,
    #[serde(default)]
    pub description_en: String,
    pub points_price: String,
    /// Empty: unlimited.
    #[serde(default)]
    pub stock: String,
    /// Empty: no limit.
    #[serde(default)]
    pub per_member_limit: String,
    /// The template a coupon or parking reward issues (empty for gifts).
    #[serde(default)]
    pub coupon_template: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_parse_with_up_to_three_decimals() {
        assert_eq!(RateMilli::parse("1"), Some(RateMilli(1000)));
        assert_eq!(RateMilli::parse(" 1.5 "), Some(RateMilli(1500)));
        assert_eq!(RateMilli::parse("0.125"), Some(RateMilli(125)));
        assert_eq!(RateMilli::parse(".5"), Some(RateMilli(500)));
        assert_eq!(RateMilli::parse("2."), Some(RateMilli(2000)));
        assert_eq!(RateMilli::parse("0"), Some(RateMilli(0)));
        assert_eq!(RateMilli::parse("100"), Some(RateMilli::MAX));
        for bad in ["", ".", "1.2345", "-1", "1e3", "abc", "100.001", "1,5"] {
            assert_eq!(RateMilli::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn rates_display_without_trailing_zeros() {
        assert_eq!(RateMilli(1000).to_string(), "1");
        assert_eq!(RateMilli(1500).to_string(), "1.5");
        assert_eq!(RateMilli(125).to_string(), "0.125");
        assert_eq!(RateMilli(2050).to_string(), "2.05");
        for milli in [0, 1, 999, 1000, 1234, 100_000] {
            assert_eq!(RateMilli::parse(&RateMilli(milli).to_string()), Some(RateMilli(milli)));
        }
    }

    #[test]
    fn scopes_travel_as_form_values() {
        for scope in [RuleScope::Mall, RuleScope::Category(3), RuleScope::Tenant(12)] {
            assert_eq!(RuleScope::parse(&scope.value()), Some(scope));
        }
        for bad in ["", "tenant", "tenant:", "tenant:x", "tenant:0", "shop:3", "category:-1"] {
            assert_eq!(RuleScope::parse(bad), None, "{bad}");
        }
    }
}
