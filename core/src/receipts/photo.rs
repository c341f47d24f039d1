//! Uploaded photos are hostile until proven otherwise: a size cap, the type from the bytes
//! (JPEG, PNG or WebP; HEIC refused by name), a pixel cap read from the header and a decode at
//! the size we keep ([`decode`]), then a re-encoded JPEG (EXIF and every other metadata gone, the
//! EXIF orientation applied) and a thumbnail. CPU-bound (~0.1–0.3 s for a 12 MP photo): go
//! through [`prepare_in_turn`], which runs at most [`DECODES_AT_ONCE`] on blocking threads.

pub mod decode;

use image::codecs::jpeg::JpegEncoder;
use image::DynamicImage;
use plaza_types::AppError;
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::Semaphore;

/// The largest upload accepted. Phones downsize to ~0.3 MB first; a raw 12 MP photo is 3–6 MB.
pub const MAX_UPLOAD_BYTES: usize = 12 * 1024 * 1024;
/// The stored photo's long side: what the OCR reads and the operator sees.
const STORED_LONG_SIDE: u32 = decode::TARGET_LONG_SIDE;
const THUMB_LONG_SIDE: u32 = 240;
/// Photos decoded at once in this process: each may hold tens of MB while it is decoded, and two
/// keep both cores busy without letting a burst of uploads take the machine's memory.
pub const DECODES_AT_ONCE: usize = 2;
/// How long an upload waits for its turn before it is told to try again.
const WAIT_FOR_A_TURN: Duration = Duration::from_secs(30);

static TURNS: Semaphore = Semaphore::const_new(DECODES_AT_ONCE);
static DECODING: AtomicUsize = AtomicUsize::new(0);
static MOST_AT_ONCE: AtomicUsize = AtomicUsize::new(0);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhotoType {
    Jpeg,
    Png,
    WebP,
}

/// The type from the first bytes; HEIC (iPhone) and anything else refused with its own error.
pub fn sniff(bytes: &[u8]) -> Result<PhotoType, AppError> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(PhotoType::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(PhotoType::Png);
    }
    if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Ok(PhotoType::WebP);
    }
    let heic = bytes.len() >= 12
        && &bytes[4..8] == b"ftyp"
        && matches!(&bytes[8..12], b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1");
    Err(AppError::PhotoUnsupported { heic })
}

/// A photo ready to store.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// SHA-256 (hex) of the bytes as uploaded: the same file earns once.
    pub sha256: String,
    pub uploaded_bytes: usize,
    /// The re-encoded photo (JPEG, no metadata).
    pub jpeg: Vec<u8>,
    pub thumb: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Checks and re-encodes an uploaded photo.
pub fn prepare(bytes: &[u8]) -> Result<Prepared, AppError> {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(AppError::PhotoTooLarge { max_mb: (MAX_UPLOAD_BYTES >> 20) as i64 });
    }
    if bytes.is_empty() {
        return Err(AppError::PhotoUnreadable);
    }
    let kind = sniff(bytes)?;
    let image = decode::decode(bytes, kind)?;
    // An area average (no float buffer: its output is all it allocates).
    let image = if image.width().max(image.height()) > STORED_LONG_SIDE {
        image.thumbnail(STORED_LONG_SIDE, STORED_LONG_SIDE)
    } else {
        image
    };
    let image = DynamicImage::ImageRgb8(image.to_rgb8());
    let thumb = image.thumbnail(THUMB_LONG_SIDE, THUMB_LONG_SIDE);
    Ok(Prepared {
        sha256: hex::encode(Sha256::digest(bytes)),
        uploaded_bytes: bytes.len(),
        jpeg: encode(&image, 85)?,
        thumb: encode(&thumb, 70)?,
        width: image.width(),
        height: image.height(),
    })
}

