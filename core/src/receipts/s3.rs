//! Receipt photos in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, Cloudflare R2, OSS/COS in
//! their S3 modes…), for several server instances without a shared folder.
//!
//! Path-style addresses, `{endpoint}/{bucket}/{key}`, which every S3-compatible service accepts
//! (virtual-host style needs DNS per bucket). Two calls only: PutObject (`PUT`, `image/jpeg`) and
//! GetObject (`GET`), signed with AWS Signature Version 4 in the `Authorization` header, written
//! here with `hmac`/`sha2` rather than pulling an SDK in. The payload is signed too
//! (`x-amz-content-sha256` is its SHA-256, not `UNSIGNED-PAYLOAD`).

use super::storage::{check_key, PhotoStore};
use async_trait::async_trait;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::io;
use std::time::Duration;

/// How long one PutObject or GetObject may take, connection included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Where and as whom. `Debug` never shows the secret key.
#[derive(Clone)]
pub struct S3Config {
    /// `https://s3.example.com` or `http://127.0.0.1:9000` (MinIO); a path prefix is kept.
    pub endpoint: String,
    pub bucket: String,
    /// `us-east-1` unless the service says otherwise (MinIO's default too).
    pub region: String,
    pub access_key: String,
    pub secret_key: String,
}

impl std::fmt::Debug for S3Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Config")
            .field("endpoint", &self.endpoint)
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("access_key", &self.access_key)
            .field("secret_key", &"<redacted>")
            .finish()
    }
}

impl S3Config {
    /// The endpoint as a URL without a trailing slash, or why it cannot be used; also checks the
    /// bucket, region and keys, so a bad setting stops start-up rather than the first upload.
    pub fn check(&self) -> Result<reqwest::Url, String> {
        let url = reqwest::Url::parse(self.endpoint.trim_end_matches('/'))
            .map_err(|e| format!("the endpoint `{}` is not a URL: {e}", self.endpoint))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(format!("the endpoint `{}` must be an http:// or https:// address", self.endpoint));
        }
        if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() || url.password().is_some() {
            return Err(format!("the endpoint `{}` must have no query, fragment or credentials", self.endpoint));
        }
        let bucket_ok = (3..=63).contains(&self.bucket.len())
            && self.bucket.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-'));
        if !bucket_ok {
            return Err(format!(
                "the bucket `{}` is not an S3 bucket name (3–63 lower-case letters, digits, `.` and `-`)",
                self.bucket
            ));
        }
        if self.region.is_empty() || !self.region.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(format!("the region `{}` is not a region name", self.region));
        }
        if self.access_key.is_empty() || self.secret_key.is_empty() {
            return Err("the access key and the secret key must both be set".to_string());
        }
        Ok(url)
    }
}

/// An S3-compatible bucket behind [`PhotoStore`].
pub struct S3Store {
    config: S3Config,
    endpoint: reqwest::Url,
    http: reqwest::Client,
}

impl std::fmt::Debug for S3Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Store").field("config", &self.config).finish_non_exhaustive()
    }
}

impl S3Store {
    pub fn new(config: S3Config) -> io::Result<S3Store> {
        S3Store::with_timeout(config, DEFAULT_TIMEOUT)
    }

    pub fn with_timeout(config: S3Config, timeout: Duration) -> io::Result<S3Store> {
        let endpoint = config.check().map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            // An answer that redirects is not the bucket's (and would be signed for another host).
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(io::Error::other)?;
        Ok(S3Store { config, endpoint, http })
    }

    /// The object's URL and its canonical (encoded) path: `{endpoint path}/{bucket}/{key}`.
    fn object_url(&self, key: &str) -> io::Result<(reqwest::Url, String)> {
        check_key(key)?;
        let mut url = self.endpoint.clone();
        let path = format!(
            "{}/{}/{}",
            self.endpoint.path().trim_end_matches('/'),
            uri_encode(&self.config.bucket, false),
            uri_encode(key, true)
        );
        url.set_path(&path);
        // The URL parser keeps an already-encoded path as it is; the signature covers this text.
        let canonical = url.path().to_string();
        Ok((url, canonical))
    }

