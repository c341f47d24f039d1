//! `PLAZA_PAYMENT_PROVIDER` and the provider's own settings (`PLAZA_WECHAT_*`, `PLAZA_ALIPAY_*`),
//! read and checked at start: keys are parsed then (a bad key stops the server, not the first
//! payment) and kept as text that is never printed (`Debug` shows `<redacted>`). A key comes from
//! `…_FILE` (a path) or from the variable itself.

use anyhow::{bail, Context, Result};
use plaza_core::payment_providers::alipay::{AlipayClientConfig, DEFAULT_GATEWAY_URL};
use plaza_core::payment_providers::wechat::{
    MerchantSigner, OAuthConfig, PlatformKeys, WechatClientConfig, DEFAULT_API_BASE_URL, DEFAULT_AUTHORIZE_URL,
    DEFAULT_BASE_URL,
};
use plaza_core::payment_providers::{RsaSigningKey, RsaVerifyingKey};
use std::time::Duration;

/// How long a call to WeChat's or Alipay's API may take.
const API_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone, Debug)]
pub enum PaymentSettings {
    /// The built-in provider (development and tests).
    Sandbox,
    Wechat(WechatSettings),
    Alipay(AlipaySettings),
}

impl PaymentSettings {
    pub fn name(&self) -> &'static str {
        match self {
            PaymentSettings::Sandbox => "sandbox",
            PaymentSettings::Wechat(_) => "wechat",
            PaymentSettings::Alipay(_) => "alipay",
        }
    }
}

