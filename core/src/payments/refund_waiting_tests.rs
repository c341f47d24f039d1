//! Refunds that wait for the provider: PROCESSING keeps every internal tender where it is until
//! the provider says SUCCESS (its verified REFUND notification or the job's query), then they come
//! back once; ABNORMAL stays waiting and is listed; CLOSED releases the claim.

use super::checkout::{self, Flow};
use super::notifications::{handle_wechat, WechatVerifier};
use super::provider::RefundProgress;
use super::provider_tests::{order, request, state, wechat};
use super::refund_waiting::{check_waiting, waiting, CHECK_EVERY_SECS};
use super::sandbox::notify::{SandboxKeys, SANDBOX_MCHID};
use super::sandbox::refunds::SandboxRefunds;
use super::tests::{balances, confirmation, plate, sandbox, shop, T0};
use super::*;
use crate::audit::Actor;
use crate::payment_providers::wechat::{self as wx, RefundAmount, RefundResource, RefundStatus};

fn ask<'a>(no: &'a str, refund_no: &'a str, amount: i64) -> RefundRequest<'a> {
    RefundRequest { payment_no: no, refund_no, amount: Fen(amount), reason: "退货" }
}

#[tokio::test]
async fn a_wechat_refund_stays_processing_until_wechat_says_success_and_the_job_asks() {
    let s = shop().await;
    let (mock, wechat) = wechat().await;
    let no = create(&s.db, &wechat, &order(&s, 3_000, "r1"), T0).await.unwrap().payment_no;
    checkout::launch(&s.db, &wechat, s.member, &no, &request(Flow::WechatNative, &no), T0).await.unwrap();
    mock.pay(&no, crate::Timestamp::now().secs());
    views::settle_return(&s.db, &wechat, &no, T0).await.unwrap();

    let done = refund(&s.db, &wechat, ask(&no, "RW-1", 3_000), &Actor::System, T0).await.unwrap();
    assert!(done.waiting, "WeChat answered PROCESSING");
    assert_eq!(state(&s, &no).await, "paid", "nothing is refunded until WeChat says so");
    // Asked again while waiting: the same refund, no second one at WeChat.
    assert!(refund(&s.db, &wechat, ask(&no, "RW-1", 3_000), &Actor::System, T0).await.unwrap().waiting);
    assert_eq!(mock.order(&no).unwrap().refunded, 3_000);
    // Nothing more may be claimed meanwhile.
    assert!(refund(&s.db, &wechat, ask(&no, "RW-2", 1), &Actor::System, T0).await.is_err());

    let later = T0.plus_secs(CHECK_EVERY_SECS);
    assert_eq!(check_waiting(&s.db, &wechat, later).await.unwrap(), (0, 0, 0), "still PROCESSING");
    mock.settle_refund("RW-1", "SUCCESS");
    assert_eq!(check_waiting(&s.db, &wechat, later).await.unwrap(), (0, 0, 0), "asked a moment ago");
    let much_later = later.plus_secs(CHECK_EVERY_SECS);
    assert_eq!(check_waiting(&s.db, &wechat, much_later).await.unwrap(), (1, 0, 0));
    assert_eq!(state(&s, &no).await, "refunded");
    assert_eq!(check_waiting(&s.db, &wechat, much_later.plus_secs(CHECK_EVERY_SECS)).await.unwrap(), (0, 0, 0));
    let done = refund(&s.db, &wechat, ask(&no, "RW-1", 3_000), &Actor::System, T0).await.unwrap();
    assert!(!done.waiting);
}