    async fn send(&self, method: reqwest::Method, key: &str, body: Option<Vec<u8>>) -> io::Result<reqwest::Response> {
        let (url, canonical_uri) = self.object_url(key)?;
        let host = match url.port() {
            Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_string(),
        };
        let payload_sha256 = hex::encode(Sha256::digest(body.as_deref().unwrap_or_default()));
        let amz_date = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ").to_string();
        let mut headers: Vec<(&str, &str)> =
            vec![("host", &host), ("x-amz-content-sha256", &payload_sha256), ("x-amz-date", &amz_date)];
        if body.is_some() {
            headers.push(("content-type", "image/jpeg"));
        }
        let signed = sign(
            &self.config.access_key,
            &self.config.secret_key,
            &self.config.region,
            "s3",
            &Request {
                method: method.as_str(),
                canonical_uri: &canonical_uri,
                canonical_query: "",
                headers: &headers,
                payload_sha256: &payload_sha256,
                amz_date: &amz_date,
            },
        );
        let mut request = self.http.request(method.clone(), url);
        for (name, value) in &headers {
            request = request.header(*name, *value);
        }
        request = request.header(reqwest::header::AUTHORIZATION, signed.authorization);
        if let Some(body) = body {
            request = request.body(body);
        }
        let response = request.send().await.map_err(|e| {
            let kind = if e.is_timeout() { io::ErrorKind::TimedOut } else { io::ErrorKind::Other };
            io::Error::new(kind, format!("S3 {method} {key}: {}", e.without_url()))
        })?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        // S3 explains a refusal in an XML body: `<Error><Code>NoSuchKey</Code>…`.
        let text = response.text().await.unwrap_or_default();
        let code = s3_error_code(&text).unwrap_or("no error code");
        let kind = match status.as_u16() {
            404 => io::ErrorKind::NotFound,
            401 | 403 => io::ErrorKind::PermissionDenied,
            _ => io::ErrorKind::Other,
        };
        Err(io::Error::new(kind, format!("S3 {method} {key}: {status} {code}")))
    }
}

#[async_trait]
impl PhotoStore for S3Store {
    async fn put(&self, key: &str, bytes: Vec<u8>) -> io::Result<()> {
        self.send(reqwest::Method::PUT, key, Some(bytes)).await.map(drop)
    }

    async fn get(&self, key: &str) -> io::Result<Vec<u8>> {
        let response = self.send(reqwest::Method::GET, key, None).await?;
        let bytes = response.bytes().await.map_err(|e| {
            let kind = if e.is_timeout() { io::ErrorKind::TimedOut } else { io::ErrorKind::Other };
            io::Error::new(kind, format!("S3 GET {key}: reading the object: {}", e.without_url()))
        })?;
        Ok(bytes.to_vec())
    }
}

/// The `<Code>` of an S3 error document (a short word such as `NoSuchKey`), if there is one.
fn s3_error_code(xml: &str) -> Option<&str> {
    let start = xml.find("<Code>")? + "<Code>".len();
    let end = start + xml[start..].find("</Code>")?;
    let code = xml[start..end].trim();
    (!code.is_empty() && code.len() <= 64 && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.'))
        .then_some(code)
}

/// SigV4's URI encoding: everything but `A-Z a-z 0-9 - _ . ~` as `%XX` (upper-case), `/` kept in
/// an object key.
fn uri_encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') || (keep_slash && b == b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What SigV4 signs of a request.
pub(crate) struct Request<'a> {
    pub method: &'a str,
    /// The path as sent, already URI-encoded.
    pub canonical_uri: &'a str,
    /// `name=value&…` sorted and encoded; empty here (no query parameters).
    pub canonical_query: &'a str,
    /// The signed headers (names in any case); must include `host` and `x-amz-date`.
    pub headers: &'a [(&'a str, &'a str)],
    /// Hex SHA-256 of the body, the same text as the `x-amz-content-sha256` header.
    pub payload_sha256: &'a str,
    /// `YYYYMMDDTHHMMSSZ`, the same text as the `x-amz-date` header.
    pub amz_date: &'a str,
}

