//! A Tencent Cloud SMS stand-in for tests and the production smoke test: it checks a `SendSms`
//! call the way the service does — the `Authorization` header recomputed from the headers the
//! request really carried and the exact body bytes, the timestamp within 5 minutes, the secret
//! id known, the action and version — then the SMS application, the signature and the template
//! with its parameter count, and answers in the service's shape (HTTP 200 with `Response.Error`
//! for a refusal). Accepted messages are kept; `GET /_stand_in/sent` lists them as JSON (what a
//! phone would have received), for a test outside the process.

use super::signature::{self, Authorization};
use super::{ACTION, SERVICE, VERSION};
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The account the stand-in knows, as the SMS console would.
#[derive(Clone, Debug)]
pub struct StandInAccount {
    pub secret_id: String,
    pub secret_key: String,
    pub sdk_app_id: String,
    pub sign_name: String,
    /// Approved template id → how many parameters it takes.
    pub templates: HashMap<String, usize>,
}

/// A message the stand-in accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentSms {
    /// `+8613800138000`.
    pub phone: String,
    pub template_id: String,
    pub params: Vec<String>,
    pub serial_no: String,
}

#[derive(Default)]
struct State {
    sent: Vec<SentSms>,
    /// Requests refused, by error code (what a test asserts about).
    refused: Vec<String>,
}

#[derive(Clone)]
pub struct TencentStandIn {
    pub base_url: String,
    state: Arc<Mutex<State>>,
}

impl TencentStandIn {
    /// Serves on a free port of 127.0.0.1 until the runtime ends.
    pub async fn start(account: StandInAccount) -> TencentStandIn {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a local port");
        let base_url = format!("http://{}", listener.local_addr().expect("bound"));
        let (router, state) = build(account);
        tokio::spawn(async move { axum::serve(listener, router).await });
        TencentStandIn { base_url, state }
    }

    pub fn sent(&self) -> Vec<SentSms> {
        self.state.lock().unwrap().sent.clone()
    }

    pub fn refused(&self) -> Vec<String> {
        self.state.lock().unwrap().refused.clone()
    }
}

/// The stand-in as a router, for a process that serves it on a port of its choosing.
pub fn router(account: StandInAccount) -> axum::Router {
    build(account).0
}

fn build(account: StandInAccount) -> (axum::Router, Arc<Mutex<State>>) {
    let state = Arc::new(Mutex::new(State::default()));
    let shared = (Arc::new(account), state.clone());
    let listed = state.clone();
    let router = axum::Router::new()
        .route(
            "/_stand_in/sent",
            axum::routing::get(move || {
                let sent = listed.lock().unwrap().sent.clone();
                async move { axum::Json(sent) }
            }),
        )
        .fallback(move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let (account, state) = shared.clone();
            async move { answer(&account, &state, method, uri, headers, body) }
        });
    (router, state)
}

fn refusal(state: &Mutex<State>, code: &str, message: &str) -> Response {
    state.lock().unwrap().refused.push(code.to_string());
    axum::Json(json!({ "Response": { "Error": { "Code": code, "Message": message }, "RequestId": request_id() } }))
        .into_response()
}

fn request_id() -> String {
    format!("{:032x}", rand::random::<u128>())
}

