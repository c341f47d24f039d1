//! An Alipay open-API gateway stand-in for tests, on 127.0.0.1: it checks the common parameters
//! and our RSA2 signature (over the sorted parameters, `sign_type` included) with the app's public
//! key, keeps trades as Alipay does (a precreated code becomes a trade only when scanned; a refund
//! number is one refund), and signs the exact text of each `<method>_response` with Alipay's key —
//! or, on request, answers tampered, unsigned, wrongly signed, failing or late.

use super::client::{beijing_datetime, fen_to_yuan};
use super::notification::yuan_to_fen;
use super::signature::{request_canonical_string, sign_rsa2, RSA2, SIGN, SIGN_TYPE};
use crate::payment_providers::keys::{RsaSigningKey, RsaVerifyingKey};
use axum::body::Bytes;
use axum::http::HeaderMap;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use plaza_types::Fen;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const APP_ID: &str = "2021000117650001";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Answering {
    #[default]
    Honestly,
    /// Signed, then the answer's text changed.
    Tampered,
    /// No `sign`.
    Unsigned,
    /// Signed by another key.
    WrongKey,
    /// HTTP 502 from the gateway.
    Failing,
    /// Code 20000, service unavailable.
    Busy,
    Late(Duration),
}

#[derive(Clone, Debug)]
pub struct MockTrade {
    pub total: i64,
    /// `None` until the code is scanned; then WAIT_BUYER_PAY, TRADE_SUCCESS, TRADE_CLOSED.
    pub status: Option<&'static str>,
    pub trade_no: String,
    pub paid_at: Option<String>,
    pub refunded: i64,
}

#[derive(Default)]
pub struct MockState {
    pub trades: HashMap<String, MockTrade>,
    /// out_request_no → (out_trade_no, amount)
    pub refunds: HashMap<String, (String, i64)>,
    pub answering: Answering,
    /// The `method` of every request whose signature checked out.
    pub seen: Vec<String>,
}

#[derive(Clone)]
pub struct MockAlipay {
    pub gateway_url: String,
    pub state: Arc<Mutex<MockState>>,
}

struct Shared {
    state: Arc<Mutex<MockState>>,
    app_key: RsaVerifyingKey,
    alipay_key: RsaSigningKey,
    impostor: RsaSigningKey,
}

