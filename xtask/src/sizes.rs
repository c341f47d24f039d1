//! `cargo xtask sizes`: the brotli size of each bundle the browser downloads, against its budget
//! in `bench/size-budgets.txt` (one `file bytes` pair a line, `#` comments). Fails when a bundle is
//! missing or larger than its budget. Brotli at a fixed quality is deterministic, so the check is
//! too: the same sources give the same bytes on every machine.

use anyhow::{bail, Context, Result};
use std::path::Path;

pub const BUDGETS: &str = "bench/size-budgets.txt";

pub fn check(pkg: &Path) -> Result<()> {
    let text = std::fs::read_to_string(BUDGETS).with_context(|| format!("reading {BUDGETS}"))?;
    let mut over = Vec::new();
    println!("| bundle (brotli) | bytes | budget |");
    println!("|---|---:|---:|");
    for line in text.lines().map(|l| l.split('#').next().unwrap_or_default().trim()).filter(|l| !l.is_empty()) {
        let (file, budget) = line.split_once(char::is_whitespace).context("a line is `file bytes`")?;
        let budget: u64 = budget.trim().replace('_', "").parse().with_context(|| format!("the budget of {file}"))?;
        let path = pkg.join(file);
        let size = std::fs::metadata(&path)
            .with_context(|| format!("{} is missing: run `cargo xtask site --release` first", path.display()))?
            .len();
        println!("| {file} | {size} | {budget} |");
        if size > budget {
            over.push(format!("{file}: {size} B > {budget} B"));
        }
    }
    if !over.is_empty() {
        bail!("bundles over their budget ({BUDGETS}): {}", over.join("; "));
    }
    Ok(())
}
