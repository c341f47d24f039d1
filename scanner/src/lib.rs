//! In-browser QR scanning, built as its own small WebAssembly module (`/pkg/scanner.js`) that
//! pages load only when someone taps "scan".
//!
//! `start(video, onCode)` opens the rear camera into `video` and calls `onCode(text)` once with
//! the first code it reads: through the browser's `BarcodeDetector` where there is one (QR and
//! Code 128), otherwise by decoding frames with `rqrr`. `stop()` releases the camera.

use js_sys::{Array, Function, Object, Promise, Reflect};
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlVideoElement, MediaStream, MediaStreamConstraints};

/// Frames are scaled so the long side is at most this many pixels before decoding.
const MAX_FRAME_SIDE: f64 = 720.0;
const FRAME_INTERVAL_MS: i32 = 120;

thread_local! {
    /// Bumped by every start and stop, so an old scan loop knows to end.
    static GENERATION: Cell<u32> = const { Cell::new(0) };
    static STREAM: RefCell<Option<MediaStream>> = const { RefCell::new(None) };
}

/// Decodes the first QR code in a greyscale image (one byte per pixel, row by row).
#[wasm_bindgen]
pub fn decode_luma(width: usize, height: usize, luma: &[u8]) -> Option<String> {
    if width == 0 || height == 0 || luma.len() < width * height {
        return None;
    }
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| luma[y * width + x]);
    image.detect_grids().into_iter().find_map(|grid| grid.decode().ok().map(|(_, content)| content))
}

#[wasm_bindgen]
pub async fn start(video: HtmlVideoElement, on_code: Function) -> Result<(), JsValue> {
    stop();
    let window = web_sys::window().ok_or("no window")?;
    let devices = window.navigator().media_devices()?;
    let constraints = MediaStreamConstraints::new();
    constraints.set_audio(&JsValue::FALSE);
    let video_constraints = Object::new();
    let facing = Object::new();
    Reflect::set(&facing, &"ideal".into(), &"environment".into())?;
    Reflect::set(&video_constraints, &"facingMode".into(), &facing)?;
    constraints.set_video(&video_constraints);
    let stream: MediaStream =
        JsFuture::from(devices.get_user_media_with_constraints(&constraints)?).await?.dyn_into()?;
    video.set_muted(true);
    video.set_attribute("playsinline", "")?;
    video.set_src_object(Some(&stream));
    JsFuture::from(video.play()?).await?;
    STREAM.with(|s| *s.borrow_mut() = Some(stream));
    let generation = GENERATION.with(|g| {
        g.set(g.get() + 1);
        g.get()
    });
    wasm_bindgen_futures::spawn_local(scan_loop(generation, video, on_code));
    Ok(())
}

#[wasm_bindgen]
pub fn stop() {
    GENERATION.with(|g| g.set(g.get() + 1));
    if let Some(stream) = STREAM.with(|s| s.borrow_mut().take()) {
        for track in stream.get_tracks().iter() {
            if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
                track.stop();
            }
        }
    }
}

fn current(generation: u32) -> bool {
    GENERATION.with(|g| g.get()) == generation
}

async fn scan_loop(generation: u32, video: HtmlVideoElement, on_code: Function) {
    let detector = barcode_detector();
    let Some((canvas, context)) = canvas() else { return };
    while current(generation) {
        sleep(FRAME_INTERVAL_MS).await;
        if !current(generation) || video.ready_state() < 2 {
            continue;
        }
        let mut found = None;
        if let Some(detector) = &detector {
            found = detect(detector, &video).await;
        }
        if found.is_none() {
            found = decode_frame(&video, &canvas, &context);
        }
        if let Some(text) = found {
            if current(generation) {
                stop();
                let _ = on_code.call1(&JsValue::NULL, &JsValue::from_str(&text));
            }
            return;
        }
    }
}

fn canvas() -> Option<(HtmlCanvasElement, CanvasRenderingContext2d)> {
    let document = web_sys::window()?.document()?;
    let canvas: HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
    let options = Object::new();
    let _ = Reflect::set(&options, &"willReadFrequently".into(), &JsValue::TRUE);
    let context = canvas.get_context_with_context_options("2d", &options).ok()??.dyn_into().ok()?;
    Some((canvas, context))
}