impl MockAlipay {
    pub async fn start(app_key: RsaVerifyingKey, alipay_key: RsaSigningKey, impostor: RsaSigningKey) -> MockAlipay {
        let state = Arc::new(Mutex::new(MockState::default()));
        let shared = Arc::new(Shared { state: state.clone(), app_key, alipay_key, impostor });
        let app = axum::Router::new().route(
            "/gateway.do",
            axum::routing::post(move |headers, body| {
                let shared = shared.clone();
                async move { answer(&shared, headers, body).await }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a local port");
        let gateway_url = format!("http://{}/gateway.do", listener.local_addr().expect("bound"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        MockAlipay { gateway_url, state }
    }

    pub fn answering(&self, answering: Answering) {
        self.state.lock().unwrap().answering = answering;
    }

    /// The shopper's browser submits our WAP form to the gateway: Alipay checks it as it checks
    /// API requests (our app, our signature) and opens a trade waiting for payment.
    pub fn open_wap(&self, app_key: &RsaVerifyingKey, fields: &[(String, String)]) -> Result<(), String> {
        let request = super::wap::check_page_request(app_key, fields)?;
        if request.app_id != APP_ID {
            return Err("unknown app".into());
        }
        let mut state = self.state.lock().unwrap();
        let n = state.trades.len();
        let trade = state.trades.entry(request.out_trade_no).or_insert(MockTrade {
            total: request.total.0,
            status: None,
            trade_no: format!("2026120222001{n:015}"),
            paid_at: None,
            refunded: 0,
        });
        if trade.total != request.total.0 {
            return Err("ACQ.CONTEXT_INCONSISTENT".into());
        }
        trade.status.get_or_insert("WAIT_BUYER_PAY");
        Ok(())
    }

    /// The shopper scans the code: Alipay now has a trade waiting for payment.
    pub fn scan(&self, out_trade_no: &str) {
        let mut state = self.state.lock().unwrap();
        let trade = state.trades.get_mut(out_trade_no).expect("a precreated trade");
        trade.status.get_or_insert("WAIT_BUYER_PAY");
    }

    /// The shopper pays.
    pub fn pay(&self, out_trade_no: &str, now_secs: i64) {
        let mut state = self.state.lock().unwrap();
        let trade = state.trades.get_mut(out_trade_no).expect("a precreated trade");
        trade.status = Some("TRADE_SUCCESS");
        trade.paid_at = Some(beijing_datetime(now_secs));
    }

    pub fn trade(&self, out_trade_no: &str) -> Option<MockTrade> {
        self.state.lock().unwrap().trades.get(out_trade_no).cloned()
    }

    pub fn seen(&self) -> Vec<String> {
        self.state.lock().unwrap().seen.clone()
    }
}

fn failure(code: &str, msg: &str, sub_code: &str, sub_msg: &str) -> Value {
    json!({ "code": code, "msg": msg, "sub_code": sub_code, "sub_msg": sub_msg })
}

fn business(sub_code: &str, sub_msg: &str) -> Value {
    failure("40004", "Business Failed", sub_code, sub_msg)
}

async fn answer(shared: &Shared, headers: HeaderMap, body: Bytes) -> axum::response::Response {
    use axum::response::IntoResponse;
    let params: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let param = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or_default();
    let method = param("method").to_string();
    let name = format!("{}_response", method.replace('.', "_"));
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    // Refusals of the request itself go out unsigned, as Alipay's do.
    let unsigned = |value: Value| json!({ name.clone(): value }).to_string().into_response();
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return unsigned(failure("40001", "Missing Required Arguments", "isv.missing-method", "form only"));
    }
    let timestamp_ok = jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M:%S", param("timestamp")).is_ok();
    if param("app_id") != APP_ID
        || param("format") != "JSON"
        || param("charset") != "utf-8"
        || param(SIGN_TYPE) != RSA2
        || param("version") != "1.0"
        || !timestamp_ok
    {
        return unsigned(failure("40002", "Invalid Arguments", "isv.invalid-parameter", "common parameters"));
    }
    let signature = BASE64.decode(param(SIGN)).unwrap_or_default();
    if !shared.app_key.verify_sha256(request_canonical_string(&params).as_bytes(), &signature) {
        return unsigned(failure("40002", "Invalid Arguments", "isv.invalid-signature", "验签出错"));
    }
    let answering = {
        let mut state = shared.state.lock().unwrap();
        state.seen.push(method.clone());
        state.answering
    };
    match answering {
        Answering::Failing => return (axum::http::StatusCode::BAD_GATEWAY, "Bad Gateway").into_response(),
        Answering::Late(after) => tokio::time::sleep(after).await,
        _ => {}
    }
    let biz: Value = serde_json::from_str(param("biz_content")).unwrap_or(Value::Null);
    let notify_url = param("notify_url").to_string();
    let value = match answering {
        Answering::Busy => failure("20000", "Service Currently Unavailable", "aop.unknow-error", "系统繁忙"),
        _ => route(&mut shared.state.lock().unwrap(), &method, &biz, &notify_url),
    };
    let mut text = value.to_string();
    let key = if answering == Answering::WrongKey { &shared.impostor } else { &shared.alipay_key };
    let sign = sign_rsa2(key, &text).expect("signing");
    if answering == Answering::Tampered {
        text = text.replacen("WAIT_BUYER_PAY", "TRADE_SUCCESS", 1).replacen("\"10000\"", "\"10000\" ", 1);
    }
    let body = match answering {
        Answering::Unsigned => format!("{{\"{name}\":{text}}}"),
        _ => format!("{{\"{name}\":{text},\"sign\":\"{sign}\"}}"),
    };
    ([("Content-Type", "text/html;charset=utf-8")], body).into_response()
}

fn route(state: &mut MockState, method: &str, biz: &Value, notify_url: &str) -> Value {
    let no = biz["out_trade_no"].as_str().unwrap_or_default().to_string();
    let success = |mut value: Value| {
        value["code"] = "10000".into();
        value["msg"] = "Success".into();
        value
    };
    match method {
        "alipay.trade.precreate" => {
            let total = biz["total_amount"].as_str().and_then(|t| yuan_to_fen(t).ok());
            let Some(Fen(total)) = total.filter(|t| t.0 > 0) else {
                return failure("40002", "Invalid Arguments", "isv.invalid-parameter", "total_amount");
            };
            if no.is_empty() || biz["subject"].as_str().is_none_or(str::is_empty) || !notify_url.starts_with("https://")
            {
                return failure(
                    "40002",
                    "Invalid Arguments",
                    "isv.invalid-parameter",
                    "out_trade_no/subject/notify_url",
                );
            }
            let count = state.trades.len();
            let trade = state.trades.entry(no.clone()).or_insert(MockTrade {
                total,
                status: None,
                trade_no: format!("2026112222001{:019}", count + 1),
                paid_at: None,
                refunded: 0,
            });
            if trade.total != total {
                return business("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改");
            }
            success(json!({ "out_trade_no": no, "qr_code": format!("https://qr.alipay.com/bax0{}", count + 1) }))
        }
        "alipay.trade.query" => match state.trades.get(&no) {
            Some(MockTrade { total, status: Some(status), trade_no, paid_at, .. }) => {
                let mut value = json!({
                    "trade_no": trade_no, "out_trade_no": no, "buyer_logon_id": "159****5620",
                    "trade_status": status, "total_amount": fen_to_yuan(Fen(*total)),
                });
                if let Some(at) = paid_at {
                    value["send_pay_date"] = at.clone().into();
                }
                success(value)
            }
            _ => business("ACQ.TRADE_NOT_EXIST", "交易不存在"),
        },
        "alipay.trade.close" => match state.trades.get_mut(&no) {
            Some(trade) if trade.status == Some("WAIT_BUYER_PAY") => {
                trade.status = Some("TRADE_CLOSED");
                success(json!({ "trade_no": trade.trade_no, "out_trade_no": no }))
            }
            Some(MockTrade { status: Some(_), .. }) => business("ACQ.TRADE_STATUS_ERROR", "交易状态不合法"),
            _ => business("ACQ.TRADE_NOT_EXIST", "交易不存在"),
        },
        "alipay.trade.refund" => refund(state, &no, biz),
        _ => failure("40002", "Invalid Arguments", "isv.invalid-method", "不存在的方法名"),
    }
}

fn refund(state: &mut MockState, no: &str, biz: &Value) -> Value {
    let request_no = biz["out_request_no"].as_str().unwrap_or_default().to_string();
    let amount = biz["refund_amount"].as_str().and_then(|t| yuan_to_fen(t).ok()).map(|f| f.0).unwrap_or(0);
    let Some(trade) = state.trades.get_mut(no).filter(|t| t.status.is_some()) else {
        return business("ACQ.TRADE_NOT_EXIST", "交易不存在");
    };
    let answer = |trade: &MockTrade, fund_change: &str| {
        json!({
            "code": "10000", "msg": "Success", "trade_no": trade.trade_no, "out_trade_no": no,
            "buyer_logon_id": "159****5620", "fund_change": fund_change,
            "refund_fee": fen_to_yuan(Fen(trade.refunded)),
        })
    };
    if let Some((of, done)) = state.refunds.get(&request_no) {
        return match of == no && *done == amount {
            true => answer(trade, "N"),
            false => business("ACQ.REQUEST_AMOUNT_EXCEED", "退款请求号已用于另一笔退款"),
        };
    }
    if trade.status != Some("TRADE_SUCCESS") {
        return business("ACQ.TRADE_STATUS_ERROR", "交易状态不合法");
    }
    if amount <= 0 || trade.refunded + amount > trade.total {
        return business("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限");
    }
    trade.refunded += amount;
    state.refunds.insert(request_no, (no.to_string(), amount));
    answer(trade, "Y")
}
