//! Where receipt photos are kept: one interface, a local folder by default, an S3-compatible
//! bucket ([`super::s3::S3Store`]) when configured, e.g. for several server instances.

use async_trait::async_trait;
use std::path::PathBuf;
use std::sync::Arc;

#[async_trait]
pub trait PhotoStore: Send + Sync {
    /// Stores `bytes` under `key` (keys are made by Plaza: `receipts/<yyyymm>/<hash>.jpg`).
    async fn put(&self, key: &str, bytes: Vec<u8>) -> std::io::Result<()>;
    async fn get(&self, key: &str) -> std::io::Result<Vec<u8>>;
}

pub type SharedStore = Arc<dyn PhotoStore>;

/// Files under a folder (by default `<data dir>/photos`).
pub struct LocalStore {
    root: PathBuf,
}

impl LocalStore {
    pub fn new(root: impl Into<PathBuf>) -> LocalStore {
        LocalStore { root: root.into() }
    }

    fn path(&self, key: &str) -> std::io::Result<PathBuf> {
        check_key(key)?;
        Ok(self.root.join(key))
    }
}

/// A key is `/`-separated parts of letters, digits, `-`, `_` and `.`, none empty, `.` or `..`:
/// it never leaves the folder (or the bucket's prefix) and needs no escaping anywhere.
pub(crate) fn check_key(key: &str) -> std::io::Result<()> {
    let safe = !key.is_empty()
        && key.split('/').all(|part| {
            !part.is_empty()
                && part != ".."
                && part != "."
                && part.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        });
    if !safe {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("bad storage key {key:?}")));
    }
    Ok(())
}

#[async_trait]
impl PhotoStore for LocalStore {
    async fn put(&self, key: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        let path = self.path(key)?;
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        // Written beside and renamed, so a reader never sees half a photo.
        let partial = path.with_extension("partial");
        tokio::fs::write(&partial, bytes).await?;
        tokio::fs::rename(&partial, &path).await
    }

    async fn get(&self, key: &str) -> std::io::Result<Vec<u8>> {
        tokio::fs::read(self.path(key)?).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stores_and_refuses_keys_that_leave_the_folder() {
        let dir = std::env::temp_dir().join(format!("plaza-store-{}", std::process::id()));
        let store = LocalStore::new(&dir);
        store.put("receipts/202611/abc.jpg", b"photo".to_vec()).await.unwrap();
        assert_eq!(store.get("receipts/202611/abc.jpg").await.unwrap(), b"photo");
        assert!(store.get("../etc/passwd").await.is_err());
        assert!(store.put("/abs.jpg", vec![]).await.is_err());
        let _ = std::fs::remove_dir_all(dir);
    }
}
