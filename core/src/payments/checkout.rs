//! The cashier: which way a shopper pays depends on where they are. Inside WeChat, WeChat Pay is
//! JSAPI (the shopper's openid from the official account's silent OAuth, then WeChat's own
//! cashier over our page); in any other phone browser WeChat Pay is H5 and Alipay is WAP (the
//! browser goes to the provider and comes back to our result page); on a desktop both show a code
//! to scan (Native, precreate). The provider order is placed here, when the browser is known — one
//! order number can only ever be one trade type at WeChat — and the result page settles the
//! payment by query when the shopper returns, through the one completion command, as the
//! notification does.

use super::provider::{PaymentProvider, ProviderOrder};
use super::{event, find, PaymentState};
use crate::payment_providers::alipay::PageForm;
use crate::payment_providers::wechat::BridgeParams;
use crate::{Db, Result, Timestamp};
use plaza_types::{AppError, Fen, MemberId};

/// Where the shopper's browser runs, from its `User-Agent`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Browser {
    /// WeChat's in-app browser (`MicroMessenger`): JSAPI works, Alipay's pages are blocked.
    WeChat,
    /// The Alipay app's browser (`AlipayClient`).
    AlipayApp,
    /// Any other phone browser.
    Phone,
    Desktop,
}

impl Browser {
    pub fn from_user_agent(user_agent: &str) -> Browser {
        let ua = user_agent.to_ascii_lowercase();
        if ua.contains("micromessenger") {
            Browser::WeChat
        } else if ua.contains("alipayclient") {
            Browser::AlipayApp
        } else if ["mobile", "android", "iphone", "ipad", "harmonyos", "openharmony"].iter().any(|m| ua.contains(m)) {
            Browser::Phone
        } else {
            Browser::Desktop
        }
    }
}

/// The ways to pay a shopper chooses between.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Method {
    Wechat,
    Alipay,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Wechat => "wechat",
            Method::Alipay => "alipay",
        }
    }

    pub fn parse(text: &str) -> Option<Method> {
        match text {
            "wechat" => Some(Method::Wechat),
            "alipay" => Some(Method::Alipay),
            _ => None,
        }
    }
}

/// How the provider collects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// WeChat Pay inside WeChat: `WeixinJSBridge` over our page.
    WechatJsapi,
    /// WeChat Pay in another phone browser: WeChat's `h5_url`, back to `redirect_url`.
    WechatH5,
    /// WeChat Pay on a desktop: a `code_url` to scan.
    WechatNative,
    /// Alipay in a phone browser: the signed `alipay.trade.wap.pay` form.
    AlipayWap,
    /// Alipay on a desktop, or inside WeChat (which blocks Alipay's pages): a code to scan.
    AlipayCode,
}

impl Flow {
    pub fn as_str(self) -> &'static str {
        match self {
            Flow::WechatJsapi => "wechat_jsapi",
            Flow::WechatH5 => "wechat_h5",
            Flow::WechatNative => "wechat_native",
            Flow::AlipayWap => "alipay_wap",
            Flow::AlipayCode => "alipay_code",
        }
    }

    pub fn method(self) -> Method {
        match self {
            Flow::WechatJsapi | Flow::WechatH5 | Flow::WechatNative => Method::Wechat,
            Flow::AlipayWap | Flow::AlipayCode => Method::Alipay,
        }
    }
}

/// The flow for this browser: the method asked for if it is offered (else Alipay inside the
/// Alipay app, else the first offered), then the trade type the browser can use. JSAPI needs the
/// official account's OAuth (`jsapi`); without it WeChat's browser gets the code to long-press.
pub fn choose(offered: &[Method], asked: Option<Method>, browser: Browser, jsapi: bool) -> Option<Flow> {
    let method = match asked.filter(|m| offered.contains(m)) {
        Some(method) => method,
        None if browser == Browser::AlipayApp && offered.contains(&Method::Alipay) => Method::Alipay,
        None if browser == Browser::WeChat && offered.contains(&Method::Wechat) => Method::Wechat,
        None => *offered.first()?,
    };
    Some(match (method, browser) {
        (Method::Wechat, Browser::WeChat) if jsapi => Flow::WechatJsapi,
        (Method::Wechat, Browser::WeChat | Browser::Desktop) => Flow::WechatNative,
        (Method::Wechat, Browser::Phone | Browser::AlipayApp) => Flow::WechatH5,
        (Method::Alipay, Browser::Phone | Browser::AlipayApp) => Flow::AlipayWap,
        (Method::Alipay, Browser::WeChat | Browser::Desktop) => Flow::AlipayCode,
    })
}

/// What the provider needs to start this flow.
#[derive(Clone, Debug)]
pub struct LaunchRequest {
    pub flow: Flow,
    /// The payer's openid for our app id (JSAPI).
    pub openid: Option<String>,
    /// Our result page, absolute: where H5 and WAP send the browser back.
    pub return_url: String,
    /// The payer's address as we see it (H5: WeChat compares it with who opens its page).
    pub client_ip: String,
}

/// Where the browser goes next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Launch {
    /// A page (the provider's H5 page, our code page, the sandbox's cashier).
    Redirect(String),
    /// JSAPI without the shopper's openid: the official account's OAuth first.
    NeedOpenid,
    /// JSAPI: our page hands these to `WeixinJSBridge`; `action` is where a browser without the
    /// bridge posts them (the sandbox's stand-in of WeChat's cashier).
    Bridge { params: BridgeParams, action: String },
    /// WAP: the browser submits this form to Alipay.
    Form(PageForm),
}

