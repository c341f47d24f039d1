//! Points, rotated rectangles and the minimum-area rectangle around a set of points.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

impl Point {
    pub const fn new(x: f32, y: f32) -> Point {
        Point { x, y }
    }

    fn minus(self, other: Point) -> Point {
        Point::new(self.x - other.x, self.y - other.y)
    }

    pub fn distance(self, other: Point) -> f32 {
        let d = self.minus(other);
        (d.x * d.x + d.y * d.y).sqrt()
    }
}

/// A rectangle in any orientation: corners top-left, top-right, bottom-right, bottom-left
/// (as read, so the top edge runs along the text).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quad(pub [Point; 4]);

impl Quad {
    pub fn width(&self) -> f32 {
        let [tl, tr, br, bl] = self.0;
        tl.distance(tr).max(bl.distance(br))
    }

    pub fn height(&self) -> f32 {
        let [tl, tr, br, bl] = self.0;
        tl.distance(bl).max(tr.distance(br))
    }

    pub fn centre(&self) -> Point {
        let sum = self.0.iter().fold(Point::new(0.0, 0.0), |acc, p| Point::new(acc.x + p.x, acc.y + p.y));
        Point::new(sum.x / 4.0, sum.y / 4.0)
    }

    /// Angle of the top edge in radians (positive: the text runs downhill to the right).
    pub fn angle(&self) -> f32 {
        let d = self.0[1].minus(self.0[0]);
        d.y.atan2(d.x)
    }

    /// Orders four corners as top-left, top-right, bottom-right, bottom-left: the two leftmost
    /// points give the left edge (upper one first), the two rightmost the right edge.
    pub fn from_corners(mut corners: [Point; 4]) -> Quad {
        corners.sort_by(|a, b| a.x.total_cmp(&b.x));
        let (tl, bl) = if corners[0].y <= corners[1].y { (corners[0], corners[1]) } else { (corners[1], corners[0]) };
        let (tr, br) = if corners[2].y <= corners[3].y { (corners[2], corners[3]) } else { (corners[3], corners[2]) };
        Quad([tl, tr, br, bl])
    }
}

/// A rotated rectangle: centre, side lengths along its own axes, and the direction of the first axis.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RotatedRect {
    pub centre: Point,
    pub width: f32,
    pub height: f32,
    /// Unit vector along `width`.
    pub axis: Point,
}

impl RotatedRect {
    pub fn short_side(&self) -> f32 {
        self.width.min(self.height)
    }

    /// The same rectangle grown by `distance` on every side.
    pub fn grown(&self, distance: f32) -> RotatedRect {
        RotatedRect { width: self.width + 2.0 * distance, height: self.height + 2.0 * distance, ..*self }
    }

    pub fn corners(&self) -> [Point; 4] {
        let (ux, uy) = (self.axis.x * self.width / 2.0, self.axis.y * self.width / 2.0);
        let (vx, vy) = (-self.axis.y * self.height / 2.0, self.axis.x * self.height / 2.0);
        let c = self.centre;
        [
            Point::new(c.x - ux - vx, c.y - uy - vy),
            Point::new(c.x + ux - vx, c.y + uy - vy),
            Point::new(c.x + ux + vx, c.y + uy + vy),
            Point::new(c.x - ux + vx, c.y - uy + vy),
        ]
    }
}

