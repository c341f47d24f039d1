//! Tencent Cloud SMS (`SendSms`, API version 2021-01-11): one template message per call, signed
//! with TC3-HMAC-SHA256 ([`signature`]). The SMS application (`SmsSdkAppId`), the approved
//! signature (`SignName`, shown as 【…】) and one approved template per [`SmsTemplate`] come from
//! the SMS console. Calls time out after 10 s and follow no redirects; the service's own refusal
//! (`Response.Error`, or a per-number `Code` other than `Ok`) comes back as the error text.

pub mod signature;
#[cfg(any(test, feature = "standins"))]
pub mod stand_in;
#[cfg(test)]
mod tests;

use super::{SmsMessage, SmsProvider, SmsTemplate};
use async_trait::async_trait;
use plaza_types::PhoneNumber;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::Duration;

pub const DEFAULT_ENDPOINT: &str = "https://sms.tencentcloudapi.com";
pub const DEFAULT_REGION: &str = "ap-guangzhou";
pub const SERVICE: &str = "sms";
pub const ACTION: &str = "SendSms";
pub const VERSION: &str = "2021-01-11";
const CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// What the SMS console gives, and where the API is.
#[derive(Clone)]
pub struct TencentSmsConfig {
    pub secret_id: String,
    pub secret_key: String,
    pub sdk_app_id: String,
    pub sign_name: String,
    pub region: String,
    /// `https://sms.tencentcloudapi.com` (a stand-in's address in tests).
    pub endpoint: String,
    /// The approved template id of each message Plaza sends.
    pub templates: HashMap<SmsTemplate, String>,
    pub timeout: Duration,
}

impl std::fmt::Debug for TencentSmsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TencentSmsConfig")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"<redacted>")
            .field("sdk_app_id", &self.sdk_app_id)
            .field("sign_name", &self.sign_name)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("templates", &self.templates)
            .finish()
    }
}

/// The provider: a configured client.
#[derive(Debug)]
pub struct TencentSms {
    config: TencentSmsConfig,
    /// The `Host` header as the request will carry it (with the port when it is not the default).
    host: String,
    http: reqwest::Client,
}

impl TencentSms {
    /// Checks the settings (an https endpoint, or http on loopback for a stand-in; every
    /// template named) and builds the client.
    pub fn new(config: TencentSmsConfig) -> Result<TencentSms, String> {
        let url = url::Url::parse(&config.endpoint).map_err(|e| format!("endpoint `{}`: {e}", config.endpoint))?;
        let host = url.host_str().ok_or_else(|| format!("endpoint `{}` has no host", config.endpoint))?;
        let loopback = matches!(host, "127.0.0.1" | "localhost" | "[::1]");
        if url.scheme() != "https" && !(url.scheme() == "http" && loopback) {
            return Err(format!("endpoint `{}` must be https://", config.endpoint));
        }
        if url.path() != "/" || url.query().is_some() {
            return Err(format!("endpoint `{}` must be a bare address such as {DEFAULT_ENDPOINT}", config.endpoint));
        }
        let host = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        };
        for (what, value) in [
            ("secret id", &config.secret_id),
            ("secret key", &config.secret_key),
            ("SDK app id", &config.sdk_app_id),
            ("sign name", &config.sign_name),
            ("region", &config.region),
        ] {
            if value.trim().is_empty() {
                return Err(format!("the {what} is empty"));
            }
        }
        if let Some(missing) = SmsTemplate::ALL.iter().find(|t| config.templates.get(t).is_none_or(|id| id.is_empty()))
        {
            return Err(format!("no template id for `{}`", missing.as_str()));
        }
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("HTTP client: {e}"))?;
        Ok(TencentSms { config, host, http })
    }

    /// The JSON body of one `SendSms` call.
    fn body(&self, phone: &PhoneNumber, message: &SmsMessage) -> Result<String, String> {
        let template_id = self
            .config
            .templates
            .get(&message.template)
            .ok_or_else(|| format!("no template id for `{}`", message.template.as_str()))?;
        Ok(json!({
            "PhoneNumberSet": [format!("+86{}", phone.as_str())],
            "SmsSdkAppId": self.config.sdk_app_id,
            "SignName": self.config.sign_name,
            "TemplateId": template_id,
            "TemplateParamSet": message.params,
        })
        .to_string())
    }

    /// Sends one message at `timestamp` (Unix seconds); the serial number of the message, or
    /// why it was refused.
    pub async fn send(&self, phone: &PhoneNumber, message: &SmsMessage, timestamp: i64) -> Result<String, String> {
        let body = self.body(phone, message)?;
        let action = ACTION.to_ascii_lowercase();
        let signed = [("content-type", CONTENT_TYPE), ("host", self.host.as_str()), ("x-tc-action", action.as_str())];
        let signer = signature::Signer {
            secret_id: &self.config.secret_id,
            secret_key: &self.config.secret_key,
            service: SERVICE,
        };
        let authorization = signer.authorization(timestamp, &signed, body.as_bytes());
        let response = self
            .http
            .post(&self.config.endpoint)
            .header("Authorization", authorization)
            .header("Content-Type", CONTENT_TYPE)
            .header("Host", &self.host)
            .header("X-TC-Action", ACTION)
            .header("X-TC-Timestamp", timestamp.to_string())
            .header("X-TC-Version", VERSION)
            .header("X-TC-Region", &self.config.region)
            .body(body)
            .send()
            .await
            .map_err(|e| format!("SendSms: {e}"))?;
        let status = response.status();
        let text = response.text().await.map_err(|e| format!("SendSms answer: {e}"))?;
        if !status.is_success() {
            return Err(format!("SendSms: HTTP {status}"));
        }
        read_answer(&text)
    }
}

/// The serial number from a `SendSms` answer, or the service's refusal as `Code: Message`.
fn read_answer(text: &str) -> Result<String, String> {
    let value: Value = serde_json::from_str(text).map_err(|_| "SendSms: the answer is not JSON".to_string())?;
    let response = &value["Response"];
    if let Some(error) = response.get("Error") {
        return Err(format!(
            "{}: {}",
            error["Code"].as_str().unwrap_or("UnknownError"),
            error["Message"].as_str().unwrap_or_default()
        ));
    }
    let status = &response["SendStatusSet"][0];
    match status["Code"].as_str() {
        Some("Ok") => Ok(status["SerialNo"].as_str().unwrap_or_default().to_string()),
        Some(code) => Err(format!("{code}: {}", status["Message"].as_str().unwrap_or_default())),
        None => Err("SendSms: no send status in the answer".to_string()),
    }
}

#[async_trait]
impl SmsProvider for TencentSms {
    fn name(&self) -> &'static str {
        "tencent"
    }

    fn is_development(&self) -> bool {
        false
    }

    async fn deliver(&self, phone: &PhoneNumber, message: &SmsMessage) -> Result<String, String> {
        self.send(phone, message, crate::Timestamp::now().secs()).await
    }
}
