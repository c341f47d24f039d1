//! The Tencent client against the stand-in, which checks each call as the service does.

use super::stand_in::{StandInAccount, TencentStandIn};
use super::*;
use crate::auth::sms_sign_in::{self, request_code};
use crate::auth::ClientInfo;
use crate::testing::{test_db, test_secrets};
use crate::Timestamp;
use plaza_types::{AppError, SmsCode};

const SECRET_ID: &str = "AKIDplazatest0000000000000000000000";
const SECRET_KEY: &str = "plaza-test-secret-key-0000000000";

fn account() -> StandInAccount {
    StandInAccount {
        secret_id: SECRET_ID.into(),
        secret_key: SECRET_KEY.into(),
        sdk_app_id: "1400787878".into(),
        sign_name: "星汇广场".into(),
        templates: HashMap::from([("1790001".to_string(), 2), ("1790002".to_string(), 1)]),
    }
}

fn config(stand_in: &TencentStandIn) -> TencentSmsConfig {
    TencentSmsConfig {
        secret_id: SECRET_ID.into(),
        secret_key: SECRET_KEY.into(),
        sdk_app_id: "1400787878".into(),
        sign_name: "星汇广场".into(),
        region: DEFAULT_REGION.into(),
        endpoint: stand_in.base_url.clone(),
        templates: HashMap::from([
            (SmsTemplate::SignInCode, "1790001".to_string()),
            (SmsTemplate::MembershipExpiring, "1790002".to_string()),
        ]),
        timeout: Duration::from_secs(5),
    }
}

fn phone() -> PhoneNumber {
    PhoneNumber::parse("13800138000").unwrap()
}

#[tokio::test]
async fn a_signed_message_is_accepted_with_its_template_and_parameters() {
    let stand_in = TencentStandIn::start(account()).await;
    let sms = TencentSms::new(config(&stand_in)).unwrap();
    let message = SmsMessage::sign_in_code("星汇广场", "482913", 5);
    let serial = sms.send(&phone(), &message, Timestamp::now().secs()).await.unwrap();
    let sent = stand_in.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].serial_no, serial);
    assert_eq!(sent[0].phone, "+8613800138000");
    assert_eq!(sent[0].template_id, "1790001");
    assert_eq!(sent[0].params, ["482913", "5"]);
    let reminder = SmsMessage::membership_expiring("星汇广场", "2026-03-31");
    sms.deliver(&phone(), &reminder).await.unwrap();
    assert_eq!(stand_in.sent()[1].params, ["2026-03-31"]);
    assert!(stand_in.refused().is_empty());
}

#[tokio::test]
async fn the_service_refuses_a_wrong_key_an_unknown_id_a_stale_signature_and_unknown_settings() {
    let stand_in = TencentStandIn::start(account()).await;
    let message = SmsMessage::sign_in_code("星汇广场", "482913", 5);
    let now = Timestamp::now().secs();
    let refused = |config: TencentSmsConfig, at: i64| {
        let message = message.clone();
        async move { TencentSms::new(config).unwrap().send(&phone(), &message, at).await.unwrap_err() }
    };
    let mut wrong_key = config(&stand_in);
    wrong_key.secret_key = "another-secret-key-0000000000000".into();
    assert!(refused(wrong_key, now).await.starts_with("AuthFailure.SignatureFailure"));
    let mut unknown_id = config(&stand_in);
    unknown_id.secret_id = "AKIDsomebodyelse".into();
    assert!(refused(unknown_id, now).await.starts_with("AuthFailure.SecretIdNotFound"));
    assert!(refused(config(&stand_in), now - 600).await.starts_with("AuthFailure.SignatureExpire"));
    let mut sign = config(&stand_in);
    sign.sign_name = "别家商场".into();
    assert!(refused(sign, now).await.starts_with("FailedOperation.SignatureIncorrectOrUnapproved"));
    let mut template = config(&stand_in);
    template.templates.insert(SmsTemplate::SignInCode, "1790002".into());
    assert!(refused(template, now).await.starts_with("InvalidParameterValue.TemplateParameterFormatError"));
    assert!(stand_in.sent().is_empty(), "nothing refused was sent");
}

