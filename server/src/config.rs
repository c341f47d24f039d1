//! Configuration from the environment. Two modes, always named (`PLAZA_ENV`): `demo`, with the
//! SMS outbox, codes on the sign-in page, the payment sandbox and a generated key, which listens on
//! loopback only; and `production`, which starts only with a real SMS provider, a real payment
//! provider, `PLAZA_PUBLIC_URL` and `PLAZA_SECRET_KEY`, and says everything missing at once.

use anyhow::{bail, Context, Result};
use plaza_core::auth::client_address::TrustedProxies;
use plaza_core::storage::S3Config;
use plaza_core::Secrets;
use rand::RngCore;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// This machine only: the demo mall, SMS codes on screen, the payment sandbox.
    Demo,
    Production,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub mode: Mode,
    /// `sqlite://…` (default: `sqlite://<data dir>/plaza.db`) or `postgres://…`.
    pub database_url: String,
    pub data_dir: PathBuf,
    pub secrets: Secrets,
    /// `PLAZA_SMS_PROVIDER`: `tencent` with its settings, or `outbox` (demo: messages stay in
    /// the `sms_outbox` table).
    pub sms: crate::sms_config::SmsSettings,
    /// `PLAZA_TRUST_PROXY`: our own proxies, whose `X-Forwarded-For` entries are believed.
    pub trust_proxy: TrustedProxies,
    pub secure_cookies: bool,
    /// `PLAZA_PUBLIC_URL`: the address in printed and shared links (required in production; in
    /// demo mode the listening address). Never taken from a request's `Host`.
    pub public_url: Option<String>,
    /// `PLAZA_PAYMENT_PROVIDER`: `sandbox` (development: the built-in provider that behaves like
    /// WeChat Pay, with a hosted pay page and signed notifications), `wechat` or `alipay`.
    pub payment_provider: String,
    /// The provider's settings (`PLAZA_WECHAT_*`, `PLAZA_ALIPAY_*`), keys parsed and redacted.
    pub payments: crate::payment_config::PaymentSettings,
    /// `PLAZA_SANDBOX_CHAOS=N`: the sandbox sends every notification N times, out of order.
    pub sandbox_chaos: Option<u32>,
    /// `PLAZA_NOTIFY_URL`: where the sandbox delivers its notifications (default: this server).
    pub notify_url: Option<String>,
    /// `PLAZA_WORKER_TICK_MS`: how often the job worker looks for due jobs (default 15 s; tests
    /// that restart the server tick faster so pending notifications go out at once).
    pub worker_tick: Duration,
    /// `PLAZA_OCR_MODELS`: the receipt-OCR models (default `models/ocr`, fetched by scripts/setup).
    pub ocr_models: PathBuf,
    /// `PLAZA_OCR_WORKERS`: receipt photos read at once, one core each (default 1, leaving the
    /// other cores to pages).
    pub ocr_workers: usize,
    /// `PLAZA_PHOTOS_DIR`: the folder of the storage service (receipt photos now; dish, product
    /// and review photos next), default `<data dir>/photos`.
    pub photos_dir: PathBuf,
    /// `PLAZA_S3_*`: an S3-compatible bucket for the storage service instead of `photos_dir` (all of
    /// them or none; `Debug` never shows the secret key).
    pub s3: Option<S3Config>,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

