//! Writes the worst-case receipt uploads the bench sends (bench/uploads): the largest photos the
//! server accepts, 24 MP (6000 × 4000) as JPEG, RGBA PNG and lossless WebP, each well under the
//! 12 MB upload cap, and the finding's 8000 × 8000 PNG of a few dozen KB, which must be refused
//! from its header. Usage: `upload_photos DIR`.

use image::{DynamicImage, ImageFormat, Rgba, RgbaImage};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).ok_or("usage: upload_photos DIR")?);
    std::fs::create_dir_all(&dir)?;
    // Smooth shades compress well (a small file) yet decode to every one of their pixels.
    let rgba =
        RgbaImage::from_fn(6_000, 4_000, |x, y| Rgba([(x / 24) as u8, (y / 16) as u8, ((x + y) / 40) as u8, 255]));
    let photo = DynamicImage::ImageRgba8(rgba);
    DynamicImage::ImageRgb8(photo.to_rgb8()).save_with_format(dir.join("jpeg-24mp.jpg"), ImageFormat::Jpeg)?;
    photo.save_with_format(dir.join("png-24mp.png"), ImageFormat::Png)?;
    photo.save_with_format(dir.join("webp-24mp.webp"), ImageFormat::WebP)?;
    DynamicImage::new_luma8(8_000, 8_000).save_with_format(dir.join("png-64mp.png"), ImageFormat::Png)?;
    for entry in std::fs::read_dir(&dir)? {
        let entry = entry?;
        println!("{} {}", entry.file_name().to_string_lossy(), entry.metadata()?.len());
    }
    Ok(())
}