#[tokio::test]
async fn a_body_changed_after_signing_is_refused() {
    let stand_in = TencentStandIn::start(account()).await;
    let sms = TencentSms::new(config(&stand_in)).unwrap();
    let message = SmsMessage::sign_in_code("星汇广场", "482913", 5);
    let body = sms.body(&phone(), &message).unwrap();
    let now = Timestamp::now().secs();
    let host = stand_in.base_url.trim_start_matches("http://").to_string();
    let signer = signature::Signer { secret_id: SECRET_ID, secret_key: SECRET_KEY, service: SERVICE };
    let signed = [("content-type", CONTENT_TYPE), ("host", host.as_str()), ("x-tc-action", "sendsms")];
    let authorization = signer.authorization(now, &signed, body.as_bytes());
    let send = |body: String| {
        let authorization = authorization.clone();
        let url = stand_in.base_url.clone();
        async move {
            let answer = reqwest::Client::new()
                .post(url)
                .header("Authorization", authorization)
                .header("Content-Type", CONTENT_TYPE)
                .header("X-TC-Action", ACTION)
                .header("X-TC-Timestamp", now.to_string())
                .header("X-TC-Version", VERSION)
                .header("X-TC-Region", DEFAULT_REGION)
                .body(body)
                .send()
                .await
                .unwrap();
            read_answer(&answer.text().await.unwrap())
        }
    };
    let tampered = body.replace("13800138000", "13900139000");
    assert!(send(tampered).await.unwrap_err().starts_with("AuthFailure.SignatureFailure"));
    assert!(stand_in.sent().is_empty());
    send(body).await.unwrap();
    assert_eq!(stand_in.sent().len(), 1);
}

#[test]
fn settings_are_checked_before_the_first_message() {
    let base = || TencentSmsConfig {
        secret_id: SECRET_ID.into(),
        secret_key: SECRET_KEY.into(),
        sdk_app_id: "1400787878".into(),
        sign_name: "星汇广场".into(),
        region: DEFAULT_REGION.into(),
        endpoint: DEFAULT_ENDPOINT.into(),
        templates: HashMap::from([
            (SmsTemplate::SignInCode, "1790001".to_string()),
            (SmsTemplate::MembershipExpiring, "1790002".to_string()),
        ]),
        timeout: Duration::from_secs(5),
    };
    assert!(TencentSms::new(base()).is_ok());
    let mut plain_http = base();
    plain_http.endpoint = "http://sms.tencentcloudapi.com".into();
    assert!(TencentSms::new(plain_http).unwrap_err().contains("https"));
    let mut missing = base();
    missing.templates.remove(&SmsTemplate::MembershipExpiring);
    assert!(TencentSms::new(missing).unwrap_err().contains("membership_expiring"));
    let mut empty = base();
    empty.secret_key = " ".into();
    assert!(TencentSms::new(empty).unwrap_err().contains("secret key"));
    assert!(!format!("{:?}", base()).contains(SECRET_KEY), "the key is never printed");
}

#[test]
fn answers_are_read_as_the_service_writes_them() {
    let ok = r#"{"Response":{"SendStatusSet":[{"SerialNo":"5000:104571066915705365784949619","PhoneNumber":"+8618511122233","Fee":1,"SessionContext":"test","Code":"Ok","Message":"send success","IsoCode":"CN"}],"RequestId":"a0aabda6-cf91-4f3e-a81f-9198114a2279"}}"#;
    assert_eq!(read_answer(ok).unwrap(), "5000:104571066915705365784949619");
    let limited = ok.replace("\"Ok\"", "\"LimitExceeded.PhoneNumberDailyLimit\"");
    assert!(read_answer(&limited).unwrap_err().starts_with("LimitExceeded.PhoneNumberDailyLimit"));
    let error = r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"The provided credentials could not be validated."},"RequestId":"x"}}"#;
    assert!(read_answer(error).unwrap_err().starts_with("AuthFailure.SignatureFailure"));
    assert!(read_answer("<html>").is_err());
}

#[tokio::test]
async fn a_sign_in_code_goes_out_through_tencent_and_signs_the_shopper_in() {
    let db = test_db().await;
    let secrets = test_secrets();
    let stand_in = TencentStandIn::start(account()).await;
    let sms = TencentSms::new(config(&stand_in)).unwrap();
    let client = ClientInfo { ip: "10.1.1.1".into(), user_agent: "test".into() };
    let now = Timestamp::now();
    request_code(&db, &secrets, &sms, &phone(), &client, now).await.unwrap();
    let sent = stand_in.sent();
    let code = SmsCode::parse(&sent[0].params[0]).unwrap();
    let signed_in =
        sms_sign_in::sign_in(&db, &secrets, &phone(), &code, None, &client, now.plus_secs(10)).await.unwrap();
    assert!(signed_in.created);
    let (status, provider): (String, String) =
        sqlx::query_as("SELECT status, provider FROM sms_outbox ORDER BY id DESC LIMIT 1")
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert_eq!((status.as_str(), provider.as_str()), ("sent", "tencent"));

    // A provider that refuses: the shopper hears the service is unavailable, not "code sent".
    let mut wrong = config(&stand_in);
    wrong.secret_key = "another-secret-key-0000000000000".into();
    let failing = TencentSms::new(wrong).unwrap();
    let other = PhoneNumber::parse("13900139000").unwrap();
    let err = request_code(&db, &secrets, &failing, &other, &client, now.plus_secs(120)).await.unwrap_err();
    assert!(matches!(err, crate::Error::User(AppError::Unavailable)), "{err:?}");
    let (status,): (String,) =
        sqlx::query_as("SELECT status FROM sms_outbox ORDER BY id DESC LIMIT 1").fetch_one(db.pool()).await.unwrap();
    assert_eq!(status, "failed");
}