fn cross(o: Point, a: Point, b: Point) -> f32 {
    (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
}

/// Convex hull (Andrew's monotone chain), counter-clockwise, without collinear points.
pub fn convex_hull(points: &[Point]) -> Vec<Point> {
    let mut pts: Vec<Point> = points.to_vec();
    pts.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
    pts.dedup();
    if pts.len() < 3 {
        return pts;
    }
    let mut hull: Vec<Point> = Vec::with_capacity(pts.len() * 2);
    for pass in 0..2 {
        let start = hull.len();
        let iter: Box<dyn Iterator<Item = &Point>> =
            if pass == 0 { Box::new(pts.iter()) } else { Box::new(pts.iter().rev()) };
        for &p in iter {
            while hull.len() >= start + 2 && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0 {
                hull.pop();
            }
            hull.push(p);
        }
        hull.pop();
    }
    hull
}

/// The smallest-area rectangle holding every point (one side lies on a hull edge).
pub fn min_area_rect(points: &[Point]) -> Option<RotatedRect> {
    let hull = convex_hull(points);
    match hull.len() {
        0 => return None,
        1 => return Some(RotatedRect { centre: hull[0], width: 0.0, height: 0.0, axis: Point::new(1.0, 0.0) }),
        _ => {}
    }
    let mut best: Option<(f32, RotatedRect)> = None;
    for i in 0..hull.len() {
        let a = hull[i];
        let b = hull[(i + 1) % hull.len()];
        let len = a.distance(b);
        if len == 0.0 {
            continue;
        }
        let u = Point::new((b.x - a.x) / len, (b.y - a.y) / len);
        let v = Point::new(-u.y, u.x);
        let (mut min_u, mut max_u, mut min_v, mut max_v) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
        for p in &hull {
            let pu = p.x * u.x + p.y * u.y;
            let pv = p.x * v.x + p.y * v.y;
            min_u = min_u.min(pu);
            max_u = max_u.max(pu);
            min_v = min_v.min(pv);
            max_v = max_v.max(pv);
        }
        let area = (max_u - min_u) * (max_v - min_v);
        if best.as_ref().is_none_or(|(a, _)| area < *a) {
            let (cu, cv) = ((min_u + max_u) / 2.0, (min_v + max_v) / 2.0);
            // Keep the first axis the nearer to horizontal so width runs along the text.
            let (axis, width, height) = if u.x.abs() >= u.y.abs() {
                (if u.x < 0.0 { Point::new(-u.x, -u.y) } else { u }, max_u - min_u, max_v - min_v)
            } else {
                (if v.x < 0.0 { Point::new(-v.x, -v.y) } else { v }, max_v - min_v, max_u - min_u)
            };
            let centre = Point::new(cu * u.x + cv * v.x, cu * u.y + cv * v.y);
            best = Some((area, RotatedRect { centre, width, height, axis }));
        }
    }
    best.map(|(_, rect)| rect)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_aligned_points_give_their_bounding_box() {
        let pts: Vec<Point> = (0..=10).flat_map(|x| (0..=4).map(move |y| Point::new(x as f32, y as f32))).collect();
        let rect = min_area_rect(&pts).unwrap();
        assert!((rect.width - 10.0).abs() < 1e-4 && (rect.height - 4.0).abs() < 1e-4, "{rect:?}");
        assert!((rect.centre.x - 5.0).abs() < 1e-4 && (rect.centre.y - 2.0).abs() < 1e-4);
    }

    #[test]
    fn a_tilted_strip_keeps_its_width_along_the_text() {
        let angle = 5f32.to_radians();
        let (s, c) = angle.sin_cos();
        let pts: Vec<Point> = (0..=100)
            .flat_map(|x| (0..=10).map(move |y| (x as f32, y as f32)))
            .map(|(x, y)| Point::new(x * c - y * s + 50.0, x * s + y * c + 20.0))
            .collect();
        let rect = min_area_rect(&pts).unwrap();
        assert!((rect.width - 100.0).abs() < 0.5 && (rect.height - 10.0).abs() < 0.5, "{rect:?}");
        let quad = Quad::from_corners(rect.corners());
        assert!((quad.angle() - angle).abs() < 0.01);
        assert!((quad.width() - 100.0).abs() < 0.5);
    }

    #[test]
    fn corners_are_ordered_clockwise_from_top_left() {
        let q = Quad::from_corners([
            Point::new(10.0, 5.0),
            Point::new(0.0, 5.0),
            Point::new(10.0, 0.0),
            Point::new(0.0, 0.0),
        ]);
        assert_eq!(q.0, [Point::new(0.0, 0.0), Point::new(10.0, 0.0), Point::new(10.0, 5.0), Point::new(0.0, 5.0)]);
    }
}
