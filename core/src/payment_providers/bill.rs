//! A provider's daily bill, read from its file into one shape for both providers: the lines the
//! provider recorded that day (payments and refunds, keyed by our numbers) and the totals the file
//! itself states, which the parsers check the lines against so a cut or altered file is refused.

use super::ProviderError;
use plaza_types::Fen;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BillLineKind {
    Payment,
    Refund,
}

/// One line of a bill.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BillLine {
    pub kind: BillLineKind,
    /// Our payment number (WeChat's 商户订单号, Alipay's 商户订单号).
    pub out_trade_no: String,
    /// Our refund number on a refund line (商户退款单号, 退款批次号/请求号); empty on a payment.
    pub out_refund_no: String,
    /// The provider's own transaction number.
    pub provider_txn: String,
    /// What was collected (a payment) or asked back (a refund), always positive.
    pub amount: Fen,
    /// The provider's fee on this line in fen, rounded: positive when charged, negative when a
    /// refund gives it back.
    pub fee_fen: i64,
    /// The provider's state word: `SUCCESS` for a collected payment; for a refund WeChat's
    /// `SUCCESS`, `PROCESSING`, `FAIL` or `CHANGE` (abnormal), Alipay's are all `SUCCESS`.
    pub status: String,
}

/// A day's bill as the provider states it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DailyBill {
    pub lines: Vec<BillLine>,
    /// From WeChat's fund-flow bill: money into and out of the merchant account that day.
    pub fund_income_fen: Option<i64>,
    pub fund_expense_fen: Option<i64>,
}

impl DailyBill {
    pub fn fee_fen(&self) -> i64 {
        self.lines.iter().map(|l| l.fee_fen).sum()
    }
}

/// A yuan amount as bills print it (`12.30`, `-0.01`, `0.18000`, a fee with five decimals) in
/// units of 1/100,000 yuan, exactly; `None` when it is not a plain decimal.
pub fn yuan_units(text: &str) -> Option<i64> {
    const DECIMALS: usize = 5;
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let is_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || whole.len() > 12 || !is_digits(whole) || !is_digits(frac) || frac.len() > DECIMALS {
        return None;
    }
    let frac = format!("{frac:0<DECIMALS$}");
    let units = whole.parse::<i64>().ok()? * 100_000 + frac.parse::<i64>().ok()?;
    Some(if negative { -units } else { units })
}

/// Units of 1/100,000 yuan to fen, half away from zero (how the providers round a fee).
pub fn units_to_fen(units: i64) -> i64 {
    let fen = (units.abs() + 500) / 1000;
    if units < 0 {
        -fen
    } else {
        fen
    }
}

/// An amount column read to fen; a fraction of a fen is refused (amounts are whole fen).
pub fn amount_fen(provider: &'static str, column: &str, text: &str) -> Result<Fen, ProviderError> {
    match yuan_units(text) {
        Some(units) if units % 1000 == 0 => Ok(Fen((units / 1000).abs())),
        _ => Err(bad(provider, format!("{column} {text:?} is not an amount"))),
    }
}

/// How a stand-in's next bills differ from what happened, for tests that must find each
/// difference.
#[cfg(any(test, feature = "standins"))]
#[derive(Clone, Debug, Default)]
pub struct BillChanges {
    /// Order or refund numbers left out of the bill.
    pub left_out: std::collections::HashSet<String>,
    /// Order or refund number → the amount (fen) the bill shows instead.
    pub amounts: std::collections::HashMap<String, i64>,
    /// The file served is not the one the provider described (cut on the way).
    pub corrupt: bool,
}

pub(crate) fn bad(provider: &'static str, reason: String) -> ProviderError {
    ProviderError::Malformed { provider, reason: format!("bill: {reason}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_exactly_and_fees_round_half_away_from_zero() {
        assert_eq!(yuan_units("12.30"), Some(1_230_000));
        assert_eq!(yuan_units("-0.01"), Some(-1000));
        assert_eq!(yuan_units("0.18000"), Some(18_000));
        assert_eq!(yuan_units("7"), Some(700_000));
        assert_eq!(yuan_units("1.234567"), None);
        assert_eq!(yuan_units("1,00"), None);
        assert_eq!(yuan_units(""), None);
        assert_eq!(units_to_fen(18_000), 18);
        assert_eq!(units_to_fen(18_500), 19);
        assert_eq!(units_to_fen(18_499), 18);
        assert_eq!(units_to_fen(-18_500), -19);
        assert_eq!(amount_fen("wechat", "x", "30.00").unwrap(), Fen(3000));
        assert_eq!(amount_fen("wechat", "x", "-0.50").unwrap(), Fen(50));
        assert!(amount_fen("wechat", "x", "0.001").is_err());
    }
}
