//! Round trips: parameters signed as Alipay signs them verify, and any change to them does not.

use super::*;
use crate::payment_providers::test_keys::{key_a, key_b};
use plaza_types::Fen;

fn paid_notification() -> Vec<(String, String)> {
    [
        ("notify_time", "2026-11-22 09:30:02"),
        ("notify_type", "trade_status_sync"),
        ("notify_id", "2026112200222093002056380529774436"),
        ("app_id", "2021001144680325"),
        ("charset", "utf-8"),
        ("version", "1.0"),
        ("trade_no", "2026112222001456380542497258"),
        ("out_trade_no", "P20261122000001"),
        ("trade_status", "TRADE_SUCCESS"),
        ("total_amount", "12.30"),
        ("receipt_amount", "12.30"),
        ("buyer_pay_amount", "12.30"),
        ("subject", "Plaza 码牌支付"),
        ("fund_bill_list", r#"[{"amount":"12.30","fundChannel":"ALIPAYACCOUNT"}]"#),
        ("gmt_create", "2026-11-22 09:29:55"),
        ("gmt_payment", "2026-11-22 09:30:01"),
        ("seller_id", "2088031940831575"),
        ("buyer_id", "2088002582656381"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn signed() -> Vec<(String, String)> {
    sign_notification(key_a(), paid_notification()).unwrap()
}

#[test]
fn signed_parameters_verify_and_read_back() {
    let params = signed();
    assert_eq!(params.iter().filter(|(k, _)| k == SIGN_TYPE).count(), 1);
    verify_notification(&key_a().verifying_key(), &params).unwrap();
    let n = parse_notification(&params).unwrap();
    assert_eq!((n.out_trade_no.as_str(), n.trade_no.as_str()), ("P20261122000001", "2026112222001456380542497258"));
    assert_eq!(n.trade_status, TradeStatus::TradeSuccess);
    assert_eq!((n.total_amount_fen, n.receipt_amount_fen, n.refund_fee_fen), (Fen(1230), Some(Fen(1230)), None));
    assert_eq!(n.gmt_payment.as_deref(), Some("2026-11-22 09:30:01"));
}

#[test]
fn any_changed_value_is_refused() {
    let key = key_a().verifying_key();
    for i in 0..signed().len() {
        let mut params = signed();
        if params[i].0 == SIGN || params[i].0 == SIGN_TYPE {
            continue;
        }
        params[i].1.push('0');
        let expected = match params[i].0.as_str() {
            "charset" => VerifyError::UnsupportedCharset("utf-80".into()),
            _ => VerifyError::BadSignature,
        };
        assert_eq!(verify_notification(&key, &params), Err(expected), "{}", params[i].0);
    }
}

#[test]
fn an_added_or_removed_parameter_is_refused() {
    let key = key_a().verifying_key();
    let mut added = signed();
    added.push(("refund_fee".into(), "12.30".into()));
    assert_eq!(verify_notification(&key, &added), Err(VerifyError::BadSignature));
    let removed: Vec<_> = signed().into_iter().filter(|(k, _)| k != "total_amount").collect();
    assert_eq!(verify_notification(&key, &removed), Err(VerifyError::BadSignature));
    // Empty values are outside the signature by Alipay's rule, so adding one changes nothing.
    let mut empty = signed();
    empty.push(("passback_params".into(), String::new()));
    assert_eq!(verify_notification(&key, &empty), Ok(()));
}

#[test]
fn another_key_a_missing_or_unreadable_sign_and_repeated_names_are_refused() {
    let params = signed();
    assert_eq!(verify_notification(&key_b().verifying_key(), &params), Err(VerifyError::BadSignature));
    let key = key_a().verifying_key();
    let without: Vec<_> = params.iter().filter(|(k, _)| k != SIGN).cloned().collect();
    assert_eq!(verify_notification(&key, &without), Err(VerifyError::MissingSignature));
    let mut garbled = params.clone();
    garbled.iter_mut().find(|(k, _)| k == SIGN).unwrap().1 = "%%%".into();
    assert_eq!(verify_notification(&key, &garbled), Err(VerifyError::MalformedSignature));
    let mut doubled = params.clone();
    doubled.push(("out_trade_no".into(), "P_OTHER".into()));
    assert_eq!(verify_notification(&key, &doubled), Err(VerifyError::DuplicateParameter("out_trade_no".into())));
    assert_eq!(parse_notification(&doubled), Err(ParseError::Duplicate("out_trade_no".into())));
}

#[test]
fn only_rsa2_and_utf8_notifications_are_read() {
    let key = key_a().verifying_key();
    let mut rsa1 = signed();
    rsa1.iter_mut().find(|(k, _)| k == SIGN_TYPE).unwrap().1 = "RSA".into();
    assert_eq!(verify_notification(&key, &rsa1), Err(VerifyError::UnsupportedSignType("RSA".into())));
    let gbk = sign_notification(key_a(), {
        let mut p = paid_notification();
        p.iter_mut().find(|(k, _)| k == "charset").unwrap().1 = "gbk".into();
        p
    })
    .unwrap();
    assert_eq!(verify_notification(&key, &gbk), Err(VerifyError::UnsupportedCharset("gbk".into())));
}

#[test]
fn requests_are_signed_with_sign_type_inside_the_signature() {
    let params: Vec<(String, String)> = [
        ("app_id", "2021001144680325"),
        ("method", "alipay.trade.query"),
        ("charset", "utf-8"),
        ("timestamp", "2026-11-22 09:35:00"),
        ("version", "1.0"),
        ("biz_content", r#"{"out_trade_no":"P20261122000001"}"#),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let signed = sign_request(key_b(), params).unwrap();
    let sign = &signed.iter().find(|(k, _)| k == SIGN).unwrap().1;
    let canonical = request_canonical_string(&signed);
    assert!(canonical.contains("&sign_type=RSA2&"), "{canonical}");
    use base64::Engine as _;
    let signature = base64::engine::general_purpose::STANDARD.decode(sign).unwrap();
    assert!(key_b().verifying_key().verify_sha256(canonical.as_bytes(), &signature));
    assert!(!key_b().verifying_key().verify_sha256(canonical_string(&signed).as_bytes(), &signature));
}

#[test]
fn refund_notifications_carry_the_refunded_total() {
    let mut params = paid_notification();
    params.extend(
        [("refund_fee", "5.00"), ("out_biz_no", "R20261122000001"), ("gmt_refund", "2026-11-22 10:00:00.123")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    let n = parse_notification(&params).unwrap();
    assert_eq!((n.refund_fee_fen, n.out_biz_no.as_deref()), (Some(Fen(500)), Some("R20261122000001")));
    params.iter_mut().find(|(k, _)| k == "total_amount").unwrap().1 = "12.301".into();
    assert!(matches!(parse_notification(&params), Err(ParseError::Amount { field: "total_amount", .. })));
    let no_total: Vec<_> = paid_notification().into_iter().filter(|(k, _)| k != "total_amount").collect();
    assert_eq!(parse_notification(&no_total), Err(ParseError::Missing("total_amount")));
}

#[test]
fn the_reply_is_the_seven_characters_alipay_looks_for() {
    assert_eq!(ACKNOWLEDGE, "success");
    assert_ne!(RETRY, ACKNOWLEDGE);
}
