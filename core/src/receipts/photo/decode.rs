//! Decoding an upload at the size we keep, not the size it claims. A photo's pixels are counted
//! from its header before anything is allocated (at most [`MAX_PIXELS`]), then:
//! - JPEG is decoded scaled in the DCT (1/2, 1/4, 1/8: the smallest that is still at least
//!   [`TARGET_LONG_SIDE`]), so a 24 MP photo never exists in memory at full size;
//! - PNG is read row by row and averaged into blocks on the way (interlaced PNGs, rare, are
//!   decoded whole, within the pixel cap);
//! - WebP (phones do not send it) is decoded whole, within the pixel cap.
//!
//! The result is at most twice the target on its long side; the caller reduces it further with an
//! area average, which needs no buffer beyond its output (a resampling filter's float buffer of
//! width × 2,000 × 16 bytes is what made one 62 KB upload cost 300 MB).

use super::PhotoType;
use image::{DynamicImage, ImageDecoder, ImageReader, RgbImage};
use plaza_types::AppError;
use std::io::Cursor;

/// The most pixels an upload may have: 24 MP (a 6000 × 4000 camera photo).
pub const MAX_PIXELS: u64 = 24_000_000;
/// No side over 8,000 px either.
pub const MAX_SIDE: u32 = 8_000;
/// What is kept: the long side of the stored photo.
pub const TARGET_LONG_SIDE: u32 = 2_000;
/// The most a decoder may allocate (a 24 MP RGBA WebP is 96 MB; a progressive JPEG keeps its
/// coefficients at full size).
const MAX_DECODE_BYTES: usize = 100 << 20;

fn refused(what: &str, error: impl std::fmt::Display) -> AppError {
    tracing::info!(%error, "uploaded photo refused: {what}");
    AppError::PhotoUnreadable
}

/// Width and height as the file declares them, refused past the caps.
fn check_size(width: u32, height: u32) -> Result<(), AppError> {
    if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
        return Err(refused("size", format!("{width}×{height}")));
    }
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(refused("pixels", format!("{width}×{height}")));
    }
    Ok(())
}

/// The size the file declares, from its header alone.
pub fn declared_size(bytes: &[u8], kind: PhotoType) -> Result<(u32, u32), AppError> {
    match kind {
        PhotoType::Jpeg => {
            let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
            decoder.read_info().map_err(|e| refused("jpeg header", e))?;
            let info = decoder.info().ok_or_else(|| refused("jpeg header", "no frame"))?;
            Ok((u32::from(info.width), u32::from(info.height)))
        }
        PhotoType::Png => {
            let reader = png::Decoder::new(Cursor::new(bytes)).read_info().map_err(|e| refused("png header", e))?;
            Ok((reader.info().width, reader.info().height))
        }
        PhotoType::WebP => {
            let reader = ImageReader::with_format(Cursor::new(bytes), image::ImageFormat::WebP);
            let decoder = reader.into_decoder().map_err(|e| refused("webp header", e))?;
            Ok(decoder.dimensions())
        }
    }
}

/// The decoded photo (EXIF orientation applied), long side at most 2 × [`TARGET_LONG_SIDE`].
/// Its declared size is checked against the caps before any pixel is decoded.
pub fn decode(bytes: &[u8], kind: PhotoType) -> Result<DynamicImage, AppError> {
    let (width, height) = declared_size(bytes, kind)?;
    check_size(width, height)?;
    match kind {
        PhotoType::Jpeg => jpeg(bytes),
        PhotoType::Png => png(bytes),
        PhotoType::WebP => whole(bytes, image::ImageFormat::WebP),
    }
}

