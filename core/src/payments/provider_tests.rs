//! The payment engine with WeChat Pay and Alipay as its provider, against their in-process
//! stand-ins: pay through the code page, settle on return and by notification, close, refund, and
//! nothing moves on an answer the provider did not sign.

use super::alipay_notifications::{handle_alipay, AlipayVerifier};
use super::alipay_pay::AlipayPay;
use super::checkout::{self, Flow, Launch, LaunchRequest};
use super::provider::code_in_page_url;
use super::tests::{shop, Shop, T0};
use super::views::{cancel, settle_return};
use super::wechat_pay::WechatPay;
use super::*;
use crate::audit::Actor;
use crate::payment_providers::alipay::{self, mock_server as ali_mock, AlipayClient};
use crate::payment_providers::test_keys::{key_a, key_b, owned};
use crate::payment_providers::wechat::{mock_server as wx_mock, WechatClient};
use crate::payment_providers::ProviderError;
use plaza_types::Fen;

pub(super) fn order(s: &Shop, amount: i64, key: &str) -> NewPayment {
    NewPayment {
        member: s.member,
        details: s.plate.clone(),
        subject: "星汇 · 码牌支付".into(),
        amount: Fen(amount),
        coupon: None,
        use_points: false,
        use_stored_value: false,
        request_key: key.into(),
    }
}

pub(super) async fn state(s: &Shop, payment_no: &str) -> String {
    find(s.db.pool(), payment_no).await.unwrap().unwrap().state.as_str().to_string()
}

pub(super) fn request(flow: Flow, no: &str) -> LaunchRequest {
    LaunchRequest {
        flow,
        openid: None,
        return_url: format!("https://plaza.example/pay/result/{no}"),
        client_ip: "203.0.113.7".into(),
    }
}

/// The desktop's way: the code to scan, as the code page reads it from the stored `pay_url`.
async fn code(s: &Shop, provider: &dyn PaymentProvider, no: &str, flow: Flow) -> String {
    let launched = checkout::launch(&s.db, provider, s.member, no, &request(flow, no), T0).await.unwrap();
    let Launch::Redirect(url) = launched else { panic!("{launched:?}") };
    let stored = find(s.db.pool(), no).await.unwrap().unwrap();
    assert_eq!(super::provider::stored_code(&s.db, no).await.unwrap(), code_in_page_url(&url), "{stored:?}");
    code_in_page_url(&url).unwrap()
}

pub(super) async fn wechat() -> (wx_mock::MockWechat, WechatPay) {
    let mock = crate::payment_providers::wechat::client_tests::mock().await;
    let config = crate::payment_providers::wechat::client_tests::config(&mock);
    (mock.clone(), WechatPay { client: WechatClient::new(config).unwrap() })
}

pub(super) async fn alipay() -> (ali_mock::MockAlipay, AlipayPay) {
    let mock = crate::payment_providers::alipay::client_tests::mock().await;
    let config = crate::payment_providers::alipay::client_tests::config(&mock);
    (mock.clone(), AlipayPay { client: AlipayClient::new(config).unwrap() })
}

#[tokio::test]
async fn wechat_pays_on_return_refunds_once_and_refuses_what_it_did_not_sign() {
    let s = shop().await;
    let (mock, wechat) = wechat().await;
    let created = create(&s.db, &wechat, &order(&s, 3_000, "w1"), T0).await.unwrap();
    let no = created.payment_no.clone();
    assert_eq!(created.pay_url, Some(format!("/pay/go/{no}")), "placed once the browser is known");
    assert!(mock.order(&no).is_none());
    let code = code(&s, &wechat, &no, Flow::WechatNative).await;
    assert_eq!(code, format!("weixin://wxpay/bizpayurl?pr={no}"));
    assert_eq!(mock.order(&no).unwrap().total, 3_000);

    // Not paid yet: the return changes nothing. A forged "paid" answer changes nothing either.
    settle_return(&s.db, &wechat, &no, T0).await.unwrap();
    assert_eq!(state(&s, &no).await, "paying");
    mock.answering(wx_mock::Answering::Tampered);
    let err = settle_return(&s.db, &wechat, &no, T0).await.unwrap_err();
    assert!(matches!(err, crate::Error::Provider(ProviderError::Unverified { .. })), "{err}");
    assert_eq!(state(&s, &no).await, "paying");
    mock.answering(wx_mock::Answering::Honestly);

    mock.pay(&no, crate::Timestamp::now().secs());
    settle_return(&s.db, &wechat, &no, T0).await.unwrap();
    assert_eq!(state(&s, &no).await, "paid");

    let request =
        RefundRequest { payment_no: &no, refund_no: "R-wechat-00000000001", amount: Fen(1_000), reason: "退货" };
    let done = refund(&s.db, &wechat, request, &Actor::System, T0).await.unwrap();
    assert_eq!(done.external, Fen(1_000));
    assert_eq!(mock.order(&no).unwrap().refunded, 1_000);
    // The provider asked again for the same refund number: the same refund, no more money.
    let first = wechat.refund(&s.db, &no, "R-wechat-00000000001", Fen(1_000), T0).await.unwrap();
    let again = wechat.refund(&s.db, &no, "R-wechat-00000000001", Fen(1_000), T0).await.unwrap();
    assert_eq!(first, again);
    assert_eq!(mock.order(&no).unwrap().refunded, 1_000);
}