#[tokio::test]
async fn an_abnormal_refund_is_listed_and_a_closed_one_releases_its_claim() {
    let s = shop().await;
    let (mock, wechat) = wechat().await;
    let no = create(&s.db, &wechat, &order(&s, 2_000, "r2"), T0).await.unwrap().payment_no;
    checkout::launch(&s.db, &wechat, s.member, &no, &request(Flow::WechatNative, &no), T0).await.unwrap();
    mock.pay(&no, crate::Timestamp::now().secs());
    views::settle_return(&s.db, &wechat, &no, T0).await.unwrap();

    refund(&s.db, &wechat, ask(&no, "RA-1", 500), &Actor::System, T0).await.unwrap();
    refund(&s.db, &wechat, ask(&no, "RC-1", 700), &Actor::System, T0).await.unwrap();
    mock.settle_refund("RA-1", "ABNORMAL");
    mock.settle_refund("RC-1", "CLOSED");
    let later = T0.plus_secs(CHECK_EVERY_SECS);
    assert_eq!(check_waiting(&s.db, &wechat, later).await.unwrap(), (0, 1, 1));
    let listed = waiting(&s.db).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].refund_no.as_str(), listed[0].provider_state.as_str()), ("RA-1", "ABNORMAL"));
    let p = find(s.db.pool(), &no).await.unwrap().unwrap();
    assert_eq!((p.state, p.refunded_fen), (PaymentState::Paid, 500), "the closed refund's 7 yuan are free again");
    // WeChat re-issued the abnormal one to another account: it finishes.
    mock.settle_refund("RA-1", "SUCCESS");
    assert_eq!(check_waiting(&s.db, &wechat, later.plus_secs(CHECK_EVERY_SECS)).await.unwrap(), (1, 0, 0));
    assert_eq!(state(&s, &no).await, "partially_refunded");
    assert!(waiting(&s.db).await.unwrap().is_empty());
}

/// The sandbox answering PROCESSING, then WeChat's REFUND.SUCCESS notification (signed and
/// encrypted as WeChat's) finishing it: stored value and points come back once, however often
/// it is delivered.
#[tokio::test]
async fn the_refund_notification_finishes_a_waiting_refund_once() {
    let s = shop().await;
    let secrets = crate::Secrets::new(vec![9; 32]).unwrap();
    let keys = SandboxKeys::load(&s.db, &secrets).await.unwrap();
    let mut tx = s.db.begin_write().await.unwrap();
    crate::settings::put(&mut **tx, &SandboxRefunds { answer: "processing".into() }, T0).await.unwrap();
    tx.commit().await.unwrap();

    let created = create(&s.db, &sandbox(), &plate(&s, 12_000, false, "n1"), T0).await.unwrap();
    let no = created.payment_no.clone();
    sandbox::confirm(&s.db, &sandbox(), &no, T0).await.unwrap();
    complete(&s.db, &no, &confirmation(&s.db, &no).await, T0).await.unwrap();
    let before = balances(&s.db, s.member).await;
    let done = refund(&s.db, &sandbox(), ask(&no, "RN-1", 12_000), &Actor::System, T0).await.unwrap();
    assert!(done.waiting && done.stored_value.0 > 0, "{done:?}");
    assert_eq!(balances(&s.db, s.member).await, before, "no tender comes back while WeChat is processing");

    let (refund_id,): (String,) = sqlx::query_as("SELECT provider_refund FROM refunds WHERE refund_no = 'RN-1'")
        .fetch_one(s.db.pool())
        .await
        .unwrap();
    let resource = RefundResource {
        mchid: SANDBOX_MCHID.into(),
        out_trade_no: no.to_string(),
        transaction_id: "4200000000000000000000000001".into(),
        out_refund_no: "RN-1".into(),
        refund_id,
        refund_status: RefundStatus::Success,
        success_time: Some(wx::beijing_time(T0.secs())),
        user_received_account: Some("支付用户零钱".into()),
        amount: RefundAmount { total: done.external, refund: done.external, payer_total: None, payer_refund: None },
    };
    let plaintext = serde_json::to_vec(&resource).unwrap();
    let now = crate::Timestamp::now();
    let signed =
        wx::sign_notification(&keys.signer, &keys.api_v3_key, "REFUND.SUCCESS", "退款成功", &plaintext, now.secs())
            .unwrap();
    let verifier = WechatVerifier {
        provider: "sandbox",
        keys: keys.platform_keys(),
        api_v3_key: keys.api_v3_key,
        mchid: SANDBOX_MCHID.into(),
        appid: super::sandbox::notify::SANDBOX_APPID.into(),
        certificates: None,
    };
    let headers = [
        (wx::HEADER_SERIAL, signed.headers.serial.as_str()),
        (wx::HEADER_SIGNATURE, signed.headers.signature.as_str()),
        (wx::HEADER_TIMESTAMP, signed.headers.timestamp.as_str()),
        (wx::HEADER_NONCE, signed.headers.nonce.as_str()),
    ];
    for _ in 0..3 {
        let answer = handle_wechat(&s.db, &verifier, headers, signed.body.as_bytes(), now).await;
        assert_eq!(answer.status, 204);
    }
    assert_eq!(state(&s, &no).await, "refunded");
    let after = balances(&s.db, s.member).await;
    assert_eq!(after.2 .0, before.2 .0 + done.stored_value.0, "stored value back once");
    assert!(after.0 > before.0, "points back");
    // A forged copy changes nothing and is refused.
    let forged = signed.body.replace("REFUND.SUCCESS", "REFUND.CLOSED");
    assert_eq!(handle_wechat(&s.db, &verifier, headers, forged.as_bytes(), now).await.status, 401);
    let _ = RefundProgress::Succeeded;
}

