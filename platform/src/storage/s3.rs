//! An S3-compatible bucket (AWS S3, MinIO, Ceph RGW, Cloudflare R2, OSS/COS in their S3
//! modes…), for several server instances without a shared folder, through `object_store`'s
//! `AmazonS3`: path-style addresses (`{endpoint}/{bucket}/{key}`, which every S3-compatible
//! service accepts), AWS Signature Version 4 with the payload signed, static keys only (nothing
//! read from `AWS_*` variables or instance metadata).

use super::{Place, Storage, StorageError};
use object_store::aws::AmazonS3Builder;
use object_store::client::{HttpClient, HttpConnector};
use object_store::{BackoffConfig, ClientOptions, RetryConfig};
use std::time::Duration;

/// How long one request may take, connection included.
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
    /// The endpoint as a URL, or why it cannot be used; also checks the bucket, region and keys,
    /// so a bad setting stops start-up rather than the first upload.
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

impl Storage {
    pub fn s3(config: &S3Config) -> Result<Storage, StorageError> {
        Storage::s3_with_timeout(config, DEFAULT_TIMEOUT)
    }

    /// `timeout` bounds each request; failed connections and 5xx answers are retried twice
    /// within 20 s, then reported.
    pub fn s3_with_timeout(config: &S3Config, timeout: Duration) -> Result<Storage, StorageError> {
        let endpoint = config.check().map_err(StorageError::Config)?;
        let endpoint = endpoint.as_str().trim_end_matches('/').to_string();
        let store = AmazonS3Builder::new()
            .with_endpoint(&endpoint)
            .with_bucket_name(&config.bucket)
            .with_region(&config.region)
            .with_access_key_id(&config.access_key)
            .with_secret_access_key(&config.secret_key)
            .with_virtual_hosted_style_request(false)
            .with_allow_http(endpoint.starts_with("http://"))
            .with_retry(RetryConfig {
                backoff: BackoffConfig::default(),
                max_retries: 2,
                retry_timeout: Duration::from_secs(20),
            })
            .with_http_connector(BoundedClient { timeout })
            .build()
            .map_err(|e| StorageError::Config(e.to_string()))?;
        Ok(Storage { store: Box::new(store), place: Place::Bucket { endpoint, bucket: config.bucket.clone() } })
    }
}

/// The HTTP client for the bucket: the one every outside call uses (bounded in time, rustls, no
/// redirects: an answer that redirects is not the bucket's).
#[derive(Debug)]
struct BoundedClient {
    timeout: Duration,
}

impl HttpConnector for BoundedClient {
    fn connect(&self, _: &ClientOptions) -> object_store::Result<HttpClient> {
        Ok(HttpClient::new(crate::external::http_client(self.timeout)))
    }
}

/// The `<Code>` of an S3 error document (a short word such as `NoSuchKey`), if there is one.
pub(super) fn error_code(text: &str) -> Option<&str> {
    let start = text.find("<Code>")? + "<Code>".len();
    let end = start + text[start..].find("</Code>")?;
    let code = text[start..end].trim();
    (!code.is_empty() && code.len() <= 64 && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.'))
        .then_some(code)
}
