//! Certificate mode against the stand-in, which issues real X.509 certificates and lists them at
//! `/v3/certificates` encrypted as WeChat does: the first download, a rotation picked up on an
//! unknown serial, a notification signed by the new certificate, an unknown serial refused (and
//! not asked about twice a minute), an expired certificate never used, a tampered or foreign list
//! refused.

use super::client::WechatClient;
use super::client_tests::{config, mock, order};
use super::mock_certificates::issue;
use super::mock_server::MockWechat;
use super::{read_certificates, verify_notification, PlatformKeys, VerifyError, UNKNOWN_SERIAL_PAUSE_SECS};
use crate::payment_providers::test_keys::{key_b, owned};
use crate::payment_providers::{ProviderError, RsaSigningKey};
use serde_json::json;

const API_V3_KEY: [u8; 32] = *b"plazastandinapiv3key000000000000";
const DAY: i64 = 86_400;

fn now() -> i64 {
    crate::Timestamp::now().secs()
}

/// The stand-in in certificate mode, signing with a certificate valid for a year, and a client
/// that has not downloaded anything yet.
async fn certificate_mode() -> (MockWechat, WechatClient, super::mock_certificates::IssuedCertificate) {
    let mock = mock().await;
    mock.certificate_mode(API_V3_KEY);
    let first = mock.issue_certificate(owned(key_b()), now() - 30 * DAY, now() + 365 * DAY).unwrap();
    mock.sign_with(&first);
    let mut config = config(&mock);
    config.platform_keys = PlatformKeys::new();
    let client = WechatClient::with_certificate_download(config, API_V3_KEY).unwrap();
    (mock, client, first)
}

fn downloads(mock: &MockWechat) -> usize {
    mock.seen().iter().filter(|s| s.as_str() == "GET /v3/certificates").count()
}

fn paid_notification(mock: &MockWechat) -> super::SignedNotification {
    let resource = json!({ "mchid": super::mock_server::MCHID, "out_trade_no": "P1", "trade_state": "SUCCESS" });
    mock.notification("TRANSACTION.SUCCESS", &resource, now())
}

#[tokio::test]
async fn the_first_download_trusts_the_listed_certificate_and_answers_verify_with_it() {
    let (mock, client, first) = certificate_mode().await;
    assert!(client.downloads_certificates());
    assert_eq!(client.refresh_certificates().await.unwrap(), vec![first.serial.clone()]);
    let keys = client.platform_keys();
    assert_eq!(keys.newest_usable(now()).map(|(serial, _)| serial), Some(first.serial.clone()));
    assert_eq!(keys.get(&first.serial), Some(first.signer.verifying_key()));
    client.native_prepay(&order("P20261203000000CERT0001", 100)).await.unwrap();
    assert_eq!(downloads(&mock), 1);
}

#[tokio::test]
async fn a_rotation_is_picked_up_when_answers_and_notifications_name_the_new_certificate() {
    let (mock, client, first) = certificate_mode().await;
    client.refresh_certificates().await.unwrap();
    // WeChat issues the next certificate days before the first expires, then signs with it.
    let second = mock.issue_certificate(RsaSigningKey::generate().unwrap(), now() - 60, now() + 730 * DAY).unwrap();
    mock.sign_with(&second);
    let notification = paid_notification(&mock);
    let verifier_keys = client.clone().platform_keys();
    assert_eq!(
        verify_notification(&verifier_keys, &notification.headers, notification.body.as_bytes(), now()),
        Err(VerifyError::UnknownSerial(second.serial.clone()))
    );
    // An answer signed by it: the client downloads again, once, and believes the answer.
    client.native_prepay(&order("P20261203000000CERT0002", 100)).await.unwrap();
    assert_eq!(downloads(&mock), 2);
    let mut serials: Vec<String> = verifier_keys.serials().collect();
    serials.sort();
    let mut expected = vec![first.serial.clone(), second.serial.clone()];
    expected.sort();
    assert_eq!(serials, expected, "both listed, both kept while they overlap");
    assert_eq!(verifier_keys.newest_usable(now()).map(|(s, _)| s), Some(second.serial.clone()), "the newer one");
    // The verifier shares the keys: the notification now verifies.
    verify_notification(&verifier_keys, &notification.headers, notification.body.as_bytes(), now()).unwrap();
}

#[tokio::test]
async fn a_notification_from_a_new_certificate_makes_one_download_and_then_verifies() {
    let (mock, client, _) = certificate_mode().await;
    client.refresh_certificates().await.unwrap();
    let second = mock.issue_certificate(RsaSigningKey::generate().unwrap(), now() - 60, now() + 730 * DAY).unwrap();
    mock.sign_with(&second);
    let notification = paid_notification(&mock);
    assert!(client.refresh_for_serial(&second.serial, now()).await);
    verify_notification(&client.platform_keys(), &notification.headers, notification.body.as_bytes(), now()).unwrap();
    assert_eq!(downloads(&mock), 2);
}