/// A secret kept as text; `Debug` never shows it.
#[derive(Clone)]
pub struct Secret(String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

#[derive(Clone, Debug)]
pub struct WechatSettings {
    pub mchid: String,
    pub appid: String,
    /// The serial of the merchant API certificate whose key signs our requests.
    pub merchant_serial: String,
    pub merchant_key: Secret,
    pub api_v3_key: Secret,
    /// (serial or `PUB_KEY_ID_…`, PEM): WeChat's public key or platform certificates.
    pub platform_keys: Vec<(String, String)>,
    /// Certificate mode (`PLAZA_WECHAT_PLATFORM_MODE=certificates`): WeChat's platform
    /// certificates are downloaded at start, every twelve hours and on an unknown serial.
    pub download_certificates: bool,
    pub base_url: String,
    pub notify_url: String,
    /// The official account's AppSecret (`PLAZA_WECHAT_APP_SECRET[_FILE]`): with it, shoppers
    /// inside WeChat pay by JSAPI after a silent OAuth; without it they get the code.
    pub app_secret: Option<Secret>,
    pub oauth_authorize_url: String,
    pub oauth_api_url: String,
}

#[derive(Clone, Debug)]
pub struct AlipaySettings {
    pub app_id: String,
    pub private_key: Secret,
    /// Alipay's public key (PEM or the console's bare base64).
    pub alipay_public_key: String,
    pub gateway_url: String,
    pub notify_url: String,
}

type Var<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Reads the provider settings; `public_url` (`PLAZA_PUBLIC_URL`) gives the default notify URLs.
pub fn from_env(var: Var, public_url: Option<&str>) -> Result<PaymentSettings> {
    let provider = var("PLAZA_PAYMENT_PROVIDER").unwrap_or_else(|| "sandbox".to_string());
    let notify_url = |name: &str, path: &str| -> Result<String> {
        let url = match (var(name), public_url) {
            (Some(url), _) => url,
            (None, Some(base)) => format!("{}{path}", base.trim_end_matches('/')),
            (None, None) => bail!("{name} (or PLAZA_PUBLIC_URL) must be set: the provider sends notifications there"),
        };
        if !url.starts_with("https://") {
            bail!("{name} must be an https:// address the provider can reach, not `{url}`");
        }
        Ok(url)
    };
    match provider.as_str() {
        "sandbox" => Ok(PaymentSettings::Sandbox),
        "wechat" => {
            let download_certificates = match var("PLAZA_WECHAT_PLATFORM_MODE").as_deref() {
                None | Some("public-key") => false,
                Some("certificates") => true,
                Some(other) => bail!("PLAZA_WECHAT_PLATFORM_MODE `{other}` is unknown: `public-key` or `certificates`"),
            };
            let settings = WechatSettings {
                mchid: required(var, "PLAZA_WECHAT_MCHID")?,
                appid: required(var, "PLAZA_WECHAT_APPID")?,
                merchant_serial: required(var, "PLAZA_WECHAT_MERCHANT_SERIAL")?,
                merchant_key: secret(var, "PLAZA_WECHAT_PRIVATE_KEY")?,
                api_v3_key: secret(var, "PLAZA_WECHAT_API_V3_KEY")?,
                platform_keys: wechat_platform_keys(var, download_certificates)?,
                download_certificates,
                base_url: var("PLAZA_WECHAT_BASE_URL").unwrap_or_else(|| DEFAULT_BASE_URL.to_string()),
                notify_url: notify_url("PLAZA_WECHAT_NOTIFY_URL", "/notify/wechat")?,
                app_secret: optional_secret(var, "PLAZA_WECHAT_APP_SECRET")?,
                oauth_authorize_url: var("PLAZA_WECHAT_OAUTH_AUTHORIZE_URL")
                    .unwrap_or_else(|| DEFAULT_AUTHORIZE_URL.to_string()),
                oauth_api_url: var("PLAZA_WECHAT_OAUTH_API_URL").unwrap_or_else(|| DEFAULT_API_BASE_URL.to_string()),
            };
            // Parse everything now, so a bad key stops the start.
            settings.client_config()?;
            settings.api_v3_key()?;
            Ok(PaymentSettings::Wechat(settings))
        }
        "alipay" => {
            let settings = AlipaySettings {
                app_id: required(var, "PLAZA_ALIPAY_APP_ID")?,
                private_key: secret(var, "PLAZA_ALIPAY_PRIVATE_KEY")?,
                alipay_public_key: secret(var, "PLAZA_ALIPAY_PUBLIC_KEY")?.0,
                gateway_url: var("PLAZA_ALIPAY_GATEWAY_URL").unwrap_or_else(|| DEFAULT_GATEWAY_URL.to_string()),
                notify_url: notify_url("PLAZA_ALIPAY_NOTIFY_URL", "/notify/alipay")?,
            };
            settings.client_config()?;
            Ok(PaymentSettings::Alipay(settings))
        }
        other => bail!("PLAZA_PAYMENT_PROVIDER `{other}` is unknown: `wechat`, `alipay` or `sandbox`"),
    }
}

fn required(var: Var, name: &str) -> Result<String> {
    var(name).with_context(|| format!("{name} must be set for this payment provider"))
}

/// `NAME_FILE` (a path, read now) or `NAME` itself.
fn secret(var: Var, name: &str) -> Result<Secret> {
    let file = format!("{name}_FILE");
    let text = match (var(&file), var(name)) {
        (Some(path), None) => std::fs::read_to_string(&path).with_context(|| format!("{file}: reading {path}"))?,
        (None, Some(text)) => text,
        (Some(_), Some(_)) => bail!("set {file} or {name}, not both"),
        (None, None) => bail!("{file} (a path) or {name} must be set for this payment provider"),
    };
    Ok(Secret(text.trim().to_string()))
}

/// A secret that may be absent.
fn optional_secret(var: Var, name: &str) -> Result<Option<Secret>> {
    match (var(&format!("{name}_FILE")), var(name)) {
        (None, None) => Ok(None),
        _ => secret(var, name).map(Some),
    }
}

/// Public-key mode (`PLAZA_WECHAT_PUBLIC_KEY_ID` with `PLAZA_WECHAT_PUBLIC_KEY[_FILE]`) and/or
/// platform certificates (`PLAZA_WECHAT_PLATFORM_CERTS`, comma-separated paths), during a switch
/// both at once.
fn wechat_platform_keys(var: Var, download_certificates: bool) -> Result<Vec<(String, String)>> {
    let mut keys = Vec::new();
    if let Some(id) = var("PLAZA_WECHAT_PUBLIC_KEY_ID") {
        keys.push((id, secret(var, "PLAZA_WECHAT_PUBLIC_KEY")?.0));
    }
    for path in var("PLAZA_WECHAT_PLATFORM_CERTS").iter().flat_map(|v| v.split(',')).map(str::trim) {
        let pem =
            std::fs::read_to_string(path).with_context(|| format!("PLAZA_WECHAT_PLATFORM_CERTS: reading {path}"))?;
        let serial = plaza_core::payment_providers::keys::certificate_serial(&pem)
            .with_context(|| format!("PLAZA_WECHAT_PLATFORM_CERTS: {path}"))?;
        keys.push((serial, pem));
    }
    if keys.is_empty() && !download_certificates {
        bail!("WeChat's key is needed to verify it: PLAZA_WECHAT_PUBLIC_KEY_ID with PLAZA_WECHAT_PUBLIC_KEY_FILE, PLAZA_WECHAT_PLATFORM_CERTS, or PLAZA_WECHAT_PLATFORM_MODE=certificates");
    }
    Ok(keys)
}

impl WechatSettings {
    pub fn client_config(&self) -> Result<WechatClientConfig> {
        let key = RsaSigningKey::from_pem(&self.merchant_key.0).context("PLAZA_WECHAT_PRIVATE_KEY")?;
        let mut platform_keys = PlatformKeys::new();
        for (serial, pem) in &self.platform_keys {
            // A certificate is kept with its validity; a public key has none.
            if pem.contains("-----BEGIN CERTIFICATE-----") {
                platform_keys
                    .insert_certificate_pem(pem)
                    .with_context(|| format!("WeChat platform certificate {serial}"))?;
                continue;
            }
            let key = RsaVerifyingKey::from_pem(pem).with_context(|| format!("WeChat platform key {serial}"))?;
            platform_keys.insert(serial.clone(), key);
        }
        Ok(WechatClientConfig {
            mchid: self.mchid.clone(),
            appid: self.appid.clone(),
            signer: MerchantSigner::new(self.mchid.clone(), self.merchant_serial.clone(), key),
            platform_keys,
            base_url: self.base_url.clone(),
            notify_url: self.notify_url.clone(),
            timeout: API_TIMEOUT,
            oauth: self.app_secret.as_ref().map(|secret| OAuthConfig {
                app_secret: secret.0.clone(),
                authorize_url: self.oauth_authorize_url.clone(),
                api_base_url: self.oauth_api_url.clone(),
            }),
        })
    }

    /// The 32-character API v3 key, as its bytes.
    pub fn api_v3_key(&self) -> Result<[u8; 32]> {
        match <[u8; 32]>::try_from(self.api_v3_key.0.as_bytes()) {
            Ok(key) => Ok(key),
            Err(_) => bail!("PLAZA_WECHAT_API_V3_KEY must be the 32 characters set in the merchant platform"),
        }
    }
}

impl AlipaySettings {
    pub fn client_config(&self) -> Result<AlipayClientConfig> {
        let text = &self.private_key.0;
        let private_key = match text.starts_with("-----") {
            true => RsaSigningKey::from_pem(text),
            false => RsaSigningKey::from_base64_der(text),
        }
        .context("PLAZA_ALIPAY_PRIVATE_KEY")?;
        let public = &self.alipay_public_key;
        let alipay_public_key = match public.starts_with("-----") {
            true => RsaVerifyingKey::from_pem(public),
            false => RsaVerifyingKey::from_base64_der(public),
        }
        .context("PLAZA_ALIPAY_PUBLIC_KEY")?;
        Ok(AlipayClientConfig {
            app_id: self.app_id.clone(),
            private_key,
            alipay_public_key,
            gateway_url: self.gateway_url.clone(),
            notify_url: self.notify_url.clone(),
            timeout: API_TIMEOUT,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| map.get(name).cloned()
    }

    fn keys() -> (String, String) {
        let key = RsaSigningKey::generate().unwrap();
        (key.to_pkcs8_pem().to_string(), key.verifying_key().to_spki_pem())
    }

    #[test]
    fn wechat_settings_read_parse_and_stay_out_of_debug_output() {
        let (private, public) = keys();
        let vars = env(&[
            ("PLAZA_PAYMENT_PROVIDER", "wechat"),
            ("PLAZA_WECHAT_MCHID", "1900009191"),
            ("PLAZA_WECHAT_APPID", "wxd678efh567hg6787"),
            ("PLAZA_WECHAT_MERCHANT_SERIAL", "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"),
            ("PLAZA_WECHAT_PRIVATE_KEY", &private),
            ("PLAZA_WECHAT_API_V3_KEY", "0123456789abcdef0123456789abcdef"),
            ("PLAZA_WECHAT_PUBLIC_KEY_ID", "PUB_KEY_ID_01"),
            ("PLAZA_WECHAT_PUBLIC_KEY", &public),
        ]);
        let settings = from_env(&vars, Some("https://plaza.example/")).unwrap();
        let PaymentSettings::Wechat(wechat) = &settings else { panic!("{settings:?}") };
        assert_eq!(wechat.notify_url, "https://plaza.example/notify/wechat");
        assert_eq!(wechat.base_url, DEFAULT_BASE_URL);
        let shown = format!("{settings:?}");
        assert!(!shown.contains("PRIVATE KEY") && !shown.contains("0123456789abcdef"), "{shown}");
        assert!(shown.contains("<redacted>"));
    }

    #[test]
    fn certificate_mode_needs_no_key_at_start_and_a_wrong_mode_stops_it() {
        let (private, _) = keys();
        let base = [
            ("PLAZA_PAYMENT_PROVIDER", "wechat"),
            ("PLAZA_WECHAT_MCHID", "1900009191"),
            ("PLAZA_WECHAT_APPID", "wxd678efh567hg6787"),
            ("PLAZA_WECHAT_MERCHANT_SERIAL", "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"),
            ("PLAZA_WECHAT_PRIVATE_KEY", private.as_str()),
            ("PLAZA_WECHAT_API_V3_KEY", "0123456789abcdef0123456789abcdef"),
        ];
        let err = from_env(&env(&base), Some("https://plaza.example")).unwrap_err();
        assert!(err.to_string().contains("PLAZA_WECHAT_PLATFORM_MODE=certificates"), "{err}");
        let mut downloading = base.to_vec();
        downloading.push(("PLAZA_WECHAT_PLATFORM_MODE", "certificates"));
        let PaymentSettings::Wechat(wechat) = from_env(&env(&downloading), Some("https://plaza.example")).unwrap()
        else {
            panic!("wechat")
        };
        assert!(wechat.download_certificates && wechat.platform_keys.is_empty());
        let mut wrong = base.to_vec();
        wrong.push(("PLAZA_WECHAT_PLATFORM_MODE", "certificate"));
        assert!(from_env(&env(&wrong), Some("https://plaza.example")).is_err());
    }

    #[test]
    fn alipay_takes_the_consoles_bare_base64_and_wants_https_notifications() {
        let (private, public) = keys();
        let bare = |pem: &str| pem.lines().filter(|l| !l.starts_with("-----")).collect::<String>();
        let (private, public) = (bare(&private), bare(&public));
        let base = [
            ("PLAZA_PAYMENT_PROVIDER", "alipay"),
            ("PLAZA_ALIPAY_APP_ID", "2021000117650001"),
            ("PLAZA_ALIPAY_PRIVATE_KEY", private.as_str()),
            ("PLAZA_ALIPAY_PUBLIC_KEY", public.as_str()),
        ];
        let settings = from_env(&env(&base), Some("https://plaza.example")).unwrap();
        assert_eq!(settings.name(), "alipay");
        let err = from_env(&env(&base), Some("http://plaza.example")).unwrap_err();
        assert!(err.to_string().contains("https://"), "{err}");
        let err = from_env(&env(&base), None).unwrap_err();
        assert!(err.to_string().contains("PLAZA_ALIPAY_NOTIFY_URL"), "{err}");
        let mut broken = base.to_vec();
        broken[2] = ("PLAZA_ALIPAY_PRIVATE_KEY", "bm90IGEga2V5");
        assert!(from_env(&env(&broken), Some("https://plaza.example")).is_err());
    }

    #[test]
    fn an_unknown_provider_or_a_missing_key_stops_the_start() {
        assert!(from_env(&env(&[("PLAZA_PAYMENT_PROVIDER", "paypal")]), None).is_err());
        assert_eq!(from_env(&env(&[]), None).unwrap().name(), "sandbox");
        let err = from_env(&env(&[("PLAZA_PAYMENT_PROVIDER", "wechat")]), Some("https://p.example")).unwrap_err();
        assert!(err.to_string().contains("PLAZA_WECHAT_MCHID"), "{err}");
    }
}
