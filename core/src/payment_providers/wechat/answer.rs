//! What we answer WeChat's notifications with. WeChat looks at the status first: 200 or 204 means
//! "received, stop sending"; a 4xx or 5xx (or no answer within 5 s) means "send again later", on
//! its schedule of 15 s, 15 s, 30 s, 3 m, 10 m, 20 m, 30 m ×3, 60 m, 3 h ×3, 6 h ×2. A failure
//! carries `{"code":"FAIL","message":"…"}` for WeChat's logs.

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    /// JSON when present; an acknowledgement has no body.
    pub body: Option<String>,
}

#[derive(Serialize)]
struct Failure<'a> {
    code: &'static str,
    message: &'a str,
}

impl Answer {
    pub const CONTENT_TYPE: &'static str = "application/json";
}

/// The notification was verified and handled (or was already handled: duplicates are acknowledged
/// too, or WeChat keeps resending them).
pub fn acknowledge() -> Answer {
    Answer { status: 204, body: None }
}

/// Refuses with a 4xx or 5xx `status` (anything else becomes 500, since a 2xx would stop the
/// retries) and a message for WeChat's logs. Never put secrets or internal errors in `message`.
pub fn refuse(status: u16, message: &str) -> Answer {
    let status = if (400..600).contains(&status) { status } else { 500 };
    let body = serde_json::to_string(&Failure { code: "FAIL", message }).expect("two strings always encode");
    Answer { status, body: Some(body) }
}

/// A signature that did not verify (including WeChat's signature probes).
pub fn refuse_unverified() -> Answer {
    refuse(401, "signature verification failed")
}

/// Verified, but we could not finish (database down, say): WeChat should try again.
pub fn retry_later() -> Answer {
    refuse(500, "temporarily unable to process")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acknowledgement_is_an_empty_2xx() {
        assert_eq!(acknowledge(), Answer { status: 204, body: None });
    }

    #[test]
    fn refusals_are_4xx_or_5xx_with_wechats_failure_body() {
        let answer = refuse_unverified();
        assert_eq!(answer.status, 401);
        assert_eq!(answer.body.as_deref(), Some(r#"{"code":"FAIL","message":"signature verification failed"}"#));
        assert_eq!(retry_later().status, 500);
        assert_eq!(refuse(200, "x").status, 500, "a 2xx refusal would silently stop the retries");
        assert_eq!(refuse(400, "引号\"").body.as_deref(), Some(r#"{"code":"FAIL","message":"引号\""}"#));
    }
}