fn jpeg(bytes: &[u8]) -> Result<DynamicImage, AppError> {
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    decoder.set_max_decoding_buffer_size(MAX_DECODE_BYTES);
    decoder.read_info().map_err(|e| refused("jpeg header", e))?;
    let info = decoder.info().ok_or_else(|| refused("jpeg header", "no frame"))?;
    check_size(u32::from(info.width), u32::from(info.height))?;
    let target = TARGET_LONG_SIDE as u16;
    let (width, height) = decoder.scale(target, target).map_err(|e| refused("jpeg scale", e))?;
    let pixels = decoder.decode().map_err(|e| refused("jpeg", e))?;
    let (width, height) = (u32::from(width), u32::from(height));
    let image = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => RgbImage::from_raw(width, height, pixels).map(DynamicImage::ImageRgb8),
        jpeg_decoder::PixelFormat::L8 => {
            image::GrayImage::from_raw(width, height, pixels).map(DynamicImage::ImageLuma8)
        }
        jpeg_decoder::PixelFormat::L16 => {
            let high: Vec<u8> = pixels.chunks_exact(2).map(|p| p[0]).collect();
            image::GrayImage::from_raw(width, height, high).map(DynamicImage::ImageLuma8)
        }
        jpeg_decoder::PixelFormat::CMYK32 => {
            // Adobe's inverted CMYK, as decoders hand it over: each channel times K.
            let rgb: Vec<u8> = pixels
                .chunks_exact(4)
                .flat_map(|p| {
                    let k = u16::from(p[3]);
                    [p[0], p[1], p[2]].map(|c| ((u16::from(c) * k) / 255) as u8)
                })
                .collect();
            RgbImage::from_raw(width, height, rgb).map(DynamicImage::ImageRgb8)
        }
    };
    let mut image = image.ok_or_else(|| refused("jpeg", "pixel buffer of the wrong size"))?;
    let orientation = decoder
        .exif_data()
        .and_then(image::metadata::Orientation::from_exif_chunk)
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    image.apply_orientation(orientation);
    Ok(image)
}

/// How many source pixels (each way) become one: the largest that keeps the long side at or
/// above the target.
fn block(width: u32, height: u32) -> u32 {
    (width.max(height) / TARGET_LONG_SIDE).max(1)
}

fn png(bytes: &[u8]) -> Result<DynamicImage, AppError> {
    let mut decoder = png::Decoder::new_with_limits(Cursor::new(bytes), png::Limits { bytes: MAX_DECODE_BYTES });
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|e| refused("png header", e))?;
    let (width, height, interlaced) = {
        let info = reader.info();
        (info.width, info.height, info.interlaced)
    };
    check_size(width, height)?;
    if interlaced {
        return whole(bytes, image::ImageFormat::Png);
    }
    let channels = match reader.output_color_type().0 {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return Err(refused("png", "palette left unexpanded")),
    };
    let f = block(width, height);
    let (out_w, out_h) = (width.div_ceil(f), height.div_ceil(f));
    let mut out = RgbImage::new(out_w, out_h);
    // Sums of one band of `f` rows, per output pixel.
    let mut sums = vec![[0u32; 3]; out_w as usize];
    let mut counts = vec![0u32; out_w as usize];
    let mut y = 0u32;
    while let Some(row) = reader.next_row().map_err(|e| refused("png", e))? {
        for (x, pixel) in row.data().chunks_exact(channels).enumerate().take(width as usize) {
            let rgb = match channels {
                1 | 2 => [pixel[0]; 3],
                _ => [pixel[0], pixel[1], pixel[2]],
            };
            // Transparent parts of a receipt are paper: over white.
            let alpha = match channels {
                2 => u32::from(pixel[1]),
                4 => u32::from(pixel[3]),
                _ => 255,
            };
            let slot = x / f as usize;
            for c in 0..3 {
                sums[slot][c] += (u32::from(rgb[c]) * alpha + 255 * (255 - alpha)) / 255;
            }
            counts[slot] += 1;
        }
        y += 1;
        if y.is_multiple_of(f) || y == height {
            let out_y = (y - 1) / f;
            for (x, (sum, count)) in sums.iter_mut().zip(counts.iter_mut()).enumerate() {
                if *count > 0 {
                    let pixel = sum.map(|s| (s / *count) as u8);
                    out.put_pixel(x as u32, out_y, image::Rgb(pixel));
                }
                *sum = [0; 3];
                *count = 0;
            }
        }
    }
    if y != height {
        return Err(refused("png", format!("{y} of {height} rows")));
    }
    Ok(DynamicImage::ImageRgb8(out))
}

