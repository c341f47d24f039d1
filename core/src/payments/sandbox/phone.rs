//! The sandbox's phone flows, each with the real contract's checks: WeChat's silent OAuth (a code
//! good once, for an openid), a JSAPI order whose `paySign` the bridge stand-in verifies with the
//! merchant's public key before it shows the cashier, an H5 order whose `redirect_url` must lead
//! back to our own result page, and Alipay's WAP form whose RSA2 signature the gateway stand-in
//! verifies. Every flow ends on the sandbox's cashier page (`/sandbox/pay/<no>`), where the
//! shopper confirms or cancels; the payment is then reported by the sandbox's signed notification
//! and found by the result page's query, as with the real providers.

use super::notify::{stored_key, SANDBOX_APPID};
use crate::payment_providers::alipay::{beijing_datetime, fen_to_yuan};
use crate::payment_providers::alipay::{check_page_request, sign_request, PageForm, WapOrder, WAP_METHOD, WAP_PRODUCT};
use crate::payment_providers::wechat::{bridge_message, verify_bridge, BridgeParams};
use crate::payments::checkout::{Flow, Launch, LaunchRequest};
use crate::payments::provider::ProviderOrder;
use crate::{Db, Result, Timestamp};
use plaza_types::{AppError, MemberId};
use rand::distributions::{Alphanumeric, DistString};
use sha2::{Digest, Sha256};

/// The stand-in of `https://open.weixin.qq.com/connect/oauth2/authorize`.
pub const AUTHORIZE_PATH: &str = "/sandbox/wechat/authorize";
/// The stand-in of WeChat's cashier behind `WeixinJSBridge`.
pub const BRIDGE_PATH: &str = "/sandbox/wechat/jsapi";
/// The stand-in of WeChat's H5 page (`h5_url`).
pub const H5_PATH: &str = "/sandbox/wechat/h5";
/// The stand-in of Alipay's gateway for page requests.
pub const ALIPAY_GATEWAY_PATH: &str = "/sandbox/alipay/gateway";
/// The app id the sandbox's Alipay half answers to.
pub const SANDBOX_ALIPAY_APP_ID: &str = "2021000000000000";
/// An OAuth code is good once and for five minutes, as WeChat's.
const CODE_SECS: i64 = 300;