fn answer(
    account: &StandInAccount,
    state: &Mutex<State>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    if method != Method::POST || uri.path() != "/" {
        return refusal(state, "InvalidParameter", "POST / only");
    }
    let Some(auth) = Authorization::parse(&header("authorization")) else {
        return refusal(state, "AuthFailure.InvalidAuthorization", "Authorization is not TC3-HMAC-SHA256");
    };
    let Ok(timestamp) = header("x-tc-timestamp").parse::<i64>() else {
        return refusal(state, "MissingParameter", "X-TC-Timestamp");
    };
    if (crate::Timestamp::now().secs() - timestamp).abs() > 300 {
        return refusal(state, "AuthFailure.SignatureExpire", "the signature is older than 5 minutes");
    }
    if auth.secret_id != account.secret_id {
        return refusal(state, "AuthFailure.SecretIdNotFound", "no such SecretId");
    }
    if auth.service != SERVICE || auth.date != signature::utc_date(timestamp) {
        return refusal(state, "AuthFailure.SignatureFailure", "the credential scope does not match");
    }
    if !auth.signed_headers.iter().any(|h| h == "content-type") || !auth.signed_headers.iter().any(|h| h == "host") {
        return refusal(state, "AuthFailure.SignatureFailure", "content-type and host must be signed");
    }
    // The service recomputes the signature from what it received, never from what we claim.
    let values: Vec<(String, String)> = auth.signed_headers.iter().map(|name| (name.clone(), header(name))).collect();
    let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let canonical = signature::canonical_request("POST", "/", "", &pairs, &body);
    let to_sign = signature::string_to_sign(timestamp, SERVICE, &canonical);
    let expected = signature::signature(&account.secret_key, &auth.date, SERVICE, &to_sign);
    if expected != auth.signature {
        return refusal(state, "AuthFailure.SignatureFailure", "the request signature does not match");
    }
    if header("x-tc-action") != ACTION {
        return refusal(state, "InvalidAction", "unknown action");
    }
    if header("x-tc-version") != VERSION {
        return refusal(state, "NoSuchVersion", "unknown version");
    }
    if header("x-tc-region").is_empty() {
        return refusal(state, "InvalidParameter.MissingRegion", "X-TC-Region");
    }
    if !header("content-type").starts_with("application/json") {
        return refusal(state, "InvalidParameter", "JSON bodies only");
    }
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return refusal(state, "InvalidParameter", "the body is not JSON");
    };
    if request["SmsSdkAppId"] != account.sdk_app_id.as_str() {
        return refusal(state, "FailedOperation.SmsSdkAppIdVerifyFail", "SmsSdkAppId");
    }
    if request["SignName"] != account.sign_name.as_str() {
        return refusal(state, "FailedOperation.SignatureIncorrectOrUnapproved", "SignName");
    }
    let template_id = request["TemplateId"].as_str().unwrap_or_default().to_string();
    let Some(&param_count) = account.templates.get(&template_id) else {
        return refusal(state, "FailedOperation.TemplateIncorrectOrUnapproved", "TemplateId");
    };
    let params: Vec<String> = match request["TemplateParamSet"].as_array() {
        Some(values) => values.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        None => Vec::new(),
    };
    if params.len() != param_count || request["TemplateParamSet"].as_array().map(Vec::len) != Some(param_count) {
        return refusal(state, "InvalidParameterValue.TemplateParameterFormatError", "TemplateParamSet");
    }
    let phones: Vec<String> = match request["PhoneNumberSet"].as_array() {
        Some(values) => values.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        None => Vec::new(),
    };
    if phones.is_empty() {
        return refusal(state, "MissingParameter", "PhoneNumberSet");
    }
    let mut statuses = Vec::new();
    let mut guard = state.lock().unwrap();
    for phone in phones {
        let valid = phone.strip_prefix("+86").is_some_and(|n| n.len() == 11 && n.bytes().all(|b| b.is_ascii_digit()));
        if !valid {
            statuses.push(json!({ "SerialNo": "", "PhoneNumber": phone, "Fee": 0, "SessionContext": "",
                "Code": "InvalidParameterValue.IncorrectPhoneNumber", "Message": "incorrect phone number", "IsoCode": "" }));
            continue;
        }
        let serial_no = format!("2433:{:020}", guard.sent.len() + 1);
        guard.sent.push(SentSms {
            phone: phone.clone(),
            template_id: template_id.clone(),
            params: params.clone(),
            serial_no: serial_no.clone(),
        });
        statuses.push(json!({ "SerialNo": serial_no, "PhoneNumber": phone, "Fee": 1, "SessionContext": "",
            "Code": "Ok", "Message": "send success", "IsoCode": "CN" }));
    }
    axum::Json(json!({ "Response": { "SendStatusSet": statuses, "RequestId": request_id() } })).into_response()
}
