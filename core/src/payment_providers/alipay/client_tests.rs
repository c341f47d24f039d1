//! The Alipay client against the mock gateway: each method as Alipay would check and answer it,
//! and every answer Alipay did not sign refused.

use super::client::{AlipayClient, AlipayClientConfig};
use super::mock_server::{Answering, MockAlipay, APP_ID};
use super::TradeStatus;
use crate::payment_providers::test_keys::{key_a, key_b, owned};
use crate::payment_providers::ProviderError;
use plaza_types::Fen;
use std::time::Duration;

/// The app signs with key A; Alipay's key is B.
pub(crate) async fn mock() -> MockAlipay {
    MockAlipay::start(key_a().verifying_key(), owned(key_b()), owned(key_a())).await
}

pub(crate) fn config(mock: &MockAlipay) -> AlipayClientConfig {
    AlipayClientConfig {
        app_id: APP_ID.into(),
        private_key: owned(key_a()),
        alipay_public_key: key_b().verifying_key(),
        gateway_url: mock.gateway_url.clone(),
        notify_url: "https://plaza.example/notify/alipay".into(),
        timeout: Duration::from_secs(5),
    }
}

#[tokio::test]
async fn a_precreated_code_becomes_a_trade_when_scanned_and_paid() {
    let mock = mock().await;
    let client = AlipayClient::new(config(&mock)).unwrap();
    let qr = client.precreate("P20261122000000AAAAAAAA", "星汇 · 码牌支付", Fen(1230), 15).await.unwrap();
    assert!(qr.starts_with("https://qr.alipay.com/"), "{qr}");
    assert_eq!(mock.trade("P20261122000000AAAAAAAA").unwrap().total, 1230);
    assert_eq!(client.query("P20261122000000AAAAAAAA").await.unwrap(), None, "not scanned yet");
    mock.scan("P20261122000000AAAAAAAA");
    let waiting = client.query("P20261122000000AAAAAAAA").await.unwrap().unwrap();
    assert_eq!(
        (waiting.trade_status, waiting.total, waiting.send_pay_date),
        (TradeStatus::WaitBuyerPay, Fen(1230), None)
    );
    mock.pay("P20261122000000AAAAAAAA", crate::Timestamp::now().secs());
    let paid = client.query("P20261122000000AAAAAAAA").await.unwrap().unwrap();
    assert_eq!(paid.trade_status, TradeStatus::TradeSuccess);
    assert!(paid.send_pay_date.is_some());
    assert_eq!(
        mock.seen(),
        ["alipay.trade.precreate", "alipay.trade.query", "alipay.trade.query", "alipay.trade.query"]
    );
}

#[tokio::test]
async fn close_is_refused_twice_but_the_trade_stays_closed() {
    let mock = mock().await;
    let client = AlipayClient::new(config(&mock)).unwrap();
    client.precreate("P20261122000000BBBBBBBB", "plate", Fen(500), 15).await.unwrap();
    let unscanned = client.close("P20261122000000BBBBBBBB").await.unwrap_err();
    assert_eq!(unscanned.refusal_code(), Some("ACQ.TRADE_NOT_EXIST"));
    mock.scan("P20261122000000BBBBBBBB");
    client.close("P20261122000000BBBBBBBB").await.unwrap();
    let again = client.close("P20261122000000BBBBBBBB").await.unwrap_err();
    assert_eq!(again.refusal_code(), Some("ACQ.TRADE_STATUS_ERROR"));
    let closed = client.query("P20261122000000BBBBBBBB").await.unwrap().unwrap();
    assert_eq!(closed.trade_status, TradeStatus::TradeClosed);
}

#[tokio::test]
async fn a_refund_number_is_one_refund_and_never_more_than_was_paid() {
    let mock = mock().await;
    let client = AlipayClient::new(config(&mock)).unwrap();
    client.precreate("P20261122000000CCCCCCCC", "plate", Fen(1000), 15).await.unwrap();
    mock.pay("P20261122000000CCCCCCCC", crate::Timestamp::now().secs());
    let first = client.refund("P20261122000000CCCCCCCC", "R-first-0000000001", Fen(600)).await.unwrap();
    assert_eq!((first.refund_fee, first.fund_change), (Fen(600), true));
    let again = client.refund("P20261122000000CCCCCCCC", "R-first-0000000001", Fen(600)).await.unwrap();
    assert_eq!((again.refund_fee, again.fund_change), (Fen(600), false));
    let over = client.refund("P20261122000000CCCCCCCC", "R-second-000000002", Fen(401)).await.unwrap_err();
    assert_eq!(over.refusal_code(), Some("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL"));
    assert_eq!(mock.trade("P20261122000000CCCCCCCC").unwrap().refunded, 600);
}

#[tokio::test]
async fn answers_not_signed_by_alipay_are_refused() {
    let mock = mock().await;
    let client = AlipayClient::new(config(&mock)).unwrap();
    client.precreate("P20261122000000DDDDDDDD", "plate", Fen(300), 15).await.unwrap();
    mock.scan("P20261122000000DDDDDDDD");
    for answering in [Answering::Tampered, Answering::Unsigned, Answering::WrongKey] {
        mock.answering(answering);
        let err = client.query("P20261122000000DDDDDDDD").await.unwrap_err();
        assert!(matches!(err, ProviderError::Unverified { .. }), "{answering:?}: {err}");
    }
}

#[tokio::test]
async fn failures_and_slowness_become_clear_errors() {
    let mock = mock().await;
    let mut cfg = config(&mock);
    cfg.timeout = Duration::from_millis(300);
    let client = AlipayClient::new(cfg).unwrap();
    mock.answering(Answering::Failing);
    let err = client.query("P20261122000000EEEEEEEE").await.unwrap_err();
    assert!(matches!(err, ProviderError::Unavailable { status: 502, .. }), "{err}");
    mock.answering(Answering::Busy);
    let err = client.query("P20261122000000EEEEEEEE").await.unwrap_err();
    assert!(matches!(err, ProviderError::Unavailable { status: 200, .. }), "{err}");
    mock.answering(Answering::Late(Duration::from_secs(2)));
    let err = client.query("P20261122000000EEEEEEEE").await.unwrap_err();
    assert!(matches!(err, ProviderError::Timeout { .. }), "{err}");
}

#[tokio::test]
async fn alipay_refuses_a_request_signed_by_another_key() {
    let mock = mock().await;
    let mut cfg = config(&mock);
    cfg.private_key = owned(key_b());
    let client = AlipayClient::new(cfg).unwrap();
    let err = client.query("P20261122000000FFFFFFFF").await.unwrap_err();
    assert_eq!(err.refusal_code(), Some("isv.invalid-signature"), "{err}");
    assert!(mock.seen().is_empty());
}
