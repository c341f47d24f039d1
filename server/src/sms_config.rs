//! `PLAZA_SMS_PROVIDER` and the provider's settings: `outbox` (demo mode only: messages stay in
//! the `sms_outbox` table and the sign-in page shows the code) or `tencent` (Tencent Cloud SMS,
//! `PLAZA_TENCENT_*`). Read and checked at start, so a missing template stops the server rather
//! than the first sign-in; the secret key is never printed.

use anyhow::{bail, Context, Result};
use plaza_core::sms::tencent::{TencentSms, TencentSmsConfig, DEFAULT_ENDPOINT, DEFAULT_REGION};
use plaza_core::sms::{OutboxSms, SharedSms, SmsTemplate};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone, Debug)]
pub enum SmsSettings {
    Outbox,
    /// `Debug` redacts the secret key.
    Tencent(Box<TencentSmsConfig>),
}

impl SmsSettings {
    pub fn name(&self) -> &'static str {
        match self {
            SmsSettings::Outbox => "outbox",
            SmsSettings::Tencent(_) => "tencent",
        }
    }

    /// The provider, built once at start.
    pub fn provider(&self) -> Result<SharedSms> {
        Ok(match self {
            SmsSettings::Outbox => Arc::new(OutboxSms),
            SmsSettings::Tencent(config) => {
                Arc::new(TencentSms::new((**config).clone()).map_err(|e| anyhow::anyhow!("PLAZA_TENCENT_*: {e}"))?)
            }
        })
    }
}

/// The environment variable naming each template's id.
fn template_var(template: SmsTemplate) -> &'static str {
    match template {
        SmsTemplate::SignInCode => "PLAZA_TENCENT_SMS_TEMPLATE_SIGN_IN",
        SmsTemplate::MembershipExpiring => "PLAZA_TENCENT_SMS_TEMPLATE_MEMBERSHIP",
    }
}

type Var<'a> = &'a dyn Fn(&str) -> Option<String>;

pub fn from_env(var: Var) -> Result<SmsSettings> {
    match var("PLAZA_SMS_PROVIDER").as_deref().unwrap_or("outbox") {
        "outbox" => Ok(SmsSettings::Outbox),
        "tencent" => {
            let required = |name: &str| var(name).with_context(|| format!("{name} must be set for Tencent Cloud SMS"));
            let secret_key = match (var("PLAZA_TENCENT_SECRET_KEY_FILE"), var("PLAZA_TENCENT_SECRET_KEY")) {
                (Some(path), None) => std::fs::read_to_string(&path)
                    .with_context(|| format!("PLAZA_TENCENT_SECRET_KEY_FILE: reading {path}"))?
                    .trim()
                    .to_string(),
                (None, Some(key)) => key,
                (Some(_), Some(_)) => bail!("set PLAZA_TENCENT_SECRET_KEY_FILE or PLAZA_TENCENT_SECRET_KEY, not both"),
                (None, None) => {
                    bail!("PLAZA_TENCENT_SECRET_KEY_FILE (a path) or PLAZA_TENCENT_SECRET_KEY must be set")
                }
            };
            let mut templates = HashMap::new();
            for template in SmsTemplate::ALL {
                templates.insert(template, required(template_var(template))?);
            }
            let config = TencentSmsConfig {
                secret_id: required("PLAZA_TENCENT_SECRET_ID")?,
                secret_key,
                sdk_app_id: required("PLAZA_TENCENT_SMS_APP_ID")?,
                sign_name: required("PLAZA_TENCENT_SMS_SIGN_NAME")?,
                region: var("PLAZA_TENCENT_SMS_REGION").unwrap_or_else(|| DEFAULT_REGION.to_string()),
                endpoint: var("PLAZA_TENCENT_SMS_ENDPOINT").unwrap_or_else(|| DEFAULT_ENDPOINT.to_string()),
                templates,
                timeout: Duration::from_secs(10),
            };
            // Checked now: a bad endpoint or an empty setting stops the start.
            TencentSms::new(config.clone()).map_err(|e| anyhow::anyhow!("PLAZA_TENCENT_*: {e}"))?;
            Ok(SmsSettings::Tencent(Box::new(config)))
        }
        other => bail!("PLAZA_SMS_PROVIDER `{other}` is unknown: `tencent` (Tencent Cloud SMS) or `outbox` (demo)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(pairs: &[(&str, &str)]) -> Result<SmsSettings> {
        let env: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        from_env(&|name: &str| env.get(name).cloned())
    }

    const TENCENT: [(&str, &str); 7] = [
        ("PLAZA_SMS_PROVIDER", "tencent"),
        ("PLAZA_TENCENT_SECRET_ID", "AKIDexample"),
        ("PLAZA_TENCENT_SECRET_KEY", "tencent-secret-value"),
        ("PLAZA_TENCENT_SMS_APP_ID", "1400787878"),
        ("PLAZA_TENCENT_SMS_SIGN_NAME", "星汇广场"),
        ("PLAZA_TENCENT_SMS_TEMPLATE_SIGN_IN", "1790001"),
        ("PLAZA_TENCENT_SMS_TEMPLATE_MEMBERSHIP", "1790002"),
    ];

    #[test]
    fn tencent_needs_every_setting_and_never_prints_its_key() {
        assert_eq!(read(&[]).unwrap().name(), "outbox");
        let settings = read(&TENCENT).unwrap();
        assert_eq!(settings.name(), "tencent");
        assert!(!format!("{settings:?}").contains("tencent-secret-value"));
        let without_template = read(&TENCENT[..6]).unwrap_err().to_string();
        assert!(without_template.contains("PLAZA_TENCENT_SMS_TEMPLATE_MEMBERSHIP"), "{without_template}");
        let mut plain = TENCENT.to_vec();
        plain.push(("PLAZA_TENCENT_SMS_ENDPOINT", "http://sms.example.com"));
        assert!(read(&plain).unwrap_err().to_string().contains("https"));
        assert!(read(&[("PLAZA_SMS_PROVIDER", "aliyun")]).is_err());
    }
}
