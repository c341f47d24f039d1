//! Storage keys: made by Plaza, never by a user, and checked again whenever one is used.

use super::StorageError;

/// What an object is for: the key's first part, and the size bound of what may be stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// Receipt photos (re-encoded, at most 2,000 px) and their thumbnails.
    Receipts,
    /// Dish photos on the scan-to-order menu.
    Dishes,
    /// Product photos in the online mall.
    Products,
    /// Photos attached to reviews.
    Reviews,
    /// Photos of after-sales requests (private: served only to the request's parties).
    AfterSales,
}

impl Purpose {
    pub const ALL: [Purpose; 5] =
        [Purpose::Receipts, Purpose::Dishes, Purpose::Products, Purpose::Reviews, Purpose::AfterSales];

    /// The key prefix (`receipts/…`).
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Receipts => "receipts",
            Purpose::Dishes => "dishes",
            Purpose::Products => "products",
            Purpose::Reviews => "reviews",
            Purpose::AfterSales => "aftersales",
        }
    }

    /// The largest object stored for this purpose. Every photo is re-encoded before it is
    /// stored (a 2,000 px JPEG is 0.3–1.5 MB), so anything bigger is a fault or an attack, and
    /// a read refuses it before loading it into memory.
    pub fn max_bytes(self) -> u64 {
        match self {
            Purpose::Receipts => 8 << 20,
            Purpose::Dishes | Purpose::Products | Purpose::Reviews | Purpose::AfterSales => 4 << 20,
        }
    }

    fn from_prefix(prefix: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.as_str() == prefix)
    }
}

/// What the stored bytes are: from the key's extension, checked against the bytes on write and
/// sent to S3 as `Content-Type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContentType {
    Jpeg,
    Png,
    WebP,
}

impl ContentType {
    pub fn mime(self) -> &'static str {
        match self {
            ContentType::Jpeg => "image/jpeg",
            ContentType::Png => "image/png",
            ContentType::WebP => "image/webp",
        }
    }

    fn from_extension(name: &str) -> Option<ContentType> {
        match name.rsplit_once('.')?.1 {
            "jpg" | "jpeg" => Some(ContentType::Jpeg),
            "png" => Some(ContentType::Png),
            "webp" => Some(ContentType::WebP),
            _ => None,
        }
    }

    /// True when the bytes start the way this type's files do.
    pub fn matches(self, bytes: &[u8]) -> bool {
        match self {
            ContentType::Jpeg => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
            ContentType::Png => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            ContentType::WebP => bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP",
        }
    }
}

/// The longest key accepted (S3 allows 1,024 bytes; ours are far shorter).
const MAX_KEY_LEN: usize = 256;

/// A checked key: `<purpose>/<part>/…/<name>.<jpg|jpeg|png|webp>`, every part made of ASCII
/// letters, digits, `-`, `_` and `.`, none empty, `.` or `..`. It never leaves the folder or the
/// bucket, needs no escaping in a URL or a file name, and maps to the same file name as the keys
/// written before the storage service (`receipts/ab/<sha256>.jpg`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    text: String,
    purpose: Purpose,
    content_type: ContentType,
}

impl Key {
    /// `Key::new(Purpose::Receipts, "ab/ab12….jpg")` is `receipts/ab/ab12….jpg`.
    pub fn new(purpose: Purpose, name: &str) -> Result<Key, StorageError> {
        Key::parse(&format!("{}/{name}", purpose.as_str()))
    }

    /// A key as stored in the database.
    pub fn parse(text: &str) -> Result<Key, StorageError> {
        let bad = |why: &'static str| StorageError::BadKey { key: shorten(text), why };
        if text.len() > MAX_KEY_LEN {
            return Err(bad("longer than 256 bytes"));
        }
        let safe = text.split('/').all(|part| {
            !part.is_empty()
                && part != "."
                && part != ".."
                && part.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        });
        if !safe {
            return Err(bad("only letters, digits, `-`, `_` and `.` between single slashes; no `.` or `..` part"));
        }
        let (prefix, rest) = text.split_once('/').ok_or_else(|| bad("a purpose, then a name"))?;
        let purpose = Purpose::from_prefix(prefix).ok_or_else(|| bad("the first part names no purpose"))?;
        let name = rest.rsplit('/').next().unwrap_or(rest);
        let content_type =
            ContentType::from_extension(name).ok_or_else(|| bad("the name must end in .jpg, .jpeg, .png or .webp"))?;
        Ok(Key { text: text.to_string(), purpose, content_type })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn purpose(&self) -> Purpose {
        self.purpose
    }

    pub fn content_type(&self) -> ContentType {
        self.content_type
    }
}

impl AsRef<str> for Key {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// A refused key in a message: at most 80 characters of it (the message quotes it with `{:?}`).
fn shorten(text: &str) -> String {
    let mut out: String = text.chars().take(80).collect();
    if text.chars().count() > 80 {
        out.push('…');
    }
    out
}
