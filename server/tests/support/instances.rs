//! Several `plaza serve` processes on one database, as a load balancer would see them, and a
//! small client for their live streams. Used by the two-instance test and the live-update bench.

use plaza_core::auth::{sessions, ClientInfo};
use plaza_core::{Db, Timestamp};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const SECRET: &str = "two-instance-test-secret-key-32-bytes-at-least";

/// One `plaza serve` process.
pub struct Instance {
    pub port: u16,
    child: Child,
    #[allow(dead_code)]
    log: PathBuf,
}

impl Instance {
    /// Starts `plaza serve` (`binary`) on `db_url` and waits until it listens.
    pub fn start(binary: &str, db_url: &str, name: &str) -> Instance {
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("plaza-instance-{}-{name}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a data folder");
        let log = dir.join("serve.log");
        let out = std::fs::File::create(&log).expect("a log file");
        let mut child = Command::new(binary)
            .arg("serve")
            .env("PLAZA_ENV", "demo")
            .env("DATABASE_URL", db_url)
            .env("PLAZA_DATA_DIR", &dir)
            .env("PLAZA_SECRET_KEY", SECRET)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_OUTPUT_NAME", "plaza")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::from(out))
            .spawn()
            .expect("plaza starts");
        let deadline = Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = child.try_wait().expect("a status") {
                panic!("plaza {name} exited with {status}: {}", std::fs::read_to_string(&log).unwrap_or_default());
            }
            assert!(Instant::now() < deadline, "plaza {name} did not listen within 60 s");
            std::thread::sleep(Duration::from_millis(50));
        }
        Instance { port, child, log }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The instance's log so far (for a failing test's message; the bench has no use for it).
    #[allow(dead_code)]
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("its address").port()
}

/// A session token for a demo staff account, made in the database every instance reads.
pub async fn staff_session(db: &Db, username: &str) -> String {
    let signed = plaza_core::auth::staff::sign_in(
        db,
        username,
        plaza_core::demo::DEMO_PASSWORD,
        &ClientInfo::default(),
        Timestamp::now(),
    )
    .await
    .unwrap_or_else(|e| panic!("{username} signs in: {e:?}"));
    signed.session.token
}

/// A session token for the member with this phone (created if new).
pub async fn member_session(db: &Db, phone: &str) -> (plaza_types::MemberId, String) {
    let now = Timestamp::now();
    let mut tx = db.begin_write().await.expect("a transaction");
    let phone = plaza_types::PhoneNumber::parse(phone).expect("a phone number");
    let (member, _) = plaza_core::members::find_or_create_by_phone(&mut tx, &phone, now).await.expect("a member");
    let session = sessions::create_for_member(&mut tx, member, &ClientInfo::default(), now).await.expect("a session");
    tx.commit().await.expect("committed");
    (member, session.token)
}

pub fn cookie(token: &str) -> String {
    format!("plaza_session={token}")
}

/// One server-sent event.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sse {
    pub event: String,
    pub id: Option<String>,
    pub data: String,
}

/// A live stream being read.
pub struct Stream {
    response: reqwest::Response,
    buffer: String,
}

impl Stream {
    /// Opens `url` as an event stream with `cookie`, resuming after `last_event_id` if given.
    pub async fn open(client: &reqwest::Client, url: &str, cookie: &str, last_event_id: Option<&str>) -> Stream {
        let mut request = client.get(url).header("cookie", cookie).header("accept", "text/event-stream");
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id);
        }
        let response = request.send().await.expect("the stream answers");
        assert_eq!(response.status(), reqwest::StatusCode::OK, "{url}");
        Stream { response, buffer: String::new() }
    }

    /// The next event, `Ok(None)` when the server ended the stream, `Err(())` on timeout.
    /// Keep-alive comments are skipped.
    pub async fn next(&mut self, timeout: Duration) -> Result<Option<Sse>, ()> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(at) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..at + 2).collect();
                let mut event = Sse { event: "message".into(), ..Sse::default() };
                let mut any = false;
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        event.event = v.trim().to_string();
                        any = true;
                    } else if let Some(v) = line.strip_prefix("id:") {
                        event.id = Some(v.trim().to_string());
                    } else if let Some(v) = line.strip_prefix("data:") {
                        event.data.push_str(v.strip_prefix(' ').unwrap_or(v));
                        any = true;
                    }
                }
                if any {
                    return Ok(Some(event));
                }
                continue;
            }
            match tokio::time::timeout_at(deadline, self.response.chunk()).await {
                Err(_) => return Err(()),
                Ok(Ok(Some(bytes))) => self.buffer.push_str(&String::from_utf8_lossy(&bytes).replace("\r\n", "\n")),
                Ok(Ok(None)) | Ok(Err(_)) => return Ok(None),
            }
        }
    }

    /// The next `sale` event (skipping `totals`).
    pub async fn next_sale(&mut self, timeout: Duration) -> Result<Option<Sse>, ()> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.next(left).await? {
                Some(e) if e.event == "sale" => return Ok(Some(e)),
                Some(_) => continue,
                None => return Ok(None),
            }
        }
    }
}

/// Pays `amount` yuan at `plate` through `instance` with the member's stored value (no provider:
/// the payment completes inside the request). Returns the payment number.
pub async fn pay_with_stored_value(
    client: &reqwest::Client,
    instance: &Instance,
    member_cookie: &str,
    plate: &str,
    amount: &str,
    key: &str,
) -> String {
    let form = [("code", plate), ("amount", amount), ("sv", "on"), ("request_key", key)];
    let reply = client
        .post(instance.url("/api/pay/plate"))
        .header("cookie", member_cookie)
        .header("accept", "application/json")
        .form(&form)
        .send()
        .await
        .expect("the pay request answers");
    let status = reply.status();
    let body = reply.text().await.unwrap_or_default();
    assert!(status.is_success(), "{status}: {body}");
    serde_json::from_str::<String>(&body).unwrap_or_else(|_| panic!("a payment number: {body}"))
}