/// The rare formats and layouts, decoded whole within the caps.
fn whole(bytes: &[u8], format: image::ImageFormat) -> Result<DynamicImage, AppError> {
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES as u64);
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| refused("header", e))?;
    let (width, height) = decoder.dimensions();
    check_size(width, height)?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| refused("pixels", e))?;
    image.apply_orientation(orientation);
    Ok(image)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(image: &DynamicImage, format: image::ImageFormat) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let mut covered = kind.to_vec();
        covered.extend_from_slice(data);
        out.extend_from_slice(&crc32(&covered).to_be_bytes());
        out
    }

    /// A PNG that declares `width` × `height` (grey, 8 bits) and carries a token of data: what
    /// an attacker sends, a few dozen bytes claiming any size.
    fn png_header(width: u32, height: u32) -> Vec<u8> {
        let mut ihdr = width.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        out.extend(chunk(b"IHDR", &ihdr));
        out.extend(chunk(b"IDAT", &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]));
        out.extend(chunk(b"IEND", &[]));
        out
    }

    /// A baseline JPEG frame header declaring `width` × `height`.
    fn jpeg_header(width: u16, height: u16) -> Vec<u8> {
        let mut out = vec![0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08];
        out.extend_from_slice(&height.to_be_bytes());
        out.extend_from_slice(&width.to_be_bytes());
        out.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xFF, 0xD9]);
        out
    }

    #[test]
    fn the_declared_size_is_read_from_the_header_alone() {
        assert_eq!(declared_size(&png_header(8_000, 8_000), PhotoType::Png).unwrap(), (8_000, 8_000));
        assert_eq!(declared_size(&jpeg_header(6_000, 4_000), PhotoType::Jpeg).unwrap(), (6_000, 4_000));
    }

    /// Finding 2 of issue 14: an 8000 × 8000 PNG of 62 KB was decoded (and resized through a
    /// 256 MB float buffer). Past 24 MP, or 8,000 px a side, a photo is refused from its header.
    #[test]
    fn past_the_pixel_cap_nothing_is_decoded() {
        for (w, h) in [(8_000, 8_000), (5_000, 5_000), (8_001, 10), (6_000, 4_001)] {
            assert_eq!(decode(&png_header(w, h), PhotoType::Png).unwrap_err(), AppError::PhotoUnreadable);
            assert_eq!(check_size(w, h).unwrap_err(), AppError::PhotoUnreadable, "{w}×{h}");
            assert_eq!(
                decode(&jpeg_header(w as u16, h as u16), PhotoType::Jpeg).unwrap_err(),
                AppError::PhotoUnreadable
            );
        }
        assert!(check_size(6_000, 4_000).is_ok() && check_size(8_000, 3_000).is_ok());
    }

    #[test]
    fn large_photos_are_decoded_at_the_size_kept() {
        // 4100 × 2050: JPEG halves in the DCT, PNG averages 2 × 2 blocks.
        let big = DynamicImage::new_rgb8(4_100, 2_050);
        let jpeg = decode(&encoded(&big, image::ImageFormat::Jpeg), PhotoType::Jpeg).unwrap();
        assert_eq!((jpeg.width(), jpeg.height()), (2_050, 1_025));
        let png = decode(&encoded(&big, image::ImageFormat::Png), PhotoType::Png).unwrap();
        assert_eq!((png.width(), png.height()), (2_050, 1_025));
        // Small ones come back as they are.
        let small = DynamicImage::new_luma8(1_200, 900);
        let png = decode(&encoded(&small, image::ImageFormat::Png), PhotoType::Png).unwrap();
        assert_eq!((png.width(), png.height()), (1_200, 900));
    }

    #[test]
    fn block_averages_keep_the_picture() {
        // Left half black, right half white, 4200 wide: blocks of 2 keep the edge.
        let image = image::GrayImage::from_fn(4_200, 10, |x, _| image::Luma([if x < 2_100 { 0 } else { 255 }]));
        let png = decode(&encoded(&DynamicImage::ImageLuma8(image), image::ImageFormat::Png), PhotoType::Png).unwrap();
        let rgb = png.to_rgb8();
        assert_eq!(rgb.get_pixel(0, 0).0, [0, 0, 0]);
        assert_eq!(rgb.get_pixel(1_049, 4).0, [0, 0, 0]);
        assert_eq!(rgb.get_pixel(1_050, 4).0, [255, 255, 255]);
    }
}
