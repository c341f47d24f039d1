//! Compiles the translation files into one struct per language, so a missing or misspelt key is
//! a compile error rather than a blank on screen. Each language has a main file
//! (`locales/zh-CN.json`, flat `key: text` objects) and may have more per feature in a folder of
//! the same name (`locales/zh-CN/payments.json`); a key defined twice is an error.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

const LOCALES: [(&str, &str); 2] = [("ZH", "locales/zh-CN.json"), ("EN", "locales/en.json")];

fn read_file(path: &str) -> BTreeMap<String, String> {
    println!("cargo:rerun-if-changed={path}");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not a flat JSON object of strings: {e}"))
}

/// The main file and the feature files in the folder beside it.
fn read_language(main: &str) -> BTreeMap<String, String> {
    let mut table = read_file(main);
    let folder = main.trim_end_matches(".json");
    println!("cargo:rerun-if-changed={folder}");
    let mut parts: Vec<_> = std::fs::read_dir(folder)
        .map(|dir| {
            dir.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    parts.sort();
    for part in parts {
        let part = part.to_string_lossy().into_owned();
        for (key, text) in read_file(&part) {
            if table.insert(key.clone(), text).is_some() {
                panic!("{part}: `{key}` is already defined for this language");
            }
        }
    }
    table
}

fn main() {
    let mut tables = Vec::new();
    for (name, path) in LOCALES {
        let table = read_language(path);
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
