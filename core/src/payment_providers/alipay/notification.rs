//! Reading an Alipay asynchronous notification (异步通知, `notify_type=trade_status_sync`) once its
//! signature has been checked, and what to answer it with.
//!
//! Alipay resends until it reads the seven characters `success` as the whole response body (about
//! 8 times over 25 hours); anything else, an error page included, counts as "not received". The
//! same `notify_id` is kept across those resends.

use plaza_types::money::AmountError;
use plaza_types::Fen;

/// The body that stops Alipay's resends.
pub const ACKNOWLEDGE: &str = "success";
/// Any other body makes Alipay send again; this one says so in logs.
pub const RETRY: &str = "failure";
pub const REPLY_CONTENT_TYPE: &str = "text/plain; charset=utf-8";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TradeStatus {
    /// Created, waiting for the buyer to pay.
    WaitBuyerPay,
    /// Closed unpaid on timeout, or fully refunded.
    TradeClosed,
    /// Paid; refunds are still possible.
    TradeSuccess,
    /// Paid and final; no more refunds.
    TradeFinished,
    /// A status this code does not know: never treated as paid.
    Other(String),
}

impl TradeStatus {
    pub(crate) fn parse(text: &str) -> TradeStatus {
        match text {
            "WAIT_BUYER_PAY" => TradeStatus::WaitBuyerPay,
            "TRADE_CLOSED" => TradeStatus::TradeClosed,
            "TRADE_SUCCESS" => TradeStatus::TradeSuccess,
            "TRADE_FINISHED" => TradeStatus::TradeFinished,
            other => TradeStatus::Other(other.to_string()),
        }
    }

    pub fn is_paid(&self) -> bool {
        matches!(self, TradeStatus::TradeSuccess | TradeStatus::TradeFinished)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlipayNotification {
    pub notify_id: String,
    pub notify_type: String,
    /// `yyyy-MM-dd HH:mm:ss`, Beijing time, as Alipay writes it.
    pub notify_time: String,
    pub app_id: String,
    pub out_trade_no: String,
    pub trade_no: String,
    pub trade_status: TradeStatus,
    pub total_amount_fen: Fen,
    pub receipt_amount_fen: Option<Fen>,
    pub buyer_pay_amount_fen: Option<Fen>,
    /// Total refunded so far, in refund notifications.
    pub refund_fee_fen: Option<Fen>,
    /// The refund request number, in refund notifications.
    pub out_biz_no: Option<String>,
    pub seller_id: Option<String>,
    pub buyer_id: Option<String>,
    pub gmt_create: Option<String>,
    pub gmt_payment: Option<String>,
    pub gmt_refund: Option<String>,
    pub gmt_close: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("parameter {0} is missing or empty")]
    Missing(&'static str),
    #[error("parameter {0:?} appears more than once")]
    Duplicate(String),
    #[error("{field} {value:?} is not an amount in yuan: {reason}")]
    Amount { field: &'static str, value: String, reason: AmountError },
}

/// Reads the notification's fields. Call only after [`super::verify_notification`] accepted
/// these parameters; it is the caller's job to compare `app_id`, `out_trade_no` and the amount
/// with its own order.
pub fn parse_notification(form_params: &[(String, String)]) -> Result<AlipayNotification, ParseError> {
    let value = |name: &'static str| -> Result<Option<&str>, ParseError> {
        let mut found = form_params.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str());
        match (found.next(), found.next()) {
            (_, Some(_)) => Err(ParseError::Duplicate(name.to_string())),
            (Some(v), None) if !v.is_empty() => Ok(Some(v)),
            _ => Ok(None),
        }
    };
    let required = |name: &'static str| value(name)?.map(str::to_string).ok_or(ParseError::Missing(name));
    let optional = |name: &'static str| Ok::<_, ParseError>(value(name)?.map(str::to_string));
    let amount = |name: &'static str| -> Result<Option<Fen>, ParseError> {
        value(name)?
            .map(|v| yuan_to_fen(v).map_err(|reason| ParseError::Amount { field: name, value: v.to_string(), reason }))
            .transpose()
    };
    Ok(AlipayNotification {
        notify_id: required("notify_id")?,
        notify_type: required("notify_type")?,
        notify_time: required("notify_time")?,
        app_id: required("app_id")?,
        out_trade_no: required("out_trade_no")?,
        trade_no: required("trade_no")?,
        trade_status: TradeStatus::parse(&required("trade_status")?),
        total_amount_fen: amount("total_amount")?.ok_or(ParseError::Missing("total_amount"))?,
        receipt_amount_fen: amount("receipt_amount")?,
        buyer_pay_amount_fen: amount("buyer_pay_amount")?,
        refund_fee_fen: amount("refund_fee")?,
        out_biz_no: optional("out_biz_no")?,
        seller_id: optional("seller_id")?,
        buyer_id: optional("buyer_id")?,
        gmt_create: optional("gmt_create")?,
        gmt_payment: optional("gmt_payment")?,
        gmt_refund: optional("gmt_refund")?,
        gmt_close: optional("gmt_close")?,
    })
}