#[tokio::test]
async fn an_unknown_serial_is_refused_and_asked_about_at_most_once_a_minute() {
    let (mock, client, _) = certificate_mode().await;
    client.refresh_certificates().await.unwrap();
    // Signed by a certificate WeChat never listed.
    let stranger = issue(RsaSigningKey::generate().unwrap(), now() - 60, now() + DAY).unwrap();
    let forged =
        super::sign_notification(&stranger.signer, &API_V3_KEY, "TRANSACTION.SUCCESS", "", b"{}", now()).unwrap();
    let at = now();
    assert!(!client.refresh_for_serial(&stranger.serial, at).await);
    assert_eq!(downloads(&mock), 2);
    assert!(!client.refresh_for_serial(&stranger.serial, at + 10).await, "refused without asking again");
    assert!(!client.refresh_for_serial("0123456789ABCDEF", at + UNKNOWN_SERIAL_PAUSE_SECS - 1).await);
    assert_eq!(downloads(&mock), 2, "a flood of forged serials costs WeChat one request a minute");
    assert!(!client.refresh_for_serial(&stranger.serial, at + UNKNOWN_SERIAL_PAUSE_SECS).await);
    assert_eq!(downloads(&mock), 3);
    assert_eq!(
        verify_notification(&client.platform_keys(), &forged.headers, forged.body.as_bytes(), now()),
        Err(VerifyError::UnknownSerial(stranger.serial.clone()))
    );
}

#[tokio::test]
async fn an_expired_certificate_is_never_used() {
    let (mock, client, first) = certificate_mode().await;
    let expired = mock.issue_certificate(RsaSigningKey::generate().unwrap(), now() - 400 * DAY, now() - 10).unwrap();
    mock.list_expired(true);
    // Listed (WeChat would not), but left out of what is kept.
    assert_eq!(client.refresh_certificates().await.unwrap(), vec![first.serial.clone()]);
    // An answer signed by it is refused even on the first download, where it vouches for itself.
    mock.sign_with(&expired);
    let fresh = WechatClient::with_certificate_download(
        {
            let mut c = config(&mock);
            c.platform_keys = PlatformKeys::new();
            c
        },
        API_V3_KEY,
    )
    .unwrap();
    let refused = fresh.refresh_certificates().await.unwrap_err();
    assert!(matches!(refused, ProviderError::Unverified { .. }), "{refused:?}");
    assert!(fresh.platform_keys().is_empty());
    // And a key set that still holds it (given as a file) refuses what it signs.
    let mut keys = PlatformKeys::new();
    keys.insert_certificate_pem(&expired.pem).unwrap();
    let notification = paid_notification(&mock);
    assert_eq!(
        verify_notification(&keys, &notification.headers, notification.body.as_bytes(), now()),
        Err(VerifyError::CertificateOutOfValidity(expired.serial.clone()))
    );
    assert_eq!(keys.newest_usable(now()), None);
}

#[tokio::test]
async fn a_tampered_or_foreign_certificate_list_is_refused_and_nothing_changes() {
    let (mock, client, first) = certificate_mode().await;
    mock.answering(super::mock_server::Answering::Tampered);
    let refused = client.refresh_certificates().await.unwrap_err();
    assert!(matches!(refused, ProviderError::Unverified { .. }), "{refused:?}");
    assert!(client.platform_keys().is_empty());
    mock.answering(super::mock_server::Answering::Honestly);
    client.refresh_certificates().await.unwrap();
    // Encrypted under another merchant's key: someone without ours made this list.
    mock.certificate_mode(*b"anotherapiv3key00000000000000000");
    let refused = client.refresh_certificates().await.unwrap_err();
    assert!(matches!(refused, ProviderError::Unverified { .. }), "{refused:?}");
    assert_eq!(client.platform_keys().serials().collect::<Vec<_>>(), vec![first.serial.clone()]);
}

#[tokio::test]
async fn a_list_signed_by_a_stranger_is_refused_and_public_key_mode_never_downloads() {
    let (mock, _, first) = certificate_mode().await;
    // A genuine list (encrypted under our key), with the signature of a certificate not on it.
    let stranger = issue(RsaSigningKey::generate().unwrap(), now() - 60, now() + DAY).unwrap();
    let body = super::mock_certificates::certificates_answer(&API_V3_KEY, std::slice::from_ref(&first)).to_string();
    let headers = stranger.signer.sign(body.as_bytes(), now()).unwrap();
    let refused = read_certificates(&API_V3_KEY, &headers, body.as_bytes(), &PlatformKeys::new(), now());
    assert!(matches!(refused, Err(super::CertificateError::Signature(VerifyError::UnknownSerial(_)))), "{refused:?}");
    let signed = first.signer.sign(body.as_bytes(), now()).unwrap();
    assert_eq!(read_certificates(&API_V3_KEY, &signed, body.as_bytes(), &PlatformKeys::new(), now()).unwrap().len(), 1);

    let public_key_mode = WechatClient::new(config(&mock)).unwrap();
    assert!(!public_key_mode.downloads_certificates());
    assert!(!public_key_mode.refresh_for_serial(&first.serial, now()).await);
    assert_eq!(downloads(&mock), 0);
}