/// Places the sandbox's order by the flow and tells the browser where to go.
pub(super) async fn launch(db: &Db, order: &ProviderOrder, request: &LaunchRequest, now: Timestamp) -> Result<Launch> {
    let no = &order.payment_no;
    let trade_type = match request.flow {
        Flow::WechatJsapi => "JSAPI",
        Flow::WechatH5 => "MWEB",
        Flow::WechatNative => "NATIVE",
        Flow::AlipayWap => WAP_PRODUCT,
        Flow::AlipayCode => "FACE_TO_FACE_PAYMENT",
    };
    if request.flow == Flow::WechatJsapi && request.openid.is_none() {
        return Ok(Launch::NeedOpenid);
    }
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE sandbox_orders SET trade_type = $1, openid = $2 WHERE payment_no = $3 AND state = 'open'")
        .bind(trade_type)
        .bind(request.openid.as_deref().filter(|_| request.flow == Flow::WechatJsapi))
        .bind(no)
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    Ok(match request.flow {
        Flow::WechatNative | Flow::AlipayCode => Launch::Redirect(format!("/sandbox/pay/{no}")),
        Flow::WechatH5 => {
            let back: String = url::form_urlencoded::byte_serialize(request.return_url.as_bytes()).collect();
            Launch::Redirect(format!("{H5_PATH}?prepay_id=wx{no}&package=2150917749&redirect_url={back}"))
        }
        Flow::WechatJsapi => {
            let key = stored_key(db).await?;
            let (time_stamp, nonce_str) =
                (now.secs().to_string(), Alphanumeric.sample_string(&mut rand::rngs::OsRng, 32));
            let package = format!("prepay_id=wx{no}");
            let message = bridge_message(SANDBOX_APPID, &time_stamp, &nonce_str, &package);
            let pay_sign =
                key.sign_sha256_base64(message.as_bytes()).map_err(|e| crate::Error::internal(e.to_string()))?;
            let params = BridgeParams {
                app_id: SANDBOX_APPID.into(),
                time_stamp,
                nonce_str,
                package,
                sign_type: "RSA".into(),
                pay_sign,
            };
            Launch::Bridge { params, action: BRIDGE_PATH.into() }
        }
        Flow::AlipayWap => {
            let key = stored_key(db).await?;
            let wap = WapOrder {
                out_trade_no: no.clone(),
                subject: order.description.clone(),
                total: order.amount,
                expires_at_secs: order.expires_at.secs(),
                return_url: request.return_url.clone(),
                quit_url: request.return_url.clone(),
            };
            let biz = serde_json::json!({
                "out_trade_no": wap.out_trade_no, "total_amount": fen_to_yuan(wap.total), "subject": wap.subject,
                "product_code": WAP_PRODUCT, "quit_url": wap.quit_url, "time_expire": beijing_datetime(wap.expires_at_secs),
            });
            let params = vec![
                ("app_id".to_string(), SANDBOX_ALIPAY_APP_ID.to_string()),
                ("method".into(), WAP_METHOD.into()),
                ("format".into(), "JSON".into()),
                ("return_url".into(), wap.return_url.clone()),
                ("charset".into(), "utf-8".into()),
                ("timestamp".into(), beijing_datetime(now.secs())),
                ("version".into(), "1.0".into()),
                ("biz_content".into(), biz.to_string()),
            ];
            let fields = sign_request(&key, params).map_err(|e| crate::Error::internal(e.to_string()))?;
            Launch::Form(PageForm { action: ALIPAY_GATEWAY_PATH.into(), fields })
        }
    })
}

/// The openid WeChat would give this member for the sandbox's app id: stable, and another for
/// every member.
pub fn sandbox_openid(member: MemberId) -> String {
    let digest = Sha256::digest(format!("plaza-sandbox-openid:{SANDBOX_APPID}:{}", member.0).as_bytes());
    format!("oSbx{}", &hex::encode(digest)[..24])
}

/// The authorize stand-in: for the signed-in member's WeChat, checks what WeChat checks (our app
/// id, `snsapi_base`, `response_type=code`, a `redirect_uri` on our own site) and returns the
/// address to send the browser back to, with a fresh code and the `state` unchanged.
pub async fn authorize(
    db: &Db,
    member: MemberId,
    query: &[(String, String)],
    site: &str,
    now: Timestamp,
) -> Result<String> {
    let get = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()).unwrap_or_default();
    let redirect = get("redirect_uri");
    let ours = redirect.strip_prefix(site.trim_end_matches('/')).is_some_and(|path| path.starts_with('/'));
    if get("appid") != SANDBOX_APPID || get("scope") != "snsapi_base" || get("response_type") != "code" || !ours {
        return Err(AppError::NotUsable.into());
    }
    let code = Alphanumeric.sample_string(&mut rand::rngs::OsRng, 32);
    let mut tx = db.begin_write().await?;
    sqlx::query("INSERT INTO sandbox_oauth_codes (code, openid, created_at) VALUES ($1, $2, $3)")
        .bind(&code)
        .bind(sandbox_openid(member))
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    let enc = |v: &str| url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>();
    let join = if redirect.contains('?') { '&' } else { '?' };
    Ok(format!("{redirect}{join}code={}&state={}", enc(&code), enc(get("state"))))
}

/// `sns/oauth2/access_token`'s stand-in: a code is good once, within five minutes.
pub async fn openid_for_code(db: &Db, code: &str, now: Timestamp) -> Result<String> {
    let mut tx = db.begin_write().await?;
    let row: Option<(String, i64)> =
        sqlx::query_as("DELETE FROM sandbox_oauth_codes WHERE code = $1 RETURNING openid, created_at")
            .bind(code)
            .fetch_optional(&mut **tx)
            .await?;
    tx.commit().await?;
    match row {
        Some((openid, at)) if now.millis() - at <= CODE_SECS * 1000 => Ok(openid),
        _ => Err(AppError::NotUsable.into()),
    }
}

