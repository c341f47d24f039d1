//! Paying from a phone, through the engine, against the providers' stand-ins and the sandbox:
//! JSAPI inside WeChat (OAuth first), H5 and WAP in another phone browser, each settled by the
//! result page's query; only the payer's open payment is launched.

use super::checkout::{self, Flow, Launch, LaunchRequest};
use super::provider_tests::{alipay, order, request, state, wechat};
use super::sandbox::{self, notify::SandboxKeys, phone};
use super::tests::{sandbox, shop, T0};
use super::views::settle_return;
use super::*;
use crate::payment_providers::test_keys::key_a;
use crate::payment_providers::wechat::verify_bridge;
use crate::testing::seed_member;

const OPENID: &str = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o";

#[tokio::test]
async fn inside_wechat_the_openid_comes_first_then_jsapi_signed_for_the_bridge() {
    let s = shop().await;
    let (mock, wechat) = wechat().await;
    let no = create(&s.db, &wechat, &order(&s, 4_200, "j1"), T0).await.unwrap().payment_no;
    let mut asked = request(Flow::WechatJsapi, &no);
    assert_eq!(checkout::launch(&s.db, &wechat, s.member, &no, &asked, T0).await.unwrap(), Launch::NeedOpenid);
    assert!(mock.order(&no).is_none(), "nothing placed without the payer");

    // WeChat's silent OAuth comes back with a code; the openid is kept on the member.
    let appid = wechat.jsapi_appid().unwrap();
    assert!(wechat.oauth_authorize_url("https://plaza.example/pay/wechat/oauth", &no).unwrap().contains("snsapi_base"));
    let openid = wechat.oauth_openid(&s.db, &mock.authorize(OPENID), T0).await.unwrap();
    checkout::remember_openid(&s.db, s.member, &appid, &openid, T0).await.unwrap();
    asked.openid = checkout::openid(&s.db, s.member, &appid).await.unwrap();
    assert_eq!(asked.openid.as_deref(), Some(OPENID));

    let Launch::Bridge { params, action } = checkout::launch(&s.db, &wechat, s.member, &no, &asked, T0).await.unwrap()
    else {
        panic!("JSAPI hands the bridge its parameters")
    };
    assert!(verify_bridge(&key_a().verifying_key(), &params), "paySign by the merchant key");
    assert_eq!(params.package, format!("prepay_id=wx{no}"));
    assert_eq!(action, format!("/pay/result/{no}"));
    assert_eq!(mock.order(&no).unwrap().openid.as_deref(), Some(OPENID));

    // The shopper pays in WeChat's cashier and comes back: the query settles it.
    settle_return(&s.db, &wechat, &no, T0).await.unwrap();
    assert_eq!(state(&s, &no).await, "paying");
    mock.pay(&no, crate::Timestamp::now().secs());
    settle_return(&s.db, &wechat, &no, T0).await.unwrap();
    assert_eq!(state(&s, &no).await, "paid");
    let again = checkout::launch(&s.db, &wechat, s.member, &no, &asked, T0).await.unwrap_err();
    assert!(matches!(again, crate::Error::User(plaza_types::AppError::NotUsable)), "{again}");
}

#[tokio::test]
async fn another_phone_browser_goes_to_wechats_h5_page_and_back_to_our_result() {
    let s = shop().await;
    let (mock, wechat) = wechat().await;
    let no = create(&s.db, &wechat, &order(&s, 1_500, "h1"), T0).await.unwrap().payment_no;
    let Launch::Redirect(url) =
        checkout::launch(&s.db, &wechat, s.member, &no, &request(Flow::WechatH5, &no), T0).await.unwrap()
    else {
        panic!("H5 redirects")
    };
    assert!(url.starts_with("https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id="), "{url}");
    assert!(url.ends_with(&format!("&redirect_url=https%3A%2F%2Fplaza.example%2Fpay%2Fresult%2F{no}")), "{url}");
    assert_eq!(mock.order(&no).unwrap().trade_type, "MWEB");
    // A desktop placing it again as Native would be refused by WeChat: one number, one trade type.
    assert!(checkout::launch(&s.db, &wechat, s.member, &no, &request(Flow::WechatNative, &no), T0).await.is_err());
    mock.pay(&no, crate::Timestamp::now().secs());
    settle_return(&s.db, &wechat, &no, T0).await.unwrap();
    assert_eq!(state(&s, &no).await, "paid");
}

