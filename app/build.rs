//! Compiles the translation files (`locales/*.json`, flat `key: text` objects) into one struct
//! per language, so a missing or misspelt key is a compile error rather than a blank on screen.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

const LOCALES: [(&str, &str); 2] = [("ZH", "locales/zh-CN.json"), ("EN", "locales/en.json")];

fn main() {
    let mut tables = Vec::new();
    for (name, path) in LOCALES {
        println!("cargo:rerun-if-changed={path}");
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let table: BTreeMap<String, String> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not a flat JSON object of strings: {e}"));
        for key in table.keys() {
            let valid = key.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            assert!(valid, "{path}: key `{key}` must be snake_case");
        }
        tables.push((name, path, table));
    }
    let (_, first_path, first) = &tables[0];
    for (_, path, table) in &tables[1..] {
        if let Some(key) = first.keys().find(|k| !table.contains_key(*k)) {
            panic!("{path} lacks `{key}` (present in {first_path})");
        }
        if let Some(key) = table.keys().find(|k| !first.contains_key(*k)) {
            panic!("{first_path} lacks `{key}` (present in {path})");
        }
    }

    let mut out = String::from("/// Every interface string, in one language.\n#[derive(Debug)]\npub struct Tr {\n");
    for key in first.keys() {
        writeln!(out, "    pub {key}: &'static str,").unwrap();
    }
    out.push_str("}\n");
    for (name, _, table) in &tables {
        writeln!(out, "pub static {name}: Tr = Tr {{").unwrap();
        for (key, text) in table {
            writeln!(out, "    {key}: {text:?},").unwrap();
        }
        out.push_str("};\n");
    }
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("i18n.rs");
    std::fs::write(dest, out).unwrap();
}
