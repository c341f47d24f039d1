//! Prints the lines read from each image and the time taken: `cargo run --release -p plaza-ocr
//! --example read -- photo.jpg...` (models from PLAZA_OCR_MODELS or models/ocr).

use plaza_ocr::{decode_image, Ocr};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let ocr = Ocr::load(&Ocr::models_dir())?;
    eprintln!("models loaded in {:.2} s", started.elapsed().as_secs_f32());
    for file in std::env::args().skip(1) {
        let started = Instant::now();
        let image = decode_image(&std::fs::read(&file)?)?;
        let lines = ocr.recognise(&image)?;
        println!("== {file} ({:.2} s)", started.elapsed().as_secs_f32());
        for line in lines {
            println!("{:.2}  {}", line.confidence, line.text);
        }
    }
    Ok(())
}