/// [`prepare`] on a blocking thread, in turn: at most [`DECODES_AT_ONCE`] at a time in this
/// process; an upload that waits longer than 30 s is told the service is busy (nothing stored).
pub async fn prepare_in_turn(bytes: Vec<u8>) -> Result<Prepared, AppError> {
    let _turn = match tokio::time::timeout(WAIT_FOR_A_TURN, TURNS.acquire()).await {
        Ok(Ok(turn)) => turn,
        _ => return Err(AppError::Unavailable),
    };
    tokio::task::spawn_blocking(move || {
        let now = DECODING.fetch_add(1, Ordering::SeqCst) + 1;
        MOST_AT_ONCE.fetch_max(now, Ordering::SeqCst);
        let prepared = prepare(&bytes);
        DECODING.fetch_sub(1, Ordering::SeqCst);
        prepared
    })
    .await
    .map_err(|e| {
        tracing::error!(%e, "preparing a photo");
        AppError::Internal
    })?
}

/// The most photos this process has ever decoded at once (what the tests check).
pub fn most_decoded_at_once() -> usize {
    MOST_AT_ONCE.load(Ordering::SeqCst)
}

fn encode(image: &DynamicImage, quality: u8) -> Result<Vec<u8>, AppError> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality).encode_image(image).map_err(|e| {
        tracing::error!(%e, "encoding a receipt photo");
        AppError::Internal
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = DynamicImage::new_rgb8(width, height);
        let mut out = std::io::Cursor::new(Vec::new());
        image.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn re_encodes_to_a_smaller_jpeg_without_metadata() {
        let original =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../ocr/fixtures/receipts/noodle-sans.jpg")).unwrap();
        let prepared = prepare(&original).unwrap();
        assert_eq!(sniff(&prepared.jpeg).unwrap(), PhotoType::Jpeg);
        assert!(!prepared.jpeg.windows(4).any(|w| w == b"Exif"), "no EXIF block");
        assert_eq!(prepared.sha256.len(), 64);
        let big = prepare(&png(3000, 1500)).unwrap();
        assert_eq!((big.width, big.height), (2000, 1000));
        assert!(big.thumb.len() < big.jpeg.len());
    }

    #[test]
    fn refuses_heic_other_types_and_oversized_uploads() {
        let mut heic = vec![0, 0, 0, 24];
        heic.extend_from_slice(b"ftypheic\0\0\0\0");
        assert_eq!(prepare(&heic).unwrap_err(), AppError::PhotoUnsupported { heic: true });
        assert_eq!(prepare(b"GIF89a........").unwrap_err(), AppError::PhotoUnsupported { heic: false });
        assert_eq!(prepare(&vec![0xFF; MAX_UPLOAD_BYTES + 1]).unwrap_err(), AppError::PhotoTooLarge { max_mb: 12 });
        assert_eq!(prepare(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]).unwrap_err(), AppError::PhotoUnreadable);
    }

    #[test]
    fn refuses_images_too_large_to_decode_safely() {
        // Small as a file (one colour compresses well) but past the side or pixel limit: refused
        // from the header, before the pixels are allocated.
        assert_eq!(prepare(&png(9_000, 8)).unwrap_err(), AppError::PhotoUnreadable);
        assert_eq!(prepare(&png(5_000, 5_000)).unwrap_err(), AppError::PhotoUnreadable);
    }

    /// Finding 2 of issue 14: uploads were decoded with no bound on how many ran at once (eight
    /// 8000 × 8000 PNGs took 2.35 GB). However many arrive together, two are decoded at a time.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn at_most_two_photos_are_decoded_at_once() {
        let mut photo = std::io::Cursor::new(Vec::new());
        DynamicImage::new_rgb8(3_000, 2_000).write_to(&mut photo, image::ImageFormat::Jpeg).unwrap();
        let photo = photo.into_inner();
        let uploads: Vec<_> = (0..8).map(|_| tokio::spawn(prepare_in_turn(photo.clone()))).collect();
        for upload in uploads {
            let prepared = upload.await.unwrap().unwrap();
            assert_eq!((prepared.width, prepared.height), (2_000, 1_333));
        }
        assert!(most_decoded_at_once() >= 1);
        assert!(most_decoded_at_once() <= DECODES_AT_ONCE, "{} at once", most_decoded_at_once());
    }
}
