//! The WeChat client against the mock: each operation as WeChat would check and answer it, and
//! every answer that is not WeChat's own refused.

use super::client::{NativeOrder, WechatClient, WechatClientConfig};
use super::mock_server::{Answering, MockWechat, APPID, MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL};
use super::{beijing_time, MerchantSigner, PlatformKeys, PlatformSigner, RefundStatus, TradeState};
use crate::payment_providers::test_keys::{key_a, key_b, owned};
use crate::payment_providers::ProviderError;
use plaza_types::Fen;
use std::time::Duration;

/// The merchant signs with key A; WeChat's platform key is B.
pub(crate) async fn mock() -> MockWechat {
    MockWechat::start(
        key_a().verifying_key(),
        PlatformSigner::new(PLATFORM_SERIAL, owned(key_b())),
        PlatformSigner::new(PLATFORM_SERIAL, owned(key_a())),
    )
    .await
}

pub(crate) fn config(mock: &MockWechat) -> WechatClientConfig {
    let mut platform_keys = PlatformKeys::new();
    platform_keys.insert(PLATFORM_SERIAL, key_b().verifying_key());
    WechatClientConfig {
        mchid: MCHID.into(),
        appid: APPID.into(),
        signer: MerchantSigner::new(MCHID, MERCHANT_SERIAL, owned(key_a())),
        platform_keys,
        base_url: mock.base_url.clone(),
        notify_url: "https://plaza.example/notify/wechat".into(),
        timeout: Duration::from_secs(5),
        oauth: Some(super::OAuthConfig {
            app_secret: super::mock_server::APP_SECRET.into(),
            authorize_url: super::DEFAULT_AUTHORIZE_URL.into(),
            api_base_url: mock.base_url.clone(),
        }),
    }
}

pub(crate) fn order(no: &str, total: i64) -> NativeOrder {
    let expire = crate::Timestamp::now().plus_secs(900).secs();
    NativeOrder {
        out_trade_no: no.into(),
        description: "星汇 · 码牌支付".into(),
        total: Fen(total),
        time_expire: beijing_time(expire),
    }
}

#[tokio::test]
async fn a_native_order_gives_the_code_url_and_placing_it_again_the_same() {
    let mock = mock().await;
    let client = WechatClient::new(config(&mock)).unwrap();
    let code = client.native_prepay(&order("P20261122000000AAAAAAAA", 1230)).await.unwrap();
    assert_eq!(code, "weixin://wxpay/bizpayurl?pr=P20261122000000AAAAAAAA");
    assert_eq!(client.native_prepay(&order("P20261122000000AAAAAAAA", 1230)).await.unwrap(), code);
    assert_eq!(mock.seen(), vec!["POST /v3/pay/transactions/native"; 2]);
    assert_eq!(mock.order("P20261122000000AAAAAAAA").unwrap().total, 1230);
}

#[tokio::test]
async fn the_query_follows_the_order_from_unpaid_to_paid() {
    let mock = mock().await;
    let client = WechatClient::new(config(&mock)).unwrap();
    assert_eq!(client.query("P20261122000000NOTHERE").await.unwrap(), None);
    client.native_prepay(&order("P20261122000000BBBBBBBB", 500)).await.unwrap();
    let open = client.query("P20261122000000BBBBBBBB").await.unwrap().unwrap();
    assert_eq!((open.trade_state, open.transaction_id), (TradeState::NotPay, None));
    mock.pay("P20261122000000BBBBBBBB", crate::Timestamp::now().secs());
    let paid = client.query("P20261122000000BBBBBBBB").await.unwrap().unwrap();
    assert_eq!(paid.trade_state, TradeState::Success);
    assert_eq!(paid.amount.total, Fen(500));
    assert!(paid.transaction_id.is_some() && paid.success_time.is_some());
    assert!(mock
        .seen()
        .contains(&format!("GET /v3/pay/transactions/out-trade-no/P20261122000000BBBBBBBB?mchid={MCHID}")));
}

