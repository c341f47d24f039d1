//! JSAPI, H5 and the official account's OAuth against the stand-in, which checks our signature,
//! the scene each trade type needs, and that one order number stays one order.

use super::client::WechatClient;
use super::client_tests::{config, mock, order};
use super::mock_server::APPID;
use super::{verify_bridge, TradeState};
use crate::payment_providers::test_keys::{key_a, key_b};
use crate::payment_providers::ProviderError;

#[tokio::test]
async fn a_jsapi_order_gives_a_prepay_id_and_bridge_parameters_signed_by_the_merchant() {
    let mock = mock().await;
    let client = WechatClient::new(config(&mock)).unwrap();
    let prepay =
        client.jsapi_prepay(&order("P20261202000000JJJJJJJJ", 880), "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o").await.unwrap();
    assert_eq!(prepay, "wxP20261202000000JJJJJJJJ");
    let params = client.bridge_params(&prepay, 1_414_561_699).unwrap();
    assert_eq!((params.app_id.as_str(), params.package.as_str()), (APPID, "prepay_id=wxP20261202000000JJJJJJJJ"));
    assert_eq!((params.time_stamp.as_str(), params.sign_type.as_str()), ("1414561699", "RSA"));
    assert!(verify_bridge(&key_a().verifying_key(), &params), "the merchant key signs paySign");
    assert!(!verify_bridge(&key_b().verifying_key(), &params));
    let placed = mock.order("P20261202000000JJJJJJJJ").unwrap();
    assert_eq!((placed.trade_type, placed.openid.as_deref()), ("JSAPI", Some("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")));
    // The same number for another payer, or as another trade type, is refused.
    let other = client.jsapi_prepay(&order("P20261202000000JJJJJJJJ", 880), "oSomeoneElse").await.unwrap_err();
    assert_eq!(other.refusal_code(), Some("INVALID_REQUEST"));
    let native = client.native_prepay(&order("P20261202000000JJJJJJJJ", 880)).await.unwrap_err();
    assert_eq!(native.refusal_code(), Some("INVALID_REQUEST"));
    mock.pay("P20261202000000JJJJJJJJ", crate::Timestamp::now().secs());
    let paid = client.query("P20261202000000JJJJJJJJ").await.unwrap().unwrap();
    assert_eq!((paid.trade_state, paid.trade_type.as_deref()), (TradeState::Success, Some("JSAPI")));
}

#[tokio::test]
async fn an_h5_order_gives_a_wechat_page_and_needs_the_payers_address() {
    let mock = mock().await;
    let client = WechatClient::new(config(&mock)).unwrap();
    let url = client.h5_prepay(&order("P20261202000000HHHHHHHH", 1200), "203.0.113.7").await.unwrap();
    assert!(url.starts_with("https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx"), "{url}");
    assert_eq!(mock.order("P20261202000000HHHHHHHH").unwrap().trade_type, "MWEB");
    let err = client.h5_prepay(&order("P20261202000000HHHHHHH2", 1200), "not-an-ip").await.unwrap_err();
    assert!(matches!(err, ProviderError::Request { .. }), "{err}");
}

#[tokio::test]
async fn the_oauth_code_gives_the_openid_once() {
    let mock = mock().await;
    let client = WechatClient::new(config(&mock)).unwrap();
    let url = client.oauth_authorize_url("https://plaza.example/pay/wechat/oauth", "state1").unwrap();
    assert!(url.contains("scope=snsapi_base") && url.ends_with("#wechat_redirect"), "{url}");
    let code = mock.authorize("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
    assert_eq!(client.oauth_openid(&code).await.unwrap(), "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
    let again = client.oauth_openid(&code).await.unwrap_err();
    assert_eq!(again.refusal_code(), Some("40029"), "a code is good once");
    let mut wrong = config(&mock);
    wrong.oauth.as_mut().unwrap().app_secret = "another".into();
    let code = mock.authorize("oX");
    let err = WechatClient::new(wrong).unwrap().oauth_openid(&code).await.unwrap_err();
    assert_eq!(err.refusal_code(), Some("40125"));
}
