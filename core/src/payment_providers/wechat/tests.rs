//! Round trips through the sandbox's platform side and the production verifier, and the request
//! signature against the documented example.

use super::*;
use crate::payment_providers::test_keys::{key_a, key_b, owned};
use plaza_types::Fen;

const API_V3_KEY: &[u8; 32] = b"0123456789abcdef0123456789abcdef";
const SERIAL: &str = "PUB_KEY_ID_0114232134912410000000000000";
const NOW: i64 = 1_780_000_000;

fn platform() -> (PlatformSigner, PlatformKeys) {
    let signer = PlatformSigner::new(SERIAL, owned(key_a()));
    let mut keys = PlatformKeys::new();
    signer.register(&mut keys);
    (signer, keys)
}

fn paid_resource() -> TransactionResource {
    TransactionResource {
        appid: "wxd678efh567hg6787".into(),
        mchid: "1230000109".into(),
        out_trade_no: "P20261122000001".into(),
        transaction_id: Some("4200000001202611220000000001".into()),
        trade_type: Some("NATIVE".into()),
        trade_state: TradeState::Success,
        trade_state_desc: Some("支付成功".into()),
        bank_type: Some("OTHERS".into()),
        attach: None,
        success_time: Some(beijing_time(NOW)),
        payer: Some(Payer { openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o".into() }),
        amount: TransactionAmount {
            total: Fen(1230),
            payer_total: Some(Fen(1230)),
            currency: "CNY".into(),
            payer_currency: Some("CNY".into()),
        },
    }
}

fn signed_payment() -> SignedNotification {
    let plaintext = serde_json::to_vec(&paid_resource()).unwrap();
    sign_notification(&platform().0, API_V3_KEY, "TRANSACTION.SUCCESS", "支付成功", &plaintext, NOW).unwrap()
}

#[test]
fn a_sandbox_notification_verifies_and_decrypts_unchanged() {
    let (_, keys) = platform();
    let signed = signed_payment();
    verify_notification(&keys, &signed.headers, signed.body.as_bytes(), NOW).unwrap();
    let notification = parse_notification(signed.body.as_bytes()).unwrap();
    assert_eq!(
        (notification.event_type.as_str(), notification.resource_type.as_str()),
        ("TRANSACTION.SUCCESS", "encrypt-resource")
    );
    assert_eq!(notification.resource.associated_data, "transaction");
    assert_eq!(decrypt_transaction(API_V3_KEY, &notification).unwrap(), paid_resource());
    assert!(matches!(decrypt_refund(API_V3_KEY, &notification), Err(ResourceError::UnexpectedType { .. })));
}

#[test]
fn the_headers_survive_the_trip_through_http_header_pairs() {
    let (_, keys) = platform();
    let signed = signed_payment();
    let h = &signed.headers;
    let pairs = [
        ("wechatpay-nonce", h.nonce.as_str()),
        ("wechatpay-serial", h.serial.as_str()),
        ("wechatpay-signature", h.signature.as_str()),
        ("wechatpay-timestamp", h.timestamp.as_str()),
    ];
    let headers = NotificationHeaders::from_pairs(pairs).unwrap();
    assert_eq!(verify_notification(&keys, &headers, signed.body.as_bytes(), NOW), Ok(()));
}

#[test]
fn a_body_changed_by_one_byte_is_refused() {
    let (_, keys) = platform();
    let signed = signed_payment();
    let mut body = signed.body.clone().into_bytes();
    let at = body.iter().position(|b| *b == b':').unwrap() + 1;
    body.insert(at, b' '); // the same JSON, re-spaced: still not the signed bytes
    assert_eq!(verify_notification(&keys, &signed.headers, &body, NOW), Err(VerifyError::BadSignature));
    let mut body = signed.body.into_bytes();
    let last = body.len() - 2;
    body[last] ^= 0x01;
    assert_eq!(verify_notification(&keys, &signed.headers, &body, NOW), Err(VerifyError::BadSignature));
}

#[test]
fn an_unknown_serial_or_a_key_from_another_pair_is_refused() {
    let (_, keys) = platform();
    let signed = signed_payment();
    let mut headers = signed.headers.clone();
    headers.serial = "PUB_KEY_ID_SOMEONE_ELSE".into();
    assert_eq!(
        verify_notification(&keys, &headers, signed.body.as_bytes(), NOW),
        Err(VerifyError::UnknownSerial("PUB_KEY_ID_SOMEONE_ELSE".into()))
    );
    let mut wrong_keys = PlatformKeys::new();
    wrong_keys.insert(SERIAL, key_b().verifying_key());
    assert_eq!(
        verify_notification(&wrong_keys, &signed.headers, signed.body.as_bytes(), NOW),
        Err(VerifyError::BadSignature)
    );
}

#[test]
fn only_five_minutes_either_side_of_now_are_accepted() {
    let (signer, keys) = platform();
    let body = br#"{"any":"body"}"#;
    for (signed_at, accepted) in [(NOW - 300, true), (NOW + 300, true), (NOW - 301, false), (NOW + 301, false)] {
        let headers = signer.sign(body, signed_at).unwrap();
        let result = verify_notification(&keys, &headers, body, NOW);
        match accepted {
            true => assert_eq!(result, Ok(()), "signed at {signed_at}"),
            false => assert_eq!(result, Err(VerifyError::TimestampOutOfWindow { skew_secs: signed_at - NOW })),
        }
    }
}

#[test]
fn signature_probes_are_refused_with_their_own_error() {
    let (_, keys) = platform();
    let signed = signed_payment();
    let mut headers = signed.headers.clone();
    headers.signature = format!("{SIGNATURE_PROBE_PREFIX}{}", headers.signature);
    assert_eq!(verify_notification(&keys, &headers, signed.body.as_bytes(), NOW), Err(VerifyError::SignatureProbe));
    assert_eq!(refuse_unverified().status, 401);
}

#[test]
fn malformed_headers_are_refused_before_any_key_is_used() {
    let (_, keys) = platform();
    let signed = signed_payment();
    let body = signed.body.as_bytes();
    let mut headers = signed.headers.clone();
    headers.nonce = format!("{}\n1", headers.nonce);
    assert_eq!(verify_notification(&keys, &headers, body, NOW), Err(VerifyError::MalformedNonce));
    let mut headers = signed.headers.clone();
    headers.signature = "not base64!".into();
    assert_eq!(verify_notification(&keys, &headers, body, NOW), Err(VerifyError::MalformedSignature));
    let mut headers = signed.headers.clone();
    headers.serial.clear();
    assert_eq!(verify_notification(&keys, &headers, body, NOW), Err(VerifyError::MissingHeader(HEADER_SERIAL)));
}

/// A notification WeChat really signed but whose resource does not open under our key: the tag,
/// not the signature, is what catches it.
fn resigned(change: impl FnOnce(&mut Notification)) -> (Notification, SignedNotification) {
    let (signer, keys) = platform();
    let mut notification = parse_notification(signed_payment().body.as_bytes()).unwrap();
    change(&mut notification);
    let body = serde_json::to_string(&notification).unwrap();
    let headers = signer.sign(body.as_bytes(), NOW).unwrap();
    verify_notification(&keys, &headers, body.as_bytes(), NOW).unwrap();
    (notification, SignedNotification { headers, body })
}

#[test]
fn a_tampered_ciphertext_tag_or_associated_data_is_refused() {
    use base64::engine::general_purpose::STANDARD as B64;
    use base64::Engine as _;
    let flip = |at_end: bool| {
        move |n: &mut Notification| {
            let mut sealed = B64.decode(&n.resource.ciphertext).unwrap();
            let i = if at_end { sealed.len() - 1 } else { 0 };
            sealed[i] ^= 0x80;
            n.resource.ciphertext = B64.encode(sealed);
        }
    };
    for (name, notification) in [
        ("ciphertext", resigned(flip(false)).0),
        ("tag", resigned(flip(true)).0),
        ("associated data", resigned(|n| n.resource.associated_data = "refund".into()).0),
    ] {
        assert_eq!(decrypt_transaction(API_V3_KEY, &notification), Err(ResourceError::Authentication), "{name}");
    }
    let untouched = parse_notification(signed_payment().body.as_bytes()).unwrap();
    assert_eq!(
        decrypt_transaction(b"another 32-byte API v3 key......", &untouched),
        Err(ResourceError::Authentication)
    );
}

#[test]
fn refunds_round_trip_under_their_own_type() {
    let (_, keys) = platform();
    let refund = RefundResource {
        mchid: "1230000109".into(),
        out_trade_no: "P20261122000001".into(),
        transaction_id: "4200000001202611220000000001".into(),
        out_refund_no: "R20261122000001".into(),
        refund_id: "50000000382019052709732678859".into(),
        refund_status: RefundStatus::Success,
        success_time: Some(beijing_time(NOW)),
        user_received_account: Some("支付用户零钱".into()),
        amount: RefundAmount {
            total: Fen(1230),
            refund: Fen(500),
            payer_total: Some(Fen(1230)),
            payer_refund: Some(Fen(500)),
        },
    };
    let plaintext = serde_json::to_vec(&refund).unwrap();
    let signed = sign_notification(&platform().0, API_V3_KEY, "REFUND.SUCCESS", "退款成功", &plaintext, NOW).unwrap();
    verify_notification(&keys, &signed.headers, signed.body.as_bytes(), NOW).unwrap();
    let notification = parse_notification(signed.body.as_bytes()).unwrap();
    assert_eq!(notification.resource.original_type, REFUND_TYPE);
    assert_eq!(decrypt_refund(API_V3_KEY, &notification).unwrap(), refund);
    assert!(matches!(decrypt_transaction(API_V3_KEY, &notification), Err(ResourceError::UnexpectedType { .. })));
}

#[test]
fn signed_responses_verify_including_an_empty_204() {
    let (signer, keys) = platform();
    let headers = signer.sign(b"", NOW).unwrap();
    assert_eq!(verify_response(&keys, &headers, b"", NOW), Ok(()));
    assert_eq!(verify_response(&keys, &headers, b"{}", NOW), Err(VerifyError::BadSignature));
}

#[test]
fn the_request_signature_follows_the_documented_example() {
    // Signature generation guide: GET /v3/certificates at 1554208460 with nonce 593BEC0C….
    let message = request_message("GET", "/v3/certificates", 1554208460, "593BEC0C930BF1AFEB40B4A08C8FB242", "");
    assert_eq!(message, "GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n");
    let merchant = MerchantSigner::new("1900009191", "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C", owned(key_b()));
    let header = merchant
        .authorization_header("GET", "/v3/certificates", 1554208460, "593BEC0C930BF1AFEB40B4A08C8FB242", "")
        .unwrap();
    let prefix =
        "WECHATPAY2-SHA256-RSA2048 mchid=\"1900009191\",nonce_str=\"593BEC0C930BF1AFEB40B4A08C8FB242\",signature=\"";
    let suffix = "\",timestamp=\"1554208460\",serial_no=\"1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C\"";
    assert!(header.starts_with(prefix) && header.ends_with(suffix), "{header}");
    let signature = &header[prefix.len()..header.len() - suffix.len()];
    use base64::Engine as _;
    let signature = base64::engine::general_purpose::STANDARD.decode(signature).unwrap();
    assert!(key_b().verifying_key().verify_sha256(message.as_bytes(), &signature));
}

#[test]
fn the_sandbox_checks_merchant_requests_like_wechat() {
    let merchant = MerchantSigner::new("1230000109", "5157F09EFDC096DE15EBE81A47057A7232F1B8E1", owned(key_b()));
    let body = r#"{"appid":"wxd678efh567hg6787","mchid":"1230000109","description":"Plaza","out_trade_no":"P1","amount":{"total":1230}}"#;
    let path = "/v3/pay/transactions/native";
    let header = merchant.authorization_header("POST", path, NOW, "5K8264ILTKCH16CQ2502SI8ZNMTM67VS", body).unwrap();
    let fields = verify_request(&key_b().verifying_key(), &header, "POST", path, body, NOW + 10).unwrap();
    assert_eq!(
        (fields.mchid.as_str(), fields.serial_no.as_str()),
        ("1230000109", "5157F09EFDC096DE15EBE81A47057A7232F1B8E1")
    );
    let verify = |h: &str, p: &str, b: &str, now: i64| verify_request(&key_b().verifying_key(), h, "POST", p, b, now);
    assert!(matches!(
        verify(&header, "/v3/pay/transactions/jsapi", body, NOW),
        Err(AuthorizationError::Verify(VerifyError::BadSignature))
    ));
    assert!(matches!(verify(&header, path, &body.replace("1230", "1"), NOW), Err(AuthorizationError::Verify(_))));
    assert!(matches!(
        verify(&header, path, body, NOW + 301),
        Err(AuthorizationError::Verify(VerifyError::TimestampOutOfWindow { .. }))
    ));
    assert!(verify_request(&key_a().verifying_key(), &header, "POST", path, body, NOW).is_err());
    // The five fields may come in any order.
    let f = parse_authorization(&header).unwrap();
    let shuffled = format!(
        "{AUTHORIZATION_SCHEME} serial_no=\"{}\",timestamp=\"{}\",signature=\"{}\",nonce_str=\"{}\",mchid=\"{}\"",
        f.serial_no, f.timestamp, f.signature, f.nonce_str, f.mchid
    );
    assert_eq!(verify(&shuffled, path, body, NOW).unwrap(), f);
    assert!(matches!(
        parse_authorization(&header.replacen("mchid", "nonce_str", 1)),
        Err(AuthorizationError::BadField(_))
    ));
    assert_eq!(parse_authorization("Bearer x"), Err(AuthorizationError::WrongScheme));
}

#[test]
fn requests_that_cannot_be_signed_faithfully_are_refused() {
    let merchant = MerchantSigner::new("1230000109", "5157F09E", owned(key_b()));
    let sign = |method: &str, url: &str, nonce: &str| merchant.authorization_header(method, url, NOW, nonce, "");
    assert!(matches!(sign("get", "/v3/certificates", "n"), Err(RequestSignError::InvalidMethod(_))));
    assert!(matches!(
        sign("GET", "https://api.mch.weixin.qq.com/v3/certificates", "n"),
        Err(RequestSignError::UrlNotAPath(_))
    ));
    assert_eq!(sign("GET", "/v3/certificates", "a\"b"), Err(RequestSignError::UnquotableValue("nonce_str")));
    assert!(format!("{merchant:?}").contains("1230000109") && !format!("{merchant:?}").contains("PRIVATE"));
}
