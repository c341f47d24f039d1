//! Grouping recognised boxes into the lines of the receipt.

use crate::geometry::{Point, Quad};
use serde::{Deserialize, Serialize};

/// One detected box and what was read in it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Word {
    pub text: String,
    /// Mean probability of the symbols read (0–1).
    pub confidence: f32,
    pub quad: Quad,
}

/// A line of the receipt: its words left to right, joined by single spaces.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub text: String,
    /// The lowest confidence of its words.
    pub confidence: f32,
    pub words: Vec<Word>,
}

impl Line {
    /// A line known by its text alone (fixtures, corrected input): full confidence, no geometry.
    pub fn plain(text: impl Into<String>) -> Line {
        Line { text: text.into(), confidence: 1.0, words: Vec::new() }
    }
}

/// Words into lines, top to bottom. A photo's tilt is estimated from the long boxes and taken
/// out first, so a label on the left and its amount on the right stay on one line.
pub fn group(words: Vec<Word>) -> Vec<Line> {
    let tilt = median(words.iter().filter(|w| w.quad.width() > 2.0 * w.quad.height()).map(|w| w.quad.angle()));
    let (s, c) = tilt.unwrap_or(0.0).sin_cos();
    // Coordinates along and across the text direction.
    let along = |p: Point| p.x * c + p.y * s;
    let across = |p: Point| -p.x * s + p.y * c;
    let mut placed: Vec<(f32, f32, f32, Word)> = words
        .into_iter()
        .map(|w| {
            let centre = w.quad.centre();
            (across(centre), along(centre), w.quad.height(), w)
        })
        .collect();
    placed.sort_by(|a, b| a.0.total_cmp(&b.0));

    let mut lines: Vec<Vec<(f32, f32, f32, Word)>> = Vec::new();
    for item in placed {
        let joins = lines.last().is_some_and(|line| {
            let mean_y = line.iter().map(|w| w.0).sum::<f32>() / line.len() as f32;
            let height = line.iter().map(|w| w.2).fold(item.2, f32::min);
            (item.0 - mean_y).abs() < 0.5 * height
        });
        if joins {
            lines.last_mut().expect("a line").push(item);
        } else {
            lines.push(vec![item]);
        }
    }
    lines
        .into_iter()
        .map(|mut line| {
            line.sort_by(|a, b| a.1.total_cmp(&b.1));
            let words: Vec<Word> = line.into_iter().map(|(_, _, _, w)| w).collect();
            let text = words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
            let confidence = words.iter().map(|w| w.confidence).fold(1.0, f32::min);
            Line { text, confidence, words }
        })
        .collect()
}

fn median(values: impl Iterator<Item = f32>) -> Option<f32> {
    let mut v: Vec<f32> = values.collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f32::total_cmp);
    Some(v[v.len() / 2])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, x: f32, y: f32, w: f32, h: f32, tilt_deg: f32) -> Word {
        let (s, c) = tilt_deg.to_radians().sin_cos();
        let rot = |dx: f32, dy: f32| Point::new(x + dx * c - dy * s, y + dx * s + dy * c);
        Word { text: text.into(), confidence: 0.95, quad: Quad([rot(0.0, 0.0), rot(w, 0.0), rot(w, h), rot(0.0, h)]) }
    }

    #[test]
    fn a_tilted_label_and_its_amount_stay_on_one_line() {
        // 4° tilt: the amount 400 px to the right sits 28 px lower, more than a line's height.
        let t = 4.0f32;
        let drop = 400.0 * t.to_radians().tan();
        let words = vec![
            word("实收", 20.0, 100.0, 80.0, 24.0, t),
            word("¥37.70", 420.0, 100.0 + drop, 110.0, 24.0, t),
            word("合计", 20.0 - 40.0 * t.to_radians().sin(), 140.0, 300.0, 24.0, t),
            word("¥42.70", 420.0, 140.0 + drop, 110.0, 24.0, t),
        ];
        let lines = group(words);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["实收 ¥37.70", "合计 ¥42.70"]);
    }
}
