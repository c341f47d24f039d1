//! Styles, static files and their compressed twins (served by `ServeDir::precompressed_*`).

use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;

const COMPRESSIBLE: [&str; 6] = ["js", "wasm", "css", "svg", "webmanifest", "json"];

/// Writes the stylesheet with its `@import "x.css";` lines replaced by the files they name
/// (relative to it), so the browser fetches one file.
pub fn copy_style(from: &str, to: &Path) -> Result<()> {
    let css = inline_imports(Path::new(from), 0)?;
    std::fs::write(to, css)?;
    Ok(())
}

fn inline_imports(path: &Path, depth: usize) -> Result<String> {
    anyhow::ensure!(depth < 8, "@import nested too deeply at {}", path.display());
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let trimmed = line.trim();
        let import =
            trimmed.strip_prefix("@import").map(str::trim).and_then(|rest| rest.strip_suffix(';')).map(|target| {
                target
                    .trim()
                    .trim_start_matches("url(")
                    .trim_end_matches(')')
                    .trim_matches('"')
                    .trim_matches('\'')
                    .to_string()
            });
        match import {
            Some(target) => out.push_str(&inline_imports(&dir.join(target), depth + 1)?),
            None => out.push_str(line),
        }
        out.push('\n');
    }
    Ok(out)
}

pub fn copy_public(from: &str, to: &Path) -> Result<()> {
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {from}"))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            std::fs::create_dir_all(&target)?;
            copy_public(&entry.path().to_string_lossy(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Writes `x.gz` and `x.br` next to each compressible file that changed since its twins.
pub fn precompress(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            precompress(&path)?;
            continue;
        }
        let compressible = path.extension().and_then(|e| e.to_str()).is_some_and(|e| COMPRESSIBLE.contains(&e));
        if !compressible {
            continue;
        }
        let br = path.with_extension(format!("{}.br", path.extension().unwrap().to_string_lossy()));
        let gz = path.with_extension(format!("{}.gz", path.extension().unwrap().to_string_lossy()));
        if is_newer(&br, &path) && is_newer(&gz, &path) {
            continue;
        }
        let data = std::fs::read(&path)?;
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gzip.write_all(&data)?;
        std::fs::write(&gz, gzip.finish()?)?;
        let mut brotli = Vec::new();
        let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
        brotli::BrotliCompress(&mut data.as_slice(), &mut brotli, &params)?;
        std::fs::write(&br, brotli)?;
    }
    Ok(())
}

fn is_newer(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a).and_then(|m| m.modified()), std::fs::metadata(b).and_then(|m| m.modified())) {
        (Ok(a), Ok(b)) => a >= b,
        _ => false,
    }
}