fn flag(name: &str) -> Option<bool> {
    var(name).map(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on"))
}

impl Config {
    /// Reads `PLAZA_ENV`, `DATABASE_URL`, `PLAZA_DATA_DIR`, `PLAZA_SECRET_KEY`, `PLAZA_SMS_PROVIDER`,
    /// `PLAZA_TRUST_PROXY`, `PLAZA_SECURE_COOKIES`, `PLAZA_PUBLIC_URL`, `PLAZA_PAYMENT_PROVIDER`
    /// (with `PLAZA_WECHAT_*` or `PLAZA_ALIPAY_*`, see [`crate::payment_config`]),
    /// `PLAZA_SANDBOX_CHAOS`, `PLAZA_NOTIFY_URL`, `PLAZA_WORKER_TICK_MS`, `PLAZA_OCR_WORKERS`,
    /// `PLAZA_PHOTOS_DIR` and `PLAZA_S3_*`.
    pub fn from_env() -> Result<Config> {
        let mode = mode_from_env(&var)?;
        if mode == Mode::Production {
            let missing = production_gaps(&var);
            if !missing.is_empty() {
                bail!("production mode cannot start without:\n  - {}", missing.join("\n  - "));
            }
        }
        let public_url = var("PLAZA_PUBLIC_URL").map(|url| public_url(&url, mode)).transpose()?;
        let data_dir = PathBuf::from(var("PLAZA_DATA_DIR").unwrap_or_else(|| "data".to_string()));
        let database_url =
            var("DATABASE_URL").unwrap_or_else(|| format!("sqlite://{}", data_dir.join("plaza.db").display()));
        let secrets = match (var("PLAZA_SECRET_KEY"), mode) {
            (Some(key), _) => Secrets::new(key.into_bytes())
                .map_err(|e| anyhow::anyhow!("PLAZA_SECRET_KEY: {e} (use e.g. `openssl rand -hex 32`)"))?,
            (None, Mode::Demo) => Secrets::new(development_key(&data_dir)?).map_err(anyhow::Error::msg)?,
            (None, Mode::Production) => {
                bail!("PLAZA_SECRET_KEY must be set in production (e.g. `openssl rand -hex 32`)")
            }
        };
        let sms = crate::sms_config::from_env(&var)?;
        let trust_proxy = TrustedProxies::parse(&var("PLAZA_TRUST_PROXY").unwrap_or_default())
            .map_err(|e| anyhow::anyhow!("PLAZA_TRUST_PROXY: {e} (`1` for one proxy in front, or its addresses)"))?;
        let payments = crate::payment_config::from_env(&var, public_url.as_deref())?;
        let payment_provider = payments.name().to_string();
        if mode == Mode::Production && payment_provider == "sandbox" {
            bail!(
                "production mode refuses the payment sandbox: configure WeChat Pay or Alipay (PLAZA_PAYMENT_PROVIDER)"
            );
        }
        let sandbox_chaos = match var("PLAZA_SANDBOX_CHAOS") {
            None => None,
            Some(n) => match n.parse::<u32>() {
                Ok(copies @ 1..=50) => Some(copies),
                _ => bail!("PLAZA_SANDBOX_CHAOS must be a number of copies from 1 to 50, not `{n}`"),
            },
        };
        let worker_tick = match var("PLAZA_WORKER_TICK_MS") {
            None => Duration::from_secs(15),
            Some(ms) => match ms.parse::<u64>() {
                Ok(ms @ 50..=3_600_000) => Duration::from_millis(ms),
                _ => bail!("PLAZA_WORKER_TICK_MS must be milliseconds from 50 to 3600000, not `{ms}`"),
            },
        };
        let ocr_workers = match var("PLAZA_OCR_WORKERS") {
            None => 1,
            Some(n) => match n.parse::<usize>() {
                Ok(n @ 1..=64) => n,
                _ => bail!("PLAZA_OCR_WORKERS must be a number from 1 to 64, not `{n}`"),
            },
        };
        let photos_dir = var("PLAZA_PHOTOS_DIR").map(PathBuf::from).unwrap_or_else(|| data_dir.join("photos"));
        let s3 = s3_from_env(&var)?;
        Ok(Config {
            s3,
            ocr_models: plaza_ocr::Ocr::models_dir(),
            ocr_workers,
            photos_dir,
            mode,
            database_url,
            data_dir,
            secrets,
            sms,
            trust_proxy,
            secure_cookies: flag("PLAZA_SECURE_COOKIES").unwrap_or(mode == Mode::Production),
            public_url,
            payment_provider,
            payments,
            sandbox_chaos,
            notify_url: var("PLAZA_NOTIFY_URL"),
            worker_tick,
        })
    }
}

/// The S3-compatible storage: `PLAZA_S3_ENDPOINT`, `PLAZA_S3_BUCKET`, `PLAZA_S3_ACCESS_KEY`,
/// `PLAZA_S3_SECRET_KEY` and `PLAZA_S3_REGION` (default `us-east-1`). None set: photos stay in the
/// folder. Some set but not all: start-up stops, rather than quietly keeping photos on one
/// instance's disk while the operator believes they are in the bucket.
fn s3_from_env(var: &dyn Fn(&str) -> Option<String>) -> Result<Option<S3Config>> {
    const REQUIRED: [&str; 4] = ["PLAZA_S3_ENDPOINT", "PLAZA_S3_BUCKET", "PLAZA_S3_ACCESS_KEY", "PLAZA_S3_SECRET_KEY"];
    let region = var("PLAZA_S3_REGION");
    let values: Vec<Option<String>> = REQUIRED.iter().map(|name| var(name)).collect();
    if region.is_none() && values.iter().all(Option::is_none) {
        return Ok(None);
    }
    let missing: Vec<&str> =
        REQUIRED.iter().zip(&values).filter(|(_, value)| value.is_none()).map(|(name, _)| *name).collect();
    if !missing.is_empty() {
        bail!(
            "S3 photo storage is only partly configured: {} must be set too (or unset every PLAZA_S3_* \
             variable to keep photos in PLAZA_PHOTOS_DIR)",
            missing.join(", ")
        );
    }
    let [endpoint, bucket, access_key, secret_key] = <[Option<String>; 4]>::try_from(values)
        .map_err(|_| anyhow::anyhow!("four S3 settings"))?
        .map(Option::unwrap_or_default);
    let config = S3Config {
        endpoint,
        bucket,
        region: region.unwrap_or_else(|| "us-east-1".to_string()),
        access_key,
        secret_key,
    };
    config.check().map_err(|e| anyhow::anyhow!("PLAZA_S3_*: {e}"))?;
    Ok(Some(config))
}

/// `PLAZA_ENV`, which must be said: a forgotten setting must not quietly give a public server
/// the demo's on-screen codes.
fn mode_from_env(var: &dyn Fn(&str) -> Option<String>) -> Result<Mode> {
    match var("PLAZA_ENV").map(|v| v.to_ascii_lowercase()).as_deref() {
        Some("demo") => Ok(Mode::Demo),
        Some("production") => Ok(Mode::Production),
        Some(other) => {
            bail!("PLAZA_ENV is `{other}`: it must be `demo` (this machine only, 127.0.0.1) or `production`")
        }
        None => bail!(
            "PLAZA_ENV is not set: `demo` (this machine only: the demo mall, SMS codes on screen, the payment \
             sandbox; `make run` sets it) or `production` (a real SMS provider and payment provider, \
             PLAZA_PUBLIC_URL and PLAZA_SECRET_KEY)"
        ),
    }
}

/// What production mode lacks, each with what to set: all of it at once, not one per attempt.
fn production_gaps(var: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
    let mut missing = Vec::new();
    if var("PLAZA_SECRET_KEY").is_none() {
        missing.push("PLAZA_SECRET_KEY: at least 32 bytes, shared by every instance (`openssl rand -hex 32`)".into());
    }
    if var("PLAZA_PUBLIC_URL").is_none() {
        missing.push("PLAZA_PUBLIC_URL: the https:// address shoppers reach, e.g. https://plaza.example.com".into());
    }
    if var("PLAZA_SMS_PROVIDER").as_deref() != Some("tencent") {
        missing.push(
            "a real SMS provider: PLAZA_SMS_PROVIDER=tencent with PLAZA_TENCENT_* (the demo outbox reaches no phone)"
                .into(),
        );
    }
    if !matches!(var("PLAZA_PAYMENT_PROVIDER").as_deref(), Some("wechat" | "alipay")) {
        missing.push(
            "a real payment provider: PLAZA_PAYMENT_PROVIDER=wechat or alipay with its keys (the sandbox takes no money)"
                .into(),
        );
    }
    missing
}

/// `PLAZA_PUBLIC_URL`: scheme and host (and port) only; https in production.
fn public_url(url: &str, mode: Mode) -> Result<String> {
    let parsed = url::Url::parse(url).map_err(|e| anyhow::anyhow!("PLAZA_PUBLIC_URL `{url}`: {e}"))?;
    let bare = parsed.host_str().is_some()
        && parsed.path() == "/"
        && parsed.query().is_none()
        && parsed.username().is_empty()
        && matches!(parsed.scheme(), "http" | "https");
    if !bare {
        bail!("PLAZA_PUBLIC_URL must be an address such as https://plaza.example.com, not `{url}`");
    }
    if mode == Mode::Production && parsed.scheme() != "https" {
        bail!("PLAZA_PUBLIC_URL must be https:// in production (cookies are Secure), not `{url}`");
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// The development key: generated once into the data folder, so sessions and member codes
/// survive restarts without any setup. Never used in production.
fn development_key(data_dir: &Path) -> Result<Vec<u8>> {
    let path = data_dir.join("dev-secret.key");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        return Ok(existing.trim().as_bytes().to_vec());
    }
    std::fs::create_dir_all(data_dir).with_context(|| format!("creating {}", data_dir.display()))?;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let key = hex::encode(bytes);
    write_private(&path, &key).with_context(|| format!("writing {}", path.display()))?;
    Ok(key.into_bytes())
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    file.write_all(contents.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let env: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name: &str| env.get(name).cloned()
    }

    /// Finding 1 of issue 14: production could not start (no real SMS provider), so real
    /// deployments ran in development mode. Now the mode is always said, and production names
    /// everything it lacks.
    #[test]
    fn the_mode_is_named_and_production_says_what_it_lacks() {
        let err = mode_from_env(&env(&[])).unwrap_err().to_string();
        assert!(err.contains("PLAZA_ENV is not set"), "{err}");
        assert!(mode_from_env(&env(&[("PLAZA_ENV", "development")])).is_err(), "no quiet third mode");
        assert_eq!(mode_from_env(&env(&[("PLAZA_ENV", "demo")])).unwrap(), Mode::Demo);
        let gaps = production_gaps(&env(&[("PLAZA_SMS_PROVIDER", "outbox"), ("PLAZA_PAYMENT_PROVIDER", "sandbox")]));
        let names: Vec<&str> = gaps.iter().map(|g| g.split(':').next().unwrap()).collect();
        assert_eq!(names, ["PLAZA_SECRET_KEY", "PLAZA_PUBLIC_URL", "a real SMS provider", "a real payment provider"]);
        let complete = env(&[
            ("PLAZA_SECRET_KEY", "k"),
            ("PLAZA_PUBLIC_URL", "https://plaza.example.com"),
            ("PLAZA_SMS_PROVIDER", "tencent"),
            ("PLAZA_PAYMENT_PROVIDER", "alipay"),
        ]);
        assert!(production_gaps(&complete).is_empty());
        assert_eq!(public_url("https://plaza.example.com/", Mode::Production).unwrap(), "https://plaza.example.com");
        assert!(public_url("http://plaza.example.com", Mode::Production).is_err());
        assert!(public_url("http://127.0.0.1:3000", Mode::Demo).is_ok());
        assert!(public_url("https://plaza.example.com/app", Mode::Production).is_err());
        assert!(public_url("plaza.example.com", Mode::Demo).is_err());
    }

    fn s3(pairs: &[(&str, &str)]) -> Result<Option<S3Config>> {
        let env: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        s3_from_env(&|name: &str| env.get(name).cloned())
    }

    #[test]
    fn s3_settings_are_all_or_nothing() {
        assert!(s3(&[]).unwrap().is_none());
        let full = [
            ("PLAZA_S3_ENDPOINT", "http://127.0.0.1:9000"),
            ("PLAZA_S3_BUCKET", "plaza-photos"),
            ("PLAZA_S3_ACCESS_KEY", "plaza"),
            ("PLAZA_S3_SECRET_KEY", "s3-secret-value"),
        ];
        let config = s3(&full).unwrap().unwrap();
        assert_eq!(config.region, "us-east-1");
        assert!(!format!("{config:?}").contains("s3-secret-value"));
        let partial = s3(&full[..2]).unwrap_err().to_string();
        assert!(partial.contains("PLAZA_S3_ACCESS_KEY, PLAZA_S3_SECRET_KEY"), "{partial}");
        assert!(s3(&[("PLAZA_S3_REGION", "eu-west-1")]).is_err());
        let mut bad = full;
        bad[0] = ("PLAZA_S3_ENDPOINT", "s3.example.com");
        assert!(s3(&bad).unwrap_err().to_string().contains("PLAZA_S3_*"));
    }
}