#[derive(Debug)]
pub(crate) struct Signed {
    /// The intermediate steps, checked step by step against AWS's published example.
    #[cfg_attr(not(test), allow(dead_code))]
    pub canonical_request: String,
    #[cfg_attr(not(test), allow(dead_code))]
    pub string_to_sign: String,
    #[cfg_attr(not(test), allow(dead_code))]
    pub signature: String,
    pub authorization: String,
}

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// AWS Signature Version 4 (header form): the canonical request, the string to sign, the signing
/// key derived from the secret, the date, region and service, and the `Authorization` value.
pub(crate) fn sign(access_key: &str, secret_key: &str, region: &str, service: &str, request: &Request) -> Signed {
    let mut headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(name, value)| {
            // Trimmed, with runs of spaces inside the value folded into one.
            let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
            (name.to_ascii_lowercase(), value)
        })
        .collect();
    headers.sort();
    let canonical_headers: String = headers.iter().map(|(name, value)| format!("{name}:{value}\n")).collect();
    let signed_headers = headers.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>().join(";");
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        request.method,
        request.canonical_uri,
        request.canonical_query,
        canonical_headers,
        signed_headers,
        request.payload_sha256
    );
    let date = request.amz_date.get(..8).unwrap_or(request.amz_date);
    let scope = format!("{date}/{region}/{service}/aws4_request");
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{}\n{scope}\n{}",
        request.amz_date,
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    let key = hmac(format!("AWS4{secret_key}").as_bytes(), date);
    let key = hmac(&key, region);
    let key = hmac(&key, service);
    let key = hmac(&key, "aws4_request");
    let signature = hex::encode(hmac(&key, &string_to_sign));
    let authorization = format!(
        "AWS4-HMAC-SHA256 Credential={access_key}/{scope}, SignedHeaders={signed_headers}, Signature={signature}"
    );
    Signed { canonical_request, string_to_sign, signature, authorization }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Bytes;
    use axum::extract::State;
    use axum::http::{HeaderMap, Method, StatusCode, Uri};
    use axum::response::{IntoResponse, Response};
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};

    const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// AWS's published example (S3 API reference, "Signature Calculations for the Authorization
    /// Header: Transferring Payload in a Single Chunk", Example: GET Object), every step of it.
    #[test]
    fn s3_signer_matches_the_aws_get_object_example() {
        let headers = [
            ("Host", "examplebucket.s3.amazonaws.com"),
            ("Range", "bytes=0-9"),
            ("x-amz-content-sha256", EMPTY_SHA256),
            ("x-amz-date", "20130524T000000Z"),
        ];
        let signed = sign(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "us-east-1",
            "s3",
            &Request {
                method: "GET",
                canonical_uri: "/test.txt",
                canonical_query: "",
                headers: &headers,
                payload_sha256: EMPTY_SHA256,
                amz_date: "20130524T000000Z",
            },
        );
        assert_eq!(
            signed.canonical_request,
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n\
             x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n\
             x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            signed.string_to_sign,
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n\
             7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"
        );
        assert_eq!(signed.signature, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
        assert_eq!(
            signed.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, \
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }

    #[test]
    fn s3_config_is_checked_and_debug_hides_the_secret() {
        let config = S3Config {
            endpoint: "http://127.0.0.1:9000/".into(),
            bucket: "plaza-photos".into(),
            region: "us-east-1".into(),
            access_key: "plaza".into(),
            secret_key: "very-secret".into(),
        };
        assert_eq!(config.check().unwrap().as_str(), "http://127.0.0.1:9000/");
        assert!(!format!("{config:?}").contains("very-secret"));
        assert!(S3Config { endpoint: "ftp://x".into(), ..config.clone() }.check().is_err());
        assert!(S3Config { bucket: "Bad_Bucket".into(), ..config.clone() }.check().is_err());
        assert!(S3Config { secret_key: String::new(), ..config.clone() }.check().is_err());
        assert_eq!(s3_error_code("<Error><Code>NoSuchKey</Code></Error>"), Some("NoSuchKey"));
        assert_eq!(s3_error_code("<html>gateway</html>"), None);
    }

    const ACCESS: &str = "plaza-access";
    const SECRET: &str = "plaza-secret/with+symbols";
    const BUCKET: &str = "plaza-photos";

    /// An S3 stand-in: checks every request's SigV4 signature as S3 does (recomputed from what
    /// arrived, with its own copy of the secret) and keeps objects in memory.
    #[derive(Clone, Default)]
    struct StandIn {
        objects: Arc<Mutex<HashMap<String, Vec<u8>>>>,
    }

    fn refuse(status: StatusCode, code: &str) -> Response {
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>refused</Message></Error>"
        );
        (status, [("content-type", "application/xml")], xml).into_response()
    }

    async fn stand_in(
        State(state): State<StandIn>,
        method: Method,
        uri: Uri,
        headers: HeaderMap,
        body: Bytes,
    ) -> Response {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        let Some(auth) = header("authorization") else { return refuse(StatusCode::FORBIDDEN, "AccessDenied") };
        let Some(fields) = auth.strip_prefix("AWS4-HMAC-SHA256 ") else {
            return refuse(StatusCode::BAD_REQUEST, "AuthorizationHeaderMalformed");
        };
        let fields: HashMap<&str, &str> = fields.split(", ").filter_map(|part| part.split_once('=')).collect();
        let (Some(credential), Some(signed_headers), Some(signature)) =
            (fields.get("Credential"), fields.get("SignedHeaders"), fields.get("Signature"))
        else {
            return refuse(StatusCode::BAD_REQUEST, "AuthorizationHeaderMalformed");
        };
        let scope: Vec<&str> = credential.split('/').collect();
        let (Some(amz_date), Some(payload)) = (header("x-amz-date"), header("x-amz-content-sha256")) else {
            return refuse(StatusCode::BAD_REQUEST, "AuthorizationHeaderMalformed");
        };
        if scope.len() != 5 || scope[0] != ACCESS {
            return refuse(StatusCode::FORBIDDEN, "InvalidAccessKeyId");
        }
        if scope[1] != &amz_date[..8] || scope[2] != "us-east-1" || scope[3] != "s3" || scope[4] != "aws4_request" {
            return refuse(StatusCode::BAD_REQUEST, "AuthorizationHeaderMalformed");
        }
        if payload != hex::encode(Sha256::digest(&body)) {
            return refuse(StatusCode::BAD_REQUEST, "XAmzContentSHA256Mismatch");
        }
        let names: Vec<&str> = signed_headers.split(';').collect();
        if !["host", "x-amz-content-sha256", "x-amz-date"].iter().all(|needed| names.contains(needed)) {
            return refuse(StatusCode::FORBIDDEN, "AccessDenied");
        }
        let values: Vec<(&str, String)> = names.iter().map(|name| (*name, header(name).unwrap_or_default())).collect();
        let pairs: Vec<(&str, &str)> = values.iter().map(|(name, value)| (*name, value.as_str())).collect();
        let expected = sign(
            ACCESS,
            SECRET,
            "us-east-1",
            "s3",
            &Request {
                method: method.as_str(),
                canonical_uri: uri.path(),
                canonical_query: uri.query().unwrap_or(""),
                headers: &pairs,
                payload_sha256: &payload,
                amz_date: &amz_date,
            },
        );
        if expected.signature != *signature {
            return refuse(StatusCode::FORBIDDEN, "SignatureDoesNotMatch");
        }
        let Some(key) = uri.path().strip_prefix(&format!("/{BUCKET}/")) else {
            return refuse(StatusCode::NOT_FOUND, "NoSuchBucket");
        };
        let mut objects = state.objects.lock().unwrap();
        match method {
            Method::PUT if header("content-type").as_deref() == Some("image/jpeg") => {
                objects.insert(key.to_string(), body.to_vec());
                StatusCode::OK.into_response()
            }
            Method::PUT => refuse(StatusCode::BAD_REQUEST, "InvalidArgument"),
            Method::GET => match objects.get(key) {
                Some(bytes) => bytes.clone().into_response(),
                None => refuse(StatusCode::NOT_FOUND, "NoSuchKey"),
            },
            _ => refuse(StatusCode::METHOD_NOT_ALLOWED, "MethodNotAllowed"),
        }
    }

    fn config(endpoint: String, secret: &str) -> S3Config {
        S3Config {
            endpoint,
            bucket: BUCKET.into(),
            region: "us-east-1".into(),
            access_key: ACCESS.into(),
            secret_key: secret.into(),
        }
    }

    #[tokio::test]
    async fn s3_store_round_trip_against_a_signature_checking_stand_in() {
        let state = StandIn::default();
        let app = axum::Router::new().fallback(stand_in).with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a local port");
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });

        let store = S3Store::new(config(endpoint.clone(), SECRET)).unwrap();
        let photo: Vec<u8> = (0..=255u8).cycle().take(300_000).collect();
        store.put("receipts/202611/abc.jpg", photo.clone()).await.unwrap();
        store.put("receipts/202611/abc-thumb.jpg", b"thumb".to_vec()).await.unwrap();
        assert_eq!(store.get("receipts/202611/abc.jpg").await.unwrap(), photo);
        assert_eq!(store.get("receipts/202611/abc-thumb.jpg").await.unwrap(), b"thumb");
        assert_eq!(state.objects.lock().unwrap().len(), 2);

        let missing = store.get("receipts/202611/none.jpg").await.unwrap_err();
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
        assert!(missing.to_string().contains("404") && missing.to_string().contains("NoSuchKey"), "{missing}");
        assert!(store.get("../etc/passwd").await.is_err());

        let wrong = S3Store::new(config(endpoint, "not-the-secret")).unwrap();
        let refused = wrong.put("receipts/202611/evil.jpg", b"x".to_vec()).await.unwrap_err();
        assert_eq!(refused.kind(), io::ErrorKind::PermissionDenied);
        let message = refused.to_string();
        assert!(message.contains("403") && message.contains("SignatureDoesNotMatch"), "{message}");
        assert!(!message.contains("not-the-secret"), "{message}");
        assert_eq!(wrong.get("receipts/202611/abc.jpg").await.unwrap_err().kind(), io::ErrorKind::PermissionDenied);
        assert_eq!(state.objects.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn s3_store_gives_up_after_its_timeout() {
        // Accepts the connection and never answers.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a local port");
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((socket, _)) = listener.accept().await {
                held.push(socket);
            }
        });
        let store = S3Store::with_timeout(config(endpoint, SECRET), Duration::from_millis(300)).unwrap();
        let error = store.put("receipts/202611/slow.jpg", b"x".to_vec()).await.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut, "{error}");
    }
}