#[tokio::test]
async fn wechat_cancel_closes_the_order_there_first_and_again_changes_nothing() {
    let s = shop().await;
    let (mock, wechat) = wechat().await;
    let no = create(&s.db, &wechat, &order(&s, 2_000, "w2"), T0).await.unwrap().payment_no;
    code(&s, &wechat, &no, Flow::WechatNative).await;
    mock.answering(wx_mock::Answering::Failing);
    assert!(cancel(&s.db, &wechat, s.member, &no, T0).await.is_err(), "WeChat unreachable: nothing given back");
    assert_eq!(state(&s, &no).await, "paying");
    mock.answering(wx_mock::Answering::Honestly);
    cancel(&s.db, &wechat, s.member, &no, T0).await.unwrap();
    assert_eq!((mock.order(&no).unwrap().state, state(&s, &no).await.as_str()), ("CLOSED", "closed"));
    assert_eq!(wechat.close(&s.db, &no, T0).await.unwrap(), ProviderStatus::Closed);
    cancel(&s.db, &wechat, s.member, &no, T0).await.unwrap();
    assert_eq!(state(&s, &no).await, "closed");
}

#[tokio::test]
async fn alipay_pays_by_notification_once_refuses_forgeries_and_refunds_once() {
    let s = shop().await;
    let (mock, alipay) = alipay().await;
    let created = create(&s.db, &alipay, &order(&s, 3_000, "a1"), T0).await.unwrap();
    let no = created.payment_no.clone();
    assert!(code(&s, &alipay, &no, Flow::AlipayCode).await.starts_with("https://qr.alipay.com/"));
    mock.pay(&no, crate::Timestamp::now().secs());
    let trade_no = mock.trade(&no).unwrap().trade_no;

    let verifier = AlipayVerifier { alipay_public_key: key_b().verifying_key(), app_id: ali_mock::APP_ID.into() };
    let params = |amount: &str| {
        let pairs = [
            ("notify_id", "ac05099524730693a8b330c5ecf72da9786"),
            ("notify_type", "trade_status_sync"),
            ("notify_time", "2026-03-10 10:00:05"),
            ("charset", "utf-8"),
            ("version", "1.0"),
            ("app_id", ali_mock::APP_ID),
            ("out_trade_no", &no),
            ("trade_no", &trade_no),
            ("trade_status", "TRADE_SUCCESS"),
            ("total_amount", amount),
            ("gmt_payment", "2026-03-10 10:00:04"),
        ];
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>()
    };
    let forged = alipay::sign_notification(&owned(key_a()), params("30.00")).unwrap();
    assert_eq!(handle_alipay(&s.db, &verifier, &forged, T0).await, alipay::RETRY);
    let mut tampered = alipay::sign_notification(&owned(key_b()), params("30.00")).unwrap();
    tampered.iter_mut().find(|(k, _)| k == "total_amount").unwrap().1 = "0.01".into();
    assert_eq!(handle_alipay(&s.db, &verifier, &tampered, T0).await, alipay::RETRY);
    let wrong_amount = alipay::sign_notification(&owned(key_b()), params("0.01")).unwrap();
    assert_eq!(handle_alipay(&s.db, &verifier, &wrong_amount, T0).await, alipay::RETRY);
    assert_eq!(state(&s, &no).await, "paying");

    let signed = alipay::sign_notification(&owned(key_b()), params("30.00")).unwrap();
    for _ in 0..3 {
        assert_eq!(handle_alipay(&s.db, &verifier, &signed, T0).await, alipay::ACKNOWLEDGE);
    }
    assert_eq!(state(&s, &no).await, "paid");
    let outcomes: Vec<(String,)> = sqlx::query_as(
        "SELECT outcome FROM payment_notifications WHERE provider = 'alipay' AND payment_no = $1 ORDER BY id",
    )
    .bind(no.as_str())
    .fetch_all(s.db.pool())
    .await
    .unwrap();
    let outcomes: Vec<&str> = outcomes.iter().map(|(o,)| o.as_str()).collect();
    assert_eq!(outcomes, ["rejected", "completed", "duplicate", "duplicate"]);

    let request =
        RefundRequest { payment_no: &no, refund_no: "R-alipay-00000000001", amount: Fen(3_000), reason: "退货" };
    refund(&s.db, &alipay, request, &Actor::System, T0).await.unwrap();
    let again = alipay.refund(&s.db, &no, "R-alipay-00000000001", Fen(3_000), T0).await.unwrap();
    assert_eq!(again.id, format!("{trade_no}:R-alipay-00000000001"));
    assert_eq!(mock.trade(&no).unwrap().refunded, 3_000);
}

#[tokio::test]
async fn alipay_close_before_the_code_is_scanned_and_after() {
    let s = shop().await;
    let (mock, alipay) = alipay().await;
    let no = create(&s.db, &alipay, &order(&s, 2_000, "a2"), T0).await.unwrap().payment_no;
    code(&s, &alipay, &no, Flow::AlipayCode).await;
    // Not scanned: Alipay has no trade to close; ours closes.
    assert_eq!(alipay.close(&s.db, &no, T0).await.unwrap(), ProviderStatus::Unknown);
    mock.scan(&no);
    assert_eq!(alipay.query(&s.db, &no).await.unwrap(), ProviderStatus::Open);
    cancel(&s.db, &alipay, s.member, &no, T0).await.unwrap();
    assert_eq!(state(&s, &no).await, "closed");
    assert_eq!(alipay.close(&s.db, &no, T0).await.unwrap(), ProviderStatus::Closed, "closing again");
}
