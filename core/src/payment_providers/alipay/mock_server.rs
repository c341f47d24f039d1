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
    /// out_request_no → when the refund was made (`yyyy-MM-dd HH:mm:ss`).
    pub refund_times: HashMap<String, String>,
    /// How the bills differ from what happened (nothing, unless a test asks).
    pub bill: crate::payment_providers::bill::BillChanges,
    /// Bill archives waiting to be downloaded, by token.
    pub files: HashMap<String, Vec<u8>>,
    /// The time refunds are made at, when a test sets it (else the clock's).
    pub clock: Option<i64>,
    /// Refund requests answered "service unavailable" after the refund is made (the answer lost).
    pub lose_refund_answers: bool,
}

#[derive(Clone)]
pub struct MockAlipay {
    pub gateway_url: String,
    pub state: Arc<Mutex<MockState>>,
}

struct Shared {
    state: Arc<Mutex<MockState>>,
    base_url: String,
    app_key: RsaVerifyingKey,
    alipay_key: RsaSigningKey,
    impostor: RsaSigningKey,
}

impl MockAlipay {
    pub async fn start(app_key: RsaVerifyingKey, alipay_key: RsaSigningKey, impostor: RsaSigningKey) -> MockAlipay {
        let state = Arc::new(Mutex::new(MockState::default()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a local port");
        let base_url = format!("http://{}", listener.local_addr().expect("bound"));
        let gateway_url = format!("{base_url}/gateway.do");
        let shared = Arc::new(Shared { state: state.clone(), base_url, app_key, alipay_key, impostor });
        let files = state.clone();
        let app = axum::Router::new()
            .route(
                "/gateway.do",
                axum::routing::post(move |headers, body| {
                    let shared = shared.clone();
                    async move { answer(&shared, headers, body).await }
                }),
            )
            // The bill centre: an archive is downloaded once, unsigned.
            .route(
                "/downloadBillFile.resource",
                axum::routing::get(move |query: axum::extract::RawQuery| {
                    let files = files.clone();
                    async move {
                        let token = query.0.unwrap_or_default();
                        let token = token.rsplit("token=").next().unwrap_or_default().to_string();
                        match files.lock().unwrap().files.remove(&token) {
                            Some(bytes) => (axum::http::StatusCode::OK, bytes),
                            None => (axum::http::StatusCode::NOT_FOUND, b"expired".to_vec()),
                        }
                    }
                }),
            );
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

    /// How the next bills differ from the truth.
    pub fn bill_changes(&self, changes: crate::payment_providers::bill::BillChanges) {
        self.state.lock().unwrap().bill = changes;
    }

    /// Refunds from now on are made at `secs` (a test's day), not at the clock's time.
    pub fn clock(&self, secs: i64) {
        self.state.lock().unwrap().clock = Some(secs);
    }

    /// Whether refund answers are lost (the refund made, "service unavailable" answered).
    pub fn lose_refund_answers(&self, lose: bool) {
        self.state.lock().unwrap().lose_refund_answers = lose;
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
        _ => route(&mut shared.state.lock().unwrap(), &method, &biz, &notify_url, &shared.base_url),
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

fn route(state: &mut MockState, method: &str, biz: &Value, notify_url: &str, base_url: &str) -> Value {
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
        "alipay.trade.refund" => {
            let answer = refund(state, &no, biz);
            match state.lose_refund_answers {
                true => failure("20000", "Service Currently Unavailable", "aop.unknow-error", "系统繁忙"),
                false => answer,
            }
        }
        "alipay.trade.fastpay.refund.query" => {
            let request_no = biz["out_request_no"].as_str().unwrap_or_default();
            match (state.trades.get(&no), state.refunds.get(request_no)) {
                (None, _) => business("ACQ.TRADE_NOT_EXIST", "交易不存在"),
                (Some(trade), Some((of, amount))) if *of == no => success(json!({
                    "trade_no": trade.trade_no, "out_trade_no": no, "out_request_no": request_no,
                    "total_amount": fen_to_yuan(Fen(trade.total)), "refund_amount": fen_to_yuan(Fen(*amount)),
                    "refund_status": "REFUND_SUCCESS",
                })),
                // Alipay answers success with no refund in it for a refund it never made.
                _ => success(json!({})),
            }
        }
        "alipay.data.dataservice.bill.downloadurl.query" => {
            let date = biz["bill_date"].as_str().unwrap_or_default().to_string();
            if biz["bill_type"] != "trade" || jiff::civil::Date::strptime("%Y-%m-%d", &date).is_err() {
                return failure("40002", "Invalid Arguments", "isv.invalid-parameter", "bill_type/bill_date");
            }
            let Some(zip) = super::mock_bill::trade_bill_zip(state, &date, &state.bill) else {
                return business("isp.bill_not_exist", "账单不存在");
            };
            let token = format!("{:016x}", rand::random::<u64>());
            state.files.insert(token.clone(), zip);
            let compact = date.replace('-', "");
            success(json!({ "bill_download_url": format!(
                "{base_url}/downloadBillFile.resource?bizType=trade&userId=20880211096256330156&fileType=csv.zip&bizDates={compact}&downloadFileName=20880211096256330156_{compact}.csv.zip&token={token}"
            ) }))
        }
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
    let at = beijing_datetime(state.clock.unwrap_or_else(|| crate::Timestamp::now().secs()));
    state.refund_times.insert(request_no.clone(), at);
    state.refunds.insert(request_no, (no.to_string(), amount));
    answer(trade, "Y")
}
