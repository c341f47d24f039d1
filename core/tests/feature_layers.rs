//! The arrows between core's feature modules point one way: a module may use only modules of a
//! lower layer (and the platform, which knows no feature). So there is no import cycle between
//! features, and a reader knows where a new function may call. The layers are written out in
//! docs/architecture.md; this test reads every source file of core (test code excepted) and fails
//! on a `crate::<module>` reference that points sideways or up, or on a module missing here.

use std::collections::BTreeMap;
use std::path::Path;

/// Lowest first. Keep in step with docs/architecture.md.
const LAYERS: &[&[&str]] = &[
    // Things the features stand on that are not the platform's: the shops, plates, the level
    // table, SMS, the payment providers' adapters, the stored-value ledger.
    &["tenants", "plates", "levels", "sms", "payment_providers", "stored_value"],
    // Paid membership's state: tiers, who holds one, sub-cards (where a sub-card's earnings go).
    &["membership"],
    // The points and coupon ledgers.
    &["points", "coupons"],
    // Members and what builds on the ledgers.
    &["members", "invites", "checkin", "rewards", "receipts", "anomaly"],
    // Signing in; the payment engine (split tender, completion, refunds; plate pay).
    &["auth", "payments"],
    // What is bought through the engine, and the counter's own sales.
    &["topup", "membership_purchase", "dining", "shop", "counter_sale"],
    // Mall orders: carts, checkout and fulfilment on top of the catalogue's stock.
    &["mall_orders"],
    // What joins the features: the purposes dispatcher, the operator's overviews, jobs, demo data.
    &["purposes", "operator", "settlement", "scheduled", "demo", "scale_seed"],
    // Test helpers (they install the purposes dispatcher).
    &["testing"],
];

/// The platform's modules, re-exported by core under their old paths: usable from anywhere.
const PLATFORM: &[&str] = &[
    "audit",
    "codes",
    "db",
    "error",
    "events",
    "input",
    "jobs",
    "mall",
    "principal",
    "rate_limit",
    "secrets",
    "settings",
    "storage",
    "time",
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The file's text without comments and without its test module.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines().map(|line| line.split("//").next().unwrap_or_default()).collect::<Vec<_>>().join("\n")
}

/// Every `crate::name` and every name in `crate::{a, b::c}`.
fn referenced(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item.trim().chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                if !name.is_empty() {
                    names.push(name);
                }
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
            if !name.is_empty() {
                names.push(name);
            }
        }
    }
    names
}

fn is_test_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    name == "tests.rs" || name.ends_with("_tests.rs") || path.components().any(|c| c.as_os_str() == "tests")
}

fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("core/src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            walk(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

#[test]
fn features_use_only_lower_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    let mut wrong: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut unplaced = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&src).expect("under src");
        let first = relative.components().next().and_then(|c| c.as_os_str().to_str()).unwrap_or_default();
        let module = first.trim_end_matches(".rs");
        if module == "lib" || is_test_file(relative) {
            continue;
        }
        let Some(own) = layer_of(module) else {
            unplaced.push(module.to_string());
            continue;
        };
        let text = std::fs::read_to_string(&file).expect("a source file");
        for name in referenced(&code_of(&text)) {
            if name == module || PLATFORM.contains(&name.as_str()) || name == "self" {
                continue;
            }
            match layer_of(&name) {
                Some(layer) if layer < own => {}
                Some(_) => wrong.entry(relative.display().to_string()).or_default().push(name),
                // Items at the crate root (Db, Result, …) are the platform's.
                None => {}
            }
        }
    }
    unplaced.sort();
    unplaced.dedup();
    assert!(unplaced.is_empty(), "modules with no layer (add them to LAYERS and docs/architecture.md): {unplaced:?}");
    assert!(wrong.is_empty(), "references to a module of the same or a higher layer: {wrong:#?}");
}

#[test]
fn the_reader_finds_what_a_file_refers_to() {
    let code =
        code_of("use crate::{points, coupons::wallet};\nlet x = crate::membership::beneficiary(); // crate::dining\n");
    assert_eq!(referenced(&code), vec!["points", "coupons", "membership"]);
    assert_eq!(layer_of("points"), Some(2));
    assert_eq!(layer_of("nonesuch"), None);
}
