//! A WeChat Pay API v3 stand-in for tests, on 127.0.0.1: it checks our `Authorization` header
//! with the merchant's public key (and the `User-Agent` and JSON that WeChat requires) before it
//! answers, keeps orders and refunds as WeChat does (the same refund number gives the same refund,
//! closing twice is fine), and signs its answers with a platform key — or, on request, answers
//! tampered, unsigned, wrongly signed, failing or late. In certificate mode it issues real X.509
//! platform certificates, lists them at `GET /v3/certificates` encrypted under the merchant's API
//! v3 key, and signs with the one a test chooses (a rotation: a second certificate appears, the
//! signing moves to it, the first expires).

use super::merchant::verify_request;
use super::mock_certificates::{certificates_answer, issue, IssuedCertificate};
use super::platform::{beijing_time, sign_notification, PlatformSigner, SignedNotification};
use crate::payment_providers::keys::{KeyError, RsaSigningKey, RsaVerifyingKey};
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const MCHID: &str = "1900009191";
pub const APPID: &str = "wxd678efh567hg6787";
pub const MERCHANT_SERIAL: &str = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
pub const PLATFORM_SERIAL: &str = "PUB_KEY_ID_0119000091912024110100000000000001";
/// The official account's AppSecret the OAuth stand-in expects.
pub const APP_SECRET: &str = "plazastandinappsecret00000000000";

/// How the next answers go wrong, if at all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Answering {
    #[default]
    Honestly,
    /// Signed, then a byte of the body changed.
    Tampered,
    /// No `Wechatpay-*` headers at all.
    Unsigned,
    /// Signed under the platform serial by another key.
    WrongKey,
    /// Honestly signed, ten minutes ago (a replayed answer).
    Stale,
    /// 500 `SYSTEM_ERROR`.
    Failing,
    /// Honest, after this long.
    Late(Duration),
}

#[derive(Clone, Debug)]
pub struct MockOrder {
    pub total: i64,
    /// `NATIVE`, `JSAPI` or `MWEB` (H5).
    pub trade_type: &'static str,
    /// The payer of a JSAPI order.
    pub openid: Option<String>,
    pub state: &'static str,
    pub transaction_id: Option<String>,
    pub success_time: Option<String>,
    pub refunded: i64,
}

#[derive(Default)]
pub struct MockState {
    pub orders: HashMap<String, MockOrder>,
    pub refunds: HashMap<String, Value>,
    /// OAuth codes handed to a shopper's browser, each good once: code → openid.
    pub oauth_codes: HashMap<String, String>,
    pub answering: Answering,
    /// `METHOD path?query` of every request that passed the signature check.
    pub seen: Vec<String>,
    /// How the bills differ from what happened (nothing, unless a test asks).
    pub bill: super::mock_bill::BillChanges,
    /// Bill files waiting to be downloaded, by token.
    pub files: HashMap<String, Vec<u8>>,
    /// The time refunds are accepted at, when a test sets it (else the clock's).
    pub clock: Option<i64>,
    /// Certificate mode: the platform certificates issued, oldest first.
    pub certificates: Vec<IssuedCertificate>,
    /// The certificate answers are signed with; `None`: the public key (`PLATFORM_SERIAL`).
    pub signing: Option<Arc<PlatformSigner>>,
    /// The merchant's API v3 key, which the listed certificates are encrypted under.
    pub api_v3_key: Option<[u8; 32]>,
    /// List expired certificates too (WeChat drops them; a test may want one listed).
    pub list_expired: bool,
}

#[derive(Clone)]
pub struct MockWechat {
    pub base_url: String,
    pub state: Arc<Mutex<MockState>>,
}

struct Shared {
    state: Arc<Mutex<MockState>>,
    base_url: String,
    merchant_key: RsaVerifyingKey,
    platform: PlatformSigner,
    /// The key a `WrongKey` answer is signed with.
    impostor: PlatformSigner,
}

