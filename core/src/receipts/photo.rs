//! Uploaded photos are hostile until proven otherwise: a size cap, the type from the bytes
//! (JPEG, PNG or WebP; HEIC refused by name), decoding limits against decompression bombs, then
//! a re-encoded JPEG (EXIF and every other metadata gone, the EXIF orientation applied) and a
//! thumbnail. CPU-bound (~0.1–0.3 s for a 12 MP photo): call it from a blocking thread.

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageReader};
use plaza_types::AppError;
use sha2::{Digest, Sha256};

/// The largest upload accepted. Phones downsize to ~0.3 MB first; a raw 12 MP photo is 3–6 MB.
pub const MAX_UPLOAD_BYTES: usize = 12 * 1024 * 1024;
/// Decoding limits: no side over 8,000 px, at most 128 MB of pixels in memory.
const MAX_SIDE: u32 = 8_000;
const MAX_DECODE_BYTES: u64 = 128 << 20;
/// The stored photo's long side: what the OCR reads and the operator sees.
const STORED_LONG_SIDE: u32 = 2_000;
const THUMB_LONG_SIDE: u32 = 240;

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
    let image = decode(bytes, kind)?;
    let image = if image.width().max(image.height()) > STORED_LONG_SIDE {
        image.resize(STORED_LONG_SIDE, STORED_LONG_SIDE, image::imageops::FilterType::Triangle)
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

fn decode(bytes: &[u8], kind: PhotoType) -> Result<DynamicImage, AppError> {
    let format = match kind {
        PhotoType::Jpeg => image::ImageFormat::Jpeg,
        PhotoType::Png => image::ImageFormat::Png,
        PhotoType::WebP => image::ImageFormat::WebP,
    };
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    let mut reader = ImageReader::with_format(std::io::Cursor::new(bytes), format);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| refused(&e))?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| refused(&e))?;
    image.apply_orientation(orientation);
    Ok(image)
}

fn refused(error: &image::ImageError) -> AppError {
    tracing::info!(%error, "uploaded photo refused");
    AppError::PhotoUnreadable
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
        // Small as a file (one colour compresses well) but past the side limit: refused by the
        // decoder's limits before the pixels are allocated.
        assert_eq!(prepare(&png(9_000, 8)).unwrap_err(), AppError::PhotoUnreadable);
    }
}
