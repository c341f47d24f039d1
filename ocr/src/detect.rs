//! DB (differentiable binarisation) post-processing: from the detector's probability map to
//! text boxes. Pure code on a plain `f32` map, tested without the model.

use crate::geometry::{min_area_rect, Point, Quad, RotatedRect};

/// Settings of PP-OCR's DB post-processing (the values RapidOCR ships for PP-OCRv4).
#[derive(Clone, Copy, Debug)]
pub struct DbParams {
    /// A pixel is text when its probability exceeds this.
    pub threshold: f32,
    /// A box is kept when the mean probability inside it reaches this.
    pub box_threshold: f32,
    /// How far a box is grown: area × ratio / perimeter on every side (the map shrinks text).
    pub unclip_ratio: f32,
    pub max_candidates: usize,
}

impl Default for DbParams {
    fn default() -> Self {
        DbParams { threshold: 0.3, box_threshold: 0.5, unclip_ratio: 1.6, max_candidates: 1000 }
    }
}

/// A probability map of `width` × `height`, row-major.
pub struct ProbMap<'a> {
    pub data: &'a [f32],
    pub width: usize,
    pub height: usize,
}

/// Text boxes found in `map`, scaled to an image of `dest_width` × `dest_height`.
pub fn boxes(map: &ProbMap<'_>, params: &DbParams, dest_width: usize, dest_height: usize) -> Vec<(Quad, f32)> {
    let (w, h) = (map.width, map.height);
    let mut bitmap: Vec<bool> = map.data.iter().map(|&p| p > params.threshold).collect();
    dilate_2x2(&mut bitmap, w, h);
    let mut out = Vec::new();
    for component in components(&bitmap, w, h).into_iter().take(params.max_candidates) {
        let Some(rect) = min_area_rect(&component) else { continue };
        if rect.short_side() < 3.0 {
            continue;
        }
        let score = mean_inside(map, &rect);
        if score < params.box_threshold {
            continue;
        }
        let perimeter = 2.0 * (rect.width + rect.height);
        let grown = rect.grown(rect.width * rect.height * params.unclip_ratio / perimeter);
        if grown.short_side() < 5.0 {
            continue;
        }
        let (sx, sy) = (dest_width as f32 / w as f32, dest_height as f32 / h as f32);
        let corners = grown.corners().map(|p| {
            Point::new(
                (p.x * sx).round().clamp(0.0, dest_width as f32),
                (p.y * sy).round().clamp(0.0, dest_height as f32),
            )
        });
        let quad = Quad::from_corners(corners);
        if quad.width() <= 3.0 || quad.height() <= 3.0 {
            continue;
        }
        out.push((quad, score));
    }
    out
}

/// Grows every set pixel to the right and down by one (a 2×2 dilation, as OpenCV with a 2×2 kernel).
fn dilate_2x2(bitmap: &mut [bool], w: usize, h: usize) {
    let src = bitmap.to_vec();
    for y in 0..h {
        for x in 0..w {
            if src[y * w + x] {
                continue;
            }
            let left = x > 0 && src[y * w + x - 1];
            let up = y > 0 && src[(y - 1) * w + x];
            let diag = x > 0 && y > 0 && src[(y - 1) * w + x - 1];
            bitmap[y * w + x] = left || up || diag;
        }
    }
}

/// 8-connected components; each as the extreme pixels of its rows (enough for the convex hull).
fn components(bitmap: &[bool], w: usize, h: usize) -> Vec<Vec<Point>> {
    let mut label = vec![u32::MAX; w * h];
    let mut found = Vec::new();
    let mut stack = Vec::new();
    for start in 0..w * h {
        if !bitmap[start] || label[start] != u32::MAX {
            continue;
        }
        let id = found.len() as u32;
        label[start] = id;
        stack.push(start);
        // row -> (min x, max x)
        let mut extent: std::collections::HashMap<usize, (usize, usize)> = std::collections::HashMap::new();
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            let e = extent.entry(y).or_insert((x, x));
            e.0 = e.0.min(x);
            e.1 = e.1.max(x);
            for dy in -1i64..=1 {
                for dx in -1i64..=1 {
                    let (nx, ny) = (x as i64 + dx, y as i64 + dy);
                    if nx < 0 || ny < 0 || nx >= w as i64 || ny >= h as i64 {
                        continue;
                    }
                    let n = ny as usize * w + nx as usize;
                    if bitmap[n] && label[n] == u32::MAX {
                        label[n] = id;
                        stack.push(n);
                    }
                }
            }
        }
        let points = extent
            .into_iter()
            .flat_map(|(y, (a, b))| [Point::new(a as f32, y as f32), Point::new(b as f32, y as f32)])
            .collect();
        found.push(points);
    }
    found
}

