//! A coupon's rules in plain words, in the page's language.

use crate::i18n::{fill, Tr};
use plaza_types::dto::{CouponKind, CouponScope, CouponTerms};
use plaza_types::Lang;

/// The headline: "满¥100减¥20", "8折（最高减¥30）", "免费停车 2 小时" …
pub fn headline(t: &Tr, terms: &CouponTerms) -> String {
    let value = terms.value.short();
    match terms.kind {
        CouponKind::ThresholdOff => {
            fill(t.coupon_threshold_off, &[("threshold", &terms.threshold.short()), ("value", &value)])
        }
        CouponKind::AmountOff | CouponKind::Birthday => fill(t.coupon_amount_off, &[("value", &value)]),
        CouponKind::Cash => fill(t.coupon_cash, &[("value", &value)]),
        CouponKind::PercentOff => {
            let text = fill(
                t.coupon_percent_off,
                &[("percent", &terms.percent_off.to_string()), ("zhe", &zhe(terms.percent_off))],
            );
            if terms.value.0 > 0 {
                format!("{text}{}", fill(t.coupon_cap, &[("value", &value)]))
            } else {
                text
            }
        }
        CouponKind::Parking => {
            let hours = terms.parking_minutes as f64 / 60.0;
            let hours = if terms.parking_minutes % 60 == 0 {
                format!("{}", terms.parking_minutes / 60)
            } else {
                format!("{hours:.1}")
            };
            fill(t.coupon_parking, &[("hours", &hours)])
        }
        CouponKind::Experience => t.coupon_experience.to_string(),
    }
}

/// The ticket stub: the big figure and the condition under it ("¥20" / "满¥100可用").
pub fn stub(t: &Tr, terms: &CouponTerms) -> (String, String) {
    match terms.kind {
        CouponKind::ThresholdOff => {
            (terms.value.short(), fill(t.coupon_stub_threshold, &[("threshold", &terms.threshold.short())]))
        }
        CouponKind::AmountOff | CouponKind::Birthday | CouponKind::Cash => {
            (terms.value.short(), t.coupon_stub_no_threshold.to_string())
        }
        CouponKind::PercentOff => {
            let big = fill(
                t.coupon_percent_off,
                &[("percent", &terms.percent_off.to_string()), ("zhe", &zhe(terms.percent_off))],
            );
            let cap = if terms.value.0 > 0 {
                fill(t.coupon_stub_cap, &[("value", &terms.value.short())])
            } else {
                String::new()
            };
            (big, cap)
        }
        CouponKind::Parking => (headline(t, terms), String::new()),
        CouponKind::Experience => (t.coupon_experience.to_string(), String::new()),
    }
}

/// 20% off is 8折; 15% off is 8.5折.
fn zhe(percent_off: i64) -> String {
    let tenths = 100 - percent_off;
    if tenths % 10 == 0 {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// Where it can be used.
pub fn scope(t: &Tr, terms: &CouponTerms, lang: Lang) -> String {
    let names = |list: &[plaza_types::dto::Localized]| {
        list.iter().map(|n| n.get(lang).to_string()).collect::<Vec<_>>().join(" / ")
    };
    match &terms.scope {
        CouponScope::Mall => t.coupon_scope_mall.to_string(),
        CouponScope::Categories(list) | CouponScope::Tenants(list) => {
            fill(t.coupon_scope_only, &[("names", &names(list))])
        }
        CouponScope::Products(_) => t.coupon_scope_products.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{EN, ZH};
    use plaza_types::dto::Localized;
    use plaza_types::Fen;

    fn terms(kind: CouponKind) -> CouponTerms {
        CouponTerms {
            name: Localized::new("券", "Coupon"),
            kind,
            value: Fen(3_000),
            percent_off: 20,
            threshold: Fen(10_000),
            parking_minutes: 120,
            scope: CouponScope::Categories(vec![Localized::new("餐饮", "Dining")]),
            description: Localized::default(),
        }
    }

    #[test]
    fn reads_like_a_person_wrote_it() {
        assert_eq!(headline(&ZH, &terms(CouponKind::ThresholdOff)), "满¥100减¥30");
        assert_eq!(headline(&EN, &terms(CouponKind::ThresholdOff)), "¥30 off orders of ¥100 or more");
        assert_eq!(headline(&ZH, &terms(CouponKind::PercentOff)), "8折（最高减¥30）");
        assert_eq!(headline(&EN, &terms(CouponKind::PercentOff)), "20% off (up to ¥30)");
        assert_eq!(stub(&ZH, &terms(CouponKind::ThresholdOff)), ("¥30".to_string(), "满¥100可用".to_string()));
        assert_eq!(headline(&ZH, &terms(CouponKind::Parking)), "免费停车 2 小时");
        assert_eq!(scope(&ZH, &terms(CouponKind::Cash), Lang::Zh), "限 餐饮 使用");
        assert_eq!(scope(&EN, &terms(CouponKind::Cash), Lang::En), "Only at Dining");
        assert_eq!(zhe(15), "8.5");
    }
}
