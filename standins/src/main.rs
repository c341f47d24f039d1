//! `plaza-standins DIR`: the providers a production Plaza talks to, played on this machine for
//! the production smoke test (deploy/smoke-test). It starts
//! - a Tencent Cloud SMS stand-in that checks each `SendSms` signature as the service does and
//!   lists what it sent at `GET /_stand_in/sent` (the shopper's phone);
//! - a WeChat Pay API v3 stand-in that checks each request's signature with the merchant key and
//!   signs its answers with a platform certificate (a real X.509 certificate made at start, listed
//!   at `/v3/certificates` encrypted under the API v3 key, so Plaza runs in certificate mode), plus
//!   a control port where `POST /pay/<out_trade_no>` is the shopper paying in WeChat;
//!
//! generates fresh keys for them (nothing shared with Plaza's sandbox), writes them into DIR and
//! `DIR/standins.env` (the `PLAZA_TENCENT_*` and `PLAZA_WECHAT_*` settings that point a
//! production Plaza at them), prints `ready`, and serves until stopped. Test-only: `plaza` never
//! links it.

use anyhow::{Context, Result};
use plaza_core::payment_providers::wechat::mock_server::{MockWechat, APPID, MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL};
use plaza_core::payment_providers::wechat::PlatformSigner;
use plaza_core::payment_providers::RsaSigningKey;
use plaza_core::sms::tencent::stand_in::{StandInAccount, TencentStandIn};
use rand::RngCore;
use std::collections::HashMap;
use std::path::PathBuf;

const SECRET_ID: &str = "AKIDplazastandin000000000000000000";
const SMS_APP_ID: &str = "1400000000";
const SIGN_NAME: &str = "星汇广场";
const TEMPLATE_SIGN_IN: &str = "2000001";
const TEMPLATE_MEMBERSHIP: &str = "2000002";

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    hex::encode(buf)
}

#[tokio::main]
async fn main() -> Result<()> {
    let dir = PathBuf::from(std::env::args().nth(1).context("usage: plaza-standins DIR")?);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;

    let secret_key = random_hex(16);
    let sms = TencentStandIn::start(StandInAccount {
        secret_id: SECRET_ID.into(),
        secret_key: secret_key.clone(),
        sdk_app_id: SMS_APP_ID.into(),
        sign_name: SIGN_NAME.into(),
        templates: HashMap::from([(TEMPLATE_SIGN_IN.to_string(), 2), (TEMPLATE_MEMBERSHIP.to_string(), 1)]),
    })
    .await;

    let merchant = RsaSigningKey::generate().context("a merchant key")?;
    let platform = RsaSigningKey::generate().context("a platform key")?;
    let impostor = RsaSigningKey::generate().context("a spare key")?;
    let certified = RsaSigningKey::generate().context("a platform certificate's key")?;
    let merchant_pem = dir.join("apiclient_key.pem");
    let tencent_key = dir.join("tencent_secret_key");
    let api_v3_key = random_hex(16);
    std::fs::write(&merchant_pem, merchant.to_pkcs8_pem().as_bytes())?;
    std::fs::write(&tencent_key, &secret_key)?;
    let wechat = MockWechat::start(
        merchant.verifying_key(),
        PlatformSigner::new(PLATFORM_SERIAL, platform),
        PlatformSigner::new(PLATFORM_SERIAL, impostor),
    )
    .await;
    // Certificate mode: a certificate valid from an hour ago for five years, which signs.
    let api_v3_bytes: [u8; 32] = api_v3_key.as_bytes().try_into().context("32 characters")?;
    wechat.certificate_mode(api_v3_bytes);
    let now = plaza_core::Timestamp::now().secs();
    let certificate = wechat.issue_certificate(certified, now - 3600, now + 5 * 365 * 86_400)?;
    wechat.sign_with(&certificate);
    std::fs::write(dir.join("wechat_platform_cert.pem"), &certificate.pem)?;

    // The shopper's side of WeChat: paying the order behind a scanned code.
    let paying = wechat.clone();
    let control = axum::Router::new().route(
        "/pay/{out_trade_no}",
        axum::routing::post(move |axum::extract::Path(no): axum::extract::Path<String>| {
            let wechat = paying.clone();
            async move {
                match wechat.order(&no) {
                    Some(_) => {
                        wechat.pay(&no, plaza_core::Timestamp::now().secs());
                        axum::http::StatusCode::NO_CONTENT
                    }
                    None => axum::http::StatusCode::NOT_FOUND,
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let control_url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, control).await });

    let env = [
        ("PLAZA_SMS_PROVIDER", "tencent".to_string()),
        ("PLAZA_TENCENT_SECRET_ID", SECRET_ID.to_string()),
        ("PLAZA_TENCENT_SECRET_KEY_FILE", tencent_key.display().to_string()),
        ("PLAZA_TENCENT_SMS_APP_ID", SMS_APP_ID.to_string()),
        ("PLAZA_TENCENT_SMS_SIGN_NAME", SIGN_NAME.to_string()),
        ("PLAZA_TENCENT_SMS_TEMPLATE_SIGN_IN", TEMPLATE_SIGN_IN.to_string()),
        ("PLAZA_TENCENT_SMS_TEMPLATE_MEMBERSHIP", TEMPLATE_MEMBERSHIP.to_string()),
        ("PLAZA_TENCENT_SMS_ENDPOINT", sms.base_url.clone()),
        ("PLAZA_PAYMENT_PROVIDER", "wechat".to_string()),
        ("PLAZA_WECHAT_MCHID", MCHID.to_string()),
        ("PLAZA_WECHAT_APPID", APPID.to_string()),
        ("PLAZA_WECHAT_MERCHANT_SERIAL", MERCHANT_SERIAL.to_string()),
        ("PLAZA_WECHAT_PRIVATE_KEY_FILE", merchant_pem.display().to_string()),
        ("PLAZA_WECHAT_API_V3_KEY", api_v3_key.clone()),
        ("PLAZA_WECHAT_PLATFORM_MODE", "certificates".to_string()),
        ("PLAZA_WECHAT_BASE_URL", wechat.base_url.clone()),
        ("STANDIN_SMS_SENT_URL", format!("{}/_stand_in/sent", sms.base_url)),
        ("STANDIN_WECHAT_PAY_URL", format!("{control_url}/pay")),
    ];
    let text: String = env.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
    std::fs::write(dir.join("standins.env"), text)?;
    println!("ready");
    tokio::signal::ctrl_c().await?;
    Ok(())
}
