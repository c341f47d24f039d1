//! A real S3-compatible server for tests: moto's server from PyPI (`moto_server` on the PATH,
//! or the copy `scripts/setup --test` installs into `target/tools/moto`), started by the test on
//! a free loopback port and stopped when the handle is dropped. Signature checking is on: moto lets the first four actions through
//! unauthenticated (`INITIAL_NO_AUTH_ACTION_COUNT=4`), which create an IAM user, its policy,
//! its access key and the bucket; every request after them must be signed with that key.

use super::S3Config;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The bucket [`Moto::start`] creates.
pub const BUCKET: &str = "plaza-test-photos";

/// How many actions moto serves before it checks signatures: exactly the four of [`Moto::setup`].
const SETUP_ACTIONS: &str = "4";

/// Where `scripts/setup --test` installs moto when Python has none (`pip install --target`).
const INSTALLED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/tools/moto");

pub struct Moto {
    child: Child,
    log: PathBuf,
    pub endpoint: String,
    pub access_key: String,
    pub secret_key: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

impl Moto {
    /// A running moto with the bucket [`BUCKET`] and a key allowed every S3 action, or `None`
    /// when moto cannot be started here (not installed, or it exits or never listens): the
    /// reason is printed and the caller skips. With `PLAZA_TEST_REQUIRE_MOTO=1` that panics
    /// instead, for CI. Once moto runs, anything that goes wrong is a test failure.
    pub async fn start() -> Option<Moto> {
        let mut reasons = Vec::new();
        for program in [&["moto_server"][..], &["python3", "-m", "moto.server"][..]] {
            match Moto::launch(program).await {
                Ok(mut moto) => {
                    moto.setup().await;
                    return Some(moto);
                }
                Err(reason) => reasons.push(reason),
            }
        }
        let reason = reasons.join("; ");
        if std::env::var("PLAZA_TEST_REQUIRE_MOTO").is_ok_and(|v| v == "1") {
            panic!("moto's S3 server cannot be started and PLAZA_TEST_REQUIRE_MOTO=1: {reason}");
        }
        eprintln!(
            "SKIPPED: moto's S3 server cannot be started ({reason}); `scripts/setup --test` installs it \
             (pip install \"moto[server]\")"
        );
        None
    }

    /// The configuration of a store in `bucket` with the key moto accepts.
    pub fn config(&self, bucket: &str) -> S3Config {
        S3Config {
            endpoint: self.endpoint.clone(),
            bucket: bucket.to_string(),
            region: "us-east-1".to_string(),
            access_key: self.access_key.clone(),
            secret_key: self.secret_key.clone(),
        }
    }

    async fn launch(program: &[&str]) -> Result<Moto, String> {
        let name = program.join(" ");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|e| format!("no free loopback port: {e}"))?
            .port();
        let log = std::env::temp_dir().join(format!("plaza-moto-{}-{port}.log", std::process::id()));
        let log_file = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let mut command = Command::new(program[0]);
        // `moto_server` runs its own installation; `python3 -m` finds the one setup installed.
        if program[0] == "python3" && std::path::Path::new(INSTALLED).is_dir() {
            let mut path = std::ffi::OsString::from(INSTALLED);
            if let Some(more) = std::env::var_os("PYTHONPATH") {
                path.push(":");
                path.push(more);
            }
            command.env("PYTHONPATH", path);
        }
        let child = command
            .args(&program[1..])
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env("INITIAL_NO_AUTH_ACTION_COUNT", SETUP_ACTIONS)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .map_err(|e| {
                let _ = std::fs::remove_file(&log);
                format!("`{name}`: {e}")
            })?;
        let mut moto = Moto {
            child,
            log,
            endpoint: format!("http://127.0.0.1:{port}"),
            access_key: String::new(),
            secret_key: String::new(),
        };
        // Python and moto's imports take a second or two; a slow machine gets 60.
        let started = Instant::now();
        let http = crate::external::http_client(Duration::from_secs(5));
        loop {
            if let Ok(Some(status)) = moto.child.try_wait() {
                let said = std::fs::read_to_string(&moto.log).unwrap_or_default();
                let last = said.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").to_string();
                return Err(format!("`{name}` exited ({status}): {last}"));
            }
            let ready = http.get(format!("{}/moto-api/data.json", moto.endpoint)).send().await;
            if ready.is_ok_and(|r| r.status().is_success()) {
                return Ok(moto);
            }
            if started.elapsed() > Duration::from_secs(60) {
                return Err(format!("`{name}` did not answer on port {port} within 60 s"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The four unauthenticated actions, then proof that signatures are checked.
    async fn setup(&mut self) {
        let http = crate::external::http_client(Duration::from_secs(30));
        let unsigned = |service: &str| {
            format!("AWS4-HMAC-SHA256 Credential=setup/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=0")
        };
        let iam = |params: &[(&str, &str)]| {
            let mut form: Vec<(&str, &str)> = vec![("Version", "2010-05-08"), ("UserName", "plaza")];
            form.extend_from_slice(params);
            http.post(&self.endpoint).header("authorization", unsigned("iam")).form(&form).send()
        };
        let expect = |what: &str, answer: reqwest::Result<reqwest::Response>| -> reqwest::Response {
            match answer {
                Ok(response) if response.status().is_success() => response,
                Ok(response) => panic!("moto refused {what}: {}", response.status()),
                Err(e) => panic!("moto did not answer {what}: {e}"),
            }
        };
        expect("CreateUser", iam(&[("Action", "CreateUser")]).await);
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
        expect(
            "PutUserPolicy",
            iam(&[("Action", "PutUserPolicy"), ("PolicyName", "photos"), ("PolicyDocument", policy)]).await,
        );
        let key =
            expect("CreateAccessKey", iam(&[("Action", "CreateAccessKey")]).await).text().await.unwrap_or_default();
        let field = |name: &str| {
            let start = key.find(&format!("<{name}>")).map(|i| i + name.len() + 2);
            let end = key.find(&format!("</{name}>"));
            match (start, end) {
                (Some(start), Some(end)) if start < end => key[start..end].to_string(),
                _ => panic!("moto's CreateAccessKey answer has no {name}: {key}"),
            }
        };
        self.access_key = field("AccessKeyId");
        self.secret_key = field("SecretAccessKey");
        let bucket =
            http.put(format!("{}/{BUCKET}", self.endpoint)).header("authorization", unsigned("s3")).send().await;
        expect("CreateBucket", bucket);
        let forged =
            http.get(format!("{}/{BUCKET}", self.endpoint)).header("authorization", unsigned("s3")).send().await;
        let status = forged.map(|r| r.status().as_u16()).unwrap_or_default();
        assert_eq!(status, 403, "moto must check signatures after its four setup actions");
    }
}
