//! QR codes and barcodes as compact, scalable SVG (one path each, sized by `viewBox`), rendered
//! on the server so the browser bundle carries no encoder.

use crate::qr_matrix::qr_modules;
use barcoders::sym::code128::Code128;
use qrcode::EcLevel;
use std::fmt::Write;

const QR_QUIET_MODULES: usize = 4;
const BARCODE_QUIET_MODULES: usize = 10;
const BARCODE_HEIGHT: usize = 40;

/// A QR code for `data` (error correction M, or L when M cannot hold it), dark modules as one
/// path. Data no QR code can hold (over ~2.9 KB) gives an empty frame saying so, never a panic:
/// some of it (a provider's payment code) comes from outside.
pub fn qr_svg(data: &str) -> String {
    try_qr_svg(data).unwrap_or_else(|| {
        tracing::warn!(bytes = data.len(), "data too long for a QR code");
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 29 29\" role=\"img\"><title>too long for a QR code</title>\
         <rect width=\"29\" height=\"29\" fill=\"#fff\"/></svg>"
            .to_string()
    })
}

/// The QR code, or `None` when `data` does not fit one.
pub fn try_qr_svg(data: &str) -> Option<String> {
    let (dark, width) =
        qr_modules(data.as_bytes(), EcLevel::M).or_else(|_| qr_modules(data.as_bytes(), EcLevel::L)).ok()?;
    let size = width + 2 * QR_QUIET_MODULES;
    // One rectangle per run of dark modules in a row: a third of the bytes of one per module,
    // which every member-card page carries (and compresses) on each request.
    let mut path = String::with_capacity(width * width * 2);
    for (row, modules) in dark.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if !modules[x] {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && modules[x] {
                x += 1;
            }
            let (left, top, run) = (start + QR_QUIET_MODULES, row + QR_QUIET_MODULES, x - start);
            let _ = write!(path, "M{left} {top}h{run}v1h-{run}z");
        }
    }
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\" \
         aria-hidden=\"true\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>"
    ))
}

/// A Code 128 barcode. An all-digit even-length string uses set C (two digits per symbol), which
/// keeps a 32-digit member code narrow enough for a phone screen.
pub fn code128_svg(data: &str) -> String {
    let all_digits = !data.is_empty() && data.len().is_multiple_of(2) && data.bytes().all(|b| b.is_ascii_digit());
    let prefixed = if all_digits { format!("Ć{data}") } else { format!("Ɓ{data}") };
    let modules = Code128::new(prefixed).map(|c| c.encode()).unwrap_or_default();
    let width = modules.len() + 2 * BARCODE_QUIET_MODULES;
    let mut path = String::new();
    let mut x = 0;
    while x < modules.len() {
        if modules[x] == 1 {
            let start = x;
            while x < modules.len() && modules[x] == 1 {
                x += 1;
            }
            let _ = write!(path, "M{} 0h{}v{BARCODE_HEIGHT}h-{}z", start + BARCODE_QUIET_MODULES, x - start, x - start);
        } else {
            x += 1;
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {BARCODE_HEIGHT}\" preserveAspectRatio=\"none\" \
         shape-rendering=\"crispEdges\" aria-hidden=\"true\"><rect width=\"{width}\" height=\"{BARCODE_HEIGHT}\" fill=\"#fff\"/>\
         <path fill=\"#000\" d=\"{path}\"/></svg>"
    )
}

/// A random key (22 URL-safe characters, 128 bits) for idempotent form submissions.
pub fn random_key() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use qrcode::{Color, QrCode};

    #[test]
    fn qr_is_square_and_scales() {
        let svg = qr_svg("80000000042179500000012345678901");
        assert!(svg.starts_with("<svg") && svg.contains("viewBox=\"0 0 29 29\""), "{}", &svg[..120]);
        assert!(svg.len() < 12_000);
    }

    /// The runs drawn are exactly the code's dark modules, each once.
    #[test]
    fn qr_path_draws_every_dark_module_once() {
        let data = "80000000042179500000012345678901";
        let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).unwrap();
        let width = code.width();
        let mut drawn = vec![0u8; width * width];
        let svg = qr_svg(data);
        let path = &svg[svg.find(" d=\"").unwrap() + 4..];
        for segment in path[..path.find('"').unwrap()].split('z').filter(|s| !s.is_empty()) {
            let (head, run) = segment.trim_start_matches('M').split_once('h').unwrap();
            let (left, top) = head.split_once(' ').unwrap();
            let (left, top): (usize, usize) = (left.parse().unwrap(), top.parse().unwrap());
            let run: usize = run.split_once('v').unwrap().0.parse().unwrap();
            assert!(segment.ends_with(&format!("v1h-{run}")), "{segment}");
            for x in left..left + run {
                drawn[(top - QR_QUIET_MODULES) * width + x - QR_QUIET_MODULES] += 1;
            }
        }
        let expected: Vec<u8> = code.to_colors().iter().map(|c| u8::from(*c == Color::Dark)).collect();
        assert_eq!(drawn, expected);
    }

    /// Finding 10 of issue 14: `qr_svg` panicked on data over ~2.9 KB.
    #[test]
    fn data_too_long_for_a_qr_code_gives_an_empty_frame_not_a_panic() {
        let long = "x".repeat(3_000);
        assert!(try_qr_svg(&long).is_none());
        let svg = qr_svg(&long);
        assert!(svg.starts_with("<svg") && !svg.contains("<path"), "{svg}");
        // The largest that fits still renders.
        assert!(try_qr_svg(&"x".repeat(2_300)).is_some());
    }

    #[test]
    fn numeric_barcode_uses_set_c() {
        let digits = "80000000042179500000012345678901";
        let svg = code128_svg(digits);
        // start + 16 symbols + check (11 modules each) + stop (13), plus quiet zones.
        let expected_width = 11 + 16 * 11 + 11 + 13 + 2 * BARCODE_QUIET_MODULES;
        assert!(svg.contains(&format!("viewBox=\"0 0 {expected_width} 40\"")), "{svg}");
    }
}