/// The openid the member has for `appid`, if WeChat's OAuth gave us one.
pub async fn openid(db: &Db, member: MemberId, appid: &str) -> Result<Option<String>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT openid FROM member_wechat_openids WHERE member_id = $1 AND appid = $2")
            .bind(member.0)
            .bind(appid)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(o,)| o))
}

/// Keeps the openid WeChat's OAuth gave for this member (a newer one replaces it).
pub async fn remember_openid(db: &Db, member: MemberId, appid: &str, openid: &str, now: Timestamp) -> Result<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO member_wechat_openids (member_id, appid, openid, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (member_id, appid) DO UPDATE SET openid = excluded.openid, created_at = excluded.created_at",
    )
    .bind(member.0)
    .bind(appid)
    .bind(openid)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    tx.commit().await
}

/// Starts the payer's open payment at the provider by `request.flow`. Only the payer's own
/// payment (another's is not found); a payment no longer waiting is `NotUsable` (the caller shows
/// its result). A code flow's page address is kept as the payment's `pay_url`.
pub async fn launch(
    db: &Db,
    provider: &dyn PaymentProvider,
    member: MemberId,
    payment_no: &str,
    request: &LaunchRequest,
    now: Timestamp,
) -> Result<Launch> {
    let p = find(db.pool(), payment_no).await?.filter(|p| p.member() == member).ok_or(AppError::NotFound)?;
    if p.state != PaymentState::Paying || p.provider.as_deref() != Some(provider.name()) || p.expires_at <= now.millis()
    {
        return Err(AppError::NotUsable.into());
    }
    if !provider.methods().contains(&request.flow.method()) {
        return Err(AppError::NotUsable.into());
    }
    let order = ProviderOrder {
        payment_no: payment_no.to_string(),
        amount: Fen(p.external_fen),
        description: p.subject.clone(),
        expires_at: Timestamp(p.expires_at),
    };
    let launched = provider.launch(db, &order, request, now).await?;
    let mut tx = db.begin_write().await?;
    if let Launch::Redirect(url) = &launched {
        if url.starts_with("/pay/code/") {
            sqlx::query("UPDATE payments SET pay_url = $1 WHERE id = $2 AND state = 'paying'")
                .bind(url)
                .bind(p.id)
                .execute(&mut **tx)
                .await?;
        }
    }
    if launched != Launch::NeedOpenid {
        event(&mut tx, p.id, "launched", request.flow.as_str(), now).await?;
    }
    tx.commit().await?;
    Ok(launched)
}

/// The cashier's own address for a payment: where every provider sends the shopper first.
pub fn cashier_url(payment_no: &str) -> String {
    format!("/pay/go/{payment_no}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const WECHAT: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2247 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64";
    const ALIPAY: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 ChannelId(1) Ariver/1.1.0 AliApp(AP/10.5.36.6000) Nebula WK RVKType(1) AlipayDefined(nt:WIFI,ws:390|844|3.0) AlipayClient/10.5.36.6000 Language/zh-Hans Region/CN";
    const SAFARI: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
    const DESKTOP: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

    #[test]
    fn browsers_are_told_apart_by_their_user_agents() {
        assert_eq!(Browser::from_user_agent(WECHAT), Browser::WeChat);
        assert_eq!(Browser::from_user_agent(ALIPAY), Browser::AlipayApp);
        assert_eq!(Browser::from_user_agent(SAFARI), Browser::Phone);
        assert_eq!(Browser::from_user_agent(DESKTOP), Browser::Desktop);
        assert_eq!(Browser::from_user_agent(""), Browser::Desktop);
    }

    #[test]
    fn each_browser_gets_the_flow_it_can_use() {
        let both = [Method::Wechat, Method::Alipay];
        let b = Browser::from_user_agent;
        assert_eq!(choose(&both, None, b(WECHAT), true), Some(Flow::WechatJsapi));
        assert_eq!(choose(&both, None, b(WECHAT), false), Some(Flow::WechatNative), "no AppSecret: the code");
        assert_eq!(
            choose(&both, Some(Method::Alipay), b(WECHAT), true),
            Some(Flow::AlipayCode),
            "WeChat blocks Alipay"
        );
        assert_eq!(choose(&both, None, b(ALIPAY), true), Some(Flow::AlipayWap));
        assert_eq!(choose(&both, None, b(SAFARI), true), Some(Flow::WechatH5));
        assert_eq!(choose(&both, Some(Method::Alipay), b(SAFARI), true), Some(Flow::AlipayWap));
        assert_eq!(choose(&both, None, b(DESKTOP), true), Some(Flow::WechatNative));
        assert_eq!(choose(&both, Some(Method::Alipay), b(DESKTOP), true), Some(Flow::AlipayCode));
        // Only what is configured is offered, whatever is asked.
        assert_eq!(choose(&[Method::Alipay], Some(Method::Wechat), b(WECHAT), true), Some(Flow::AlipayCode));
        assert_eq!(choose(&[Method::Wechat], None, b(ALIPAY), true), Some(Flow::WechatH5));
        assert_eq!(choose(&[], None, b(SAFARI), true), None);
    }
}