/// The bridge stand-in: `paySign` must verify with the merchant's key, over a package naming an
/// open JSAPI order of this payer (WeChat's client shows its cashier to that WeChat user only).
/// Returns the payment number whose cashier to show.
pub async fn open_bridge(db: &Db, member: MemberId, params: &BridgeParams) -> Result<String> {
    let key = stored_key(db).await?.verifying_key();
    if params.app_id != SANDBOX_APPID || !verify_bridge(&key, params) {
        return Err(AppError::NotUsable.into());
    }
    let no = params.package.strip_prefix("prepay_id=wx").ok_or(AppError::NotUsable)?;
    let row: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT trade_type, openid FROM sandbox_orders WHERE payment_no = $1 AND state = 'open'")
            .bind(no)
            .fetch_optional(db.pool())
            .await?;
    match row {
        Some((trade_type, Some(openid))) if trade_type == "JSAPI" && openid == sandbox_openid(member) => Ok(no.into()),
        _ => Err(AppError::NotUsable.into()),
    }
}

/// An order a provider's page stand-in accepted: its payment number, and where the provider sends
/// the shopper when they have paid or given up (the `redirect_url` or `return_url` it checked).
#[derive(Debug, PartialEq, Eq)]
pub struct Opened {
    pub payment_no: String,
    pub back: String,
}

/// The H5 page's stand-in: an open H5 order, and a `redirect_url` back to its result page on our
/// site (WeChat allows only the domain registered for H5).
pub async fn open_h5(db: &Db, prepay_id: &str, redirect_url: &str, site: &str) -> Result<Opened> {
    let no = prepay_id.strip_prefix("wx").ok_or(AppError::NotUsable)?;
    let expected = format!("{}/pay/result/{no}", site.trim_end_matches('/'));
    let row: Option<(String,)> =
        sqlx::query_as("SELECT trade_type FROM sandbox_orders WHERE payment_no = $1 AND state = 'open'")
            .bind(no)
            .fetch_optional(db.pool())
            .await?;
    match row {
        Some((trade_type,)) if trade_type == "MWEB" && redirect_url == expected => {
            Ok(Opened { payment_no: no.into(), back: redirect_url.into() })
        }
        _ => Err(AppError::NotUsable.into()),
    }
}

/// Alipay's gateway stand-in for a WAP form: signed by the app's key, the sandbox's app id, an
/// open WAP trade of this amount, and a `return_url` on our site.
pub async fn open_wap(db: &Db, fields: &[(String, String)], site: &str) -> Result<Opened> {
    let key = stored_key(db).await?.verifying_key();
    let request = check_page_request(&key, fields).map_err(|why| {
        tracing::warn!(%why, "sandbox Alipay gateway refused a page request");
        AppError::NotUsable
    })?;
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT trade_type, amount_fen FROM sandbox_orders WHERE payment_no = $1 AND state = 'open'")
            .bind(&request.out_trade_no)
            .fetch_optional(db.pool())
            .await?;
    let back_home = request.return_url.starts_with(&format!("{}/", site.trim_end_matches('/')));
    match row {
        Some((trade_type, amount))
            if request.app_id == SANDBOX_ALIPAY_APP_ID
                && trade_type == WAP_PRODUCT
                && amount == request.total.0
                && back_home =>
        {
            Ok(Opened { payment_no: request.out_trade_no, back: request.return_url })
        }
        _ => Err(AppError::NotUsable.into()),
    }
}

/// The sandbox's cashier for an order a provider's page accepted, remembering where the provider
/// sends the shopper afterwards (as WeChat's H5 page follows `redirect_url` and Alipay's
/// `return_url`).
pub fn cashier_with_way_back(opened: &Opened) -> String {
    let back: String = url::form_urlencoded::byte_serialize(opened.back.as_bytes()).collect();
    format!("/sandbox/pay/{}?back={back}", opened.payment_no)
}