#[tokio::test]
async fn closing_twice_is_fine_and_a_paid_order_cannot_be_closed() {
    let mock = mock().await;
    let client = WechatClient::new(config(&mock)).unwrap();
    client.native_prepay(&order("P20261122000000CCCCCCCC", 800)).await.unwrap();
    client.close("P20261122000000CCCCCCCC").await.unwrap();
    client.close("P20261122000000CCCCCCCC").await.unwrap();
    let closed = client.query("P20261122000000CCCCCCCC").await.unwrap().unwrap();
    assert_eq!(closed.trade_state, TradeState::Closed);

    client.native_prepay(&order("P20261122000000DDDDDDDD", 800)).await.unwrap();
    mock.pay("P20261122000000DDDDDDDD", crate::Timestamp::now().secs());
    let refused = client.close("P20261122000000DDDDDDDD").await.unwrap_err();
    assert_eq!(refused.refusal_code(), Some("ORDERPAID"), "{refused}");
}

#[tokio::test]
async fn a_refund_asked_twice_is_one_refund_and_never_more_than_was_paid() {
    let mock = mock().await;
    let client = WechatClient::new(config(&mock)).unwrap();
    client.native_prepay(&order("P20261122000000EEEEEEEE", 1000)).await.unwrap();
    mock.pay("P20261122000000EEEEEEEE", crate::Timestamp::now().secs());
    let first = client.refund("P20261122000000EEEEEEEE", "R-first-0000000001", Fen(600), Fen(1000)).await.unwrap();
    assert_eq!((first.status, first.amount.refund), (RefundStatus::Processing, Fen(600)));
    let again = client.refund("P20261122000000EEEEEEEE", "R-first-0000000001", Fen(600), Fen(1000)).await.unwrap();
    assert_eq!(again, first);
    let over = client.refund("P20261122000000EEEEEEEE", "R-second-000000002", Fen(401), Fen(1000)).await.unwrap_err();
    assert_eq!(over.refusal_code(), Some("NOT_ENOUGH"));
    assert_eq!(mock.order("P20261122000000EEEEEEEE").unwrap().refunded, 600);
}

#[tokio::test]
async fn answers_not_signed_by_wechat_are_refused() {
    let mock = mock().await;
    let client = WechatClient::new(config(&mock)).unwrap();
    client.native_prepay(&order("P20261122000000FFFFFFFF", 300)).await.unwrap();
    for answering in [Answering::Tampered, Answering::Unsigned, Answering::WrongKey, Answering::Stale] {
        mock.answering(answering);
        let err = client.query("P20261122000000FFFFFFFF").await.unwrap_err();
        assert!(matches!(err, ProviderError::Unverified { .. }), "{answering:?}: {err}");
        let err = client.close("P20261122000000FFFFFFFF").await.unwrap_err();
        assert!(matches!(err, ProviderError::Unverified { .. }), "{answering:?} (204): {err}");
    }
}

#[tokio::test]
async fn failures_and_slowness_become_clear_errors() {
    let mock = mock().await;
    let mut cfg = config(&mock);
    cfg.timeout = Duration::from_millis(300);
    let client = WechatClient::new(cfg).unwrap();
    mock.answering(Answering::Failing);
    let err = client.query("P20261122000000GGGGGGGG").await.unwrap_err();
    assert_eq!(err, ProviderError::Unavailable { provider: "wechat", status: 500, code: "SYSTEM_ERROR".into() });
    mock.answering(Answering::Late(Duration::from_secs(2)));
    let err = client.query("P20261122000000GGGGGGGG").await.unwrap_err();
    assert!(matches!(err, ProviderError::Timeout { .. }), "{err}");
    mock.answering(Answering::Honestly);
    let err = client.query("P20261122000000GGGGGGGG?x").await.unwrap_err();
    assert!(matches!(err, ProviderError::Request { .. }), "{err}");
}

#[tokio::test]
async fn wechat_refuses_a_request_signed_by_another_merchant_key() {
    let mock = mock().await;
    let mut cfg = config(&mock);
    cfg.signer = MerchantSigner::new(MCHID, MERCHANT_SERIAL, owned(key_b()));
    let client = WechatClient::new(cfg).unwrap();
    let err = client.query("P20261122000000HHHHHHHH").await.unwrap_err();
    assert_eq!(err.refusal_code(), Some("SIGN_ERROR"), "{err}");
    assert!(mock.seen().is_empty());
}
