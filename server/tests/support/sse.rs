//! Reading a server-sent event stream the way a browser's EventSource does, without timing guesses:
//! a test reads until what it expects has arrived (or a generous limit passes), so a busy machine
//! makes it slower, never wrong.

use super::TestApp;
use http::StatusCode;
use http_body_util::BodyExt;
use std::time::Duration;
use tower::ServiceExt;

/// The longest a test waits for an event it expects: far beyond a poll on the busiest CI machine.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// Opens `path` (with the session's cookie, and `Last-Event-ID` when reconnecting) and reads until
/// `done` holds for the text so far or `max` has passed; returns the status and the text read.
pub async fn read(
    app: &TestApp,
    path: &str,
    session: Option<&str>,
    last_event_id: Option<&str>,
    done: impl Fn(&str) -> bool,
    max: Duration,
) -> (StatusCode, String) {
    let mut request = http::Request::get(path).header(http::header::ACCEPT, "text/event-stream");
    if let Some(token) = session {
        request = request.header(http::header::COOKIE, format!("plaza_session={token}"));
    }
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id);
    }
    let response = app.router.clone().oneshot(request.body(axum::body::Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let mut body = response.into_body();
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + max;
    while !done(&text) {
        match tokio::time::timeout_at(deadline, body.frame()).await {
            Ok(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    text.push_str(&String::from_utf8_lossy(data));
                }
            }
            _ => break,
        }
    }
    (status, text)
}

/// Reads until `done` holds (or [`PATIENCE`] passes): for events the test expects to arrive.
pub async fn until(
    app: &TestApp,
    path: &str,
    session: Option<&str>,
    done: impl Fn(&str) -> bool,
) -> (StatusCode, String) {
    read(app, path, session, None, done, PATIENCE).await
}

/// Reads for a fixed `window`: for a refusal's status, or to show what a stream does not carry.
pub async fn during(app: &TestApp, path: &str, session: Option<&str>, window: Duration) -> (StatusCode, String) {
    read(app, path, session, None, |_| false, window).await
}
