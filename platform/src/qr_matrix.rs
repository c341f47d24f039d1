//! A QR code's modules, with the mask chosen by our own penalty scoring.
//!
//! The `qrcode` crate scores its eight masks with a boxed closure per module and direction for
//! the finder-like patterns (about seven thousand allocations for the smallest code), which
//! profiled at a tenth of a signed-in `/card` request. This scores the same rules, over the same
//! canvas, with plain loops, and so picks the same mask: the modules are identical to
//! `QrCode::with_error_correction_level`'s (a test compares them over codes of many versions).

use qrcode::bits::encode_auto;
use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::ec::construct_codewords;
use qrcode::types::QrResult;
use qrcode::{Color, EcLevel};

const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// The modules of a QR code for `data` (row by row, `true` for dark) and its width in modules.
pub fn qr_modules(data: &[u8], ec_level: EcLevel) -> QrResult<(Vec<bool>, usize)> {
    let bits = encode_auto(data, ec_level)?;
    let version = bits.version();
    let (encoded, ec) = construct_codewords(&bits.into_bytes(), version, ec_level)?;
    let mut canvas = Canvas::new(version, ec_level);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&encoded, &ec);
    let width = version.width();
    let mut best: Option<(u32, Vec<bool>)> = None;
    for mask in MASKS {
        let mut masked = canvas.clone();
        masked.apply_mask(mask);
        let dark = dark_modules(&masked, width);
        let score = penalty(&dark, width as usize);
        // The first of equal scores, as the crate's `min_by_key` keeps.
        if best.as_ref().is_none_or(|(lowest, _)| score < *lowest) {
            best = Some((score, dark));
        }
    }
    let (_, dark) = best.expect("eight masks");
    Ok((dark, width as usize))
}

fn dark_modules(canvas: &Canvas, width: i16) -> Vec<bool> {
    let mut dark = Vec::with_capacity((width as usize).pow(2));
    for y in 0..width {
        for x in 0..width {
            dark.push(Color::from(canvas.get(x, y)) == Color::Dark);
        }
    }
    dark
}

/// The four penalty rules of ISO/IEC 18004 §7.8.3 as the `qrcode` crate counts them (the
/// balance unrounded; the finder rule also counting the three real finders, a constant).
fn penalty(dark: &[bool], width: usize) -> u32 {
    let row = |i: usize| move |j: usize| dark[i * width + j];
    let column = |i: usize| move |j: usize| dark[j * width + i];
    let mut score = 0;
    for i in 0..width {
        score += runs(width, row(i)) + runs(width, column(i));
        score += finder_like(width, row(i)) + finder_like(width, column(i));
    }
    for y in 0..width - 1 {
        for x in 0..width - 1 {
            let at = y * width + x;
            let this = dark[at];
            if dark[at + 1] == this && dark[at + width] == this && dark[at + width + 1] == this {
                score += 3;
            }
        }
    }
    let dark_count = dark.iter().filter(|d| **d).count();
    let ratio = dark_count * 200 / dark.len();
    score + ratio.abs_diff(100) as u32
}

/// Rule 1: each run of five or more modules of one colour adds its length less two.
fn runs(width: usize, at: impl Fn(usize) -> bool) -> u32 {
    let mut score = 0;
    let mut run = 1;
    for j in 1..=width {
        if j < width && at(j) == at(j - 1) {
            run += 1;
        } else {
            if run >= 5 {
                score += run - 2;
            }
            run = 1;
        }
    }
    score
}

/// Rule 3: each dark-light-dark×3-light-dark pattern with four light modules (or the edge) on
/// one side adds 40.
fn finder_like(width: usize, at: impl Fn(usize) -> bool) -> u32 {
    const PATTERN: [bool; 7] = [true, false, true, true, true, false, true];
    let mut score = 0;
    for j in 0..width - 6 {
        if !(0..7).all(|k| at(j + k) == PATTERN[k]) {
            continue;
        }
        let dark_before = (j.saturating_sub(4)..j).any(&at);
        let dark_after = (j + 7..(j + 11).min(width)).any(&at);
        if !dark_before || !dark_after {
            score += 40;
        }
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;
    use qrcode::QrCode;

    fn crate_modules(data: &[u8], ec: EcLevel) -> Vec<bool> {
        QrCode::with_error_correction_level(data, ec)
            .unwrap()
            .to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect()
    }

    #[test]
    fn the_modules_are_the_crates_over_many_codes_and_versions() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut versions = std::collections::BTreeSet::new();
        for n in 0..160 {
            let data: Vec<u8> = match n % 4 {
                0 => (0..32).map(|_| b'0' + (next() % 10) as u8).collect(),
                1 => format!("https://plaza.example/t/{:x}", next()).into_bytes(),
                2 => (0..(next() % 300) as usize).map(|_| b'A' + (next() % 26) as u8).collect(),
                _ => (0..(next() % 400) as usize).map(|_| (next() % 256) as u8).collect(),
            };
            for ec in [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H] {
                let Ok((ours, width)) = qr_modules(&data, ec) else {
                    assert!(QrCode::with_error_correction_level(&data, ec).is_err());
                    continue;
                };
                versions.insert(width);
                assert_eq!(ours, crate_modules(&data, ec), "{ec:?} {data:?}");
            }
        }
        assert!(versions.len() > 12, "widths seen: {versions:?}");
    }

    #[test]
    fn a_finder_like_pattern_costs_forty_where_one_side_is_light() {
        let line = |s: &str| s.bytes().map(|b| b == b'#').collect::<Vec<_>>();
        let open = line("....#.###.#....");
        assert_eq!(finder_like(open.len(), |j| open[j]), 40);
        let closed = line("#...#.###.#...#");
        assert_eq!(finder_like(closed.len(), |j| closed[j]), 0);
        let at_edge = line("#.###.#.#");
        assert_eq!(finder_like(at_edge.len(), |j| at_edge[j]), 40);
        let runs_line = line("#####..........#");
        assert_eq!(runs(runs_line.len(), |j| runs_line[j]), 3 + 8);
    }
}
