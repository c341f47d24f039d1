//! The demo shop's generated pictures: product photos, the mall home's banners, and each
//! storefront's logo and banner.

use super::items::Look;
use image::{Rgb, RgbImage};

fn rgb(hex: u32) -> Rgb<u8> {
    Rgb([(hex >> 16) as u8, (hex >> 8) as u8, hex as u8])
}

fn mix(a: Rgb<u8>, b: Rgb<u8>, t: f32) -> Rgb<u8> {
    let t = t.clamp(0.0, 1.0);
    Rgb([0, 1, 2].map(|i| (a.0[i] as f32 * (1.0 - t) + b.0[i] as f32 * t) as u8))
}

fn png(img: RgbImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Png).expect("a PNG in memory");
    out.into_inner()
}

/// A 600 × 600 studio picture: a soft backdrop, a shadow and the product's shape, lit from the
/// top left.
pub(super) fn picture(look: Look, seed: u32) -> Vec<u8> {
    let (w, h) = (600u32, 600u32);
    let backdrops = [0xf3_ee_e7, 0xe9_ef_f2, 0xf0_ec_f4, 0xee_f2_ea, 0xf5_ef_e6];
    let back = rgb(backdrops[seed as usize % backdrops.len()]);
    let (cx, cy) = (300.0f32, 310.0f32);
    let img = RgbImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let mut px = mix(back, Rgb([255, 255, 255]), 1.0 - fy / h as f32 * 0.6);
        let shadow = ((fx - cx - 16.0) / 200.0).powi(2) + ((fy - 500.0) / 36.0).powi(2);
        if shadow < 1.0 {
            px = mix(px, Rgb([70, 60, 50]), 0.25 * (1.0 - shadow));
        }
        let light = |colour: u32, t: f32| mix(rgb(colour), Rgb([255, 255, 255]), t);
        let shaded = |colour: u32, dx: f32| mix(rgb(colour), Rgb([0, 0, 0]), 0.25 * dx.clamp(0.0, 1.0));
        let shape = match look {
            Look::Bottle(c) => {
                let body = (fx - cx).abs() < 95.0 && fy > 150.0 && fy < 500.0;
                let lid = (fx - cx).abs() < 80.0 && fy > 110.0 && fy <= 150.0;
                if lid {
                    Some(shaded(c, 0.8))
                } else if body {
                    let t = (fx - cx + 95.0) / 190.0;
                    Some(if (t - 0.25).abs() < 0.05 { light(c, 0.5) } else { shaded(c, t) })
                } else {
                    None
                }
            }
            Look::Book(c) => {
                let cover = fx > 180.0 && fx < 430.0 && fy > 130.0 && fy < 500.0;
                let spine = fx > 160.0 && fx <= 180.0 && fy > 135.0 && fy < 500.0;
                let band = cover && fy > 380.0 && fy < 410.0;
                if spine {
                    Some(shaded(c, 0.9))
                } else if band {
                    Some(light(c, 0.7))
                } else if cover {
                    Some(shaded(c, (fx - 180.0) / 500.0))
                } else {
                    None
                }
            }
            Look::Package(c) => {
                let front = fx > 150.0 && fx < 400.0 && fy > 230.0 && fy < 500.0;
                let top = fy > 170.0 && fy <= 230.0 && fx > 150.0 + (230.0 - fy) && fx < 400.0 + (230.0 - fy);
                let side = (400.0..460.0).contains(&fx) && fy > 230.0 - (fx - 400.0) && fy < 500.0 - (fx - 400.0);
                if front {
                    Some(rgb(c))
                } else if top {
                    Some(light(c, 0.35))
                } else if side {
                    Some(shaded(c, 1.0))
                } else {
                    None
                }
            }
            Look::Slab(c) => {
                let (dx, dy) = ((fx - cx).abs() - 90.0, (fy - 310.0).abs() - 180.0);
                let corner = dx > 0.0 && dy > 0.0 && dx * dx + dy * dy > 400.0;
                let inside = (fx - cx).abs() < 110.0 && (fy - 310.0).abs() < 200.0 && !corner;
                let lens = ((fx - 240.0).powi(2) + (fy - 170.0).powi(2)).sqrt() < 22.0;
                if lens {
                    Some(Rgb([40, 40, 44]))
                } else if inside {
                    Some(shaded(c, (fx - cx + 110.0) / 400.0))
                } else {
                    None
                }
            }
            Look::Round(c) => {
                let d = ((fx - cx).powi(2) + (fy - cy).powi(2)).sqrt();
                (d < 180.0).then(|| {
                    let lit = ((fx - cx + 70.0).powi(2) + (fy - cy + 70.0).powi(2)).sqrt() / 320.0;
                    mix(light(c, 0.3), rgb(c), lit)
                })
            }
            Look::Fabric(c) => {
                let layer = ((fy - 200.0) / 60.0).floor();
                let inside = fx > 110.0 && fx < 490.0 && fy > 200.0 && fy < 500.0;
                inside.then(|| if (fy - 200.0) % 60.0 < 8.0 { shaded(c, 0.8) } else { light(c, 0.05 * layer) })
            }
        };
        shape.unwrap_or(px)
    });
    png(img)
}