/// Alipay answers a refund at once, but the answer can be lost: the refund then waits, and the
/// refunds job asks Alipay (`alipay.trade.fastpay.refund.query`): a refund it made is finished;
/// one it never made is asked for again under the same number — never a second refund.
#[tokio::test]
async fn an_alipay_refund_whose_answer_was_lost_is_settled_by_the_refund_query() {
    let s = shop().await;
    let (mock, alipay) = super::provider_tests::alipay().await;
    let no = create(&s.db, &alipay, &order(&s, 3_000, "ra1"), T0).await.unwrap().payment_no;
    checkout::launch(&s.db, &alipay, s.member, &no, &request(Flow::AlipayCode, &no), T0).await.unwrap();
    mock.scan(&no);
    mock.pay(&no, crate::Timestamp::now().secs());
    views::settle_return(&s.db, &alipay, &no, T0).await.unwrap();

    // Made at Alipay, the answer lost.
    mock.lose_refund_answers(true);
    assert!(refund(&s.db, &alipay, ask(&no, "RAL-1", 1_000), &Actor::System, T0).await.unwrap().waiting);
    mock.lose_refund_answers(false);
    assert_eq!(state(&s, &no).await, "paid", "nothing comes back until Alipay's word");
    assert_eq!(mock.trade(&no).unwrap().refunded, 1_000);
    let later = T0.plus_secs(CHECK_EVERY_SECS);
    assert_eq!(check_waiting(&s.db, &alipay, later).await.unwrap(), (1, 0, 0));
    assert_eq!(state(&s, &no).await, "partially_refunded");
    assert_eq!(mock.trade(&no).unwrap().refunded, 1_000, "queried, not asked again");

    // Never reached Alipay (its gateway failing): asked again under the same number, made once.
    mock.answering(crate::payment_providers::alipay::mock_server::Answering::Failing);
    assert!(refund(&s.db, &alipay, ask(&no, "RAL-2", 500), &Actor::System, later).await.unwrap().waiting);
    mock.answering(crate::payment_providers::alipay::mock_server::Answering::Honestly);
    assert_eq!(mock.trade(&no).unwrap().refunded, 1_000);
    let after = later.plus_secs(CHECK_EVERY_SECS);
    assert_eq!(check_waiting(&s.db, &alipay, after).await.unwrap(), (1, 0, 0));
    assert_eq!(mock.trade(&no).unwrap().refunded, 1_500);
    assert_eq!(check_waiting(&s.db, &alipay, after.plus_secs(CHECK_EVERY_SECS)).await.unwrap(), (0, 0, 0));
    assert_eq!(mock.trade(&no).unwrap().refunded, 1_500);
    let seen = mock.seen();
    assert_eq!(seen.iter().filter(|m| *m == "alipay.trade.fastpay.refund.query").count(), 2, "{seen:?}");
}
