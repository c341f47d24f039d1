use super::*;
use crate::auth::{sessions, Principal};
use crate::sms::OutboxSms;
use crate::testing::{test_db, test_secrets};

fn phone() -> PhoneNumber {
    PhoneNumber::parse("13912345678").unwrap()
}

fn client(ip: &str) -> ClientInfo {
    ClientInfo { ip: ip.to_string(), user_agent: "test".into() }
}

async fn sent_code(db: &Db) -> SmsCode {
    let body = sms::latest_to(db, &phone()).await.unwrap().expect("an SMS was queued");
    SmsCode::parse(&sms::code_in(&body).expect("the SMS carries a code")).unwrap()
}

#[tokio::test]
async fn first_sign_in_creates_the_member_and_a_session() {
    let db = test_db().await;
    let secrets = test_secrets();
    let now = Timestamp(1_800_000_000_000);
    request_code(&db, &secrets, &OutboxSms, &phone(), &client("1.1.1.1"), now).await.unwrap();
    let code = sent_code(&db).await;

    let first = sign_in(&db, &secrets, &phone(), &code, None, &client("1.1.1.1"), now.plus_secs(30)).await.unwrap();
    assert!(first.created);
    let who = sessions::authenticate(&db, &first.session.token, now.plus_secs(31)).await.unwrap();
    assert_eq!(who, Some(Principal::Member(first.member_id)));

    // The code is single-use.
    let again = sign_in(&db, &secrets, &phone(), &code, None, &client("1.1.1.1"), now.plus_secs(40)).await.unwrap_err();
    assert!(matches!(again, crate::Error::User(AppError::SmsCodeExpired)), "{again:?}");

    // Signing in again later finds the same member.
    request_code(&db, &secrets, &OutboxSms, &phone(), &client("1.1.1.1"), now.plus_secs(120)).await.unwrap();
    let code = sent_code(&db).await;
    let second = sign_in(&db, &secrets, &phone(), &code, None, &client("1.1.1.1"), now.plus_secs(130)).await.unwrap();
    assert!(!second.created);
    assert_eq!(second.member_id, first.member_id);
}

#[tokio::test]
async fn codes_expire_after_five_minutes() {
    let db = test_db().await;
    let secrets = test_secrets();
    let now = Timestamp(1_800_000_000_000);
    request_code(&db, &secrets, &OutboxSms, &phone(), &client("1.1.1.1"), now).await.unwrap();
    let code = sent_code(&db).await;
    let err = sign_in(&db, &secrets, &phone(), &code, None, &client("1.1.1.1"), now.plus_secs(CODE_TTL_SECS + 1))
        .await
        .unwrap_err();
    assert!(matches!(err, crate::Error::User(AppError::SmsCodeExpired)), "{err:?}");
}

#[tokio::test]
async fn wrong_codes_count_down_then_burn_the_code() {
    let db = test_db().await;
    let secrets = test_secrets();
    let now = Timestamp(1_800_000_000_000);
    request_code(&db, &secrets, &OutboxSms, &phone(), &client("1.1.1.1"), now).await.unwrap();
    let right = sent_code(&db).await;
    let wrong = SmsCode::parse(if right.as_str() == "000000" { "111111" } else { "000000" }).unwrap();
    for left in (1..MAX_WRONG_TRIES).rev() {
        let err =
            sign_in(&db, &secrets, &phone(), &wrong, None, &client("1.1.1.1"), now.plus_secs(1)).await.unwrap_err();
        assert!(
            matches!(err, crate::Error::User(AppError::SmsCodeWrong { attempts_left }) if attempts_left == left),
            "{err:?}"
        );
    }
    let err = sign_in(&db, &secrets, &phone(), &wrong, None, &client("1.1.1.1"), now.plus_secs(1)).await.unwrap_err();
    assert!(matches!(err, crate::Error::User(AppError::SmsCodeExpired)), "{err:?}");
    // Even the right code no longer works.
    let err = sign_in(&db, &secrets, &phone(), &right, None, &client("1.1.1.1"), now.plus_secs(2)).await.unwrap_err();
    assert!(matches!(err, crate::Error::User(AppError::SmsCodeExpired)), "{err:?}");
}

#[tokio::test]
async fn sending_is_rate_limited_per_number_and_per_ip() {
    let db = test_db().await;
    let secrets = test_secrets();
    let now = Timestamp(1_800_000_000_000);
    request_code(&db, &secrets, &OutboxSms, &phone(), &client("1.1.1.1"), now).await.unwrap();
    let err =
        request_code(&db, &secrets, &OutboxSms, &phone(), &client("2.2.2.2"), now.plus_secs(20)).await.unwrap_err();
    assert!(matches!(err, crate::Error::User(AppError::RateLimited { retry_after_secs: 40 })), "{err:?}");

    // One IP asking for many different numbers is stopped too.
    let mut refused = None;
    for i in 0..20 {
        let other = PhoneNumber::parse(&format!("1370000{:04}", i)).unwrap();
        if let Err(err) = request_code(&db, &secrets, &OutboxSms, &other, &client("3.3.3.3"), now.plus_secs(i)).await {
            refused = Some((i, err));
            break;
        }
    }
    let (at, err) = refused.expect("the IP limit stops a burst");
    assert_eq!(at, 10);
    assert!(matches!(err, crate::Error::User(AppError::RateLimited { .. })));
}

#[tokio::test]
async fn a_new_code_replaces_the_old_one() {
    let db = test_db().await;
    let secrets = test_secrets();
    let now = Timestamp(1_800_000_000_000);
    request_code(&db, &secrets, &OutboxSms, &phone(), &client("1.1.1.1"), now).await.unwrap();
    let old = sent_code(&db).await;
    request_code(&db, &secrets, &OutboxSms, &phone(), &client("1.1.1.1"), now.plus_secs(61)).await.unwrap();
    let new = sent_code(&db).await;
    if old != new {
        // The old code is checked against the new one, so it is simply wrong now.
        let err =
            sign_in(&db, &secrets, &phone(), &old, None, &client("1.1.1.1"), now.plus_secs(62)).await.unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::SmsCodeWrong { .. })), "{err:?}");
    }
    sign_in(&db, &secrets, &phone(), &new, None, &client("1.1.1.1"), now.plus_secs(63)).await.unwrap();
}
