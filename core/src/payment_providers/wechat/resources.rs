//! The decrypted resources the payment engine acts on: a transaction (支付成功通知, and the order
//! query response) and a refund (退款结果通知). Amounts are integer fen as WeChat sends them.
//! Unknown fields are ignored because WeChat adds fields without notice; unknown states decode as
//! `Unknown` so a new state is never mistaken for success.

use super::encrypted::{decrypt_as, Notification, ResourceError};
use plaza_types::Fen;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionResource {
    pub appid: String,
    pub mchid: String,
    pub out_trade_no: String,
    /// Absent while the order is unpaid (query responses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trade_type: Option<String>,
    pub trade_state: TradeState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trade_state_desc: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attach: Option<String>,
    /// RFC 3339 with offset, e.g. `2018-06-08T10:34:56+08:00`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer: Option<Payer>,
    pub amount: TransactionAmount,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payer {
    pub openid: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionAmount {
    /// The order amount we asked for.
    pub total: Fen,
    /// What the payer actually paid after WeChat-side discounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_total: Option<Fen>,
    pub currency: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_currency: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TradeState {
    #[serde(rename = "SUCCESS")]
    Success,
    #[serde(rename = "REFUND")]
    Refund,
    #[serde(rename = "NOTPAY")]
    NotPay,
    #[serde(rename = "CLOSED")]
    Closed,
    #[serde(rename = "REVOKED")]
    Revoked,
    #[serde(rename = "USERPAYING")]
    UserPaying,
    #[serde(rename = "PAYERROR")]
    PayError,
    #[serde(other)]
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundResource {
    pub mchid: String,
    pub out_trade_no: String,
    pub transaction_id: String,
    pub out_refund_no: String,
    pub refund_id: String,
    pub refund_status: RefundStatus,
    /// Present when the refund succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_time: Option<String>,
    /// Where the money went back, e.g. `招商银行信用卡0403` or `支付用户零钱`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_received_account: Option<String>,
    pub amount: RefundAmount,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundAmount {
    pub total: Fen,
    pub refund: Fen,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_total: Option<Fen>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_refund: Option<Fen>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RefundStatus {
    #[serde(rename = "SUCCESS")]
    Success,
    #[serde(rename = "CLOSED")]
    Closed,
    /// The bank refused the refund (card cancelled or frozen); needs a person.
    #[serde(rename = "ABNORMAL")]
    Abnormal,
    #[serde(rename = "PROCESSING")]
    Processing,
    #[serde(other)]
    Unknown,
}

pub const TRANSACTION_TYPE: &str = "transaction";
pub const REFUND_TYPE: &str = "refund";

/// The payment inside a `TRANSACTION.*` notification.
pub fn decrypt_transaction(
    api_v3_key: &[u8; 32],
    notification: &Notification,
) -> Result<TransactionResource, ResourceError> {
    decrypt_as(api_v3_key, notification, TRANSACTION_TYPE)
}

/// The refund inside a `REFUND.*` notification.
pub fn decrypt_refund(api_v3_key: &[u8; 32], notification: &Notification) -> Result<RefundResource, ResourceError> {
    decrypt_as(api_v3_key, notification, REFUND_TYPE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_transaction() {
        let json = r#"{"appid":"wxd678efh567hg6787","mchid":"1230000109","out_trade_no":"1217752501201407033233368018",
            "transaction_id":"1217752501201407033233368018","trade_type":"JSAPI","trade_state":"SUCCESS",
            "trade_state_desc":"支付成功","bank_type":"CMC","attach":"自定义数据","success_time":"2018-06-08T10:34:56+08:00",
            "payer":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
            "amount":{"total":100,"payer_total":90,"currency":"CNY","payer_currency":"CNY"},
            "promotion_detail":[{"coupon_id":"109519","amount":10}]}"#;
        let t: TransactionResource = serde_json::from_str(json).unwrap();
        assert_eq!(t.trade_state, TradeState::Success);
        assert_eq!(t.amount.total, Fen(100));
        assert_eq!(t.amount.payer_total, Some(Fen(90)));
        assert_eq!(t.payer.unwrap().openid, "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
        assert_eq!(t.transaction_id.as_deref(), Some("1217752501201407033233368018"));
    }

    #[test]
    fn an_unpaid_order_and_an_unknown_state_decode_without_pretending_success() {
        let json = r#"{"appid":"wx1","mchid":"1","out_trade_no":"P1","trade_state":"NOTPAY",
            "amount":{"total":1,"currency":"CNY"}}"#;
        let t: TransactionResource = serde_json::from_str(json).unwrap();
        assert_eq!((t.trade_state, t.transaction_id), (TradeState::NotPay, None));
        let later = json.replace("NOTPAY", "SOMETHING_NEW");
        assert_eq!(serde_json::from_str::<TransactionResource>(&later).unwrap().trade_state, TradeState::Unknown);
        let userpaying = json.replace("NOTPAY", "USERPAYING");
        assert_eq!(
            serde_json::from_str::<TransactionResource>(&userpaying).unwrap().trade_state,
            TradeState::UserPaying
        );
    }

    #[test]
    fn reads_the_documented_refund() {
        let json = r#"{"mchid":"1900000100","transaction_id":"1008450740201411110005820873",
            "out_trade_no":"20150806125346","refund_id":"50200207182018070300011301001",
            "out_refund_no":"7752501201407033233368018","refund_status":"SUCCESS",
            "success_time":"2018-06-08T10:34:56+08:00","user_received_account":"招商银行信用卡0403",
            "amount":{"total":999,"refund":999,"payer_total":999,"payer_refund":999}}"#;
        let r: RefundResource = serde_json::from_str(json).unwrap();
        assert_eq!(r.refund_status, RefundStatus::Success);
        assert_eq!((r.amount.total, r.amount.refund, r.amount.payer_refund), (Fen(999), Fen(999), Some(Fen(999))));
        let abnormal = json.replace("\"SUCCESS\"", "\"ABNORMAL\"");
        assert_eq!(serde_json::from_str::<RefundResource>(&abnormal).unwrap().refund_status, RefundStatus::Abnormal);
    }

    #[test]
    fn serialising_leaves_out_absent_fields_as_wechat_does() {
        let json = r#"{"appid":"wx1","mchid":"1","out_trade_no":"P1","trade_state":"NOTPAY","amount":{"total":1,"currency":"CNY"}}"#;
        let t: TransactionResource = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&t).unwrap(), json);
    }
}
