//! File storage for every feature's photos (receipts now; dishes, products and reviews next):
//! one [`Storage`] handle over a local folder (the default) or an S3-compatible bucket, both
//! through the `object_store` crate. See docs/decisions/0009-storage.md.
//!
//! Keys are made by Plaza and namespaced by [`Purpose`] (`receipts/…`, `dishes/…`); each
//! purpose bounds the size of what it stores, and the key's extension is the object's
//! [`ContentType`], checked against the bytes when they are written.

mod key;
mod local;
mod s3;

#[cfg(any(test, feature = "testing"))]
pub mod moto;
#[cfg(test)]
mod tests;

pub use key::{ContentType, Key, Purpose};
pub use s3::{S3Config, DEFAULT_TIMEOUT};

use object_store::path::Path;
use object_store::{Attribute, Attributes, GetOptions, ObjectStore, ObjectStoreExt, PutOptions, PutPayload};
use std::sync::Arc;

/// What went wrong, in words an operator can act on. Never carries a secret.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("storage key {key:?} refused: {why}")]
    BadKey { key: String, why: &'static str },
    #[error("{key}: {bytes} bytes is more than the {max} bytes allowed for {purpose}")]
    TooLarge { key: String, bytes: u64, max: u64, purpose: &'static str },
    #[error("{key}: the bytes are not {expected}")]
    WrongType { key: String, expected: &'static str },
    #[error("{key}: no such object in {store}")]
    NotFound { key: String, store: String },
    #[error("{store} does not exist: create the bucket or correct its name")]
    NoBucket { store: String },
    /// Wrong key id, wrong secret (the signature does not match), or no permission.
    #[error("{store} refused {operation} {key} ({code}): check the access key, the secret key and its permissions")]
    Refused { store: String, operation: &'static str, key: String, code: String },
    /// Unreachable, timed out, a 5xx after the retries, or a local file error.
    #[error("{store}: {operation} {key} failed: {detail}")]
    Failed { store: String, operation: &'static str, key: String, detail: String },
    #[error("storage settings: {0}")]
    Config(String),
}

impl StorageError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, StorageError::NotFound { .. })
    }
}

/// Where objects live, for messages and the start-up log line.
#[derive(Clone, Debug)]
enum Place {
    Folder(std::path::PathBuf),
    Bucket { endpoint: String, bucket: String },
}

/// The storage service. Cheap to share behind an [`Arc`] ([`SharedStorage`]).
#[derive(Debug)]
pub struct Storage {
    store: Box<dyn ObjectStore>,
    place: Place,
}

pub type SharedStorage = Arc<Storage>;

impl std::fmt::Display for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.place {
            Place::Folder(path) => write!(f, "the folder {}", path.display()),
            Place::Bucket { endpoint, bucket } => write!(f, "the S3 bucket `{bucket}` at {endpoint}"),
        }
    }
}

impl Storage {
    /// Stores `bytes` under `key`, replacing what was there. Refuses a key Plaza would not make,
    /// bytes over the purpose's bound, and bytes that are not the key's content type. The object
    /// appears whole or not at all (a folder writes beside and renames; S3 puts are atomic).
    pub async fn put(&self, key: impl AsRef<str>, bytes: Vec<u8>) -> Result<(), StorageError> {
        let key = Key::parse(key.as_ref())?;
        let max = key.purpose().max_bytes();
        if bytes.len() as u64 > max {
            return Err(StorageError::TooLarge {
                key: key.to_string(),
                bytes: bytes.len() as u64,
                max,
                purpose: key.purpose().as_str(),
            });
        }
        let content_type = key.content_type();
        if !content_type.matches(&bytes) {
            return Err(StorageError::WrongType { key: key.to_string(), expected: content_type.mime() });
        }
        let mut options = PutOptions::default();
        // A folder has nowhere to keep attributes (object_store refuses them); its type is the
        // extension, as everywhere.
        if matches!(self.place, Place::Bucket { .. }) {
            options.attributes = Attributes::from_iter([(Attribute::ContentType, content_type.mime())]);
        }
        self.store
            .put_opts(&path(&key), PutPayload::from(bytes), options)
            .await
            .map(drop)
            .map_err(|e| self.error("PUT", &key, e))
    }

    /// The object's bytes; [`StorageError::NotFound`] when there is none.
    pub async fn get(&self, key: impl AsRef<str>) -> Result<Vec<u8>, StorageError> {
        let key = Key::parse(key.as_ref())?;
        let found =
            self.store.get_opts(&path(&key), GetOptions::default()).await.map_err(|e| self.error("GET", &key, e))?;
        let max = key.purpose().max_bytes();
        if found.meta.size > max {
            return Err(StorageError::TooLarge {
                key: key.to_string(),
                bytes: found.meta.size,
                max,
                purpose: key.purpose().as_str(),
            });
        }
        let bytes = found.bytes().await.map_err(|e| self.error("GET", &key, e))?;
        Ok(Vec::from(bytes))
    }

    /// Removes the object. Removing one that is not there is not an error (as in S3).
    pub async fn delete(&self, key: impl AsRef<str>) -> Result<(), StorageError> {
        let key = Key::parse(key.as_ref())?;
        match self.store.delete(&path(&key)).await {
            Ok(()) => Ok(()),
            Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(self.error("DELETE", &key, e)),
        }
    }

    /// Asks for an object that is never stored, under `purpose`: "not found" means the folder or
    /// bucket is there and answers to our keys; a missing bucket or refused credentials come
    /// back as their errors. For start-up, so a wrong setting is reported before the first photo.
    pub async fn check(&self, purpose: Purpose) -> Result<(), StorageError> {
        match self.get(format!("{}/plaza-storage-check.jpg", purpose.as_str())).await {
            Ok(_) | Err(StorageError::NotFound { .. }) => Ok(()),
            Err(error) => Err(error),
        }
    }

    fn error(&self, operation: &'static str, key: &Key, error: object_store::Error) -> StorageError {
        let store = self.to_string();
        let key = key.to_string();
        let text = error.to_string();
        let code = s3::error_code(&text);
        match error {
            object_store::Error::NotFound { .. } if code == Some("NoSuchBucket") => StorageError::NoBucket { store },
            object_store::Error::NotFound { .. } => StorageError::NotFound { key, store },
            object_store::Error::PermissionDenied { .. } | object_store::Error::Unauthenticated { .. } => {
                StorageError::Refused { store, operation, key, code: code.unwrap_or("403").to_string() }
            }
            _ => StorageError::Failed { store, operation, key, detail: shorten(&text, 300) },
        }
    }
}

/// The object path of a checked key: the same text (checked keys need no escaping).
fn path(key: &Key) -> Path {
    Path::from_iter(key.as_str().split('/'))
}

fn shorten(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}
