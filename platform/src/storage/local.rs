//! The default: files under a folder (`<data dir>/photos` unless configured), for one server or
//! several sharing a volume. Key `receipts/ab/x.jpg` is the file `<folder>/receipts/ab/x.jpg`,
//! as before the storage service, so existing photos stay where they are.

use super::{Place, Storage, StorageError};
use object_store::local::LocalFileSystem;
use std::path::PathBuf;

impl Storage {
    /// Files under `root`, created if missing. A new file is written beside its place and
    /// renamed into it, so a reader never sees half a photo; parent folders appear as needed.
    pub fn local(root: impl Into<PathBuf>) -> Result<Storage, StorageError> {
        let root = root.into();
        std::fs::create_dir_all(&root)
            .map_err(|e| StorageError::Config(format!("cannot create the folder {}: {e}", root.display())))?;
        let store = LocalFileSystem::new_with_prefix(&root)
            .map_err(|e| StorageError::Config(format!("cannot use the folder {}: {e}", root.display())))?;
        Ok(Storage { store: Box::new(store), place: Place::Folder(root) })
    }
}