/// Alipay's amounts are yuan with at most two decimals (`20`, `2.00`, `0.01`). Unlike
/// [`Fen::from_yuan_str`], which reads what people type, this accepts nothing else: no sign,
/// spaces, currency symbol, separators, leading zeros or bare dots, because a machine-written
/// amount in any other shape means something is wrong.
pub fn yuan_to_fen(text: &str) -> Result<Fen, AmountError> {
    if text.starts_with('-') {
        return Err(AmountError::Negative);
    }
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || (whole.len() > 1 && whole.starts_with('0')) || (text.contains('.') && !digits(frac)) {
        return Err(AmountError::NotANumber);
    }
    if frac.len() > 2 {
        return Err(AmountError::TooPrecise);
    }
    // Alipay caps an order at 100,000,000 yuan; twelve digits leave room and cannot overflow.
    if whole.len() > 12 {
        return Err(AmountError::TooLarge);
    }
    let yuan: i64 = whole.parse().map_err(|_| AmountError::NotANumber)?;
    let cents: i64 = format!("{frac:0<2}").parse().map_err(|_| AmountError::NotANumber)?;
    Ok(Fen(yuan * 100 + cents))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_strings_become_exact_fen() {
        for (text, fen) in [("2.00", 200), ("12.30", 1230), ("12.3", 1230), ("20", 2000), ("0.01", 1), ("0", 0)] {
            assert_eq!(yuan_to_fen(text), Ok(Fen(fen)), "{text}");
        }
        assert_eq!(yuan_to_fen("100000000.00"), Ok(Fen(10_000_000_000)));
    }

    #[test]
    fn anything_but_a_plain_decimal_is_refused() {
        for bad in ["", ".", "1.", ".5", "01.00", "+1.00", " 1.00", "1.00 ", "¥1.00", "1,000.00", "1e3", "1.0.0", "１"]
        {
            assert_eq!(yuan_to_fen(bad), Err(AmountError::NotANumber), "{bad:?}");
        }
        assert_eq!(yuan_to_fen("-1.00"), Err(AmountError::Negative));
        assert_eq!(yuan_to_fen("12.301"), Err(AmountError::TooPrecise));
        assert_eq!(yuan_to_fen("9999999999999"), Err(AmountError::TooLarge));
    }

    #[test]
    fn only_success_and_finished_count_as_paid() {
        assert!(TradeStatus::parse("TRADE_SUCCESS").is_paid());
        assert!(TradeStatus::parse("TRADE_FINISHED").is_paid());
        assert!(!TradeStatus::parse("WAIT_BUYER_PAY").is_paid());
        assert!(!TradeStatus::parse("TRADE_CLOSED").is_paid());
        assert_eq!(TradeStatus::parse("trade_success"), TradeStatus::Other("trade_success".into()));
    }
}