#[tokio::test]
async fn alipay_in_a_phone_browser_is_the_signed_wap_form() {
    let s = shop().await;
    let (mock, alipay) = alipay().await;
    let no = create(&s.db, &alipay, &order(&s, 2_600, "w1"), T0).await.unwrap().payment_no;
    assert!(checkout::launch(&s.db, &alipay, s.member, &no, &request(Flow::WechatH5, &no), T0).await.is_err());
    let Launch::Form(form) =
        checkout::launch(&s.db, &alipay, s.member, &no, &request(Flow::AlipayWap, &no), T0).await.unwrap()
    else {
        panic!("WAP is a form")
    };
    assert!(form.action.starts_with(&mock.gateway_url), "{}", form.action);
    let mut forged = form.fields.clone();
    forged.iter_mut().find(|(k, _)| k == "return_url").unwrap().1 = "https://evil.example/".into();
    assert!(mock.open_wap(&key_a().verifying_key(), &forged).is_err(), "the gateway checks our signature");
    mock.open_wap(&key_a().verifying_key(), &form.fields).unwrap();
    mock.pay(&no, crate::Timestamp::now().secs());
    settle_return(&s.db, &alipay, &no, T0).await.unwrap();
    assert_eq!(state(&s, &no).await, "paid");
}

#[tokio::test]
async fn only_the_payers_open_payment_is_launched() {
    let s = shop().await;
    let (_mock, wechat) = wechat().await;
    let no = create(&s.db, &wechat, &order(&s, 1_000, "o1"), T0).await.unwrap().payment_no;
    let stranger = seed_member(&s.db, "13300000999").await;
    let err = checkout::launch(&s.db, &wechat, stranger, &no, &request(Flow::WechatH5, &no), T0).await.unwrap_err();
    assert!(matches!(err, crate::Error::User(plaza_types::AppError::NotFound)), "{err}");
    let late = T0.plus_secs(create::PAYMENT_TIMEOUT_SECS + 1);
    let err = checkout::launch(&s.db, &wechat, s.member, &no, &request(Flow::WechatH5, &no), late).await.unwrap_err();
    assert!(matches!(err, crate::Error::User(plaza_types::AppError::NotUsable)), "{err}");
}