impl MockWechat {
    /// Serves until the test's runtime ends. `merchant_key` checks our requests; `platform`
    /// signs the answers.
    pub async fn start(
        merchant_key: RsaVerifyingKey,
        platform: PlatformSigner,
        impostor: PlatformSigner,
    ) -> MockWechat {
        let state = Arc::new(Mutex::new(MockState::default()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a local port");
        let base_url = format!("http://{}", listener.local_addr().expect("bound"));
        let shared =
            Arc::new(Shared { state: state.clone(), base_url: base_url.clone(), merchant_key, platform, impostor });
        let app = axum::Router::new().fallback(move |method, uri, headers, body| {
            let shared = shared.clone();
            async move { answer(&shared, method, uri, headers, body).await }
        });
        tokio::spawn(async move { axum::serve(listener, app).await });
        MockWechat { base_url, state }
    }

    pub fn answering(&self, answering: Answering) {
        self.state.lock().unwrap().answering = answering;
    }

    /// The shopper pays the order in WeChat.
    pub fn pay(&self, out_trade_no: &str, now_secs: i64) {
        let mut state = self.state.lock().unwrap();
        let order = state.orders.get_mut(out_trade_no).expect("an order placed through the API");
        order.state = "SUCCESS";
        order.transaction_id = Some(format!("4200002026{now_secs:018}"));
        order.success_time = Some(beijing_time(now_secs));
    }

    /// WeChat finishes a refund it answered `PROCESSING`: `SUCCESS`, `ABNORMAL` (the card
    /// refused it) or `CLOSED`.
    pub fn settle_refund(&self, out_refund_no: &str, status: &str) {
        let mut state = self.state.lock().unwrap();
        let refund = state.refunds.get_mut(out_refund_no).expect("a refund asked for");
        refund["status"] = status.into();
        if status == "SUCCESS" {
            refund["success_time"] = beijing_time(crate::Timestamp::now().secs()).into();
        }
    }

    /// The shopper's WeChat authorises our page: the `code` WeChat would append to our
    /// `redirect_uri`, good once, for `openid`.
    pub fn authorize(&self, openid: &str) -> String {
        let code = format!("CODE{}", rand::random::<u64>());
        self.state.lock().unwrap().oauth_codes.insert(code.clone(), openid.to_string());
        code
    }

    pub fn order(&self, out_trade_no: &str) -> Option<MockOrder> {
        self.state.lock().unwrap().orders.get(out_trade_no).cloned()
    }

    pub fn seen(&self) -> Vec<String> {
        self.state.lock().unwrap().seen.clone()
    }

    /// How the next bills differ from the truth.
    pub fn bill_changes(&self, changes: super::mock_bill::BillChanges) {
        self.state.lock().unwrap().bill = changes;
    }

    /// Refunds from now on are accepted at `secs` (a test's day), not at the clock's time.
    pub fn clock(&self, secs: i64) {
        self.state.lock().unwrap().clock = Some(secs);
    }

    /// Certificate mode: `GET /v3/certificates` answers, its certificates encrypted under the
    /// merchant's `api_v3_key`.
    pub fn certificate_mode(&self, api_v3_key: [u8; 32]) {
        self.state.lock().unwrap().api_v3_key = Some(api_v3_key);
    }

    /// WeChat issues a platform certificate for `key`, valid from `not_before` to `not_after`
    /// (Unix seconds), and lists it from now on. It signs with it once [`MockWechat::sign_with`].
    pub fn issue_certificate(
        &self,
        key: RsaSigningKey,
        not_before: i64,
        not_after: i64,
    ) -> Result<IssuedCertificate, KeyError> {
        let issued = issue(key, not_before, not_after)?;
        self.state.lock().unwrap().certificates.push(issued.clone());
        Ok(issued)
    }

    /// Answers (and [`MockWechat::notification`]s) are signed with `certificate` from now on.
    pub fn sign_with(&self, certificate: &IssuedCertificate) {
        self.state.lock().unwrap().signing = Some(certificate.signer.clone());
    }

    /// Whether expired certificates stay listed.
    pub fn list_expired(&self, listed: bool) {
        self.state.lock().unwrap().list_expired = listed;
    }

    /// A notification as WeChat would POST it now, signed with the certificate answers are
    /// signed with and its resource encrypted under the merchant's API v3 key.
    pub fn notification(&self, event_type: &str, resource: &Value, now_secs: i64) -> SignedNotification {
        let (signer, key) = {
            let state = self.state.lock().unwrap();
            (state.signing.clone().expect("a certificate to sign with"), state.api_v3_key.expect("certificate mode"))
        };
        sign_notification(&signer, &key, event_type, "支付成功", resource.to_string().as_bytes(), now_secs)
            .expect("the notification signs")
    }
}

fn error(status: StatusCode, code: &str, message: &str) -> (StatusCode, Value) {
    (status, json!({ "code": code, "message": message }))
}

async fn answer(shared: &Shared, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let now = crate::Timestamp::now().secs();
    let path = uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
    let body = String::from_utf8(body.to_vec()).unwrap_or_default();
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    // The official account's OAuth lives on another host and is not signed.
    if uri.path() == "/sns/oauth2/access_token" {
        return oauth_token(shared, uri.query().unwrap_or_default());
    }
    // What WeChat checks before anything else; it cannot sign an answer to a forged request.
    let fields =
        match verify_request(&shared.merchant_key, &header("authorization"), method.as_str(), &path, &body, now) {
            Ok(fields) => fields,
            Err(why) => return plain(error(StatusCode::UNAUTHORIZED, "SIGN_ERROR", &why.to_string())),
        };
    if fields.mchid != MCHID || fields.serial_no != MERCHANT_SERIAL {
        return plain(error(StatusCode::UNAUTHORIZED, "SIGN_ERROR", "unknown merchant certificate"));
    }
    if header("user-agent").is_empty() {
        return plain(error(StatusCode::FORBIDDEN, "NO_AUTH", "User-Agent is required"));
    }
    if method == Method::POST && !header("content-type").starts_with("application/json") {
        return plain(error(StatusCode::BAD_REQUEST, "PARAM_ERROR", "JSON bodies only"));
    }
    let (answering, signing) = {
        let mut state = shared.state.lock().unwrap();
        state.seen.push(format!("{method} {path}"));
        (state.answering, state.signing.clone())
    };
    match answering {
        Answering::Failing => return plain(error(StatusCode::INTERNAL_SERVER_ERROR, "SYSTEM_ERROR", "系统错误")),
        Answering::Late(after) => tokio::time::sleep(after).await,
        _ => {}
    }
    // A bill file comes as it is, unsigned: its SHA1 was in the signed answer that named it.
    if uri.path() == "/v3/billdownload/file" {
        let token = uri.query().unwrap_or_default().trim_start_matches("token=");
        return match shared.state.lock().unwrap().files.remove(token) {
            Some(bytes) => (StatusCode::OK, [("Content-Type", "application/octet-stream")], bytes).into_response(),
            None => plain(error(StatusCode::NOT_FOUND, "RESOURCE_NOT_EXISTS", "下载地址已失效")),
        };
    }
    let json: Value = if body.is_empty() { Value::Null } else { serde_json::from_str(&body).unwrap_or(Value::Null) };
    let (status, value) = route(shared, &method, uri.path(), uri.query().unwrap_or_default(), &json, now);
    let text = match status {
        StatusCode::NO_CONTENT => String::new(),
        _ => value.to_string(),
    };
    let signer = match answering {
        Answering::WrongKey => &shared.impostor,
        _ => signing.as_deref().unwrap_or(&shared.platform),
    };
    let signed_at = if answering == Answering::Stale { now - 600 } else { now };
    let mut signed = signer.sign(text.as_bytes(), signed_at).expect("signing");
    let mut text = text;
    if answering == Answering::Tampered {
        let changed = text.replacen("NOTPAY", "SUCCESS", 1).replacen("pr=", "pr=X", 1).replacen(
            "\"ciphertext\":\"",
            "\"ciphertext\":\"AAAA",
            1,
        );
        match changed == text {
            // A 204 carries no body to change: its signed nonce is changed instead.
            true => signed.nonce.push('x'),
            false => text = changed,
        }
    }
    let mut response = (status, [("Content-Type", "application/json")], text).into_response();
    if answering != Answering::Unsigned {
        let h = response.headers_mut();
        h.insert("Wechatpay-Serial", signed.serial.parse().unwrap());
        h.insert("Wechatpay-Signature", signed.signature.parse().unwrap());
        h.insert("Wechatpay-Timestamp", signed.timestamp.parse().unwrap());
        h.insert("Wechatpay-Nonce", signed.nonce.parse().unwrap());
    }
    response
}

fn plain((status, value): (StatusCode, Value)) -> Response {
    (status, [("Content-Type", "application/json")], value.to_string()).into_response()
}

fn route(shared: &Shared, method: &Method, path: &str, query: &str, body: &Value, now: i64) -> (StatusCode, Value) {
    let mut state = shared.state.lock().unwrap();
    let by_no = path.strip_prefix("/v3/pay/transactions/out-trade-no/");
    match (method.as_str(), path, by_no) {
        ("POST", "/v3/pay/transactions/native" | "/v3/pay/transactions/jsapi" | "/v3/pay/transactions/h5", _) => {
            let trade_type = match path.rsplit('/').next() {
                Some("jsapi") => "JSAPI",
                Some("h5") => "MWEB",
                _ => "NATIVE",
            };
            let openid = body["payer"]["openid"].as_str().map(str::to_string);
            let client_ip = body["scene_info"]["payer_client_ip"].as_str().unwrap_or_default();
            let scene_ok = match trade_type {
                "JSAPI" => openid.as_deref().is_some_and(|o| !o.is_empty()),
                "MWEB" => {
                    client_ip.parse::<std::net::IpAddr>().is_ok() && body["scene_info"]["h5_info"]["type"].is_string()
                }
                _ => true,
            };
            if !scene_ok {
                return error(StatusCode::BAD_REQUEST, "PARAM_ERROR", "场景信息错误");
            }
            let total = body["amount"]["total"].as_i64().unwrap_or(0);
            let no = body["out_trade_no"].as_str().unwrap_or_default().to_string();
            let expire_ok = body["time_expire"].as_str().is_some_and(|t| t.ends_with("+08:00") && t.len() == 25);
            if body["appid"] != APPID
                || body["mchid"] != MCHID
                || body["amount"]["currency"] != "CNY"
                || total <= 0
                || no.is_empty()
                || !expire_ok
                || !body["notify_url"].as_str().is_some_and(|u| u.starts_with("https://"))
                || body["description"].as_str().is_none_or(|d| d.is_empty() || d.len() > 127)
            {
                return error(StatusCode::BAD_REQUEST, "PARAM_ERROR", "参数错误");
            }
            let order = state.orders.entry(no.clone()).or_insert(MockOrder {
                total,
                trade_type,
                openid: openid.clone(),
                state: "NOTPAY",
                transaction_id: None,
                success_time: None,
                refunded: 0,
            });
            // One order number is one order: another amount, trade type or payer is refused.
            if order.total != total || order.trade_type != trade_type || order.openid != openid {
                return error(StatusCode::BAD_REQUEST, "INVALID_REQUEST", "订单号重复");
            }
            match trade_type {
                "JSAPI" => (StatusCode::OK, json!({ "prepay_id": format!("wx{no}") })),
                "MWEB" => (
                    StatusCode::OK,
                    json!({ "h5_url": format!("https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx{no}&package=2150917749") }),
                ),
                _ => (StatusCode::OK, json!({ "code_url": format!("weixin://wxpay/bizpayurl?pr={no}") })),
            }
        }
        ("GET", _, Some(no)) if !no.contains('/') => {
            if query != format!("mchid={MCHID}") {
                return error(StatusCode::BAD_REQUEST, "PARAM_ERROR", "mchid");
            }
            let Some(order) = state.orders.get(no) else {
                return error(StatusCode::NOT_FOUND, "ORDER_NOT_EXIST", "订单不存在");
            };
            let mut txn = json!({
                "appid": APPID, "mchid": MCHID, "out_trade_no": no, "trade_type": order.trade_type,
                "trade_state": order.state, "trade_state_desc": "",
                "amount": { "total": order.total, "currency": "CNY" },
            });
            if let (Some(id), Some(at)) = (&order.transaction_id, &order.success_time) {
                txn["transaction_id"] = id.clone().into();
                txn["success_time"] = at.clone().into();
                txn["amount"]["payer_total"] = order.total.into();
            }
            (StatusCode::OK, txn)
        }
        ("POST", _, Some(rest)) if rest.ends_with("/close") => {
            let no = rest.trim_end_matches("/close");
            if body["mchid"] != MCHID {
                return error(StatusCode::BAD_REQUEST, "PARAM_ERROR", "mchid");
            }
            match state.orders.get_mut(no) {
                None => error(StatusCode::NOT_FOUND, "ORDER_NOT_EXIST", "订单不存在"),
                Some(order) if order.state == "NOTPAY" || order.state == "CLOSED" => {
                    order.state = "CLOSED";
                    (StatusCode::NO_CONTENT, Value::Null)
                }
                Some(_) => error(StatusCode::BAD_REQUEST, "ORDERPAID", "订单已支付"),
            }
        }
        ("POST", "/v3/refund/domestic/refunds", _) => refund(&mut state, body, now),
        ("GET", "/v3/certificates", _) => match state.api_v3_key {
            Some(key) => {
                let listed: Vec<IssuedCertificate> =
                    state.certificates.iter().filter(|c| state.list_expired || c.not_after >= now).cloned().collect();
                (StatusCode::OK, certificates_answer(&key, &listed))
            }
            None => error(StatusCode::NOT_FOUND, "NOT_FOUND", "no platform certificates: public-key mode"),
        },
        ("GET", "/v3/bill/tradebill" | "/v3/bill/fundflowbill", _) => bill(shared, &mut state, path, query),
        ("GET", _, _) if path.starts_with("/v3/refund/domestic/refunds/") => {
            match state.refunds.get(path.trim_start_matches("/v3/refund/domestic/refunds/")) {
                Some(refund) => (StatusCode::OK, refund.clone()),
                None => error(StatusCode::NOT_FOUND, "RESOURCE_NOT_EXISTS", "退款单不存在"),
            }
        }
        _ => error(StatusCode::NOT_FOUND, "NOT_FOUND", "no such API"),
    }
}

/// `GET /sns/oauth2/access_token?appid=…&secret=…&code=…&grant_type=authorization_code`.
fn oauth_token(shared: &Shared, query: &str) -> Response {
    let params: HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let get = |k: &str| params.get(k).map(String::as_str).unwrap_or_default();
    let answer = if get("appid") != APPID || get("secret") != APP_SECRET || get("grant_type") != "authorization_code" {
        json!({ "errcode": 40125, "errmsg": "invalid appsecret" })
    } else {
        match shared.state.lock().unwrap().oauth_codes.remove(get("code")) {
            Some(openid) => json!({
                "access_token": "ACCESS_TOKEN", "expires_in": 7200, "refresh_token": "REFRESH_TOKEN",
                "openid": openid, "scope": "snsapi_base",
            }),
            None => json!({ "errcode": 40029, "errmsg": "invalid code" }),
        }
    };
    (StatusCode::OK, [("Content-Type", "application/json")], answer.to_string()).into_response()
}

/// `GET /v3/bill/tradebill?bill_date=…&bill_type=ALL` or `/v3/bill/fundflowbill?bill_date=…`:
/// where to download the day's bill, and its SHA1.
fn bill(shared: &Shared, state: &mut MockState, path: &str, query: &str) -> (StatusCode, Value) {
    use sha1::Digest;
    let params: HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let date = params.get("bill_date").cloned().unwrap_or_default();
    if jiff::civil::Date::strptime("%Y-%m-%d", &date).is_err() {
        return error(StatusCode::BAD_REQUEST, "PARAM_ERROR", "bill_date");
    }
    let file = match path {
        "/v3/bill/tradebill" if params.get("bill_type").is_none_or(|t| t == "ALL") => {
            super::mock_bill::trade_bill(state, &date, &state.bill)
        }
        "/v3/bill/fundflowbill" if params.get("account_type").is_none_or(|t| t == "BASIC") => {
            super::mock_bill::fund_flow_bill(state, &date, &state.bill)
        }
        _ => return error(StatusCode::BAD_REQUEST, "PARAM_ERROR", "bill_type"),
    };
    let Some(file) = file else { return error(StatusCode::BAD_REQUEST, "NO_STATEMENT_EXIST", "账单文件不存在") };
    let hash = hex::encode(sha1::Sha1::digest(file.as_bytes()));
    let mut bytes = file.into_bytes();
    if state.bill.corrupt {
        bytes.truncate(bytes.len() / 2);
    }
    let token = format!("{:016x}", rand::random::<u64>());
    state.files.insert(token.clone(), bytes);
    let download_url = format!("{}/v3/billdownload/file?token={token}", shared.base_url);
    (StatusCode::OK, json!({ "hash_type": "SHA1", "hash_value": hash, "download_url": download_url }))
}

fn refund(state: &mut MockState, body: &Value, now: i64) -> (StatusCode, Value) {
    let now = state.clock.unwrap_or(now);
    let refund_no = body["out_refund_no"].as_str().unwrap_or_default().to_string();
    if let Some(done) = state.refunds.get(&refund_no) {
        return (StatusCode::OK, done.clone());
    }
    let no = body["out_trade_no"].as_str().unwrap_or_default();
    let (amount, total) = (body["amount"]["refund"].as_i64().unwrap_or(0), body["amount"]["total"].as_i64());
    let Some(order) = state.orders.get_mut(no) else {
        return error(StatusCode::NOT_FOUND, "RESOURCE_NOT_EXISTS", "订单不存在");
    };
    if order.state != "SUCCESS" && order.state != "REFUND" {
        return error(StatusCode::BAD_REQUEST, "INVALID_REQUEST", "订单未支付");
    }
    if total != Some(order.total) || body["amount"]["currency"] != "CNY" || amount <= 0 {
        return error(StatusCode::BAD_REQUEST, "PARAM_ERROR", "金额错误");
    }
    if order.refunded + amount > order.total {
        return error(StatusCode::FORBIDDEN, "NOT_ENOUGH", "可退金额不足");
    }
    order.refunded += amount;
    order.state = "REFUND";
    let answer = json!({
        "refund_id": format!("50300{}", state.refunds.len() + 1001),
        "out_refund_no": refund_no, "transaction_id": order.transaction_id, "out_trade_no": no,
        "channel": "ORIGINAL", "user_received_account": "支付用户零钱", "create_time": beijing_time(now),
        "status": "PROCESSING", "funds_account": "AVAILABLE",
        "amount": { "total": order.total, "refund": amount, "payer_total": order.total, "payer_refund": amount,
                    "settlement_refund": amount, "settlement_total": order.total, "discount_refund": 0, "currency": "CNY" },
    });
    state.refunds.insert(refund_no, answer.clone());
    (StatusCode::OK, answer)
}
