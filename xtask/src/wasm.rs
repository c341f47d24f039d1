//! Compiling a crate to wasm32, its bindings, and wasm-opt.

use crate::{cargo, run, PKG_DIR};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Features rustc enables by default for wasm32-unknown-unknown; wasm-opt must accept them and
/// must not add others the browsers lack.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Builds `package` into `pkg/<out_name>.js` and its wasm. Leptos loads the hydrate bundle's wasm
/// as `<out_name>.wasm` (the cargo-leptos layout), so `leptos_layout` renames `<out_name>_bg.wasm`;
/// other modules keep wasm-bindgen's default name, which their own glue code loads.
pub fn build(package: &str, out_name: &str, leptos_layout: bool, release: bool) -> Result<()> {
    let mut cargo = cargo();
    cargo.args(["build", "--package", package, "--lib", "--target", "wasm32-unknown-unknown"]);
    if release {
        cargo.args(["--profile", "wasm-release"]);
    }
    run(&mut cargo)?;

    let profile_dir = if release { "wasm-release" } else { "debug" };
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from);
    let input = target.join(format!("wasm32-unknown-unknown/{profile_dir}/{}.wasm", package.replace('-', "_")));
    let stamp = Path::new(PKG_DIR).join(format!(".{out_name}.stamp"));
    let fingerprint = format!("{}:{release}", fingerprint(&input)?);
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(fingerprint.as_str()) {
        println!("{out_name}: unchanged");
        return Ok(());
    }

    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_path(&input)
        .out_name(out_name)
        .web(true)?
        .typescript(false)
        .debug(!release)
        .keep_debug(!release)
        .generate(PKG_DIR)
        .with_context(|| format!("wasm-bindgen on {}", input.display()))?;

    let mut wasm = Path::new(PKG_DIR).join(format!("{out_name}_bg.wasm"));
    if leptos_layout {
        let renamed = Path::new(PKG_DIR).join(format!("{out_name}.wasm"));
        std::fs::rename(&wasm, &renamed)?;
        wasm = renamed;
    }
    if release {
        optimise(&wasm)?;
    }
    std::fs::write(&stamp, fingerprint)?;
    println!("{out_name}: {} bytes", std::fs::metadata(&wasm)?.len());
    Ok(())
}

/// Size and modification time: enough to know cargo produced a new file.
fn fingerprint(path: &Path) -> Result<String> {
    let meta = std::fs::metadata(path).with_context(|| format!("{} was not built", path.display()))?;
    let modified = meta.modified()?.duration_since(std::time::UNIX_EPOCH)?.as_nanos();
    Ok(format!("{}:{modified}", meta.len()))
}

fn optimise(wasm: &Path) -> Result<()> {
    let wasm_opt = Path::new("node_modules/.bin/wasm-opt");
    if !wasm_opt.exists() {
        bail!("node_modules/.bin/wasm-opt is missing: run `npm ci` (binaryen from npm; Debian's 108 breaks hydration)");
    }
    let output = wasm.with_extension("opt.wasm");
    let mut command = Command::new(wasm_opt);
    command.arg("-Oz").args(WASM_FEATURES).arg(wasm).arg("-o").arg(&output);
    run(&mut command)?;
    std::fs::rename(&output, wasm)?;
    Ok(())
}