/// The sandbox walks each flow with the real contract's checks, ending on its own cashier.
#[tokio::test]
async fn the_sandbox_imitates_jsapi_h5_and_wap_with_their_checks() {
    let s = shop().await;
    let secrets = crate::Secrets::new(vec![7; 32]).unwrap();
    SandboxKeys::load(&s.db, &secrets).await.unwrap();
    let sb = sandbox();
    let site = "https://plaza.example";

    // JSAPI: the authorize stand-in gives a code for the signed-in member, good once.
    let no = create(&s.db, &sb, &order(&s, 1_000, "s1"), T0).await.unwrap().payment_no;
    let mut asked = request(Flow::WechatJsapi, &no);
    assert_eq!(checkout::launch(&s.db, &sb, s.member, &no, &asked, T0).await.unwrap(), Launch::NeedOpenid);
    let authorize = sb.oauth_authorize_url(&format!("{site}/pay/wechat/oauth"), "st").unwrap();
    let query: Vec<(String, String)> = url::form_urlencoded::parse(
        authorize.split_once('?').unwrap().1.trim_end_matches("#wechat_redirect").as_bytes(),
    )
    .into_owned()
    .collect();
    let back = phone::authorize(&s.db, s.member, &query, site, T0).await.unwrap();
    assert!(back.starts_with(&format!("{site}/pay/wechat/oauth?code=")) && back.ends_with("&state=st"), "{back}");
    let mut elsewhere = query.clone();
    elsewhere.iter_mut().find(|(k, _)| k == "redirect_uri").unwrap().1 = "https://evil.example/x".into();
    assert!(phone::authorize(&s.db, s.member, &elsewhere, site, T0).await.is_err());
    let code = back.split("code=").nth(1).unwrap().split('&').next().unwrap().to_string();
    let openid = sb.oauth_openid(&s.db, &code, T0).await.unwrap();
    assert_eq!(openid, phone::sandbox_openid(s.member));
    assert!(sb.oauth_openid(&s.db, &code, T0).await.is_err(), "a code is good once");
    asked.openid = Some(openid);
    let Launch::Bridge { mut params, action } = checkout::launch(&s.db, &sb, s.member, &no, &asked, T0).await.unwrap()
    else {
        panic!("JSAPI")
    };
    assert_eq!(action, phone::BRIDGE_PATH);
    let other = seed_member(&s.db, "13300000998").await;
    assert!(phone::open_bridge(&s.db, other, &params).await.is_err(), "another WeChat user");
    assert_eq!(phone::open_bridge(&s.db, s.member, &params).await.unwrap(), no.as_str());
    params.nonce_str.push('x');
    assert!(phone::open_bridge(&s.db, s.member, &params).await.is_err(), "paySign covers the nonce");
    assert!(sandbox::confirm(&s.db, &sb, &no, T0).await.unwrap());
    settle_return(&s.db, &sb, &no, T0).await.unwrap();
    assert_eq!(state(&s, &no).await, "paid");

    // H5: back only to this payment's result page on our site.
    let no = create(&s.db, &sb, &order(&s, 1_100, "s2"), T0).await.unwrap().payment_no;
    let mut h5 = request(Flow::WechatH5, &no);
    h5.return_url = format!("{site}/pay/result/{no}");
    let Launch::Redirect(url) = checkout::launch(&s.db, &sb, s.member, &no, &h5, T0).await.unwrap() else {
        panic!("H5")
    };
    assert!(url.starts_with(phone::H5_PATH), "{url}");
    let prepay = format!("wx{no}");
    assert!(phone::open_h5(&s.db, &prepay, "https://evil.example/", site).await.is_err());
    let opened = phone::open_h5(&s.db, &prepay, &h5.return_url, site).await.unwrap();
    assert_eq!((opened.payment_no.as_str(), opened.back.as_str()), (no.as_str(), h5.return_url.as_str()));

    // WAP: the gateway stand-in checks the RSA2 signature.
    let no = create(&s.db, &sb, &order(&s, 1_200, "s3"), T0).await.unwrap().payment_no;
    let mut wap = request(Flow::AlipayWap, &no);
    wap.return_url = format!("{site}/pay/result/{no}");
    let Launch::Form(form) = checkout::launch(&s.db, &sb, s.member, &no, &wap, T0).await.unwrap() else {
        panic!("WAP")
    };
    assert_eq!(form.action, phone::ALIPAY_GATEWAY_PATH);
    let mut cheaper = form.fields.clone();
    cheaper.iter_mut().find(|(k, _)| k == "biz_content").unwrap().1 =
        form.fields.iter().find(|(k, _)| k == "biz_content").unwrap().1.replace("12.00", "0.01");
    assert!(phone::open_wap(&s.db, &cheaper, site).await.is_err());
    let opened = phone::open_wap(&s.db, &form.fields, site).await.unwrap();
    assert_eq!(opened.payment_no, no.as_str());
    assert!(
        opened.back.starts_with(&format!("{site}/pay/result/")),
        "Alipay returns to our result page: {}",
        opened.back
    );
    let (trade_type,): (String,) = sqlx::query_as("SELECT trade_type FROM sandbox_orders WHERE payment_no = $1")
        .bind(no.as_str())
        .fetch_one(s.db.pool())
        .await
        .unwrap();
    assert_eq!(trade_type, "QUICK_WAP_WAY");
}

#[test]
fn launch_requests_carry_the_return_address() {
    let r =
        LaunchRequest { flow: Flow::WechatH5, openid: None, return_url: "https://p/x".into(), client_ip: "::1".into() };
    assert_eq!(r.flow.method(), checkout::Method::Wechat);
}
