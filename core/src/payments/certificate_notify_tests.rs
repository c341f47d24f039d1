//! Certificate mode through the database and the notification handler: WeChat rotates its
//! platform certificate and signs a payment's TRANSACTION.SUCCESS with the new one; the handler
//! downloads the list once, verifies, and completes the payment once however often WeChat
//! delivers it. A notification signed by a certificate WeChat never listed is refused and the
//! payment stays as it was.

use super::checkout::{self, Flow};
use super::notifications::{handle_wechat, WechatVerifier};
use super::provider_tests::{order, request, state};
use super::tests::{shop, T0};
use super::wechat_pay::WechatPay;
use super::*;
use crate::payment_providers::test_keys::{key_b, owned};
use crate::payment_providers::wechat::mock_server::{MockWechat, APPID, MCHID};
use crate::payment_providers::wechat::WechatClient;
use crate::payment_providers::wechat::{self as wx, client_tests, mock_certificates, PlatformKeys};
use crate::payment_providers::RsaSigningKey;
use serde_json::json;

const API_V3_KEY: [u8; 32] = *b"plazastandinapiv3key000000000000";
const DAY: i64 = 86_400;

fn downloads(mock: &MockWechat) -> usize {
    mock.seen().iter().filter(|s| s.as_str() == "GET /v3/certificates").count()
}

/// What WeChat posts when `no` was paid: the resource as its query answers it.
fn paid_resource(mock: &MockWechat, no: &str) -> serde_json::Value {
    let order = mock.order(no).expect("placed at WeChat");
    json!({
        "appid": APPID, "mchid": MCHID, "out_trade_no": no, "trade_type": order.trade_type,
        "trade_state": "SUCCESS", "trade_state_desc": "支付成功", "bank_type": "OTHERS",
        "transaction_id": order.transaction_id, "success_time": order.success_time,
        "payer": { "openid": "oPlazaStandInPayer" },
        "amount": { "total": order.total, "payer_total": order.total, "currency": "CNY", "payer_currency": "CNY" },
    })
}

async fn deliver(s: &super::tests::Shop, verifier: &WechatVerifier, signed: &wx::SignedNotification) -> u16 {
    let headers = [
        (wx::HEADER_SERIAL, signed.headers.serial.as_str()),
        (wx::HEADER_SIGNATURE, signed.headers.signature.as_str()),
        (wx::HEADER_TIMESTAMP, signed.headers.timestamp.as_str()),
        (wx::HEADER_NONCE, signed.headers.nonce.as_str()),
    ];
    handle_wechat(&s.db, verifier, headers, signed.body.as_bytes(), Timestamp::now()).await.status
}

#[tokio::test]
async fn a_payment_notified_under_a_rotated_certificate_completes_once_and_a_stranger_s_is_refused() {
    let s = shop().await;
    let now = Timestamp::now().secs();
    let mock = client_tests::mock().await;
    mock.certificate_mode(API_V3_KEY);
    let first = mock.issue_certificate(owned(key_b()), now - 30 * DAY, now + 365 * DAY).unwrap();
    mock.sign_with(&first);
    let mut config = client_tests::config(&mock);
    config.platform_keys = PlatformKeys::new();
    let client = WechatClient::with_certificate_download(config, API_V3_KEY).unwrap();
    client.refresh_certificates().await.unwrap();
    let wechat = WechatPay { client: client.clone() };
    // As the gateway builds it in certificate mode: the verifier shares the client's keys.
    let verifier = WechatVerifier {
        provider: "wechat",
        keys: client.platform_keys(),
        api_v3_key: API_V3_KEY,
        mchid: client.mchid().to_string(),
        appid: client.appid().to_string(),
        certificates: Some(client.clone()),
    };

    let no = create(&s.db, &wechat, &order(&s, 4_200, "cert-1"), T0).await.unwrap().payment_no;
    checkout::launch(&s.db, &wechat, s.member, &no, &request(Flow::WechatNative, &no), T0).await.unwrap();
    mock.pay(&no, now);
    // WeChat rotates: a new certificate is listed and the notification is signed with it.
    let second = mock.issue_certificate(RsaSigningKey::generate().unwrap(), now - 60, now + 730 * DAY).unwrap();
    mock.sign_with(&second);
    let signed = mock.notification("TRANSACTION.SUCCESS", &paid_resource(&mock, &no), now);
    assert_eq!(signed.headers.serial, second.serial);
    let before = downloads(&mock);
    for _ in 0..3 {
        assert_eq!(deliver(&s, &verifier, &signed).await, 204, "verified under the new certificate");
    }
    assert_eq!(downloads(&mock), before + 1, "one download for the new serial, none for the repeats");
    assert_eq!(state(&s, &no).await, "paid");
    let completions: (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM payment_notifications WHERE payment_no = $1 AND outcome = 'completed'")
            .bind(no.as_str())
            .fetch_one(s.db.pool())
            .await
            .unwrap();
    assert_eq!(completions.0, 1, "completed once");

    // Signed by a certificate WeChat never listed: refused, and the payment is untouched.
    let other = create(&s.db, &wechat, &order(&s, 1_000, "cert-2"), T0).await.unwrap().payment_no;
    checkout::launch(&s.db, &wechat, s.member, &other, &request(Flow::WechatNative, &other), T0).await.unwrap();
    mock.pay(&other, now);
    let stranger = mock_certificates::issue(RsaSigningKey::generate().unwrap(), now - 60, now + DAY).unwrap();
    let resource = paid_resource(&mock, &other);
    mock.sign_with(&stranger);
    let forged = mock.notification("TRANSACTION.SUCCESS", &resource, now);
    assert_eq!(deliver(&s, &verifier, &forged).await, 401);
    assert_eq!(deliver(&s, &verifier, &forged).await, 401);
    assert_eq!(state(&s, &other).await, "paying", "nothing completed by a stranger's signature");
    // The list was fetched moments ago: a forged serial does not make us ask WeChat again.
    assert_eq!(downloads(&mock), before + 1, "no download for a serial within a minute of the last");
}
