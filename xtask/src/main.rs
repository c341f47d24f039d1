//! The site build, without cargo-leptos (see docs/decisions/0001-own-build-tool.md):
//!
//! 1. compile the hydrate bundles (`BUNDLES`, one crate each: the islands of one area of the site,
//!    docs/decisions/0024-bundles-by-area.md) and `plaza-scanner` (the camera decoder) for wasm32
//!    — with the size profile `wasm-release` for `--release`;
//! 2. generate their JavaScript bindings with `wasm-bindgen-cli-support`, whose version is locked
//!    by our own Cargo.lock to the `wasm-bindgen` the crates use;
//! 3. shrink the release wasm with `wasm-opt` from npm's binaryen (never Debian's 108);
//! 4. copy `style/main.css` and `public/`, and write gzip and brotli twins of every text asset;
//! 5. `build` also compiles the server binary `plaza`;
//! 6. `sizes` checks the release bundles' brotli sizes against `bench/size-budgets.txt`.
//!
//! Usage: `cargo xtask site [--release]`, `cargo xtask build [--release]`, `cargo xtask sizes`.

mod assets;
mod sizes;
mod wasm;

use anyhow::{bail, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

pub const SITE_ROOT: &str = "target/site";
pub const PKG_DIR: &str = "target/site/pkg";

/// The hydrate bundles, crate and output name, each built alone (one `cargo build` each: built
/// together, cargo would unify their plaza-app features and every bundle would hold every island).
/// The shell picks one by the page's path (`bundle_for` in app/src/shell.rs).
const BUNDLES: [(&str, &str); 3] =
    [("plaza-frontend", "plaza"), ("plaza-frontend-shopper", "plaza-shopper"), ("plaza-frontend-card", "plaza-card")];

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let release = args.iter().any(|a| a == "--release");
    let root = workspace_root();
    std::env::set_current_dir(&root)?;
    match args.first().map(String::as_str) {
        Some("site") => site(release),
        Some("build") => {
            site(release)?;
            server(release)
        }
        Some("sizes") => sizes::check(Path::new(PKG_DIR)),
        _ => bail!("usage: cargo xtask site|build [--release] | cargo xtask sizes"),
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

fn site(release: bool) -> Result<()> {
    let started = std::time::Instant::now();
    std::fs::create_dir_all(PKG_DIR)?;
    for (package, out_name) in BUNDLES {
        let started = std::time::Instant::now();
        wasm::build(package, out_name, true, release)?;
        println!("{out_name}: built in {:.1} s", started.elapsed().as_secs_f64());
    }
    wasm::build("plaza-scanner", "scanner", false, release)?;
    assets::copy_style("style/main.css", &Path::new(PKG_DIR).join("plaza.css"))?;
    assets::copy_public("public", Path::new(SITE_ROOT))?;
    assets::precompress(Path::new(SITE_ROOT))?;
    println!("site ready in {SITE_ROOT} ({:.1} s)", started.elapsed().as_secs_f64());
    Ok(())
}

fn server(release: bool) -> Result<()> {
    let mut cargo = cargo();
    cargo.args(["build", "--package", "plaza-server"]);
    if release {
        cargo.arg("--release");
    }
    run(&mut cargo)
}

/// The cargo that built xtask, with its own toolchain's rustc. Run as `target/debug/xtask` (as
/// `make test` does, so the site build does not wait for the test build's lock) nothing tells
/// rustup which toolchain to use, and its `rustc` proxy then obeys a `rust-toolchain.toml` in the
/// directory cargo compiles a dependency in: convert_case 0.11 ships one naming 1.91.1, which
/// is not installed, and the wasm build failed on it (the last CI run).
pub fn cargo() -> Command {
    let cargo_path = Path::new(env!("CARGO"));
    let mut cargo = Command::new(cargo_path);
    let rustc = cargo_path.with_file_name("rustc");
    if std::env::var_os("RUSTC").is_none() && rustc.is_file() {
        cargo.env("RUSTC", rustc);
    }
    cargo
}

pub fn run(command: &mut Command) -> Result<()> {
    let status = command.status()?;
    if !status.success() {
        bail!("{command:?} failed with {status}");
    }
    Ok(())
}
