//! The PP-OCR pipeline: DB text detection, crops of height 48, CTC recognition, lines.

use crate::ctc::Alphabet;
use crate::detect::{self, DbParams, ProbMap};
use crate::geometry::{Point, Quad};
use crate::lines::{self, Line, Word};
use image::{DynamicImage, RgbImage};
use rten::{Model, RunOptions, ThreadPool, Value};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where the models are looked for when `PLAZA_OCR_MODELS` is not set (relative to the
/// working directory: the workspace root for the server and the command line).
pub const DEFAULT_MODELS_DIR: &str = "models/ocr";

#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error("OCR models not found in {dir}: run scripts/setup (it fetches them), or set PLAZA_OCR_MODELS ({missing} is missing)")]
    ModelsMissing { dir: PathBuf, missing: &'static str },
    #[error("loading {file}: {message}")]
    Load { file: PathBuf, message: String },
    #[error("the recognition model has {model} classes but the dictionary gives {dictionary}")]
    DictionaryMismatch { model: usize, dictionary: usize },
    #[error("running the {stage} model: {message}")]
    Run { stage: &'static str, message: String },
    #[error("the image cannot be read: {0}")]
    Image(String),
}

/// Detection input: the short side is brought to this (RapidOCR's PP-OCRv4 setting)...
const DET_MIN_SIDE: u32 = 736;
/// ...and the long side kept under this.
const DET_MAX_SIDE: u32 = 2000;
const REC_HEIGHT: u32 = 48;
/// Crops are padded to at least this width (the recogniser's training shape, 48 × 320).
const REC_MIN_WIDTH: u32 = 320;
const REC_BATCH: usize = 6;
/// Words read with less confidence than this are dropped as noise.
const MIN_WORD_CONFIDENCE: f32 = 0.5;

/// The models, loaded once; share it (`Arc`) between threads. Every call runs on the calling
/// thread's behalf and blocks it: call it from `spawn_blocking`, or through [`crate::OcrPool`].
pub struct Ocr {
    det: Model,
    rec: Model,
    alphabet: Alphabet,
    params: DbParams,
}

impl Ocr {
    /// The models folder from `PLAZA_OCR_MODELS`, else [`DEFAULT_MODELS_DIR`].
    pub fn models_dir() -> PathBuf {
        std::env::var_os("PLAZA_OCR_MODELS").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(DEFAULT_MODELS_DIR))
    }

    /// Loads `det.onnx`, `rec.onnx` and `dict.txt` from `dir` (as placed by scripts/setup).
    pub fn load(dir: &Path) -> Result<Ocr, OcrError> {
        for missing in ["det.onnx", "rec.onnx", "dict.txt"] {
            if !dir.join(missing).is_file() {
                return Err(OcrError::ModelsMissing { dir: dir.to_path_buf(), missing });
            }
        }
        let load = |name: &str| {
            let file = dir.join(name);
            Model::load_file(&file).map_err(|e| OcrError::Load { file, message: e.to_string() })
        };
        let det = load("det.onnx")?;
        let rec = load("rec.onnx")?;
        let dict_file = dir.join("dict.txt");
        let dictionary = std::fs::read_to_string(&dict_file)
            .map_err(|e| OcrError::Load { file: dict_file.clone(), message: e.to_string() })?;
        let alphabet = Alphabet::from_dictionary(&dictionary);
        let ocr = Ocr { det, rec, alphabet, params: DbParams::default() };
        ocr.check_alphabet()?;
        Ok(ocr)
    }

    /// The recogniser's output width must be the alphabet's size, or every symbol is off by some.
    fn check_alphabet(&self) -> Result<(), OcrError> {
        let output = self.rec.output_ids().first().and_then(|&id| self.rec.node_info(id)).and_then(|n| n.shape());
        if let Some(rten::Dimension::Fixed(classes)) = output.and_then(|shape| shape.last().cloned()) {
            if classes != self.alphabet.classes() {
                return Err(OcrError::DictionaryMismatch { model: classes, dictionary: self.alphabet.classes() });
            }
        }
        Ok(())
    }

    /// Reads the receipt in `image`: its lines, top to bottom. Uses rten's shared thread pool
    /// (all cores): best for one photo at a time, as on the command line.
    pub fn recognise(&self, image: &DynamicImage) -> Result<Vec<Line>, OcrError> {
        self.recognise_on(image, None)
    }

    /// As [`Ocr::recognise`], running the models on `threads` (e.g. a one-thread pool per worker,
    /// which gives the best throughput when several photos are read at once).
    pub fn recognise_on(&self, image: &DynamicImage, threads: Option<Arc<ThreadPool>>) -> Result<Vec<Line>, OcrError> {
        let options = || Some(RunOptions::default().with_thread_pool(threads.clone()));
        let rgb = image.to_rgb8();
        if rgb.width() < 8 || rgb.height() < 8 {
            return Ok(Vec::new());
        }
        let quads = self.detect(&rgb, options())?;
        let words = self.read(&rgb, quads, options)?;
        Ok(lines::group(words))
    }

    fn detect(&self, rgb: &RgbImage, options: Option<RunOptions>) -> Result<Vec<Quad>, OcrError> {
        let (w, h) = (rgb.width(), rgb.height());
        let (dw, dh) = detection_size(w, h);
        let mut input = vec![0f32; 3 * (dw * dh) as usize];
        let plane = (dw * dh) as usize;
        let (sx, sy) = (w as f32 / dw as f32, h as f32 / dh as f32);
        for y in 0..dh {
            for x in 0..dw {
                // Pixel centres map onto pixel centres, as OpenCV's resize does.
                let p = bilinear(rgb, (x as f32 + 0.5) * sx - 0.5, (y as f32 + 0.5) * sy - 0.5);
                let i = (y * dw + x) as usize;
                // The PP-OCR models were trained on BGR images normalised to [-1, 1].
                for (c, value) in [p[2], p[1], p[0]].into_iter().enumerate() {
                    input[c * plane + i] = value / 127.5 - 1.0;
                }
            }
        }
        let input = Value::from_shape([1, 3, dh as usize, dw as usize], input)
            .map_err(|e| OcrError::Run { stage: "detection", message: e.to_string() })?;
        let output = self
            .det
            .run_one(input.into(), options)
            .map_err(|e| OcrError::Run { stage: "detection", message: e.to_string() })?;
        let (shape, data) = output
            .into_shape_vec::<f32, 4>()
            .map_err(|e| OcrError::Run { stage: "detection", message: e.to_string() })?;
        let map = ProbMap { data: &data, width: shape[3], height: shape[2] };
        let mut found = detect::boxes(&map, &self.params, w as usize, h as usize);
        found.sort_by(|a, b| a.0.centre().y.total_cmp(&b.0.centre().y));
        Ok(found.into_iter().map(|(quad, _)| quad).collect())
    }

    fn read(
        &self,
        rgb: &RgbImage,
        quads: Vec<Quad>,
        options: impl Fn() -> Option<RunOptions>,
    ) -> Result<Vec<Word>, OcrError> {
        // Similar widths batch together with little padding.
        let mut order: Vec<(usize, f32)> =
            quads.iter().enumerate().map(|(i, q)| (i, q.width() / q.height().max(1.0))).collect();
        order.sort_by(|a, b| a.1.total_cmp(&b.1));
        let mut read: Vec<Option<(String, f32)>> = vec![None; quads.len()];
        for batch in order.chunks(REC_BATCH) {
            let max_ratio = batch.iter().map(|b| b.1).fold(REC_MIN_WIDTH as f32 / REC_HEIGHT as f32, f32::max);
            let width = (REC_HEIGHT as f32 * max_ratio).ceil() as u32;
            let plane = (REC_HEIGHT * width) as usize;
            let mut input = vec![0f32; batch.len() * 3 * plane];
            for (slot, &(index, ratio)) in batch.iter().enumerate() {
                let resized = ((REC_HEIGHT as f32 * ratio).ceil() as u32).clamp(1, width);
                let quad = &quads[index];
                let base = slot * 3 * plane;
                sample_quad(rgb, quad, resized, |x, y, p| {
                    let i = (y * width + x) as usize;
                    for (c, value) in [p[2], p[1], p[0]].into_iter().enumerate() {
                        input[base + c * plane + i] = value / 127.5 - 1.0;
                    }
                });
            }
            let value = Value::from_shape([batch.len(), 3, REC_HEIGHT as usize, width as usize], input)
                .map_err(|e| OcrError::Run { stage: "recognition", message: e.to_string() })?;
            let output = self
                .rec
                .run_one(value.into(), options())
                .map_err(|e| OcrError::Run { stage: "recognition", message: e.to_string() })?;
            let (shape, data) = output
                .into_shape_vec::<f32, 3>()
                .map_err(|e| OcrError::Run { stage: "recognition", message: e.to_string() })?;
            let [_, steps, classes] = shape;
            if classes != self.alphabet.classes() {
                return Err(OcrError::DictionaryMismatch { model: classes, dictionary: self.alphabet.classes() });
            }
            for (slot, &(index, _)) in batch.iter().enumerate() {
                let probs = &data[slot * steps * classes..(slot + 1) * steps * classes];
                read[index] = Some(self.alphabet.decode(probs, steps));
            }
        }
        Ok(quads
            .into_iter()
            .zip(read)
            .filter_map(|(quad, read)| {
                let (text, confidence) = read?;
                let text = text.trim().to_string();
                (confidence >= MIN_WORD_CONFIDENCE && !text.is_empty()).then_some(Word { text, confidence, quad })
            })
            .collect())
    }
}

/// The detector's input size: short side to 736 (never past 2000 on the long side), both
/// multiples of 32.
fn detection_size(w: u32, h: u32) -> (u32, u32) {
    let (w, h) = (w as f32, h as f32);
    let mut ratio = if w.min(h) < DET_MIN_SIDE as f32 { DET_MIN_SIDE as f32 / w.min(h) } else { 1.0 };
    if w.max(h) * ratio > DET_MAX_SIDE as f32 {
        ratio = DET_MAX_SIDE as f32 / w.max(h);
    }
    let round32 = |v: f32| (((v / 32.0).round() as u32) * 32).max(32);
    (round32(w * ratio), round32(h * ratio))
}

fn bilinear(img: &RgbImage, x: f32, y: f32) -> [f32; 3] {
    let (w, h) = (img.width() as i64, img.height() as i64);
    let x = x.clamp(0.0, (w - 1) as f32);
    let y = y.clamp(0.0, (h - 1) as f32);
    let (x0, y0) = (x.floor() as i64, y.floor() as i64);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let px = |xx: i64, yy: i64| img.get_pixel(xx as u32, yy as u32).0;
    let (a, b, c, d) = (px(x0, y0), px(x1, y0), px(x0, y1), px(x1, y1));
    let mut out = [0f32; 3];
    for (k, o) in out.iter_mut().enumerate() {
        let top = a[k] as f32 * (1.0 - fx) + b[k] as f32 * fx;
        let bottom = c[k] as f32 * (1.0 - fx) + d[k] as f32 * fx;
        *o = top * (1.0 - fy) + bottom * fy;
    }
    out
}

/// Samples the quad's area straightened to `width` × 48, calling `put(x, y, rgb)` per pixel.
/// When the crop shrinks a lot, each output pixel averages a small grid of samples so thin
/// strokes do not vanish.
fn sample_quad(img: &RgbImage, quad: &Quad, width: u32, mut put: impl FnMut(u32, u32, [f32; 3])) {
    let [tl, tr, _, bl] = quad.0;
    let u = Point::new(tr.x - tl.x, tr.y - tl.y);
    let v = Point::new(bl.x - tl.x, bl.y - tl.y);
    let step_u = quad.width() / width as f32;
    let step_v = quad.height() / REC_HEIGHT as f32;
    let n = (step_u.max(step_v).ceil() as u32).clamp(1, 3);
    for y in 0..REC_HEIGHT {
        for x in 0..width {
            let mut acc = [0f32; 3];
            for sy in 0..n {
                for sx in 0..n {
                    let fu = (x as f32 + (sx as f32 + 0.5) / n as f32) / width as f32;
                    let fv = (y as f32 + (sy as f32 + 0.5) / n as f32) / REC_HEIGHT as f32;
                    let p = bilinear(img, tl.x + fu * u.x + fv * v.x, tl.y + fu * u.y + fv * v.y);
                    for k in 0..3 {
                        acc[k] += p[k];
                    }
                }
            }
            let count = (n * n) as f32;
            put(x, y, acc.map(|a| a / count));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_input_is_a_multiple_of_32_with_the_short_side_near_736() {
        assert_eq!(detection_size(900, 1400), (896, 1408));
        assert_eq!(detection_size(400, 700), (736, 1280));
        // A long slip: the long side is capped.
        let (w, h) = detection_size(500, 3000);
        assert!(h <= 2016 && w % 32 == 0 && h % 32 == 0);
    }

    #[test]
    fn missing_models_say_how_to_get_them() {
        let err = Ocr::load(Path::new("/nonexistent/models")).err().expect("no models there");
        assert!(err.to_string().contains("scripts/setup"), "{err}");
    }
}