/// Mean probability of the map's pixels inside `rect` (PP-OCR's "fast" box score).
fn mean_inside(map: &ProbMap<'_>, rect: &RotatedRect) -> f32 {
    let corners = rect.corners();
    let clamp_x = |v: f32| (v.max(0.0) as usize).min(map.width - 1);
    let clamp_y = |v: f32| (v.max(0.0) as usize).min(map.height - 1);
    let x0 = clamp_x(corners.iter().map(|p| p.x).fold(f32::MAX, f32::min).floor());
    let x1 = clamp_x(corners.iter().map(|p| p.x).fold(f32::MIN, f32::max).ceil());
    let y0 = clamp_y(corners.iter().map(|p| p.y).fold(f32::MAX, f32::min).floor());
    let y1 = clamp_y(corners.iter().map(|p| p.y).fold(f32::MIN, f32::max).ceil());
    let (half_w, half_h) = (rect.width / 2.0 + 0.01, rect.height / 2.0 + 0.01);
    let (mut sum, mut n) = (0.0f64, 0usize);
    for y in y0..=y1 {
        for x in x0..=x1 {
            let (dx, dy) = (x as f32 - rect.centre.x, y as f32 - rect.centre.y);
            let u = dx * rect.axis.x + dy * rect.axis.y;
            let v = -dx * rect.axis.y + dy * rect.axis.x;
            if u.abs() <= half_w && v.abs() <= half_h {
                sum += map.data[y * map.width + x] as f64;
                n += 1;
            }
        }
    }
    if n == 0 {
        0.0
    } else {
        (sum / n as f64) as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map_with(w: usize, h: usize, blobs: &[(usize, usize, usize, usize, f32)]) -> Vec<f32> {
        let mut data = vec![0.0; w * h];
        for &(x0, y0, x1, y1, p) in blobs {
            for y in y0..y1 {
                for x in x0..x1 {
                    data[y * w + x] = p;
                }
            }
        }
        data
    }

    #[test]
    fn finds_two_lines_and_grows_them() {
        let data = map_with(100, 40, &[(10, 5, 60, 11, 0.9), (20, 25, 90, 31, 0.8)]);
        let map = ProbMap { data: &data, width: 100, height: 40 };
        let mut found = boxes(&map, &DbParams::default(), 200, 80);
        found.sort_by(|a, b| a.0.centre().y.total_cmp(&b.0.centre().y));
        assert_eq!(found.len(), 2);
        let (first, score) = found[0];
        // The 2×2 dilation adds a border of zeros: 0.9 × 50·6 / (51·7).
        assert!(score > 0.7, "{score}");
        // 50×6 px blob (50×6 after the 2×2 dilation, centres span 50 and 6) grows by
        // 50·6·1.6/112 ≈ 4.3 px a side, then doubles with the scale.
        assert!((first.width() - 2.0 * (50.0 + 8.6)).abs() < 3.0, "{first:?}");
        assert!((first.height() - 2.0 * (6.0 + 8.6)).abs() < 3.0, "{first:?}");
    }

    #[test]
    fn faint_and_tiny_blobs_are_dropped() {
        let data = map_with(60, 30, &[(5, 5, 50, 10, 0.35), (5, 20, 7, 22, 0.99)]);
        let map = ProbMap { data: &data, width: 60, height: 30 };
        assert!(boxes(&map, &DbParams::default(), 60, 30).is_empty());
    }
}