fn decode_frame(
    video: &HtmlVideoElement,
    canvas: &HtmlCanvasElement,
    context: &CanvasRenderingContext2d,
) -> Option<String> {
    let (vw, vh) = (video.video_width() as f64, video.video_height() as f64);
    if vw == 0.0 || vh == 0.0 {
        return None;
    }
    let scale = (MAX_FRAME_SIDE / vw.max(vh)).min(1.0);
    let (w, h) = ((vw * scale).round() as u32, (vh * scale).round() as u32);
    canvas.set_width(w);
    canvas.set_height(h);
    context.draw_image_with_html_video_element_and_dw_and_dh(video, 0.0, 0.0, w as f64, h as f64).ok()?;
    let rgba = context.get_image_data(0.0, 0.0, w as f64, h as f64).ok()?.data();
    let luma: Vec<u8> =
        rgba.chunks_exact(4).map(|p| ((p[0] as u32 * 77 + p[1] as u32 * 150 + p[2] as u32 * 29) >> 8) as u8).collect();
    decode_luma(w as usize, h as usize, &luma)
}

/// The browser's own detector, where it exists (Chrome on Android and macOS; not Linux or iOS).
fn barcode_detector() -> Option<JsValue> {
    let window = web_sys::window()?;
    let class = Reflect::get(&window, &"BarcodeDetector".into()).ok()?.dyn_into::<Function>().ok()?;
    let options = Object::new();
    let formats = Array::of2(&"qr_code".into(), &"code_128".into());
    Reflect::set(&options, &"formats".into(), &formats).ok()?;
    Reflect::construct(&class, &Array::of1(&options)).ok()
}

async fn detect(detector: &JsValue, video: &HtmlVideoElement) -> Option<String> {
    let detect = Reflect::get(detector, &"detect".into()).ok()?.dyn_into::<Function>().ok()?;
    let promise: Promise = detect.call1(detector, video).ok()?.dyn_into().ok()?;
    let results: Array = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
    results.iter().find_map(|r| Reflect::get(&r, &"rawValue".into()).ok()?.as_string())
}

async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

#[cfg(test)]
mod tests {
    use super::decode_luma;
    use qrcode::{Color, EcLevel, QrCode};

    /// A member code drawn as a camera might see it: scaled, off-centre, grey paper, some noise.
    fn camera_frame(text: &str, scale: usize) -> (usize, usize, Vec<u8>) {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).unwrap();
        let modules = code.width();
        let colors = code.to_colors();
        let (width, height) = (640, 480);
        let (left, top) = (150, 70);
        let mut luma = vec![210u8; width * height];
        let mut noise = 12345u32;
        for (i, pixel) in luma.iter_mut().enumerate() {
            noise = noise.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let (x, y) = (i % width, i / width);
            let inside = x >= left && y >= top && x < left + modules * scale && y < top + modules * scale;
            let dark = inside && colors[(y - top) / scale * modules + (x - left) / scale] == Color::Dark;
            let base: i32 = if dark { 40 } else { 210 };
            *pixel = (base + (noise >> 24) as i32 % 30 - 15).clamp(0, 255) as u8;
        }
        (width, height, luma)
    }

    #[test]
    fn decodes_a_member_code_from_a_camera_frame() {
        let text = "80000000042179531100012345678901";
        // A phone held at the till shows the code at 5–12 px per module in a 640×480 frame. A single
        // frame can still fail (rqrr's thresholds meet the noise badly at some sizes): the scan
        // loop reads a new frame every 120 ms.
        for scale in [5, 7, 10] {
            let (w, h, luma) = camera_frame(text, scale);
            assert_eq!(decode_luma(w, h, &luma).as_deref(), Some(text), "scale {scale}");
        }
    }

    #[test]
    fn an_empty_frame_has_no_code() {
        assert_eq!(decode_luma(64, 48, &vec![128; 64 * 48]), None);
        assert_eq!(decode_luma(0, 0, &[]), None);
        assert_eq!(decode_luma(10, 10, &[0; 5]), None, "a short buffer is refused, not read past");
    }
}