/// A 1,200 × 480 banner: a diagonal gradient with a few soft circles.
pub(super) fn banner(from: u32, to: u32) -> Vec<u8> {
    let (w, h) = (1200u32, 480u32);
    let img = RgbImage::from_fn(w, h, |x, y| {
        let t = (x as f32 / w as f32) * 0.7 + (y as f32 / h as f32) * 0.3;
        let mut px = mix(rgb(from), rgb(to), t);
        for (cx, cy, r) in [(980.0f32, 120.0f32, 160.0f32), (1100.0, 400.0, 110.0), (160.0, 430.0, 90.0)] {
            if ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt() < r {
                px = mix(px, Rgb([255, 255, 255]), 0.18);
            }
        }
        px
    });
    png(img)
}

/// What a storefront's logo shows.
#[derive(Clone, Copy, Debug)]
pub(super) enum Mark {
    /// A mug with its handle.
    Cup,
    /// A little house.
    House,
    /// An open book.
    Book,
    /// A chip with its pins.
    Chip,
}

/// A 320 × 320 logo: the mark in white on a round badge of `colour`, on white.
pub(super) fn logo(mark: Mark, colour: u32) -> Vec<u8> {
    let size = 320u32;
    let c = size as f32 / 2.0;
    let white = Rgb([255, 255, 255]);
    let img = RgbImage::from_fn(size, size, |x, y| {
        let (fx, fy) = (x as f32 - c, y as f32 - c);
        if (fx * fx + fy * fy).sqrt() > 150.0 {
            return white;
        }
        let badge = mix(rgb(colour), Rgb([0, 0, 0]), (fx + fy + 300.0) / 1500.0);
        let on = match mark {
            Mark::Cup => {
                let body = fx > -70.0 && fx < 40.0 && fy > -60.0 && fy < 70.0;
                let ring = ((fx - 45.0).powi(2) + (fy - 5.0).powi(2)).sqrt();
                let steam = fy > -110.0 && fy < -75.0 && [-45.0f32, -15.0, 15.0].iter().any(|s| (fx - s).abs() < 6.0);
                body || (ring > 22.0 && ring < 40.0 && fx > 40.0) || steam
            }
            Mark::House => {
                let roof = fy < -10.0 && fy > -95.0 && fx.abs() < (fy + 95.0) * 1.3;
                let walls = fx.abs() < 75.0 && (-10.0..85.0).contains(&fy);
                let door = fx.abs() < 18.0 && fy > 30.0;
                roof || (walls && !door)
            }
            Mark::Book => {
                let page = |side: f32| {
                    let u = fx * side;
                    u > 8.0 && u < 100.0 && fy > -70.0 + u * 0.15 && fy < 70.0 + u * 0.15
                };
                let line = ((fy + 200.0) % 24.0) < 4.0 && fx.abs() > 25.0 && fx.abs() < 85.0 && fy.abs() < 50.0;
                (page(1.0) || page(-1.0)) && !line
            }
            Mark::Chip => {
                let core = fx.abs() < 60.0 && fy.abs() < 60.0;
                let hole = fx.abs() < 30.0 && fy.abs() < 30.0;
                let pin =
                    |a: f32, b: f32| a.abs() > 62.0 && a.abs() < 95.0 && ((b + 200.0) % 30.0) < 12.0 && b.abs() < 50.0;
                (core && !hole) || pin(fx, fy) || pin(fy, fx)
            }
        };
        if on {
            white
        } else {
            badge
        }
    });
    png(img)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::shop::items::{Book, Bottle, Fabric, Package, Round, Slab};

    #[test]
    fn every_look_and_mark_draws_a_picture() {
        for look in [Bottle(1), Book(2), Package(3), Slab(4), Round(5), Fabric(6)] {
            let image = image::load_from_memory(&picture(look, 1)).unwrap();
            assert_eq!((image.width(), image.height()), (600, 600));
        }
        assert_eq!(image::load_from_memory(&banner(0, 0xffffff)).unwrap().width(), 1200);
        for mark in [Mark::Cup, Mark::House, Mark::Book, Mark::Chip] {
            assert_eq!(image::load_from_memory(&logo(mark, 0x3d5a80)).unwrap().width(), 320);
        }
    }
}
